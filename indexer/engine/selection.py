"""What one search selects, as masks over the documents of one searcher; callers get plain data.

A selection is the words read from the query (each with the documents it is found in), the
announcements with all of them or the best partial set (indexer/engine/matching.py), the date
range and every filter. The page, the API, the exports, the entity and browse pages all count,
rank and list exactly this; the masks never leave the engine, and the document numbers are only
meaningful within the searcher they came from (a reopened index numbers anew).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from indexer.engine.facets import FILTER_FIELDS
from indexer.engine.matching import Match, Word, any_word, match, missing_words


@dataclass(frozen=True)
class Hit:
    """One ranked announcement: its stored fields decoded (indexer/engine/schema.py, decode_document),
    its score and the query's words it lacks (as typed)."""

    document: dict
    score: float
    missing_words: list[str]


class RankedDocuments:
    """Announcements in ranked order, decoded when iterated."""

    def __init__(self, searcher, docnums: list[int]):
        self._searcher, self._docnums = searcher, docnums

    def __len__(self) -> int:
        return len(self._docnums)

    def __iter__(self) -> Iterator[dict]:
        return (self._searcher.document_at(docnum) for docnum in self._docnums)


class Selection:
    def __init__(self, searcher, parsed, filters: dict[str, list[str]], dates, require_all: bool = False):
        """filters: URL parameter -> values (indexer/engine/facets.py says which field each filters);
        dates: (first, last) day, either None for open."""
        self.searcher = searcher
        self.parsed = parsed
        start, end = dates
        self._dated = searcher.date_mask(start, end) if start or end else None
        self._filter_masks = {
            param: searcher.value_mask(FILTER_FIELDS[param], values) for param, values in filters.items()
        }
        scope = searcher.live()
        for mask in (self._dated, *self._filter_masks.values()):
            if mask is not None:
                scope &= mask
        # Counts describe the announcements with every word of the query (indexer/engine/matching.py).
        self._words: list[Word] = searcher.words(parsed) if parsed is not None else []
        words, live = self._words, searcher.live()
        outcome = match(words, live, require_all=require_all) if words else None
        if outcome is not None and outcome.all_words and not (outcome.mask & scope).any():
            # all words occur together, but not under these filters: the best partial set among them
            outcome = match(words, scope, require_all=require_all)
        self._outcome: Match | None = outcome
        base = outcome.mask if outcome else searcher.matching(None)
        if self._dated is not None:
            base &= self._dated
        self._base = base  # words and dates: what the facets count under, with every filter but their own
        self._selected = base & scope  # under every filter: what is counted, listed and exported

    # -- the outcome of the words -----------------------------------------
    @property
    def has_words(self) -> bool:
        return bool(self._words)

    @property
    def matched_all(self) -> bool:
        return self._outcome is None or self._outcome.all_words

    @property
    def required(self) -> tuple[str, ...]:
        return self._outcome.required if self._outcome else ()

    @property
    def dropped(self) -> tuple[str, ...]:
        return self._outcome.dropped if self._outcome else ()

    @property
    def found(self) -> int:
        """How many of the words each selected announcement contains."""
        return self._outcome.found if self._outcome else 0

    # -- what is selected --------------------------------------------------
    @property
    def total(self) -> int:
        return int(self._selected.sum())

    def hits(self, sort: str, offset: int, limit: int) -> list[Hit]:
        """One page of the selected announcements, ranked (Searcher.ranked)."""
        return self._hits(self._selected, sort, offset, limit)

    def partial_hits(self, sort: str, limit: int) -> list[Hit]:
        """Announcements with only some of the words, not selected, under the same dates and
        filters, ranked by how many words they have: a known item that lacks one word the user
        remembers stays on the page."""
        partial = any_word(self._words, self.searcher.live()) & ~self._selected
        for mask in (self._dated, *self._filter_masks.values()):
            if mask is not None:
                partial &= mask
        return self._hits(partial, sort, 0, limit)

    def documents(self, sort: str, limit: int) -> RankedDocuments:
        """The first limit selected announcements in ranked order, decoded one by one as they are
        read (an export streams thousands)."""
        ranked = self.searcher.ranked(self.parsed, self._selected, sort, 0, min(limit, self.total))
        return RankedDocuments(self.searcher, [docnum for docnum, _score in ranked])

    def _hits(self, mask: np.ndarray, sort: str, offset: int, limit: int) -> list[Hit]:
        ranked = self.searcher.ranked(self.parsed, mask, sort, offset, limit)
        return [
            Hit(self.searcher.document_at(docnum), score, missing_words(self._words, docnum))
            for docnum, score in ranked
        ]

    # -- counts --------------------------------------------------------------
    def facet_counts(self, field: str, param: str) -> list[tuple[str, int]]:
        """(value, count) of a field, counted under every filter but the one of param (disjunctive facets)."""
        mask = self._base.copy()
        for name, filter_mask in self._filter_masks.items():
            if name != param:
                mask &= filter_mask
        return self.searcher.facet_counts(field, mask)

    def counts(self, field: str) -> list[tuple[str, int]]:
        """(value, count) of a field among the selected announcements."""
        return self.searcher.facet_counts(field, self._selected)

    def date_spans(self, field: str) -> dict[str, tuple[dt.date, dt.date]]:
        """Per value of a field, the first and last date among the selected announcements."""
        return self.searcher.facet_date_ranges(field, self._selected)
