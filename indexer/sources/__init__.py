"""Readers that turn input files into announcements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.model import Announcement, InputError
from indexer.sources.jsonl import read_jsonl

SUPPORTED_SUFFIXES = {".jsonl": read_jsonl}


def expand_inputs(paths: list[str]) -> list[Path]:
    """Files named directly, plus the supported files inside named folders."""
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUPPORTED_SUFFIXES)
        else:
            files.append(path)
    return files


def read_inputs(files: list[Path]) -> Iterator[Announcement | InputError]:
    for path in files:
        reader = SUPPORTED_SUFFIXES.get(path.suffix)
        if not path.is_file():
            yield InputError(str(path), 0, "Datei nicht gefunden")
        elif reader is None:
            yield InputError(
                str(path),
                0,
                f"Dateityp '{path.suffix}' wird nicht unterstützt (erwartet .jsonl)",
            )
        else:
            yield from reader(path)
