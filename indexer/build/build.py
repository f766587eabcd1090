"""Build or update an index: read sources, run NLP on what changed, write, commit.

Everything becomes visible in one commit at the end, so an interrupted run
leaves the index exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from tqdm import tqdm

from indexer.build.workers import Job, describe_failure, resilient_pipe, run_chunks
from indexer.engine.duplicates import body_fingerprint
from indexer.engine.schema import IndexDocument
from indexer.engine.storage import (
    StoredIdentity,
    create_replacement,
    document_count,
    needs_new_schema,
    open_or_create,
    stored_identities,
)
from indexer.engine.swap import carry_over, remove_leftovers, sibling, swap_in
from indexer.engine.writing import IndexWriter
from indexer.enrich.nlp_cache import NlpCache, nlp_key
from indexer.enrich.pipeline import (
    DocumentNlp,
    build_pipeline,
    make_doc,
    pipeline_description,
    pipeline_fingerprint,
)
from indexer.gazetteer import Gazetteer, default_gazetteer
from indexer.ingest.crawl import CrawlOptions
from indexer.ingest.inputs import expand_inputs, read_inputs
from indexer.model import Announcement, InputError
from indexer.text.analysis import ANALYSIS_VERSION

PLACE_FACET_LEVELS = ("municipality", "ortsteil", "world")


@dataclass
class BuildSummary:
    pipeline: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[InputError] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (id, id of the copy kept)
    from_cache: int = 0  # analyses taken from the NLP cache instead of running the pipeline
    unanalysed: list[tuple[str, str]] = field(default_factory=list)  # (id, error): indexed without entities
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return self.indexed + self.unchanged + len(self.duplicates)

    @property
    def indexed(self) -> int:
        return self.added + self.updated

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        lines = [f"  Fehler: {error}" for error in self.errors[:50]]
        if len(self.errors) > 50:
            lines.append(f"  … und {len(self.errors) - 50} weitere Fehler")
        lines += [f"  Duplikat: {dup} = {kept} (gleicher Text oder gleiche Adresse)" for dup, kept in
                  self.duplicates[:10]]  # fmt: skip
        if len(self.duplicates) > 10:
            lines.append(f"  … und {len(self.duplicates) - 10} weitere Duplikate")
        lines += [f"  Sprachanalyse fehlgeschlagen: id '{doc_id[:80]}' ({error}) — ohne Orte, Organisationen "
                  "und Themen indexiert, der Text ist suchbar; bitte melden (docs/operations.md, "
                  "\"Sprachanalyse fehlgeschlagen\")" for doc_id, error in self.unanalysed[:10]]  # fmt: skip
        if len(self.unanalysed) > 10:
            lines.append(f"  … und {len(self.unanalysed) - 10} weitere Dokumente ohne Sprachanalyse")
        lines += [
            f"Pipeline: {self.pipeline}",
            f"Dokumente: {self.added} neu, {self.updated} geändert, {self.unchanged} unverändert, "
            f"{self.removed} entfernt, {len(self.duplicates)} Duplikate, {len(self.errors)} fehlerhaft",
            f"Zeit: {self.seconds:.1f} s, {self.docs_per_second:.0f} Dok./s"
            + (f" ({self.from_cache} Analysen aus dem NLP-Cache)" if self.from_cache else ""),
        ]
        if self.stage_seconds:
            lines.append("Stufen: " + ", ".join(self._stage(name, secs) for name, secs in
                                               self.stage_seconds.items()))  # fmt: skip
        return lines

    def _stage(self, name: str, seconds: float) -> str:
        """A stage's time and rate; NLP and Index are CPU seconds summed over the worker processes."""
        docs = self.read if name == "Lesen" else self.indexed
        if name in ("NLP", "Index"):
            name += " (CPU)"
        rate = f" ({docs / seconds:.0f} Dok./s)" if seconds >= 0.05 and docs else ""
        return f"{name} {seconds:.1f} s{rate}"


def content_hash(announcement: Announcement, pipeline: str) -> str:
    """Changes when the text, the NLP pipeline or its data change: each triggers re-analysis."""
    payload = json.dumps(
        [announcement.title, announcement.body, str(announcement.date), announcement.url,
         announcement.source, pipeline, ANALYSIS_VERSION],
        ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def place_hierarchy(keys: list[str], gazetteer: Gazetteer) -> tuple[list[str], dict[str, list[str]]]:
    """Split mentioned places into the facet levels, adding every ancestor."""
    places: set[str] = set()
    levels: dict[str, set[str]] = {"verband": set(), "district": set(), "state": set()}
    for key in keys:
        place = gazetteer.by_key.get(key) or gazetteer.parent_of_unlisted(key)
        if place is None:
            places.add(key)  # a name kept unresolved: no hierarchy to add
            continue
        if place.key != key:
            places.add(key)  # "Sedlitz (Senftenberg)": a locality found by context, under its town
        for level, value in place.ancestors().items():
            if level in PLACE_FACET_LEVELS:
                places.add(value)
            else:
                levels[level].add(value)
    return sorted(places), {level: sorted(values) for level, values in levels.items()}


def to_index_document(
    announcement: Announcement, nlp: DocumentNlp, digest: str, gazetteer: Gazetteer, body_hash: str = ""
) -> IndexDocument:
    places, hierarchy = place_hierarchy(nlp.places, gazetteer)
    return IndexDocument(
        id=announcement.id,
        title=announcement.title,
        body=announcement.body,
        date=announcement.date,
        url=announcement.url,
        source=announcement.source,
        places=places,
        orgs=nlp.orgs,
        topics=[label for _id, label, _terms in nlp.topics],
        hierarchy=hierarchy,
        details={"topics": nlp.topics, "entities": nlp.entities},
        content_hash=digest,
        body_hash=body_hash,
    )


def build_index(
    index_dir: Path,
    inputs: list[str],
    *,
    prune: bool = False,
    batch_size: int = 64,
    workers: int = 1,
    show_progress: bool = True,
    crawl: CrawlOptions | None = None,
) -> BuildSummary:
    """Index the inputs into index_dir; URLs among them are crawled with `crawl`."""
    started = time.perf_counter()
    nlp = build_pipeline()
    summary = BuildSummary(pipeline=pipeline_description(nlp))
    fingerprint = pipeline_fingerprint(nlp)
    gazetteer = default_gazetteer()
    remove_leftovers(index_dir)
    if not needs_new_schema(index_dir):
        idx = open_or_create(index_dir)
        return _build(idx, index_dir, inputs, summary, (nlp, fingerprint, gazetteer), prune,
                      (batch_size, workers, show_progress), started, crawl=crawl)  # fmt: skip
    # A new schema: build beside the live index, which searches keep using until the swap.
    build_dir = sibling(index_dir)
    idx, old_lock = create_replacement(index_dir, build_dir)
    try:
        _build(idx, build_dir, inputs, summary, (nlp, fingerprint, gazetteer), prune,
               (batch_size, workers, show_progress), started, cache_dir=index_dir, crawl=crawl)  # fmt: skip
        carry_over(index_dir, build_dir)  # NLP and crawl caches
        swap_in(build_dir, index_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    finally:
        old_lock.release()
    return summary


def _build(idx, index_dir, inputs, summary, pipeline, prune, options, started, cache_dir=None, crawl=None):
    """Read, analyse and index into idx (in index_dir) and commit; the NLP cache is in cache_dir."""
    nlp, fingerprint, gazetteer = pipeline
    batch_size, workers, show_progress = options
    known = stored_identities(idx)
    intake = _Intake(known, fingerprint, summary)

    read_started = time.perf_counter()
    for item in read_inputs(expand_inputs(inputs), crawl):
        if isinstance(item, InputError):
            summary.errors.append(item)
        else:
            intake.take(item)
    pending = list(intake.pending.values())
    summary.stage_seconds["Lesen"] = time.perf_counter() - read_started

    writer = IndexWriter(idx)
    cache = NlpCache(cache_dir or index_dir)
    try:
        analysed_started = time.perf_counter()
        summary.stage_seconds["NLP+Index"] = 0.0  # wall time, reported before its CPU parts
        segments = _write_analysed(writer, nlp, pending, known, summary, gazetteer, cache, fingerprint,
                                   (batch_size, workers, show_progress))  # fmt: skip
        summary.stage_seconds["NLP+Index"] = time.perf_counter() - analysed_started
        gone = known.keys() - intake.seen if prune else set()
        for doc_id in gone | (intake.duplicate_ids & known.keys()):
            writer.delete(doc_id)
            summary.removed += 1
        commit_started = time.perf_counter()
        writer.commit(segments)
    except BaseException:
        writer.cancel()  # nothing of this run becomes visible
        cache.close(commit=False)
        raise
    cache.close(commit=True)
    summary.stage_seconds["Commit"] = time.perf_counter() - commit_started
    summary.seconds = time.perf_counter() - started
    _write_build_info(index_dir, summary)
    return summary


def _write_build_info(index_dir: Path, summary: BuildSummary) -> None:
    """What the about page and /healthz report: pipeline and time of the last build."""
    info = {
        "pipeline": summary.pipeline,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "documents": document_count(index_dir),
        "last_run": {"added": summary.added, "updated": summary.updated, "unchanged": summary.unchanged,
                     "removed": summary.removed, "errors": len(summary.errors)},
    }  # fmt: skip
    tmp = index_dir / "build.json.tmp"
    tmp.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(index_dir / "build.json")


class _Intake:
    """Sorts what was read: unchanged, to analyse, or a duplicate of another document."""

    def __init__(self, known: dict[str, StoredIdentity], fingerprint: str, summary: BuildSummary):
        self.known = known
        self.fingerprint = fingerprint
        self.summary = summary
        self.pending: dict[str, tuple[Announcement, str, str]] = {}  # the later line of an id wins
        self.seen: set[str] = set()
        self.duplicate_ids: set[str] = set()
        self._origin: dict[str, tuple[str, int] | None] = {}  # where each id of this run was read
        self._body_owner = {k.body_hash: i for i, k in known.items() if k.body_hash}
        self._url_owner = {k.url: i for i, k in known.items() if k.url}

    def take(self, item: Announcement) -> None:
        body_hash = body_fingerprint(item.body)
        owner = self._body_owner.get(body_hash) or (self._url_owner.get(item.url) if item.url else None)
        duplicate = owner is not None and owner != item.id
        self._note_repeated_id(item, owner if duplicate else None)
        if duplicate:
            self.summary.duplicates.append((item.id, owner))  # the same release published again
            self.duplicate_ids.add(item.id)
            return
        self._body_owner.setdefault(body_hash, item.id)
        if item.url:
            self._url_owner.setdefault(item.url, item.id)
        self.seen.add(item.id)
        digest = content_hash(item, self.fingerprint)
        stored = self.known.get(item.id)
        if stored is not None and stored.content_hash == digest:
            self.pending.pop(item.id, None)
            self.summary.unchanged += 1
        else:
            self.pending[item.id] = (item, digest, body_hash)

    def _note_repeated_id(self, item: Announcement, duplicate_of: str | None) -> None:
        """An id twice in one run: the later line wins, unless it repeats another document (then
        the earlier line stays), and the run says which."""
        if item.id in self._origin:
            earlier = self._origin[item.id]
            where = f"{earlier[0]}:{earlier[1]}" if earlier else "einer früheren Eingabe"
            kept = (
                f"diese spätere Fassung wiederholt '{duplicate_of[:80]}' und wird nicht indexiert, "
                "es bleibt die frühere"
                if duplicate_of
                else "indexiert wird diese spätere Fassung"
            )
            file, line = item.origin or ("", 0)
            message = f"id '{item.id[:80]}' kam schon in {where} vor; {kept} — ids eindeutig vergeben"
            self.summary.errors.append(InputError(file, line, message))
        if not duplicate_of:
            self._origin[item.id] = item.origin


def _write_analysed(writer, nlp, pending, known, summary, gazetteer, cache, fingerprint, options):
    """Analyse what changed (or take the cached analysis) and index it in new segments."""
    batch_size, workers, show_progress = options
    jobs = []
    for announcement, digest, body_hash in pending:
        key = nlp_key(announcement, fingerprint)
        jobs.append(Job(announcement, digest, body_hash, key, cache.get(key)))
        if announcement.id in known:
            writer.delete(announcement.id)  # the new version comes in a new segment
            summary.updated += 1
        else:
            summary.added += 1
    summary.from_cache = sum(job.cached is not None for job in jobs)

    def to_document(job: Job, result: DocumentNlp) -> IndexDocument:
        return to_index_document(job.announcement, result, job.digest, gazetteer, job.body_hash)

    interactive = sys.stderr.isatty()  # in a log, a line every 10 s is enough
    with tqdm(total=len(jobs), unit=" Dok.", disable=not show_progress, desc="Indexieren",
              mininterval=0.5 if interactive else 10) as bar:  # fmt: skip
        results = run_chunks(nlp, to_document, writer.index, jobs, workers=workers, batch_size=batch_size,
                             progress=bar.update)  # fmt: skip
    for result in results:
        cache.put_serialised(result.analysed)
        summary.unanalysed += result.unanalysed
    summary.stage_seconds["NLP"] = sum(r.nlp_seconds for r in results)
    summary.stage_seconds["Index"] = sum(r.index_seconds for r in results)
    return [result.segment for result in results]


def analyse_records(records: Iterator[dict], batch_size: int = 64) -> Iterator[dict]:
    """NLP output for records with id, title and body (the `analyze` command); a record the
    pipeline fails on gives {"id", "error"} and the others go on."""
    nlp = build_pipeline()
    while chunk := list(itertools.islice(records, ANALYSE_CHUNK)):
        makers = [partial(_record_doc, nlp, record) for record in chunk]
        for record, doc in zip(chunk, resilient_pipe(nlp, makers, batch_size), strict=True):
            if isinstance(doc, Exception):
                yield {"id": record.get("id"), "error": describe_failure(doc)}
                continue
            result = DocumentNlp.from_doc(doc)
            yield {
                "id": record.get("id"),
                "lemmas": result.lemmas,
                "places": result.places,
                "orgs": result.orgs,
                "topics": [{"id": i, "label": label, "terms": terms} for i, label, terms in result.topics],
                "entities": result.entities,
            }


ANALYSE_CHUNK = 1000  # records read ahead of the pipeline: a failing one is then found within them


def _record_doc(nlp, record: dict):
    return make_doc(nlp, record.get("title") or "", record.get("body") or "", record.get("source") or "")
