"""Baselines measured beside Amtsblick in the same run: stock Whoosh and SQLite FTS5."""

import time


def build_figures(
    count: int, started: float, cpu_started: float, commit_started: float, last_stage: str
) -> dict:
    """The build figures every system reports, from its timer readings."""
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "indexed": count,
        "docs_per_s": round(count / seconds, 1),
        "docs_per_cpu_s": round(count / cpu_seconds, 1),
        "stage_seconds": {
            "Lesen+Index": round(commit_started - started, 2),
            last_stage: round(time.perf_counter() - commit_started, 2),
        },
    }
