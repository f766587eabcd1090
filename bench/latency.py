"""Time a search function over the query mix: one cold call, then every query `rounds` times."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.queries import BenchQuery
from bench.stats import by_kind, latency_summary


def measure_queries(
    search: Callable[[dict[str, list[str]]], dict], queries: list[BenchQuery], rounds: int = 1
) -> dict:
    """Latency of `search(params) -> {"total", "hits", ...}` per query, overall and per kind.

    The first call (the first query of the mix) is timed separately as `cold_ms`:
    it pays for opening the index and filling caches, which a serving process pays once.
    Beside wall time, each query's CPU time (this process, one thread) is summarised: on a
    machine shared with other work it tells what the same search costs on an idle core.
    """
    started = time.perf_counter()
    search(queries[0].params)
    cold_ms = (time.perf_counter() - started) * 1000
    samples: list[tuple[str, float]] = []
    cpu_samples: list[tuple[str, float]] = []
    totals: list[int] = []
    for _round in range(rounds):
        totals = []
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = search(query.params)
            samples.append((query.kind, (time.perf_counter() - started) * 1000))
            cpu_samples.append((query.kind, (time.process_time() - cpu_started) * 1000))
            totals.append(int(result["total"]))
    cpu = latency_summary([ms for _kind, ms in cpu_samples])
    return {
        "cold_ms": round(cold_ms, 1),
        "rounds": rounds,
        **latency_summary([ms for _kind, ms in samples]),
        # CPU time of the searching process: what the wall time would be on an idle core
        "cpu_p50_ms": cpu["p50_ms"],
        "cpu_p95_ms": cpu["p95_ms"],
        "cpu_p99_ms": cpu["p99_ms"],
        "by_kind": by_kind(samples),
        "cpu_by_kind": by_kind(cpu_samples),
        "queries_with_hits": sum(1 for total in totals if total > 0),
        "totals": totals,
    }
