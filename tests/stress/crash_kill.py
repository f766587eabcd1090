"""Crash safety: kill -9 the indexer at random points during builds and updates.

After every kill the index must open, hold exactly the documents of its last successful commit (the
state before the killed run, or - if the kill came after its commit - the run's complete result), and
no stale lock may block the next run. A final run then completes with every document.

Short form (CI, through tests/test_stress_short.py): 20 kills in two lanes of 10 (one per core), after
one complete build and one complete update per lane that time the phases.
Long form, by hand from the repository root::

    .venv/bin/python -m tests.stress.crash_kill --kills 200 --seed 7

Every run is ``python -m indexer build --prune`` over one of two versions of the demo corpus, so the
complete result of a run is known (a reference build of each version). Each lane starts over in a
fresh folder every third kill, so kills land in first builds as well as in updates. Kill times are drawn
three ways: any time in the run, between the writer opening (its first files appear) and the commit, and
in the commit window (column, segment and TOC files are being written).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from indexer.build.build import build_index
from indexer.engine.storage import open_existing, stored_identities
from search_web.search import SearchRequest, SearchService

REPO = Path(__file__).resolve().parents[2]
DEMO_CORPUS = REPO / "corpus" / "demo.jsonl"
RUN_TIMEOUT = 300  # seconds: a run that does not finish is a failure, not a hang
KILL_MODES = ("any time", "writer open", "commit window")
TOC_NAME = re.compile(r"^_MAIN_(\d+)\.toc")  # also matches the temporary TOC, which has a suffix
State = dict[str, str]  # id -> content hash; None for "no index yet"


@dataclass
class Outcome:
    lane: int
    number: int
    phase: str  # "build" (fresh folder) or "update"
    mode: str
    fraction: float  # where in the phase the kill was aimed (0 = its start, 1 = the commit)
    result: str  # "old state kept", "new state committed", "finished before the kill"
    seen: dict[str, float] = field(default_factory=dict)  # phases seen before the kill, seconds


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)  # every attempt, killed or finished first
    failures: list[str] = field(default_factory=list)
    final_documents: int = 0
    seconds: float = 0.0

    @property
    def kills(self) -> int:
        return sum(o.result != "finished before the kill" for o in self.outcomes)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            key = f"{outcome.phase}/{outcome.result}"
            counts[key] = counts.get(key, 0) + 1
        lines = [f"{self.kills} kills ({len(self.outcomes)} attempts) in {self.seconds:.0f} s, final index: "
                 f"{self.final_documents} documents"]  # fmt: skip
        lines += [f"  {key}: {count}" for key, count in sorted(counts.items())]
        lines += [f"  FAILED: {failure}" for failure in self.failures]
        return "\n".join(lines)


def write_versions(folder: Path) -> tuple[Path, Path]:
    """Two inputs: v1 holds 30 demo announcements; v2 drops 10 of them, changes 10 and adds 10."""
    records = [json.loads(line) for line in DEMO_CORPUS.read_text(encoding="utf-8").splitlines() if line]
    v1 = records[:30]
    v2 = [dict(r, body=r["body"] + f"\n\nNachtrag {n}: Die Meldung wurde ergänzt.") for n, r in
          enumerate(records[10:20])] + records[20:40]  # fmt: skip
    paths = folder / "v1.jsonl", folder / "v2.jsonl"
    for path, version in zip(paths, (v1, v2), strict=True):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in version), encoding="utf-8")
    return paths


def indexer_command(index_dir: Path, source: Path) -> list[str]:
    return [sys.executable, "-m", "indexer", "build", "--quiet", "--prune", "--index", str(index_dir),
            str(source)]  # fmt: skip


def index_state(index_dir: Path) -> State | None:
    """The committed documents, or None if no index was ever created there."""
    try:
        idx = open_existing(index_dir)
    except FileNotFoundError:
        return None
    return {doc_id: identity.content_hash for doc_id, identity in stored_identities(idx).items()}


def check_opens_and_unlocked(index_dir: Path, state: State) -> list[str]:
    """The index opens for search, counts what it stores, and its write lock is free."""
    problems = []
    idx = open_existing(index_dir)
    if idx.doc_count() != len(state):
        problems.append(f"doc_count {idx.doc_count()} != {len(state)} stored ids")
    lock = idx.lock("WRITELOCK")
    if lock.acquire():
        lock.release()
    else:
        problems.append("write lock still held after the indexer died")
    if not state:  # searching an empty index: tests/test_stress_short.py covers it on its own
        return problems
    try:
        result = SearchService(index_dir).search(SearchRequest(q="Kreis"))
    except Exception as error:  # noqa: BLE001 - reported as a failure of this kill
        return [*problems, f"search failed: {error!r}"]
    if result["total"] == 0:
        problems.append("search for 'Kreis' found nothing in a non-empty index")
    return problems


def complete_run(index_dir: Path, source: Path) -> float:
    started = time.perf_counter()
    subprocess.run(indexer_command(index_dir, source), check=True, timeout=RUN_TIMEOUT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    return time.perf_counter() - started


def _files(index_dir: Path) -> set[str]:
    try:
        return set(os.listdir(index_dir))
    except FileNotFoundError:
        return set()


def _generation(names: set[str]) -> int:
    gens = [int(m.group(1)) for m in map(TOC_NAME.match, names) if m]
    return max(gens, default=-1)


def _marks(new: set[str], generation: int) -> set[str]:
    """Which phases of a run the files that appeared show: writer open, commit started, committed."""
    marks = set()
    if any(n.endswith((".trm", ".pst")) for n in new):
        marks.add("writer open")
    if any(n.endswith((".col", ".seg")) for n in new):
        marks.add("commit window")
    if _generation(new) > max(generation, 0):
        marks.add("committed")
    return marks


def run_and_kill(index_dir: Path, source: Path, mode: str | None, fraction: float, timing: dict[str, float]):
    """Start a run and SIGKILL it at `fraction` of the phase `mode`; mode None only observes.

    Returns (killed, exit code or None, {mark: seconds after start}) - the marks calibrate later kills.
    """
    before = _files(index_dir)
    generation = _generation(before)
    process = subprocess.Popen(indexer_command(index_dir, source), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    started = time.perf_counter()
    seen: dict[str, float] = {}
    trigger_at = started + fraction * timing["end"] if mode == "any time" else None
    while process.poll() is None:
        now = time.perf_counter()
        if now - started > RUN_TIMEOUT:
            process.kill()
            process.wait()
            raise TimeoutError(f"indexer did not finish within {RUN_TIMEOUT} s")
        for mark in _marks(_files(index_dir) - before, generation) - set(seen):
            seen[mark] = now - started
            if mark == mode:  # kill somewhere between this mark and the commit
                trigger_at = now + fraction * (timing["committed"] - timing[mode]) * 1.1
        if mode and trigger_at is not None and now >= trigger_at:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True, None, seen
        time.sleep(0.001)
    seen["end"] = time.perf_counter() - started
    return False, process.returncode, seen


def run_lane(lane: int, kills: int, seed: int, workdir: Path, versions: tuple[Path, Path],
             reference: dict[Path, State], report: Report) -> None:  # fmt: skip
    rng = random.Random(seed * 1000 + lane)
    folder = workdir / f"lane{lane}"
    folder.mkdir()
    # Calibration: one complete build and one complete update show when each phase starts here.
    timing: dict[str, dict[str, float]] = {}
    for phase, source in (("build", versions[0]), ("update", versions[1])):
        _killed, code, seen = run_and_kill(folder / "calibration", source, None, 0.0, {})
        if code != 0 or {"writer open", "commit window", "committed", "end"} - set(seen):
            report.failures.append(f"lane {lane}: calibration {phase} exited {code}, phases seen: {seen}")
            return
        timing[phase] = seen

    index_dir, state, killed_runs = folder / "index0", None, 0
    for number in range(2 * kills):  # a run may finish before its kill: try again, within bounds
        if killed_runs >= kills:
            break
        if number % 3 == 0:  # start over: this kill lands in a first build
            index_dir, state = folder / f"index{number}", None
        elif not state:  # every kill so far hit the first build: commit one, so this is an update
            complete_run(index_dir, versions[0])
            state = index_state(index_dir)
        phase = "build" if not state else "update"
        source = versions[0] if state in (None, reference[versions[1]]) else versions[1]
        mode, fraction = rng.choice(KILL_MODES), rng.random()
        where = f"lane {lane} #{number} ({phase}, {mode}, at {fraction:.2f})"
        try:
            killed, code, _seen = run_and_kill(index_dir, source, mode, fraction, timing[phase])
        except TimeoutError as error:
            report.failures.append(f"{where}: {error}")
            return
        if not killed and code != 0:
            report.failures.append(f"{where}: run exited with {code} (stale lock?)")
            return
        killed_runs += killed
        after = index_state(index_dir)
        if after is None:
            if state is not None:
                report.failures.append(f"{where}: the index no longer opens")
                return
            result = "old state kept"  # killed before the first build created the index
        else:
            if after == reference[source]:
                result = "new state committed" if killed else "finished before the kill"
            elif after == (state or {}):
                result = "old state kept"
            else:
                same_ids = set(after) in (set(reference[source]), set(state or {}))
                hint = " (same ids, other hashes: did code or data change meanwhile?)" if same_ids else ""
                report.failures.append(f"{where}: {len(after)} documents match neither the last commit "
                                       f"({len(state or {})}) nor the run's result{hint}")  # fmt: skip
                return
            report.failures += [f"{where}: {p}" for p in check_opens_and_unlocked(index_dir, after)]
            state = after
        report.outcomes.append(Outcome(lane, number, phase, mode, round(fraction, 3), result, _seen))

    # A final, uninterrupted run completes with every document.
    try:
        complete_run(index_dir, versions[1])
    except subprocess.CalledProcessError as error:
        report.failures.append(f"lane {lane}: final run failed: {error.stderr.decode()[-500:]}")
        return
    final = index_state(index_dir) or {}
    if final != reference[versions[1]]:
        report.failures.append(f"lane {lane}: final run holds {len(final)} documents, expected "
                               f"{len(reference[versions[1]])}")  # fmt: skip
    report.final_documents = len(final)


def reference_states(versions: tuple[Path, Path], folder: Path) -> dict[Path, State]:
    """The complete result of each version, built in this process (same pipeline, same hashes)."""
    reference = {}
    for number, source in enumerate(versions):
        build_index(folder / f"reference{number}", [str(source)], prune=True, show_progress=False)
        reference[source] = index_state(folder / f"reference{number}") or {}
        ids = {json.loads(line)["id"] for line in source.read_text(encoding="utf-8").splitlines()}
        assert set(reference[source]) == ids, f"reference build of {source.name} is incomplete"
    return reference


def run(kills: int = 20, lanes: int = 2, seed: int = 1, workdir: Path | None = None) -> Report:
    """Kill the indexer `kills` times, spread over parallel lanes (each its own index folder)."""
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crash-kill-") as tmp:
        base = workdir or Path(tmp)
        versions = write_versions(base)
        reference = reference_states(versions, base)
        per_lane = [kills // lanes + (1 if lane < kills % lanes else 0) for lane in range(lanes)]
        with ThreadPoolExecutor(max_workers=lanes) as pool:
            futures = [pool.submit(run_lane, lane, n, seed, base, versions, reference, report)
                       for lane, n in enumerate(per_lane)]  # fmt: skip
            for future in futures:
                future.result()
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--lanes", type=int, default=2, help="parallel index folders (default: 2 cores)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="print every kill")
    args = parser.parse_args(argv)
    report = run(args.kills, args.lanes, args.seed)
    if args.verbose:
        for o in report.outcomes:
            print(f"lane {o.lane} #{o.number}: {o.phase}, {o.mode} at {o.fraction:.2f}: {o.result} {o.seen}")
    print(report.summary())
    return 1 if report.failures or report.kills < args.kills else 0


if __name__ == "__main__":
    sys.exit(main())
