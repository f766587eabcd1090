"""The search engine's one public face (in the shape of microblog's ``app/search.py``).

Callers open an index, write documents, and search; what comes back is plain Python data
(dicts, lists, numbers, strings): no numpy array and no Whoosh object leaves the package. Whoosh
is imported only inside ``indexer/engine/``; its private members are listed in
``whoosh_private.py``. A second engine (the OpenSearch path in docs/scaling.md) replaces this
package, not the web layer.

- ``open_index(path)``: a warm searcher of the index's current generation (``Searcher``); it
  parses queries (``parse``), makes selections (``select`` -> ``Selection``: total, ranked hits,
  facet counts), finds a document (``document``), similar documents (``similar``), facet values
  (``value_totals``) and the documents for sitemaps and suggestions.
- ``writer(path)``: an ``IndexWriter`` (``add``/``delete``/``commit``) on the index at path.
- ``document(...)``: an ``IndexDocument``, one announcement as the index stores it.
- ``search(searcher, query, filters, dates, sort, page)``: one page of a search as a ``Result``.
- helpers on plain text the web layer shares with the engine: ``lead`` (a teaser),
  ``is_near_duplicate``, the suggestion tables (``PrefixTable``, ``CompactStrings``,
  ``normalise``) and ``warm_query_analysis``.

Beside the face the web layer reads only the facet registry (``indexer.engine.facets``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from indexer.engine.budget import Budget
from indexer.engine.duplicates import is_near_duplicate
from indexer.engine.expansion import warm_query_analysis
from indexer.engine.prefixes import CompactStrings, PrefixTable, normalise
from indexer.engine.schema import IndexDocument
from indexer.engine.searcher import Searcher
from indexer.engine.selection import Hit, RankedDocuments, Selection
from indexer.engine.snippets import lead
from indexer.engine.storage import open_existing, open_or_create, unreadable_reason
from indexer.engine.writing import IndexWriter

__all__ = [
    "Budget",
    "CompactStrings",
    "Hit",
    "IndexDocument",
    "IndexWriter",
    "PrefixTable",
    "RankedDocuments",
    "Result",
    "Searcher",
    "Selection",
    "document",
    "is_near_duplicate",
    "lead",
    "normalise",
    "open_index",
    "search",
    "unreadable_reason",
    "warm_query_analysis",
    "writer",
]

document = IndexDocument  # one announcement as the index stores it


def open_index(path: Path) -> Searcher:
    """A warm searcher of the index at path (FileNotFoundError with how to build it if there is none)."""
    return Searcher(open_existing(path)).warm()


def writer(path: Path) -> IndexWriter:
    """A writer on the index at path (created if there is none); changes are visible at commit."""
    return IndexWriter(open_or_create(path))


@dataclass
class Result:
    """One page of a search, as plain data."""

    total: int  # announcements selected
    hits: list[dict]  # the page: each announcement decoded, with "score" and "missing_words"
    facets: dict[str, list[tuple[str, int]]]  # field -> (value, count), under every filter but its own
    matched_all: bool = True  # False: no announcement has every word; these have the most of them
    dropped: list[str] = field(default_factory=list)  # the words left out then
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (word, closest known spelling)


def search(
    searcher: Searcher,
    query: str,
    filters: dict[str, list[str]] | None = None,
    dates: tuple[dt.date | None, dt.date | None] = (None, None),
    sort: str = "relevance",
    page: tuple[int, int] = (1, 10),
    facets: tuple[tuple[str, str], ...] = (),
    budget: Budget | None = None,
) -> Result:
    """Page (number, size) of the announcements query selects under filters (URL parameter ->
    values, indexer/engine/facets.py) and dates (first, last day), sorted by "relevance", "date"
    or "date_asc"; facets: (field, parameter) pairs to count."""
    parsed = searcher.parse(query, budget) if query.strip() else None
    chosen = searcher.select(parsed, dict(filters or {}), dates)
    number, size = page
    hits = [
        {**hit.document, "score": hit.score, "missing_words": hit.missing_words}
        for hit in chosen.hits(sort, (number - 1) * size, size)
    ]
    return Result(
        total=chosen.total,
        hits=hits,
        facets={name: chosen.facet_counts(name, param) for name, param in facets},
        matched_all=chosen.matched_all,
        dropped=list(chosen.dropped),
        corrections=list(parsed.corrections) if parsed is not None else [],
    )
