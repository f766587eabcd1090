"""Latency summaries: percentiles by the nearest-rank method, in milliseconds."""

from __future__ import annotations

import math
from collections import defaultdict


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct % of values at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(ms: list[float]) -> dict:
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else math.nan,
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else math.nan,
    }


def by_kind(samples: list[tuple[str, float]]) -> dict[str, dict]:
    """Latency summary per query kind, from (kind, ms) pairs."""
    groups: dict[str, list[float]] = defaultdict(list)
    for kind, ms in samples:
        groups[kind].append(ms)
    return {kind: latency_summary(values) for kind, values in groups.items()}
