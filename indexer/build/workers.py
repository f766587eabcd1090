"""NLP and indexing in worker processes, one new index segment per chunk of documents.

The documents to index are cut into chunks in input order. A worker process takes a chunk, runs the
NLP pipeline on it (or takes the cached analysis), turns it into index terms and writes it into a
segment of its own. The parent, which holds the index's write lock, commits all segments at once in
chunk order, so document numbers (which break ties when sorting) follow the input as with one process.

Why not spaCy's ``nlp.pipe(n_process=…)``: it tokenises in the parent and ships every Doc to the
workers and back as msgpack, and the parent still did all index writing - the parent was the
bottleneck and the workers idled (62 docs/s on 2 cores). Here nothing but the chunk number travels to
a worker (the documents are inherited through fork) and only the segment and the new cache entries
travel back.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc

from indexer.engine.schema import IndexDocument
from indexer.engine.writing import SegmentBuilder
from indexer.enrich.nlp_cache import serialise
from indexer.enrich.pipeline import DocumentNlp, make_doc
from indexer.model import Announcement

# Documents per segment: a segment's postings (about 40 KB per announcement) then stay in memory
# (limitmb) and are written once, instead of being spilled to sorted runs and merged at the end.
MAX_CHUNK = 5000
SEGMENT_LIMIT_MB = 256
MIN_PARALLEL = 200  # fewer documents than this are not worth starting processes for


@dataclass
class Job:
    """One announcement to index, with its cached analysis if there is one."""

    announcement: Announcement
    digest: str
    body_hash: str
    cache_key: str
    cached: DocumentNlp | None


@dataclass
class ChunkResult:
    segment: object | None  # the new segment (None for an empty chunk)
    analysed: list[tuple[str, str]]  # (cache key, serialised analysis) of what the pipeline ran on
    nlp_seconds: float  # CPU seconds in the pipeline
    index_seconds: float  # CPU seconds turning documents into terms and writing the segment
    unanalysed: list[tuple[str, str]] = field(default_factory=list)  # (id, error) indexed without entities


@dataclass
class _Shared:
    """What the workers inherit from the parent through fork."""

    nlp: Language
    to_document: Callable[[Job, DocumentNlp], IndexDocument]
    idx: object
    chunks: list[list[Job]]
    batch_size: int
    done: object | None = None  # shared counter of indexed documents, for the progress bar


_shared: _Shared | None = None


def chunked(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Consecutive chunks of at most MAX_CHUNK, as many as a multiple of the workers, of equal size:
    the workers finish together."""
    rounds = -(-len(jobs) // (MAX_CHUNK * workers))  # ceiling division
    count = max(1, min(len(jobs), rounds * workers))
    bounds = [round(i * len(jobs) / count) for i in range(count + 1)]
    return [jobs[bounds[i] : bounds[i + 1]] for i in range(count) if bounds[i] < bounds[i + 1]]


def index_chunk(number: int) -> ChunkResult:
    """Analyse and index one chunk into a new segment (in a worker, or in the parent)."""
    shared = _shared
    jobs = shared.chunks[number]
    # The posting pool holds millions of small tuples: the cyclic garbage collector would walk them
    # again and again (a quarter of the CPU time). Indexing creates no cycles worth collecting early.
    gc.disable()
    builder = SegmentBuilder(shared.idx, limitmb=SEGMENT_LIMIT_MB)
    nlp_seconds = index_seconds = 0.0
    analysed = []
    unanalysed = []
    try:
        to_analyse = [job.announcement for job in jobs if job.cached is None]
        makers = [partial(make_doc, shared.nlp, a.title, a.body, a.source) for a in to_analyse]
        docs = resilient_pipe(shared.nlp, makers, shared.batch_size)
        for count, job in enumerate(jobs, start=1):
            started = time.process_time()
            result = job.cached
            if result is None:
                doc = next(docs)
                if isinstance(doc, Exception):
                    result = UNANALYSED
                    unanalysed.append((job.announcement.id, describe_failure(doc)))
                else:
                    result = DocumentNlp.from_doc(doc, lemmas=False)
                    analysed.append((job.cache_key, serialise(result)))
            mid = time.process_time()
            builder.add(shared.to_document(job, result))
            index_seconds += time.process_time() - mid
            nlp_seconds += mid - started
            if shared.done is not None and count % 50 == 0:
                with shared.done.get_lock():
                    shared.done.value += 50
        started = time.process_time()
        segment = builder.finish()
        index_seconds += time.process_time() - started
    except BaseException:
        builder.cancel()
        raise
    finally:
        gc.enable()
    if shared.done is not None:
        with shared.done.get_lock():
            shared.done.value += len(jobs) % 50
    return ChunkResult(segment, analysed, nlp_seconds, index_seconds, unanalysed)


# A document the pipeline fails on is still indexed, for its text, without places, organisations
# and topics; it is not cached, so the next build tries again.
UNANALYSED = DocumentNlp(lemmas=[], places=[], orgs=[], topics=[], entities=[])


def resilient_pipe(
    nlp: Language, makers: list[Callable[[], Doc]], batch_size: int
) -> Iterator[Doc | Exception]:
    """nlp.pipe over the documents, one result per document in order: where a component raises,
    the documents from the first one not yet yielded are run one at a time until the failing one,
    which yields its exception in place of a Doc, and the batched pipe resumes after it.

    A generator that raised cannot go on, and a batching component loses its whole batch with the
    failing document: hence the restart, with each document made anew from its maker."""
    done = 0
    while done < len(makers):
        try:
            for doc in nlp.pipe((make() for make in makers[done:]), batch_size=batch_size):
                done += 1
                yield doc
        except Exception:  # a bug of a rule in one document must not fail the whole build
            while done < len(makers):
                try:
                    doc = nlp(makers[done]())
                except Exception as error:
                    done += 1
                    yield error
                    break
                done += 1
                yield doc


def describe_failure(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error)[:160]}"


def warm_up(nlp: Language, to_document: Callable[[Job, DocumentNlp], IndexDocument], job: Job) -> None:
    """Load what the first document loads (simplemma's dictionary, about 3 s of CPU) in the parent,
    so that the forked workers share it instead of each loading its own copy."""
    a = job.announcement
    to_document(job, DocumentNlp.from_doc(nlp(make_doc(nlp, a.title, a.body, a.source))))
    gc.freeze()  # what the workers inherit is never collected there: fewer pages copied on write


def _die_with_parent() -> None:
    """A worker must not outlive a killed indexer: it would keep the write lock's file open."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def run_chunks(
    nlp: Language,
    to_document: Callable[[Job, DocumentNlp], IndexDocument],
    idx,
    jobs: list[Job],
    *,
    workers: int,
    batch_size: int,
    progress: Callable[[int], None],
) -> list[ChunkResult]:
    """Index the jobs into new segments, in chunk order; progress(n) reports documents done."""
    global _shared
    workers = 1 if len(jobs) < MIN_PARALLEL else workers
    chunks = chunked(jobs, workers)
    if workers > 1:
        warm_up(nlp, to_document, jobs[0])
    _shared = _Shared(nlp, to_document, idx, chunks, batch_size)
    try:
        if workers <= 1:
            results = []
            for number, chunk in enumerate(chunks):
                results.append(index_chunk(number))
                progress(len(chunk))
            return results
        return _run_in_pool(workers, len(chunks), progress)
    finally:
        _shared = None


def _run_in_pool(workers: int, count: int, progress: Callable[[int], None]) -> list[ChunkResult]:
    context = multiprocessing.get_context("fork")  # workers inherit pipeline, gazetteer and chunks
    _shared.done = context.Value("q", 0)
    reported = 0
    pool = context.Pool(workers, initializer=_die_with_parent)
    try:
        pending = pool.imap(index_chunk, range(count))
        results = []
        while len(results) < count:
            with contextlib.suppress(multiprocessing.TimeoutError):  # time to update the progress bar
                results.append(pending.next(timeout=0.5))
            done = _shared.done.value
            progress(done - reported)
            reported = done
        pool.close()
        return results
    finally:
        pool.terminate()
        pool.join()
