"""Read-only index storage for searching: segment files memory-mapped and never copied.

Part of the Whoosh boundary (with index.py). Whoosh's own compound-file reader maps a
segment and then wraps each part (postings, term index, stored fields, columns) in a
``BytesIO``, which copies the whole part into the heap: on the shared corpus ~225 MB of
private memory per worker, and every page of the mapping touched on the way. Here each
part is a view of the mapping: only the pages a search reads become resident, and they
are page cache, shared by all workers and reclaimable.
"""

from __future__ import annotations

import mmap
import os

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile


class _ViewReader:
    """The file interface Whoosh uses (read, readline, readinto, seek, tell) over a memoryview."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = end
        return self._view[start:end].tobytes()

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        # pickle requires it; Whoosh's binary pickles never call it
        rest = self.read(size)
        newline = rest.find(b"\n")
        if newline >= 0:
            self._pos -= len(rest) - newline - 1
            rest = rest[: newline + 1]
        return rest

    def seek(self, position: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + position)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass


class _ViewFile(BufferFile):
    """Whoosh's BufferFile without its copy: reads slice the mapping."""

    def __init__(self, view: memoryview, name: str | None = None):
        self._buf = view
        self._name = name
        self.file = _ViewReader(view)
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> _ViewFile:
        return _ViewFile(self._buf[position : position + length], name=name or self._name)


class _MappedFile(StructFile):
    """A segment file opened for reading; parts of it (``subset``) are views of one mapping."""

    def __init__(self, path: str, name: str):
        handle = open(path, "rb")  # noqa: SIM115 - owned by the StructFile, closed with it
        super().__init__(handle, name=name)
        size = os.fstat(handle.fileno()).st_size
        self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else None

    def subset(self, offset: int, length: int, name: str | None = None) -> StructFile:
        if self._map is None:
            return super().subset(offset, length, name=name)
        return _ViewFile(memoryview(self._map)[offset : offset + length], name=name)


class MappedStorage(FileStorage):
    """A read-only FileStorage whose compound segment files are read through mappings.

    ``supports_mmap`` is False so that Whoosh's compound reader does not map (and copy)
    the file itself; it then asks the opened file for each part via ``subset``."""

    supports_mmap = False

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False, readonly=True)

    def open_file(self, name: str, **kwargs) -> StructFile:
        return _MappedFile(self._fpath(name), name)
