"""Every use of a private Whoosh member (or of undocumented behaviour), listed in one place.

Checked against whoosh-reloaded 2.7.5 (the version pinned in pyproject.toml). Upgrading Whoosh
means reading each entry against the new source; tests/test_whoosh_private.py fails until the
installed version is the one named here and every member below exists.

Each entry: member -- where it is used -- why.

- ``whoosh.index._DEF_INDEX_NAME`` -- storage.py ``create_replacement`` -- the name of the old
  index's write lock and TOCs.
- ``whoosh.index.TOC._latest_generation`` -- storage.py ``create_replacement`` -- a rebuilt index
  starts at the old one's generation, so searchers reopen after the swap.
- ``SegmentWriter(_lk=False)`` -- writing.py ``SegmentBuilder`` -- a worker writes a segment
  without taking the index lock that the committing writer holds.
- ``SegmentWriter._added``, ``._close_segment()``, ``._finalize_segment()`` -- writing.py
  ``SegmentBuilder`` -- finish a segment without committing it (the IndexWriter commits all).
- ``W3LeafMatcher._data``, ``._read_data()``, ``._byteids``, ``._read_weights()``,
  ``._weights``, ``._next_block()`` -- postings.py ``read_postings`` -- a term's posting blocks
  are read whole with numpy instead of posting by posting.
- ``MultiMatcher.matchers``, ``.offsets`` -- postings.py ``read_postings`` -- the per-segment
  matchers and their document offsets.
- ``Wildcard._get_pattern()`` -- query.py ``_bounded_wildcard`` -- the wildcard's regular
  expression, to filter the bounded expansion.
- ``whoosh.filedb.structfile._SIZEMAP`` -- index_files.py ``_WindowFile.get_array`` -- bytes per
  array type code, as Whoosh reads arrays.
- ``StructFile._name``, ``.file``, ``BufferFile._buf`` -- index_files.py -- a window or view of a
  segment part stands in for Whoosh's copied BytesIO.
- ``FileStorage._fpath`` -- index_files.py ``WindowedStorage.open_file`` -- the path of a file
  in the index folder.
- behaviour: the compound-file reader asks the opened file for each part (``subset``) when
  ``supports_mmap`` is False -- index_files.py -- every part is a window or view of ours.
- behaviour: Whoosh's files are named ``MAIN_*`` / ``_MAIN_*`` -- swap.py ``_INDEX_FILE`` --
  which files of an index folder a swap moves.
- behaviour: the schema (with its analysers, analyzers.py) is pickled into the TOC -- moving an
  analyser class makes an older index read as a schema change (rebuilt by the build).
"""

from __future__ import annotations

CHECKED_VERSION = "2.7.5"

# (module, attribute path) of every private member named above, for the test to look up.
MEMBERS: tuple[tuple[str, str], ...] = (
    ("whoosh.index", "_DEF_INDEX_NAME"),
    ("whoosh.index", "TOC._latest_generation"),
    ("whoosh.writing", "SegmentWriter._close_segment"),
    ("whoosh.writing", "SegmentWriter._finalize_segment"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_data"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._read_weights"),
    ("whoosh.codec.whoosh3", "W3LeafMatcher._next_block"),
    ("whoosh.query", "Wildcard._get_pattern"),
    ("whoosh.filedb.structfile", "_SIZEMAP"),
    ("whoosh.filedb.filestore", "FileStorage._fpath"),
)
