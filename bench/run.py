"""`python -m bench.run`: every benchmark figure of Amtsblick beside two baselines, in one run.

All three systems index the same documents (the first --docs of the benchmark order,
bench/corpus.py) and answer the same queries (bench/data/queries.txt) in the same run,
so the ratios hold on a noisy machine. Each build and each query run is its own process
(bench/tasks.py) so that its peak RSS is its own. Prints a table, writes JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import CorpusMissing, write_sample
from bench.http_load import load_test
from bench.queries import DEFAULT_QUERIES, load_queries, spread_subset
from bench.report import check_targets, kind_table, table, target_lines
from bench.tasks import REPO, SYSTEMS, run_task

DEFAULT_OUT = REPO / "bench" / "results" / "latest.json"
SKIPPABLE = ("whoosh_stock", "sqlite_fts5", "rerun", "render", "http")


def directory_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def machine_state() -> dict:
    return {
        "cpus": os.cpu_count(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_state() -> dict:
    """The commit measured and whether the work tree had changes (read-only git calls)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def run_system(system: str, sample: Path, work_dir: Path, args: argparse.Namespace, log) -> dict:
    index_dir = work_dir / f"index-{system}"
    shutil.rmtree(index_dir, ignore_errors=True)  # a kept --work-dir must not turn the build into a re-run
    build_args = {"system": system, "index": str(index_dir), "inputs": [str(sample)]}
    log(f"{system}: Aufbau …")
    build = run_task("build", build_args)
    result: dict = {"build": build, "index_mb": directory_mb(index_dir)}
    memory = {
        "indexer_peak_rss_mb": build["peak_rss_mb"],
        "indexer_peak_private_mb": build["peak_private_mb"],
    }
    if system == "amtsblick" and "rerun" not in args.skip:
        log(f"{system}: erneuter Lauf ohne Änderungen …")
        rerun = run_task("build", build_args)
        rerun["ratio_to_build"] = round(rerun["seconds"] / build["seconds"], 4) if build["seconds"] else None
        rerun["process_ratio_to_build"] = round(rerun["process_seconds"] / build["process_seconds"], 4)
        result["rerun"] = rerun
    log(f"{system}: Anfragen …")
    query = run_task(
        "query",
        {
            "system": system,
            "index": str(index_dir),
            "queries": str(args.queries),
            "max_queries": args.max_queries,
            "rounds": args.rounds,
            "render": system == "amtsblick" and "render" not in args.skip,
        },
    )
    render = query.pop("render", None)
    if render:
        result["render"] = render
    memory["search_peak_rss_mb"] = query["peak_rss_mb_after_queries"]
    memory["search_peak_private_mb"] = query["peak_private_mb"]
    result["query"] = query
    if system == "amtsblick" and "http" not in args.skip:
        log(f"{system}: HTTP mit {args.clients} Clients für {args.http_seconds:.0f} s …")
        queries = spread_subset(load_queries(args.queries), args.max_queries)
        http = load_test(
            index_dir,
            queries,
            work_dir,
            clients=args.clients,
            seconds=args.http_seconds,
            warmup_seconds=min(5.0, args.http_seconds / 2),
            workers=args.workers,
            threads=args.threads,
        )
        result["http"] = http
        memory["web_worker_peak_rss_mb"] = http["worker_peak_rss_mb"]
        memory["web_worker_private_mb"] = http["worker_private_mb"]
    result["memory"] = memory
    return result


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=None, help="erste N Dokumente (Standard: alle)")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--max-queries", type=int, default=None, help="höchstens N Anfragen, über alle Arten")
    parser.add_argument("--rounds", type=int, default=1, help="Durchläufe der Anfragemischung")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--skip", default="", help=f"kommagetrennt, aus: {', '.join(SKIPPABLE)} (oder 'baselines')"
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--http-seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn-Worker (Standard: serve.sh)")
    parser.add_argument("--threads", type=int, default=None, help="Threads je Worker (Standard: serve.sh)")
    parser.add_argument("--work-dir", type=Path, default=None, help="Arbeitsordner (Standard: temporär)")
    parser.add_argument("--keep", action="store_true", help="Arbeitsordner mit den Indizes behalten")
    parser.add_argument("--quiet", action="store_true")
    return parser


def parse_skip(text: str) -> set[str]:
    skip = {part.strip() for part in text.split(",") if part.strip()}
    if "baselines" in skip:
        skip |= {"whoosh_stock", "sqlite_fts5"}
        skip.discard("baselines")
    unknown = skip - set(SKIPPABLE)
    if unknown:
        raise SystemExit(f"--skip: unbekannt {', '.join(sorted(unknown))} (erlaubt: {', '.join(SKIPPABLE)})")
    return skip


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    args.skip = parse_skip(args.skip)

    def log(message: str) -> None:
        if not args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="amtsblick-bench-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        sample = work_dir / "corpus.jsonl"
        try:
            docs = write_sample(sample, args.docs)
        except CorpusMissing as error:
            print(f"Fehler: {error}", file=sys.stderr)
            return 2
        queries = spread_subset(load_queries(args.queries), args.max_queries)
        log(f"{docs} Dokumente, {len(queries)} Anfragen, Arbeitsordner {work_dir}")
        report = {
            "meta": {
                "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "docs": docs,
                "queries": len(queries),
                "query_file": str(args.queries),
                "rounds": args.rounds,
                "skipped": sorted(args.skip),
                "machine_before": machine_state(),
                **git_state(),
            },
            "systems": {},
        }
        for system in SYSTEMS:
            if system not in args.skip:
                report["systems"][system] = run_system(system, sample, work_dir, args, log)
        report["meta"]["machine_after"] = machine_state()
        report["meta"]["seconds"] = round(time.perf_counter() - started, 1)
        report["meta"]["pipeline"] = report["systems"]["amtsblick"]["build"].get("pipeline")
        report["targets"] = check_targets(report["systems"]["amtsblick"])
    finally:
        if not args.keep and args.work_dir is None:
            shutil.rmtree(work_dir, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    load = f"{report['meta']['machine_before']['loadavg']} / {report['meta']['machine_after']['loadavg']}"
    print(f"{docs} Dokumente, {len(queries)} Anfragen × {args.rounds}, Last vorher/nachher {load}")
    print(table(report["systems"]))
    print()
    print(kind_table(report["systems"]))
    print()
    print("Ziele (gelten für das ganze geteilte Korpus):")
    print("\n".join(target_lines(report["targets"])))
    print(f"JSON: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
