"""Amtsblick itself, measured through its own entry points: `build_index`, the search service, the app.

Nothing here re-implements the product: builds go through `indexer.build.build.build_index`,
queries through `SearchService.search(SearchRequest.from_params(...))` (what the API calls),
pages through the Flask app's test client.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.latency import measure_queries
from bench.queries import BenchQuery
from bench.stats import latency_summary


def build(index_dir: Path, inputs: list[str]) -> dict:
    """A build or re-run over the inputs, with the figures of the build summary."""
    from indexer.build.build import build_index

    cpu_started = time.process_time()
    summary = build_index(index_dir, inputs, show_progress=False)
    cpu_seconds = time.process_time() - cpu_started
    return {
        "seconds": round(summary.seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "docs_per_cpu_s": round(summary.indexed / cpu_seconds, 1) if summary.indexed else 0.0,
        "indexed": summary.indexed,
        "unchanged": summary.unchanged,
        # the same release twice is indexed once; analyses may come from the NLP cache
        "duplicates": len(getattr(summary, "duplicates", [])),
        "from_cache": getattr(summary, "from_cache", 0),
        "errors": len(summary.errors),
        "docs_per_s": round(summary.docs_per_second, 1),
        "stage_seconds": {name: round(secs, 2) for name, secs in summary.stage_seconds.items()},
        "pipeline": summary.pipeline,
    }


def search_function(index_dir: Path):
    from search_web.search import SearchRequest, SearchService

    service = SearchService(index_dir)

    def search(params: dict[str, list[str]]) -> dict:
        return service.search(SearchRequest.from_params(params))

    return search


def query_latency(index_dir: Path, queries: list[BenchQuery], rounds: int = 1) -> dict:
    return measure_queries(search_function(index_dir), queries, rounds)


def page_render(index_dir: Path, queries: list[BenchQuery]) -> dict:
    """Time of the HTML search page `/` per query (search + template), via the test client."""
    from search_web import create_app

    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    client.get("/?" + queries[0].query_string())  # opens the index, as the first real request would
    timings, failures = [], 0
    for query in queries:
        started = time.perf_counter()
        response = client.get("/?" + query.query_string())
        timings.append((time.perf_counter() - started) * 1000)
        failures += response.status_code != 200
    return {**latency_summary(timings), "failures": failures}
