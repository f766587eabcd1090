"""Read-only index storage for searching: segment files read with pread, never copied whole.

Part of the Whoosh boundary (with index.py). Whoosh's own compound-file reader maps a
segment and then wraps each part (postings, term index, stored fields, columns) in a
``BytesIO``, which copies the whole part into the heap: on the shared corpus ~225 MB of
private memory per worker, and every page of the mapping touched on the way.

Here each part is a window on the open file, and every read is one ``os.pread`` of just
the bytes asked for. The file's pages stay in the kernel's page cache, shared by all
workers (and reclaimable), and never count towards a worker's resident memory, so a
worker's size does not grow with the index or with the variety of queries it has served.
A search makes a few hundred such reads (~1 µs each).
"""

from __future__ import annotations

import os
from array import array
from typing import BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import _SIZEMAP, StructFile
from whoosh.system import IS_LITTLE


class _WindowReader:
    """The file interface Whoosh uses (read, readline, readinto, seek, tell) on a window of a file."""

    __slots__ = ("_handle", "_base", "_length", "_pos")

    def __init__(self, handle: BinaryIO, base: int, length: int):
        self._handle, self._base, self._length, self._pos = handle, base, length, 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._length if size is None or size < 0 else min(start + size, self._length)
        self._pos = max(start, end)
        # fileno() raises once the segment is closed, rather than reading a reused descriptor
        return os.pread(self._handle.fileno(), end - start, self._base + start) if end > start else b""

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


class _SegmentFile(StructFile):
    """A segment file opened for reading; its parts (``subset``) are windows on it."""

    def subset(self, offset: int, length: int, name: str | None = None) -> _WindowFile:
        return _WindowFile(self.file, offset, length, name=name)


class WindowedStorage(FileStorage):
    """A read-only FileStorage whose compound segment files are read in windows.

    ``supports_mmap`` is False, so Whoosh's compound reader neither maps nor copies the
    file; it asks the opened file for each part through ``subset``."""

    supports_mmap = False

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False, readonly=True)

    def open_file(self, name: str, **kwargs) -> StructFile:
        return _SegmentFile(open(self._fpath(name), "rb"), name=name)  # noqa: SIM115 - closed with it
