"""Rebuilding an index beside the live one and swapping it in (issue #7).

When the schema changes, the index is rebuilt from scratch. Building it in place would leave searches
with an empty index until the commit; instead it is built in a sibling folder ``<index>.new-<pid>``
and exchanged with the live folder in one atomic rename at the end. Until then searches see the old
index; a build that dies leaves the old index untouched and its folder behind, which the next build
removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_LEFTOVER = re.compile(r"\.(new|old)-(\d+)$")
_INDEX_FILE = re.compile(r"^_?MAIN[_.]")  # Whoosh's own files (TOCs, segments, lock, temp folder)
BUILD_INFO = ("build.json", "build.json.tmp")


def sibling(index_dir: Path, kind: str = "new") -> Path:
    return index_dir.with_name(f"{index_dir.name}.{kind}-{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(index_dir: Path) -> None:
    """Remove sibling folders of builds that died; bring back an index a dead build had moved away
    (only possible where the atomic exchange is unavailable)."""
    if not index_dir.parent.is_dir():
        return
    for path in index_dir.parent.iterdir():
        match = _LEFTOVER.search(path.name)
        if not match or path.name[: match.start()] != index_dir.name or _alive(int(match.group(2))):
            continue
        if match.group(1) == "old" and not index_dir.exists():
            path.rename(index_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


def carry_over(old_dir: Path, new_dir: Path) -> None:
    """Move what lives beside the index (NLP cache, crawl cache) into the new folder."""
    for entry in old_dir.iterdir():
        if _INDEX_FILE.match(entry.name) or entry.name in BUILD_INFO or (new_dir / entry.name).exists():
            continue
        entry.rename(new_dir / entry.name)


def swap_in(new_dir: Path, index_dir: Path) -> None:
    """Make new_dir the index at index_dir and delete the old one. With renameat2's exchange the
    path never disappears; elsewhere two renames leave a moment without an index."""
    if _exchange(new_dir, index_dir):
        shutil.rmtree(new_dir, ignore_errors=True)  # now holds the old index
        return
    old = sibling(index_dir, "old")
    index_dir.rename(old)
    new_dir.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
    return False
