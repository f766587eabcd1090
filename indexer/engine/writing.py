"""Writing: an IndexWriter that holds the lock and commits, and SegmentBuilders that write new
documents into segments of their own in worker processes.

Part of the engine (indexer/engine/); private Whoosh members used here are listed in
whoosh_private.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import index
from whoosh.writing import MERGE_SMALL, SegmentWriter

from indexer.engine.schema import IndexDocument


class IndexWriter:
    """Adds or replaces documents; everything becomes visible at commit."""

    def __init__(self, idx: index.Index, limitmb: int = 256):
        self.index = idx
        self._writer = idx.writer(limitmb=limitmb)

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)

    def commit(self, segments: Iterable = ()) -> None:
        """Makes this writer's changes and the SegmentBuilders' segments visible in one TOC
        write. The new segments follow the existing ones in the given order; small old
        segments are merged as Whoosh's default policy does."""
        new = [segment for segment in segments if segment is not None]

        def merge_then_add(writer, existing):
            return MERGE_SMALL(writer, existing) + new

        self._writer.commit(mergetype=merge_then_add)

    def cancel(self) -> None:
        self._writer.cancel()


class SegmentBuilder:
    """Writes new documents into a segment of their own, in a worker process, for the
    IndexWriter that holds the lock to commit. Nothing is visible before that commit;
    the files of an uncommitted segment are removed by the next commit."""

    def __init__(self, idx: index.Index, limitmb: int = 256):
        self._writer = SegmentWriter(idx, _lk=False, limitmb=limitmb)

    def add(self, doc: IndexDocument) -> None:
        self._writer.add_document(**doc.fields())

    def finish(self):
        """The written segment (picklable), or None if no document was added."""
        if not self._writer._added:
            self._writer._close_segment()
            return None
        return self._writer._finalize_segment()

    def cancel(self) -> None:
        # Not SegmentWriter.cancel: that removes the temporary folder the other builders share.
        self._writer._close_segment()
