"""Suggestions for the query box: places, organisations, topics and announcement titles.

Everything is answered from sorted word-prefix tables built once per searcher
generation: entity names come from the facet value lists (with their document
counts), titles from one pass over the stored fields. A lookup is then a binary
search, so typing stays fast on the whole corpus. The tables keep their strings in
flat UTF-8 buffers with numpy offsets (~10 MB for 37,000 titles where lists of
Python strings took ~50 MB in every worker).
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import unicodedata
import weakref
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.engine.facets import ENTITY_SEGMENTS, FILTERS
from indexer.engine.index import Searcher
from search_web.links import doc_url, filter_url

MAX_SUGGESTIONS = 10
MAX_ENTITY_SUGGESTIONS = 6  # titles fill the rest
MAX_PREFIX = 100
MAX_SCAN = 3000
KEY_BYTES = 48  # rows are sorted by this much of them; longer prefixes are checked in full
MIN_TITLE_PREFIX = 2  # one letter matches too many titles to be useful
ENTITY_FACETS = tuple(ENTITY_SEGMENTS.values())  # place (every level), org, topic
TITLE_LABEL = "Meldung"
_WORD_START = re.compile(r"(?<![\w])\w", re.UNICODE)


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: "Züsch" and "zusch" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Entry:
    kind: str  # place, org, topic, title
    label: str
    count: int = 0  # documents naming the entity (entities only)
    doc_id: str = ""
    date: str = ""


class CompactStrings(Sequence[str]):
    """Many strings in one UTF-8 buffer with their end offsets: about their length in bytes each,
    where a list of Python strings costs ~60 bytes more per string (plus fragmentation)."""

    def __init__(self, texts: Iterable[str]):
        encoded = [text.encode("utf-8") for text in texts]
        self._blob = b"".join(encoded)
        self._ends = array("q", itertools.accumulate(len(item) for item in encoded))  # fast to index

    def __len__(self) -> int:
        return len(self._ends)

    def span(self, number: int) -> tuple[int, int]:
        return (self._ends[number - 1] if number else 0), self._ends[number]

    def raw(self, number: int, offset: int = 0) -> bytes:
        """The UTF-8 bytes of a string, from a byte offset on."""
        start, end = self.span(number)
        return self._blob[start + offset : end]

    def __getitem__(self, number):  # an int; slices are not used
        return self.raw(number).decode("utf-8")


class TitleEntries(Sequence[Entry]):
    """The title entries, stored column-wise and compactly; an Entry is made when asked for."""

    def __init__(self, titles: list[str], doc_ids: list[str], dates: list[str]):
        # Each title's place in the order suggestions are shown in: newest first, then by title.
        order = sorted(range(len(titles)), key=lambda n: (_newest_first(dates[n]), titles[n]))
        self.rank = array("i", bytes(4 * len(titles)))
        for place, number in enumerate(order):
            self.rank[number] = place
        self._titles, self._ids, self._dates = (
            CompactStrings(titles),
            CompactStrings(doc_ids),
            CompactStrings(dates),
        )

    def __len__(self) -> int:
        return len(self._titles)

    def __getitem__(self, number):
        return Entry("title", self._titles[number], doc_id=self._ids[number], date=self._dates[number])


class PrefixTable:
    """Every word start of every label, sorted by the folded label from there on; a prefix is
    found by bisection. A row is (entry number, byte offset of the word in the folded label):
    8 bytes, not a string per word."""

    def __init__(self, entries: Sequence[Entry]):
        self.entries = entries
        self._folded = CompactStrings(normalise(entry.label) for entry in entries)
        numbers, offsets = array("i"), array("i")
        for number, folded in enumerate(self._folded):
            for match in _WORD_START.finditer(folded):
                numbers.append(number)
                offsets.append(len(folded[: match.start()].encode("utf-8")))
        # sorted by the first KEY_BYTES of each row (UTF-8 byte order is code point order)
        keys = np.fromiter(
            (self._folded.raw(n, o)[:KEY_BYTES] for n, o in zip(numbers, offsets, strict=True)),
            dtype=f"S{KEY_BYTES}",
            count=len(numbers),
        )
        order = np.argsort(keys, kind="stable")
        del keys
        self._numbers = array("i", np.asarray(numbers, dtype=np.int32)[order].tobytes())
        self._offsets = array("i", np.asarray(offsets, dtype=np.int32)[order].tobytes())

    def _row(self, position: int) -> bytes:
        return self._folded.raw(self._numbers[position], self._offsets[position])[:KEY_BYTES]

    def _bisect(self, key: bytes, after: bool) -> int:
        """The first row whose sort key, cut to the length of key, is >= key (after: > key)."""
        low, high = 0, len(self._numbers)
        while low < high:
            middle = (low + high) // 2
            row = self._row(middle)[: len(key)]
            if row < key or (after and row == key):
                low = middle + 1
            else:
                high = middle
        return low

    def matching(self, prefix: str) -> list[tuple[bool, int]]:
        """(prefix starts the whole label, entry number) for entries with a word starting with prefix.

        At most MAX_SCAN table rows are read, so a one-letter prefix stays fast (and partial)."""
        whole_key = prefix.encode("utf-8")
        key = whole_key[:KEY_BYTES]
        start = self._bisect(key, after=False)
        end = min(self._bisect(key, after=True), start + MAX_SCAN)
        found: dict[int, bool] = {}
        for number, offset in zip(self._numbers[start:end], self._offsets[start:end], strict=True):
            if len(whole_key) > KEY_BYTES and not self._folded.raw(number, offset).startswith(whole_key):
                continue  # a prefix longer than the sort key
            found[number] = found.get(number, False) or offset == 0  # a row at 0 is the whole label
        return [(whole, number) for number, whole in found.items()]


class Suggester:
    """Builds the tables once per searcher generation and keeps them while it lives."""

    def __init__(self) -> None:
        self._tables: weakref.WeakKeyDictionary[Searcher, tuple[PrefixTable, PrefixTable]] = (
            weakref.WeakKeyDictionary()
        )
        self._preparing: weakref.WeakSet[Searcher] = weakref.WeakSet()
        self._lock = threading.Lock()  # one build at a time; a second caller waits for it

    def tables(self, searcher: Searcher) -> tuple[PrefixTable, PrefixTable]:
        """(entity table, title table); the title table's entries are TitleEntries."""
        with self._lock:
            tables = self._tables.get(searcher)
            if tables is None:
                tables = (PrefixTable(_entity_entries(searcher)), PrefixTable(_title_entries(searcher)))
                self._tables[searcher] = tables
            return tables

    def prepare(self, searcher: Searcher) -> None:
        """Build the tables in the background (seconds on the full corpus), so that the first
        keystroke does not wait for them."""
        with self._lock:
            if searcher in self._tables or searcher in self._preparing:
                return
            self._preparing.add(searcher)
        threading.Thread(target=self._prepare, args=(searcher,), daemon=True, name="suggest-tables").start()

    def ready(self, searcher: Searcher) -> bool:
        return searcher in self._tables

    def _prepare(self, searcher: Searcher) -> None:
        try:
            self.tables(searcher)
        except Exception:  # the index changed under us; the next request builds for the new one
            logging.getLogger("amtsblick").info("suggestion tables not built", exc_info=True)

    def suggest(self, searcher: Searcher, text: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
        prefix = normalise(" ".join(text.split()))[:MAX_PREFIX]
        if not prefix:
            return []
        entities, titles = self.tables(searcher)
        found_entities = sorted(
            entities.matching(prefix),
            key=lambda item: (not item[0], -entities.entries[item[1]].count, entities.entries[item[1]].label),
        )
        chosen = [entities.entries[n] for _, n in found_entities[: min(limit, MAX_ENTITY_SUGGESTIONS)]]
        if len(prefix) < MIN_TITLE_PREFIX:
            return [_as_suggestion(entry) for entry in chosen]
        rank = titles.entries.rank  # newest first, then by title
        found_titles = sorted(titles.matching(prefix), key=lambda item: (not item[0], rank[item[1]]))
        chosen += [titles.entries[n] for _, n in found_titles[: limit - len(chosen)]]
        return [_as_suggestion(entry) for entry in chosen]


def _newest_first(date: str) -> str:
    """A key that sorts ISO dates descending (and undated last)."""
    return "".join(chr(0x10FFFF - ord(char)) for char in date) if date else "\U0010ffff"


def _entity_entries(searcher: Searcher) -> list[Entry]:
    entries = []
    for facet in ENTITY_FACETS:
        kind = facet.param
        values, value_idx, _docs = searcher.facet_postings(facet.filter_field)
        counts = np.bincount(value_idx, minlength=len(values)) if values else []
        entries += [
            Entry(kind, value, int(count)) for value, count in zip(values, counts, strict=True) if count
        ]
    return entries


def _title_entries(searcher: Searcher) -> TitleEntries:
    titles, doc_ids, dates = [], [], []
    for docnum in np.flatnonzero(searcher.matching(None)).tolist():
        fields = searcher.stored(docnum)
        date = fields.get("date")
        if fields.get("title"):
            titles.append(fields["title"])
            doc_ids.append(fields["id"])
            dates.append(date.date().isoformat() if date else "")
    return TitleEntries(titles, doc_ids, dates)


def _as_suggestion(entry: Entry) -> dict:
    kind_label = TITLE_LABEL if entry.kind == "title" else FILTERS[entry.kind].label
    suggestion = {"kind": entry.kind, "kind_label": kind_label, "label": entry.label}
    if entry.kind == "title":
        suggestion.update(id=entry.doc_id, date=entry.date or None, url=doc_url(entry.doc_id))
    else:
        suggestion.update(count=entry.count, url=filter_url(entry.kind, entry.label))
    return suggestion
