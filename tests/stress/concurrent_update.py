"""Concurrent update: searches in other processes while an update commits.

Two searcher processes loop over queries through ``search_web.search.SearchService`` (one service per
process, reused, so it reopens the index when a commit lands, as the web app does), while
``python -m indexer build --prune`` switches the live index between two versions of the demo corpus.
Every answer must come from either the old or the new index: no error, and for every query exactly the
total that one of the two versions gives (all queries match in both, so never an empty result).

Short form (CI, through tests/test_stress_short.py): 2 updates (v1 -> v2 -> v1). Long form::

    .venv/bin/python -m tests.stress.concurrent_update --updates 20
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.build.build import build_index
from search_web.search import SearchRequest, SearchService

REPO = Path(__file__).resolve().parents[2]
DEMO_CORPUS = REPO / "corpus" / "demo.jsonl"
QUERIES = ["Kreis", "Hermeskeil", "Polizei", "Jugendhilfe", "Konz", "Schule", "Landrat", "Saarburg"]
SEARCHERS = 2
UPDATE_TIMEOUT = 300


@dataclass
class Report:
    updates: int = 0
    searches: int = 0
    by_version: Counter = field(default_factory=Counter)  # "old", "new", "both" (same total in both)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"{self.updates} updates, {self.searches} searches in {SEARCHERS} processes in "
                 f"{self.seconds:.0f} s; answers by version: {dict(self.by_version)}"]  # fmt: skip
        lines += [f"  FAILED: {failure}" for failure in self.failures[:20]]
        return "\n".join(lines)


def write_versions(folder: Path) -> tuple[Path, Path]:
    """v1: 45 demo announcements; v2: 10 bodies changed, 5 announcements gone, 10 new ones."""
    lines = DEMO_CORPUS.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line][:45]
    changed = [dict(r, body=r["body"] + "\n\nNachtrag: Die Meldung wurde ergänzt.") for r in records[:10]]
    new = [dict(r, id=r["id"] + "-neu", title="Neu: " + r["title"], url=r["url"] + "-neu",
                body="Folgemeldung. " + r["body"]) for r in records[20:30]]  # fmt: skip
    v2 = changed + records[10:-5] + new
    paths = folder / "v1.jsonl", folder / "v2.jsonl"
    for path, version in zip(paths, (records, v2), strict=True):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in version), encoding="utf-8")
    return paths


def totals(index_dir: Path) -> dict[str, int]:
    service = SearchService(index_dir)
    return {q: service.search(SearchRequest(q=q))["total"] for q in QUERIES}


def search_loop(index_dir: str, stop, ready, results) -> None:
    """One searcher process: search until told to stop; report (query, total) counts and errors."""
    service = SearchService(Path(index_dir))
    seen: Counter = Counter()
    errors: list[str] = []
    ready.set()
    while not stop.is_set():
        for query in QUERIES:
            try:
                seen[(query, service.search(SearchRequest(q=query))["total"])] += 1
            except Exception:  # noqa: BLE001 - every error is what this test looks for
                errors.append(traceback.format_exc(limit=6))
    results.put((dict(seen), errors[:20], len(errors)))


def run(updates: int = 2, workdir: Path | None = None) -> Report:
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="concurrent-update-") as tmp:
        base = workdir or Path(tmp)
        versions = write_versions(base)
        live, reference = base / "live", base / "reference"
        build_index(live, [str(versions[0])], prune=True, show_progress=False)
        build_index(reference, [str(versions[1])], prune=True, show_progress=False)
        expected = [totals(live), totals(reference)]

        context = multiprocessing.get_context("spawn")
        stop, results = context.Event(), context.Queue()
        readies = [context.Event() for _ in range(SEARCHERS)]
        workers = [context.Process(target=search_loop, args=(str(live), stop, ready, results))
                   for ready in readies]  # fmt: skip
        for worker in workers:
            worker.start()
        try:
            for ready in readies:
                if not ready.wait(timeout=120):
                    raise TimeoutError("a searcher process did not start")
            time.sleep(0.5)  # searches on the old index first
            for number in range(updates):
                source = versions[(number + 1) % 2]
                subprocess.run([sys.executable, "-m", "indexer", "build", "--quiet", "--prune", "--index",
                                str(live), str(source)], check=True, timeout=UPDATE_TIMEOUT,
                               stdout=subprocess.DEVNULL)  # fmt: skip
                report.updates += 1
                time.sleep(0.5)  # and on the new index after each commit
        finally:
            stop.set()
            collected = [results.get(timeout=120) for _ in workers]
            for worker in workers:
                worker.join(timeout=30)
    report.seconds = time.perf_counter() - started
    check(report, collected, expected)
    return report


def check(report: Report, collected: list, expected: list[dict[str, int]]) -> None:
    old, new = expected
    for query in QUERIES:
        if not (old[query] and new[query]):
            report.failures.append(f"'{query}' must match in both versions ({old[query]}, {new[query]})")
    for seen, errors, error_count in collected:
        report.failures += [f"search error ({error_count} in one process):\n{e}" for e in errors[:3]]
        for (query, total), count in seen.items():
            report.searches += count
            if total not in (old[query], new[query]):
                report.failures.append(f"'{query}': total {total} is neither old {old[query]} nor new "
                                       f"{new[query]} ({count} times)")  # fmt: skip
            elif old[query] == new[query]:
                report.by_version["both"] += count
            else:
                report.by_version["old" if total == old[query] else "new"] += count
    if report.updates and not (report.by_version["old"] and report.by_version["new"]):
        report.failures.append(f"searches did not see both versions: {dict(report.by_version)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=2)
    args = parser.parse_args(argv)
    report = run(args.updates)
    print(report.summary())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
