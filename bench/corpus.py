"""The benchmark corpus: the shared press releases in a fixed, representative order.

The shared files are sorted by date, one publisher per file. Taking "the first
N lines" would give a small run nothing but Frankfurt 2000. Instead every file
is put in a low-discrepancy order (documents spread over its whole time span)
and the files are interleaved in proportion to their size, so any prefix of
the order has roughly the publishers and years of the whole corpus. The order
depends only on the files, so every run and every system sees the same
documents.

The synthetic enlargement for the scale curve repeats the corpus: copy k has
ids suffixed ``~k``, dates shifted back by k whole years (29 February becomes
the 28th), a last paragraph "(Archivkopie k)" and ``#kopie-k`` on its address.
The marker keeps a copy from being recognised as the same release published
twice (which Amtsblick indexes once) and from reusing cached NLP results; the
texts are otherwise unchanged, so term statistics stay realistic while the
index grows. It is generated at run time into a temp folder, never committed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Iterator
from pathlib import Path

from indexer.config import reference_data_dir

GOLDEN = (math.sqrt(5) - 1) / 2  # the fractional stride that spreads a sequence most evenly


class CorpusMissing(FileNotFoundError):
    def __init__(self) -> None:
        super().__init__(
            f"Kein Korpus gefunden in {reference_data_dir() / 'corpus'}: AMTSBLICK_DATA auf den Ordner "
            "setzen, der corpus/*.jsonl enthält."
        )


def shared_corpus_files(data_dir: Path | None = None) -> list[Path]:
    """The police files and the local fire-brigade files (not html/ or seed/)."""
    corpus = (data_dir or reference_data_dir()) / "corpus"
    return sorted(corpus.glob("*.jsonl")) + sorted((corpus / "local").glob("*.jsonl"))


def _spread_order(count: int) -> list[int]:
    """Line numbers 0..count-1 ordered so that every prefix covers the whole range."""
    return sorted(range(count), key=lambda i: ((i * GOLDEN) % 1.0, i))


def interleaved_lines(files: list[Path]) -> list[str]:
    """Every non-empty line of the files in the benchmark order."""
    keyed: list[tuple[float, int, str]] = []
    for file_number, path in enumerate(files):
        with path.open(encoding="utf-8") as handle:
            lines = [line.rstrip("\n") for line in handle if line.strip()]
        for rank, line_number in enumerate(_spread_order(len(lines))):
            keyed.append(((rank + 0.5) / len(lines), file_number, lines[line_number]))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [line for _key, _file, line in keyed]


def shift_years(date: str | None, years: int) -> str | None:
    if not date:
        return date
    day = dt.date.fromisoformat(date)
    try:
        return day.replace(year=day.year - years).isoformat()
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28).isoformat()


def enlarged_records(lines: list[str], total: int) -> Iterator[dict]:
    """The first `total` documents of the corpus repeated as often as needed (see module doc)."""
    if not lines:
        raise ValueError("leeres Korpus: nichts zu vergrößern")
    produced = 0
    copy = 0
    while produced < total:
        for line in lines:
            if produced >= total:
                return
            record = json.loads(line)
            if copy:
                record["id"] = f"{record['id']}~{copy}"
                record["date"] = shift_years(record.get("date"), copy)
                # Amtsblick indexes a release published twice (same body or address) once and
                # reuses NLP results by text: a verbatim copy would be skipped, not indexed.
                record["body"] = f"{record['body']}\n\n(Archivkopie {copy})"
                if record.get("url"):
                    record["url"] = f"{record['url']}#kopie-{copy}"
            produced += 1
            yield record
        copy += 1


def write_sample(path: Path, docs: int | None, files: list[Path] | None = None) -> int:
    """Write the first `docs` documents of the benchmark order (all if None) as JSON Lines.

    More documents than the corpus holds are produced by the synthetic enlargement.
    Returns the number written.
    """
    lines = interleaved_lines(files if files is not None else shared_corpus_files())
    if not lines:
        raise CorpusMissing()
    wanted = len(lines) if docs is None else docs
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        if wanted <= len(lines):
            for line in lines[:wanted]:
                out.write(line + "\n")
                written += 1
        else:
            for record in enlarged_records(lines, wanted):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return written


def write_slice(path: Path, lines: list[str], start: int, end: int) -> int:
    """Documents start..end-1 of the (enlarged) benchmark order as JSON Lines; returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    written = 0
    with tmp.open("w", encoding="utf-8") as out:
        for record in itertools.islice(enlarged_records(lines, end), start, None):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    tmp.replace(path)  # a slice file exists only when complete
    return written


def read_records(paths: list[Path]) -> Iterator[dict]:
    """The sample as dicts (the baselines read it like this; Amtsblick reads it with its own sources)."""
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
