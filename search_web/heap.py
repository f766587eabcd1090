"""Give the C heap's free memory back to the system after a large one-off job.

Building the autocomplete tables reads every stored announcement once (the bodies included)
and opening a searcher reads every facet posting: tens of MB of short-lived objects. glibc's
allocator keeps most of the freed memory in the process, so it stays in the worker's RSS for
good (~30 MB on the shared corpus). ``malloc_trim`` returns it. A no-op without glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None


def release_free_memory() -> bool:
    """True if free heap memory was handed back to the system."""
    trim = _malloc_trim()
    return bool(trim and trim(0))
