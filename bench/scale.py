"""`python -m bench.scale`: how build time, index size, memory and latency grow with the corpus.

One Amtsblick index grows through the sizes (default 10,000, the whole shared corpus and
250,000 documents): documents are added in slices of at most --chunk documents, each slice
one `build_index` run in its own process (one commit each, as a daily update would do).
At each size the index is measured: size on disk, query latency over the mix, and (unless
--http-seconds 0) HTTP throughput and worker memory under 16 clients. The two baselines are
built from scratch at each size for comparison (they are fast), measured, and deleted.

Beyond the shared corpus the documents come from the synthetic enlargement described in
bench/corpus.py (copies with new ids, dates shifted by whole years), written at run time
into the work folder (default: $TMPDIR/amtsblick-scale), never into the repository.

Long-running and resumable: every finished slice and measurement is saved in
WORK/state.json at once; run the same command again after an interruption and it goes on
where it stopped (an interrupted slice is redone: a build commits at the end or not at all).
`touch WORK/PAUSE` holds it between two steps. Run it in the background:

    nohup .venv/bin/python -m bench.scale > bench/results/scale.log 2>&1 &

`--max-docs 20000` draws a small curve (sizes above it are dropped) for a quick look.
CI does not run this.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import CorpusMissing, interleaved_lines, shared_corpus_files, write_slice
from bench.http_load import load_test
from bench.queries import DEFAULT_QUERIES, load_queries, spread_subset
from bench.run import directory_mb, machine_state
from bench.tasks import REPO, run_task

DEFAULT_SIZES = "10000,all,250000"
DEFAULT_OUT = REPO / "bench" / "results" / "scale.json"
BASELINES = ("whoosh_stock", "sqlite_fts5")


def plan_slices(sizes: list[int], chunk: int) -> list[tuple[int, int]]:
    """(start, end) of every slice: at most `chunk` documents, with a boundary at every size."""
    slices, start = [], 0
    for size in sizes:
        while start < size:
            end = min(size, start + chunk)
            slices.append((start, end))
            start = end
    return slices


def wait_while_paused(work: Path, log) -> None:
    """`touch WORK/PAUSE` holds the run between two steps (to measure something else on a quiet
    machine without the pause landing inside a timed build); removing it lets the run go on."""
    if (work / "PAUSE").exists():
        log(f"angehalten: {work / 'PAUSE'} entfernen, um fortzufahren")
        while (work / "PAUSE").exists():
            time.sleep(10)
        log("fortgesetzt")


def slice_path(work: Path, start: int, end: int) -> Path:
    return work / "input" / f"{start:07d}-{end:07d}.jsonl"


def resolve_sizes(text: str, corpus_docs: int, max_docs: int | None) -> list[int]:
    sizes = sorted({corpus_docs if part.strip() == "all" else int(part) for part in text.split(",")})
    if max_docs is not None:
        sizes = [size for size in sizes if size <= max_docs] or [max_docs]
    return sizes


class State:
    """WORK/state.json: the plan and every result so far, written after each step."""

    def __init__(self, path: Path, plan: dict):
        self.path = path
        if path.is_file():
            self.data = json.loads(path.read_text(encoding="utf-8"))
            if self.data["plan"] != plan:
                raise SystemExit(
                    f"{path} gehört zu einem anderen Plan ({self.data['plan']}); "
                    "anderes --work-dir wählen oder den Ordner löschen."
                )
        else:
            self.data = {"plan": plan, "slices": {}, "points": {}}

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.path)


def measure_point(size: int, state: State, work: Path, args: argparse.Namespace, log) -> None:
    point = state.data["points"].setdefault(str(size), {})
    bounds = [(s, e) for s, e in plan_slices(state.data["plan"]["sizes"], args.chunk) if e <= size]
    slices = [state.data["slices"][f"{s}-{e}"] for s, e in bounds]
    index_dir = work / "index-amtsblick"
    if "amtsblick" not in point:
        build_seconds = sum(s["seconds"] for s in slices)
        last = slices[-1]
        query = run_task("query", _query_args("amtsblick", index_dir, args))
        point["amtsblick"] = {
            "docs": size,
            "index_mb": directory_mb(index_dir),
            "build_seconds_total": round(build_seconds, 1),
            "docs_per_s_total": round(size / build_seconds, 1),
            "docs_per_s_last_slice": last["docs_per_s"],
            "build_cpu_seconds_total": round(sum(s["cpu_seconds"] for s in slices), 1),
            "docs_per_cpu_s_total": round(size / sum(s["cpu_seconds"] for s in slices), 1),
            "indexer_peak_rss_mb": max(s["peak_rss_mb"] for s in slices),
            "indexer_peak_private_mb": max(s.get("peak_private_mb", 0.0) for s in slices) or None,
            "query": _query_figures(query),
        }
        state.save()
        log(f"{size}: Amtsblick gemessen (p95 {query['p95_ms']} ms)")
    wait_while_paused(work, log)
    if args.http_seconds > 0 and "http" not in point["amtsblick"]:
        queries = spread_subset(load_queries(args.queries), args.max_queries)
        http = load_test(index_dir, queries, work, seconds=args.http_seconds)
        point["amtsblick"]["http"] = {
            key: http[key]
            for key in (
                "req_per_s",
                "errors",
                "client",
                "server",
                "worker_peak_rss_mb",
                "worker_private_mb",
                "worker_cpu_ms_per_request",
                "idle_capacity_req_per_s",
            )
        }
        state.save()
        log(f"{size}: HTTP {http['req_per_s']} Anfragen/s")
    for system in BASELINES:
        if system in args.skip or system in point:
            continue
        wait_while_paused(work, log)
        baseline_dir = work / f"index-{system}"
        shutil.rmtree(baseline_dir, ignore_errors=True)
        inputs = [str(slice_path(work, s, e)) for s, e in bounds]
        build = run_task("build", {"system": system, "index": str(baseline_dir), "inputs": inputs})
        query = run_task("query", _query_args(system, baseline_dir, args))
        point[system] = {
            "docs": size,
            "index_mb": directory_mb(baseline_dir),
            "build_seconds_total": build["seconds"],
            "docs_per_s_total": build["docs_per_s"],
            "build_cpu_seconds_total": build["cpu_seconds"],
            "docs_per_cpu_s_total": build["docs_per_cpu_s"],
            "indexer_peak_rss_mb": build["peak_rss_mb"],
            "indexer_peak_private_mb": build["peak_private_mb"],
            "query": _query_figures(query),
        }
        shutil.rmtree(baseline_dir, ignore_errors=True)
        state.save()
        log(f"{size}: {system} gemessen")


def _query_args(system: str, index_dir: Path, args: argparse.Namespace) -> dict:
    return {
        "system": system,
        "index": str(index_dir),
        "queries": str(args.queries),
        "max_queries": args.max_queries,
        "rounds": 1,
    }


def _query_figures(query: dict) -> dict:
    keys = (
        "cold_ms",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "cpu_p50_ms",
        "cpu_p95_ms",
        "cpu_p99_ms",
        "queries_with_hits",
        "peak_rss_mb",
        "peak_private_mb",
    )
    figures = {key: query[key] for key in keys}
    figures["p95_by_kind"] = {kind: entry["p95_ms"] for kind, entry in query["by_kind"].items()}
    return figures


def curve_table(points: dict) -> str:
    nan = float("nan")
    lines = [
        "Dokumente  System            Aufbau s  Dok./s  Index MB  RSS Idx MB  p50 ms  p95 ms  "
        "RSS Suche MB  HTTP/s  RSS Worker MB"
    ]
    for size in sorted(points, key=int):
        for system, figures in points[size].items():
            http = figures.get("http", {})
            lines.append(
                f"{int(size):>9}  {system:<16}  {figures['build_seconds_total']:>8.0f}  "
                f"{figures['docs_per_s_total']:>6.0f}  {figures['index_mb']:>8.0f}  "
                f"{figures['indexer_peak_rss_mb']:>10.0f}  {figures['query']['p50_ms']:>6.1f}  "
                f"{figures['query']['p95_ms']:>6.1f}  {figures['query']['peak_rss_mb']:>12.0f}  "
                f"{http.get('req_per_s', nan):>6.1f}  {http.get('worker_peak_rss_mb') or nan:>13.0f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="kommagetrennt; 'all' = das ganze Korpus")
    parser.add_argument("--max-docs", type=int, default=None, help="größere Stufen weglassen")
    parser.add_argument("--chunk", type=int, default=50_000, help="Dokumente je Aufbau-Lauf")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--max-queries", type=int, default=None)
    parser.add_argument("--http-seconds", type=float, default=20.0, help="0 = ohne HTTP-Messung")
    parser.add_argument("--skip", default="", help="kommagetrennt: whoosh_stock, sqlite_fts5")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "amtsblick-scale")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.skip = {part.strip() for part in args.skip.split(",") if part.strip()}

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    lines = interleaved_lines(shared_corpus_files())
    if not lines:
        print(f"Fehler: {CorpusMissing()}", file=sys.stderr)
        return 2
    sizes = resolve_sizes(args.sizes, len(lines), args.max_docs)
    plan = {"sizes": sizes, "chunk": args.chunk, "corpus_docs": len(lines)}
    args.work_dir.mkdir(parents=True, exist_ok=True)
    state = State(args.work_dir / "state.json", plan)
    state.data.setdefault("machine", []).append(machine_state())
    log(f"Stufen {sizes}, Scheiben zu höchstens {args.chunk}, Arbeitsordner {args.work_dir}")

    slices = plan_slices(sizes, args.chunk)
    for start, end in slices:
        key = f"{start}-{end}"
        wait_while_paused(args.work_dir, log)
        if key not in state.data["slices"]:
            path = slice_path(args.work_dir, start, end)
            if not path.is_file():
                write_slice(path, lines, start, end)
            log(f"Aufbau Dokumente {start}–{end} …")
            build = run_task(
                "build",
                {
                    "system": "amtsblick",
                    "index": str(args.work_dir / "index-amtsblick"),
                    "inputs": [str(path)],
                },
            )
            state.data["slices"][key] = build
            state.save()
            log(
                f"  {build['indexed']} Dokumente in {build['seconds']:.0f} s ({build['docs_per_s']} Dok./s), "
                f"RSS {build['peak_rss_mb']} MB"
            )
        if end in sizes:
            measure_point(end, state, args.work_dir, args, log)

    state.data["machine"].append(machine_state())
    state.save()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(state.data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(curve_table(state.data["points"]))
    print(f"JSON: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
