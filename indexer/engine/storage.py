"""Opening, creating and replacing an index on disk, and what a build reads of an existing one
(stored identities). Readers see the files in windows, not copied (index_files.py).

Part of the engine (indexer/engine/); private Whoosh members used here are listed in
whoosh_private.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer.engine.index_files import WindowedStorage
from indexer.engine.schema import build_schema


def open_or_create(path: Path) -> index.Index:
    """The index at path; a new one if there is none or its fields are outdated."""
    path.mkdir(parents=True, exist_ok=True)
    schema = build_schema()
    if index.exists_in(str(path)):
        existing = index.open_dir(str(path))
        if sorted(existing.schema.names()) == sorted(schema.names()):
            return existing
    return index.create_in(str(path), schema)  # an outdated index is rebuilt from scratch


def needs_new_schema(path: Path) -> bool:
    """An index exists at path, but with other fields than the current schema (or unreadable)."""
    if not index.exists_in(str(path)):
        return False
    try:
        existing = index.open_dir(str(path))
    except Exception:  # noqa: BLE001 - a schema that no longer unpickles is outdated too
        return True
    return sorted(existing.schema.names()) != sorted(build_schema().names())


def create_replacement(path: Path, new_dir: Path):
    """A new, empty index in new_dir that is to replace the index at path, and the old index's
    write lock (acquired: no other build writes to the old index meanwhile; release it after the
    swap). The new index starts at the old one's generation, so its first commit is newer than
    anything a searcher of the old index has open and searchers reopen after the swap."""
    old = FileStorage(str(path))
    lock = old.lock(f"{index._DEF_INDEX_NAME}_WRITELOCK")
    if not lock.acquire():
        raise index.LockError(f"Index '{path}' wird gerade von einem anderen Lauf geschrieben")
    try:
        new_dir.mkdir(parents=True)
        schema = build_schema()
        idx = index.create_in(str(new_dir), schema)
        generation = TOC._latest_generation(old, index._DEF_INDEX_NAME)
        if generation > 0:
            TOC(schema, [], generation).write(idx.storage, idx.indexname)
    except BaseException:
        lock.release()
        raise
    return index.open_dir(str(new_dir)), lock


def open_existing(path: Path) -> index.Index:
    if not index.exists_in(str(path)):
        raise FileNotFoundError(
            f"Kein Index in '{path}'. Erst bauen: .venv/bin/python -m indexer build --index {path} corpus/"
        )
    return WindowedStorage(str(path)).open_index()  # read in windows, not copied (index_files.py)


@dataclass(frozen=True)
class StoredIdentity:
    """What a build needs to know of a document already in the index."""

    content_hash: str
    body_hash: str
    url: str


def stored_identities(idx: index.Index) -> dict[str, StoredIdentity]:
    """id -> hashes and address of every document in the index."""
    with idx.searcher() as searcher:
        return {
            f["id"]: StoredIdentity(f.get("content_hash", ""), f.get("body_hash", ""), f.get("url", ""))
            for f in searcher.all_stored_fields()
        }


def stored_documents(idx: index.Index) -> Iterator[dict]:
    """The stored fields of every document (audits read the facets with their texts)."""
    with idx.searcher() as searcher:
        yield from searcher.all_stored_fields()


def document_count(path: Path) -> int:
    return open_existing(path).doc_count()


def unreadable_reason(path: Path) -> Exception | None:
    """The error opening the index at path raises (a damaged or missing index), or None. Opens
    and closes it without warming: for a start-up check in a process that forks workers afterwards."""
    try:
        idx = open_existing(path)
        with idx.searcher() as whoosh_searcher:
            reader = whoosh_searcher.reader()
            if reader.doc_count_all():
                reader.stored_fields(reader.doc_count_all() - 1)
    except Exception as error:  # noqa: BLE001 - every kind of damage is reported the same way
        return error
    return None
