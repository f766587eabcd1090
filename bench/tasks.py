"""One measurement in its own process, so its peak RSS is its own.

`python -m bench.tasks TASK '{"json": "arguments"}'` runs one task and prints its
result as one JSON line, with the process's peak RSS (VmHWM) added. `run.py` and
`scale.py` call every build and every query run like this.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import PrivatePeak, own_peak_rss_mb
from bench.queries import load_queries, spread_subset

REPO = Path(__file__).resolve().parent.parent
SYSTEMS = ("amtsblick", "whoosh_stock", "sqlite_fts5")


def _system_module(system: str):
    if system == "amtsblick":
        from bench import amtsblick as module
    elif system == "whoosh_stock":
        from bench.baselines import whoosh_stock as module
    elif system == "sqlite_fts5":
        from bench.baselines import sqlite_fts as module
    else:
        raise ValueError(f"unbekanntes System '{system}' (erwartet: {', '.join(SYSTEMS)})")
    return module


def task_build(args: dict) -> dict:
    module = _system_module(args["system"])
    index_dir = Path(args["index"])
    if args["system"] == "amtsblick":
        return module.build(index_dir, [str(p) for p in args["inputs"]])
    return module.build(index_dir, [Path(p) for p in args["inputs"]])


def task_query(args: dict) -> dict:
    from bench.latency import measure_queries

    module = _system_module(args["system"])
    queries = spread_subset(load_queries(Path(args["queries"])), args.get("max_queries"))
    result = measure_queries(module.search_function(Path(args["index"])), queries, args.get("rounds", 1))
    result["peak_rss_mb_after_queries"] = own_peak_rss_mb()
    if args.get("render") and args["system"] == "amtsblick":
        result["render"] = module.page_render(Path(args["index"]), queries)
    return result


TASKS = {"build": task_build, "query": task_query}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    name, args = argv[0], json.loads(argv[1])
    started = time.perf_counter()
    with PrivatePeak() as private:
        result = TASKS[name](args)
    result["task_seconds"] = round(time.perf_counter() - started, 2)
    result["peak_rss_mb"] = own_peak_rss_mb()
    result["peak_private_mb"] = round(private.peak_mb, 1)  # RssAnon: without the mapped index files
    print(json.dumps(result, ensure_ascii=False))
    return 0


def run_task(name: str, args: dict, timeout: float | None = None) -> dict:
    """Run a task in a fresh interpreter; adds `process_seconds` (start-up and imports included)."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.tasks", name, json.dumps(args, default=str)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        },
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench task {name} {args.get('system')} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    return result


if __name__ == "__main__":
    sys.exit(main())
