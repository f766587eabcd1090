"""The thin boundary around Whoosh: schema, writing, searching, facet postings.

Nothing outside this module imports ``whoosh``; a future engine replaces this
module, not the app.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import highlight, index, query, sorting
from whoosh.analysis import RegexTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import german_analyzer, surface_analyzer
from indexer.query import QueryBuilder, suggest_spelling

FACET_FIELDS = (
    "place",
    "org",
    "topic",
    "year",
    "source",
    "verband",
    "district",
    "state",
)
TITLE_BOOST = 2.0
_SEPARATOR = "\x1f"  # joins facet values; never occurs in names


def build_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=analyzer, stored=True),
        # Words as written (folded, not lemmatised): exact forms and phrases rank first.
        exact=TEXT(analyzer=surface_analyzer(), field_boost=0.5),
        date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True),
        month=ID(stored=True),
        source=ID(stored=True),
        url=STORED(),
        place=_facet_field(),
        org=_facet_field(),
        topic=_facet_field(),
        verband=_facet_field(),
        district=_facet_field(),
        state=_facet_field(),
        place_any=_facet_field(),  # every level, so a district filter finds its towns
        details=STORED(),  # JSON: topic explanations, entities
        content_hash=ID(stored=True),
    )


def _facet_field() -> KEYWORD:
    """Stored keywords split on the separator only: names keep their spaces."""
    field = KEYWORD(stored=True, scorable=False)
    field.analyzer = RegexTokenizer(r"[^\x1f]+")
    return field


def _keywords(values: Iterable[str]) -> str:
    return _SEPARATOR.join(v for v in values if v)


def open_or_create(path: Path) -> index.Index:
    """The index at path; a new one if there is none or its fields are outdated."""
    path.mkdir(parents=True, exist_ok=True)
    schema = build_schema()
    if index.exists_in(str(path)):
        existing = index.open_dir(str(path))
        if sorted(existing.schema.names()) == sorted(schema.names()):
            return existing
    return index.create_in(str(path), schema)  # an outdated index is rebuilt from scratch


def open_existing(path: Path) -> index.Index:
    if not index.exists_in(str(path)):
        raise FileNotFoundError(
            f"Kein Index in '{path}'. Erst bauen: .venv/bin/python -m indexer build --index {path} corpus/"
        )
    return index.open_dir(str(path))


@dataclass
class IndexDocument:
    """One announcement as the index stores it."""

    id: str
    title: str
    body: str
    date: dt.date | None
    url: str
    source: str
    places: list[str]
    orgs: list[str]
    topics: list[str]
    hierarchy: dict[str, list[str]]  # level -> values (verband, district, state)
    details: dict
    content_hash: str

    def fields(self) -> dict:
        fields = dict(
            id=self.id,
            title=self.title,
            body=self.body,
            exact=f"{self.title}\n{self.body}",
            source=self.source,
            url=self.url,
            place=_keywords(self.places),
            org=_keywords(self.orgs),
            topic=_keywords(self.topics),
            verband=_keywords(self.hierarchy.get("verband", [])),
            district=_keywords(self.hierarchy.get("district", [])),
            state=_keywords(self.hierarchy.get("state", [])),
            place_any=_keywords(
                {
                    *self.places,
                    *(v for values in self.hierarchy.values() for v in values),
                }
            ),
            details=json.dumps(self.details, ensure_ascii=False),
            content_hash=self.content_hash,
        )
        if self.date:
            fields["date"] = dt.datetime.combine(self.date, dt.time())
            fields["year"] = str(self.date.year)
            fields["month"] = self.date.strftime("%Y-%m")
        return fields


class IndexWriter:
    """Adds or replaces documents; everything becomes visible at commit."""

    def __init__(self, idx: index.Index, limitmb: int = 256):
        self._writer = idx.writer(limitmb=limitmb)

    def upsert(self, doc: IndexDocument) -> None:
        self._writer.update_document(**doc.fields())

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("id", doc_id)

    def commit(self, optimize: bool = False) -> None:
        self._writer.commit(optimize=optimize)

    def cancel(self) -> None:
        self._writer.cancel()


def stored_hashes(idx: index.Index) -> dict[str, str]:
    """id -> content hash of every document in the index."""
    with idx.searcher() as searcher:
        return {f["id"]: f.get("content_hash", "") for f in searcher.all_stored_fields()}


def document_count(path: Path) -> int:
    return open_existing(path).doc_count()


def split_keywords(value: str | None) -> list[str]:
    return [v for v in (value or "").split(_SEPARATOR) if v]


class _MarkFormatter(highlight.Formatter):
    """Fragments as (text, is_match) pieces; the caller escapes and marks them."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return [(highlight.get_text(text, token, replace), True)]

    def format_fragment(self, fragment, replace=False):
        pieces, index_ = [], fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar > index_:
                pieces.append((text[index_ : token.startchar], False))
            pieces += self.format_token(text, token, replace)
            index_ = max(index_, token.endchar)
        pieces.append((text[index_ : fragment.endchar], False))
        return pieces

    def format(self, fragments, replace=False):
        pieces = []
        for number, fragment in enumerate(fragments):
            if number:
                pieces.append((self.between, False))
            pieces += self.format_fragment(fragment, replace)
        return pieces


class Searcher:
    """A reusable view of one index generation, with cached facet postings."""

    def __init__(self, idx: index.Index):
        self._index = idx
        self._searcher = idx.searcher()
        self._postings: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._queries = QueryBuilder(idx.schema)
        self._fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)

    # -- lifecycle ---------------------------------------------------------
    def refreshed(self) -> Searcher:
        """This searcher, or a new one if the index has changed on disk."""
        if self._searcher.up_to_date():
            return self
        self.close()
        return Searcher(self._index)

    def close(self) -> None:
        self._searcher.close()

    @property
    def doc_count(self) -> int:
        return self._searcher.doc_count()

    @property
    def doc_limit(self) -> int:
        return self._searcher.reader().doc_count_all()

    def last_modified(self) -> float:
        return self._index.last_modified()

    # -- queries -----------------------------------------------------------
    def parse(self, text: str):
        """A user query as a Whoosh query; None when nothing searchable is left."""
        return self._queries.build(text, self._searcher.reader())

    def spelling_suggestion(self, text: str) -> str | None:
        return suggest_spelling(text, self._searcher)

    def matching(self, parsed) -> np.ndarray:
        """Boolean mask over doc numbers of the documents the query matches."""
        mask = np.zeros(self.doc_limit, dtype=bool)
        if parsed is None:  # no query: every live document
            ids = [n for n in range(self.doc_limit) if not self._searcher.reader().is_deleted(n)]
        else:
            ids = list(self._searcher.docs_for_query(parsed))
        mask[ids] = True
        return mask

    def ranked(self, parsed, allowed: np.ndarray, sort: str, offset: int, limit: int):
        """Doc numbers of one page of hits, best first, and their scores."""
        allowed_ids = set(np.flatnonzero(allowed).tolist())
        if not allowed_ids:
            return []
        q = parsed if parsed is not None else query.Every()
        sortedby = None
        if sort == "date" or parsed is None:
            sortedby = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True)])
        results = self._searcher.search(
            q, filter=allowed_ids, limit=offset + limit, sortedby=sortedby, terms=True
        )
        self._last_results = results
        return [(hit.docnum, hit.score, hit) for hit in results[offset : offset + limit]]

    def stored(self, docnum: int) -> dict:
        return self._searcher.stored_fields(docnum)

    def docnum_for_id(self, doc_id: str) -> int | None:
        return self._searcher.document_number(id=doc_id)

    def snippet(self, hit, field: str = "body") -> list[tuple[str, bool]]:
        """Best passages of a hit with matched words flagged; empty if none match."""
        text = hit.get(field) or ""
        hit.results.fragmenter = self._fragmenter
        hit.results.formatter = _MarkFormatter()
        try:
            return hit.highlights(field, text=text, top=2) or []
        except Exception:
            return []

    def more_like(self, docnum: int, top: int = 5) -> list[int]:
        hits = self._searcher.more_like(docnum, "body", top=top)
        return [hit.docnum for hit in hits]

    # -- facets ------------------------------------------------------------
    def facet_postings(self, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(values, value index per posting, doc number per posting), cached."""
        cached = self._postings.get(field)
        if cached is None:
            reader = self._searcher.reader()
            values, value_idx, doc_ids = [], [], []
            for term in reader.lexicon(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                ids = list(reader.postings(field, term).all_ids())
                value_idx.append(np.full(len(ids), len(values), dtype=np.int32))
                doc_ids.append(np.asarray(ids, dtype=np.int64))
                values.append(value)
            cached = (
                values,
                np.concatenate(value_idx) if value_idx else np.zeros(0, np.int32),
                np.concatenate(doc_ids) if doc_ids else np.zeros(0, np.int64),
            )
            self._postings[field] = cached
        return cached

    def value_mask(self, field: str, selected: list[str]) -> np.ndarray:
        """Documents that carry any of the selected values (disjunction)."""
        values, value_idx, doc_ids = self.facet_postings(field)
        wanted = np.isin(value_idx, [values.index(v) for v in selected if v in values])
        mask = np.zeros(self.doc_limit, dtype=bool)
        mask[doc_ids[wanted]] = True
        return mask

    def date_mask(self, start: dt.date | None, end: dt.date | None) -> np.ndarray:
        lo = dt.datetime.combine(start, dt.time()) if start else None
        hi = dt.datetime.combine(end, dt.time()) if end else None
        q = query.DateRange("date", lo, hi)
        mask = np.zeros(self.doc_limit, dtype=bool)
        mask[list(self._searcher.docs_for_query(q))] = True
        return mask

    def facet_counts(self, field: str, mask: np.ndarray) -> list[tuple[str, int]]:
        values, value_idx, doc_ids = self.facet_postings(field)
        if not values:
            return []
        counts = np.bincount(value_idx[mask[doc_ids]], minlength=len(values))
        nonzero = np.flatnonzero(counts)
        return [(values[i], int(counts[i])) for i in nonzero]
