"""Inputs into announcements: files, folders and archive URLs, each to its reader.

Every reader yields `Announcement`s and `InputError`s; a bad input is reported
and never stops the others. URLs go to the crawler with the `CrawlOptions` the
caller passes (the CLI builds them from its flags).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from indexer.ingest.crawl import CrawlOptions, crawl_archive
from indexer.ingest.sources.encoding import UnreadableInput, check_not_binary
from indexer.ingest.sources.html import read_html
from indexer.ingest.sources.jsonl import read_jsonl
from indexer.ingest.sources.text import read_text
from indexer.model import Announcement, InputError

SUPPORTED_SUFFIXES = {".jsonl": read_jsonl, ".html": read_html, ".htm": read_html, ".txt": read_text}
URL_PREFIXES = ("http://", "https://")


def is_url(name: str) -> bool:
    return name.lower().startswith(URL_PREFIXES)


def expand_inputs(paths: list[str]) -> list[Path | str]:
    """Files named directly, the supported files inside named folders, and URLs as given."""
    files: list[Path | str] = []
    for name in paths:
        if isinstance(name, str) and is_url(name):
            files.append(name)  # a Path would fold "https://" into "https:/"
            continue
        path = Path(name)
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(p, path)
            )
        else:
            files.append(path)
    return files


def _hidden(path: Path, root: Path) -> bool:
    """Files under dot-folders (such as the crawler's cache inside an index) are not inputs."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_inputs(
    files: list[Path | str], crawl: CrawlOptions | None = None
) -> Iterator[Announcement | InputError]:
    """The announcements of every input; URLs are crawled with `crawl` (default settings if None)."""
    for item in files:
        if isinstance(item, str) and is_url(item):
            yield from _guarded(partial(crawl_archive, options=crawl), item)
            continue
        path = Path(item)
        reader = SUPPORTED_SUFFIXES.get(path.suffix.lower())
        if not path.is_file():
            yield InputError(str(path), 0, "Datei nicht gefunden")
        elif reader is None:
            yield InputError(
                str(path),
                0,
                f"Dateityp '{path.suffix}' wird nicht unterstützt (erwartet .jsonl, .html, .htm oder .txt)",
            )
        else:
            yield from _guarded(reader, path)


def _guarded(reader, path: Path | str) -> Iterator[Announcement | InputError]:
    """One bad file (or archive) is one error line, never the end of the run.

    A .jsonl that is really a ZIP is caught up front (the line reader would report
    every "line"); a reader that fails unexpectedly on odd input costs that file,
    not the run.
    """
    try:
        if reader is read_jsonl and isinstance(path, Path):
            with path.open("rb") as handle:
                check_not_binary(handle.read(8192))
        yield from reader(path)
    except UnreadableInput as error:
        yield InputError(str(path), 0, str(error))
    except OSError as error:
        yield InputError(str(path), 0, f"Datei nicht lesbar ({error.strerror or error}) — Rechte prüfen")
    except Exception as error:  # a parser bug on odd input must not stop the build
        reason = f"Datei konnte nicht gelesen werden ({type(error).__name__}: {error}) — bitte melden"
        yield InputError(str(path), 0, reason)
