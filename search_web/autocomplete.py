"""Suggestions for the query box: places, organisations, topics and announcement titles.

Everything is answered from sorted word-prefix tables built once per searcher
generation: entity names come from the facet value lists (with their document
counts), titles from one pass over the stored fields. A lookup is then a binary
search, so typing stays fast on the whole corpus.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import weakref
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from indexer.index import Searcher
from search_web.links import doc_url, filter_url

MAX_SUGGESTIONS = 10
MAX_ENTITY_SUGGESTIONS = 6  # titles fill the rest
MAX_PREFIX = 100
KEY_CHARS = 40  # table keys are cut here: long prefixes are checked against the whole label
MAX_SCAN = 3000
MIN_TITLE_PREFIX = 2  # one letter matches too many titles to be useful
ENTITY_FIELDS = {"place": "place_any", "org": "org", "topic": "topic"}  # parameter -> index field
KIND_LABELS = {"place": "Ort", "org": "Organisation", "topic": "Thema", "title": "Meldung"}
_WORD_START = re.compile(r"(?<![\w])\w", re.UNICODE)


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: "Züsch" and "zusch" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def word_suffixes(text: str) -> list[str]:
    """The text from every word start on: "Kell am See" -> kell am see, am see, see."""
    folded = normalise(text)
    return [folded[match.start() :] for match in _WORD_START.finditer(folded)]


@dataclass(frozen=True)
class Entry:
    kind: str  # place, org, topic, title
    label: str
    count: int = 0  # documents naming the entity (entities only)
    doc_id: str = ""
    date: str = ""


class PrefixTable:
    """Sorted (word suffix, entry number) pairs; a prefix is found by bisection."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._folded = [normalise(entry.label) for entry in entries]
        pairs = sorted(
            (suffix[:KEY_CHARS], number)
            for number, entry in enumerate(entries)
            for suffix in word_suffixes(entry.label)
        )
        self._keys = [key for key, _ in pairs]
        self._numbers = [number for _, number in pairs]

    def matching(self, prefix: str) -> list[tuple[bool, int]]:
        """(prefix starts the whole label, entry number) for entries with a word starting with prefix.

        At most MAX_SCAN table rows are read, so a one-letter prefix stays fast (and partial)."""
        found: dict[int, bool] = {}
        key_prefix = prefix[:KEY_CHARS]
        start = bisect_left(self._keys, key_prefix)
        for position in range(start, min(start + MAX_SCAN, len(self._keys))):
            if not self._keys[position].startswith(key_prefix):
                break
            number = self._numbers[position]
            folded = self._folded[number]
            if prefix in folded:
                found[number] = found.get(number, False) or folded.startswith(prefix)
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
        found_titles = sorted(
            titles.matching(prefix),
            key=lambda item: (
                not item[0],
                _newest_first(titles.entries[item[1]].date),
                titles.entries[item[1]].label,
            ),
        )
        chosen += [titles.entries[n] for _, n in found_titles[: limit - len(chosen)]]
        return [_as_suggestion(entry) for entry in chosen]


def _newest_first(date: str) -> str:
    """A key that sorts ISO dates descending (and undated last)."""
    return "".join(chr(0x10FFFF - ord(char)) for char in date) if date else "\U0010ffff"


def _entity_entries(searcher: Searcher) -> list[Entry]:
    entries = []
    for kind, field_name in ENTITY_FIELDS.items():
        values, value_idx, _docs = searcher.facet_postings(field_name)
        counts = np.bincount(value_idx, minlength=len(values)) if values else []
        entries += [
            Entry(kind, value, int(count)) for value, count in zip(values, counts, strict=True) if count
        ]
    return entries


def _title_entries(searcher: Searcher) -> list[Entry]:
    entries = []
    for docnum in np.flatnonzero(searcher.matching(None)).tolist():
        fields = searcher.stored(docnum)
        date = fields.get("date")
        if fields.get("title"):
            entries.append(
                Entry(
                    "title",
                    fields["title"],
                    doc_id=fields["id"],
                    date=date.date().isoformat() if date else "",
                )
            )
    return entries


def _as_suggestion(entry: Entry) -> dict:
    suggestion = {"kind": entry.kind, "kind_label": KIND_LABELS[entry.kind], "label": entry.label}
    if entry.kind == "title":
        suggestion.update(id=entry.doc_id, date=entry.date or None, url=doc_url(entry.doc_id))
    else:
        suggestion.update(count=entry.count, url=filter_url(entry.kind, entry.label))
    return suggestion
