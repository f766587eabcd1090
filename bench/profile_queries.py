"""`python -m bench.profile_queries --index DIR`: where the slowest query kinds spend their time.

Times every kind of the query mix through the search service, then profiles the slowest
kinds (by p95) with cProfile and writes the top functions to bench/results/profile-KIND.txt.
With --py-spy it also records a flame graph (bench/results/profile-KIND.svg) with the
sampling profiler, which sees C extensions and costs the process almost nothing.
An index to profile: `python -m bench.run --work-dir /tmp/b --keep` leaves /tmp/b/index-amtsblick.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

from bench.amtsblick import search_function
from bench.latency import measure_queries
from bench.queries import DEFAULT_QUERIES, BenchQuery, load_queries
from bench.tasks import REPO

DEFAULT_OUT_DIR = REPO / "bench" / "results"


def slowest_kinds(search, queries: list[BenchQuery], count: int) -> list[tuple[str, dict]]:
    by_kind = measure_queries(search, queries)["by_kind"]
    return sorted(by_kind.items(), key=lambda item: -item[1]["p95_ms"])[:count]


def profile_kind(search, queries: list[BenchQuery], rounds: int, top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _round in range(rounds):
        for query in queries:
            search(query.params)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    text.write(f"{len(queries)} Anfragen × {rounds}\n\n=== nach Eigenzeit (tottime) ===\n")
    stats.sort_stats("tottime").print_stats(top)
    text.write("\n=== nach Gesamtzeit (cumulative) ===\n")
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def py_spy_flamegraph(index: Path, kind: str, queries_file: Path, rounds: int, out: Path) -> str:
    """Record the same queries in a child process with py-spy; returns py-spy's message."""
    binary = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    child = [
        sys.executable,
        "-m",
        "bench.profile_queries",
        "--index",
        str(index),
        "--queries",
        str(queries_file),
        "--only-kind",
        kind,
        "--rounds",
        str(rounds),
        "--no-profile",
    ]
    done = subprocess.run(
        [binary, "record", "--rate", "250", "--format", "flamegraph", "--output", str(out), "--", *child],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return f"py-spy fehlgeschlagen ({done.returncode}): {done.stderr.strip()[-500:]}"
    return f"Flammengrafik: {out}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile_queries", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--kinds", type=int, default=2, help="so viele der langsamsten Anfragearten")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument("--py-spy", action="store_true", help="zusätzlich eine py-spy-Flammengrafik")
    parser.add_argument("--only-kind", help=argparse.SUPPRESS)  # the py-spy child: just run the queries
    parser.add_argument("--no-profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    search = search_function(args.index)
    if args.no_profile:
        chosen = [q for q in queries if q.kind == args.only_kind]
        search(chosen[0].params)  # open the index outside the loop
        for _round in range(args.rounds):
            for query in chosen:
                search(query.params)
        return 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for kind, figures in slowest_kinds(search, queries, args.kinds):
        chosen = [q for q in queries if q.kind == kind]
        print(
            f"{kind}: p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms ({len(chosen)} Anfragen)"
        )
        report = profile_kind(search, chosen, args.rounds)
        out = args.out_dir / f"profile-{kind}.txt"
        out.write_text(report, encoding="utf-8")
        head = report.split("=== nach Gesamtzeit")[0].splitlines()
        print("\n".join(head[:40]))
        print(f"  cProfile: {out}")
        if args.py_spy:
            print(
                "  "
                + py_spy_flamegraph(
                    args.index, kind, args.queries, args.rounds, args.out_dir / f"profile-{kind}.svg"
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
