"""Suggestions for the query box: places, organisations, topics and announcement titles.

Everything is answered from sorted word-prefix tables built once per searcher
generation: entity names come from the facet value lists (with their document
counts), titles from one pass over the stored fields. A lookup is then a binary
search, so typing stays fast on the whole corpus (the tables: indexer/engine/prefixes.py).
"""

from __future__ import annotations

import logging
import threading
import weakref
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.engine import CompactStrings, PrefixTable, Searcher, normalise
from indexer.engine.facets import ENTITY_SEGMENTS, FILTERS
from search_web.links import doc_url, filter_url

MAX_SUGGESTIONS = 10
MAX_ENTITY_SUGGESTIONS = 6  # titles fill the rest
MAX_PREFIX = 100
MIN_TITLE_PREFIX = 2  # one letter matches too many titles to be useful
ENTITY_FACETS = tuple(ENTITY_SEGMENTS.values())  # place (every level), org, topic
TITLE_LABEL = "Meldung"


@dataclass(frozen=True)
class Entry:
    kind: str  # place, org, topic, title
    label: str
    count: int = 0  # documents naming the entity (entities only)
    doc_id: str = ""
    date: str = ""


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
        entries += [
            Entry(facet.param, value, count) for value, count in searcher.value_totals(facet.filter_field)
        ]
    return entries


def _title_entries(searcher: Searcher) -> TitleEntries:
    titles, doc_ids, dates = [], [], []
    for document in searcher.live_documents():
        if document["title"]:
            titles.append(document["title"])
            doc_ids.append(document["id"])
            dates.append(document["date"] or "")
    return TitleEntries(titles, doc_ids, dates)


def _as_suggestion(entry: Entry) -> dict:
    kind_label = TITLE_LABEL if entry.kind == "title" else FILTERS[entry.kind].label
    suggestion = {"kind": entry.kind, "kind_label": kind_label, "label": entry.label}
    if entry.kind == "title":
        suggestion.update(id=entry.doc_id, date=entry.date or None, url=doc_url(entry.doc_id))
    else:
        suggestion.update(count=entry.count, url=filter_url(entry.kind, entry.label))
    return suggestion
