"""Read-only index storage for searching: segment parts are never copied whole.

Part of the engine (indexer/engine/). Whoosh's own compound-file reader maps a
segment and then wraps each part (postings, term dictionary, stored fields, columns) in a
``BytesIO``, which copies the whole part into the heap: on the shared corpus ~225 MB of
private memory per worker, and every page of the mapping touched on the way.

Here the two bulk parts, postings (``.pst``, 139 MB of the 222 MB segment) and stored
documents (``_stored.col``, 48 MB), are windows on the open file read with ``os.pread``:
a search reads a few small pieces of them, the pages stay in the kernel's page cache
(shared by all workers, reclaimable) and never count towards a worker's resident memory,
however large the index or varied the queries. The term dictionary and the per-document
columns are read everywhere in tiny pieces (~800 lookups per request, spelling and prefix
expansion walk the dictionary), where a system call each would cost ~1 ms per request:
they are views of a memory mapping, so at most their size (35 MB) becomes resident, shared
between workers as page cache.
"""

from __future__ import annotations

import mmap
import os
from array import array
from typing import BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import _SIZEMAP, BufferFile, StructFile
from whoosh.system import IS_LITTLE

PREAD_PARTS = (".pst", "_stored.col")  # parts read with pread; the rest is mapped
READ_AHEAD = 4096  # posting block headers are read as many small sequential reads


class _WindowReader:
    """The file interface Whoosh uses (read, readline, readinto, seek, tell) on a window of a
    file, with a small read-ahead buffer for sequential reads."""

    __slots__ = ("_handle", "_base", "_length", "_pos", "_buffer", "_buffer_start")

    def __init__(self, handle: BinaryIO, base: int, length: int):
        self._handle, self._base, self._length, self._pos = handle, base, length, 0
        self._buffer, self._buffer_start = b"", 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._length if size is None or size < 0 else min(start + size, self._length)
        if end <= start:
            return b""
        self._pos = end
        offset = start - self._buffer_start
        if offset < 0 or end - self._buffer_start > len(self._buffer):
            wanted = min(max(end - start, READ_AHEAD), self._length - start)
            # fileno() raises once the segment is closed, rather than reading a reused descriptor
            self._buffer = os.pread(self._handle.fileno(), wanted, self._base + start)
            self._buffer_start, offset = start, 0
        return self._buffer[offset : offset + end - start]

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
        origin = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._length}[whence]
        self._pos = max(0, origin + position)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass  # the segment file owns the descriptor


class _WindowFile(StructFile):
    """One part of a compound segment file (Whoosh's BufferFile, without the copy)."""

    def __init__(self, handle: BinaryIO, base: int, length: int, name: str | None = None):
        super().__init__(_WindowReader(handle, base, length), name=name)
        self._handle, self._base, self._length = handle, base, length
        self.is_real = False

    def subset(self, position: int, length: int, name: str | None = None) -> _WindowFile:
        return _WindowFile(self._handle, self._base + position, length, name=name or self._name)

    def get(self, position: int, length: int) -> bytes:
        return os.pread(self._handle.fileno(), length, self._base + position)

    def get_array(self, position: int, typecode: str, length: int) -> array:
        values = array(typecode)
        values.frombytes(self.get(position, length * _SIZEMAP[typecode]))
        if IS_LITTLE:
            values.byteswap()  # Whoosh writes big-endian
        return values


class _ViewReader:
    """The file interface Whoosh uses over a memoryview (its BytesIO would copy the view)."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view: memoryview):
        self._view, self._pos = view, 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    readinto = _WindowReader.readinto
    readline = _WindowReader.readline
    seek = _WindowReader.seek  # uses _pos and _length
    tell = _WindowReader.tell
    close = _WindowReader.close

    @property
    def _length(self) -> int:
        return len(self._view)


class _ViewFile(BufferFile):
    """Whoosh's BufferFile over a view of the mapping, without its copy."""

    def __init__(self, view: memoryview, name: str | None = None):
        StructFile.__init__(self, _ViewReader(view), name=name)
        self._buf = view  # BufferFile.get and get_array slice it
        self.is_real = False

    def subset(self, position: int, length: int, name: str | None = None) -> _ViewFile:
        return _ViewFile(self._buf[position : position + length], name=name or self._name)


class _SegmentFile(StructFile):
    """A segment file opened for reading; its parts (``subset``) are pread windows or mapped views."""

    _map: mmap.mmap | None = None

    def subset(self, offset: int, length: int, name: str | None = None) -> StructFile:
        if name is None or name.endswith(PREAD_PARTS) or not length:
            return _WindowFile(self.file, offset, length, name=name)
        if self._map is None:
            self._map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        return _ViewFile(memoryview(self._map)[offset : offset + length], name=name)


class WindowedStorage(FileStorage):
    """A read-only FileStorage whose compound segment files are read in windows.

    ``supports_mmap`` is False, so Whoosh's compound reader neither maps nor copies the
    file; it asks the opened file for each part through ``subset``."""

    supports_mmap = False

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False, readonly=True)

    def open_file(self, name: str, **kwargs) -> StructFile:
        return _SegmentFile(open(self._fpath(name), "rb"), name=name)  # noqa: SIM115 - closed with it
