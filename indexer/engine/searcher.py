"""The Searcher: one index generation, warm. It parses queries, scores them (numpy BM25F over
cached postings, checked against Whoosh's own in tests/test_bm25f.py), builds the masks of
filters and dates, ranks, counts facets, and finds documents, similar ones and snippets.

Part of the engine (indexer/engine/, whose ``__init__`` is the one public face): nothing outside
indexer/engine/ imports ``whoosh``; the private Whoosh members used here are listed in
whoosh_private.py. Schema and codec: schema.py; opening: storage.py; writing: writing.py;
postings: postings.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh import index, query

from indexer.engine.facets import COUNTED_FIELDS, FILTERED_FIELDS
from indexer.engine.matching import Word
from indexer.engine.postings import read_postings, weighted_terms
from indexer.engine.query import ParsedQuery, QueryBuilder, title_key
from indexer.engine.reranking import RERANK_DEPTH, reranked
from indexer.engine.schema import decode_document
from indexer.engine.selection import Selection
from indexer.engine.snippets import best_passage
from indexer.text.analysis import TOKEN_PATTERN
from indexer.text.lemmas import fold

BM25_K1, BM25_B = 1.2, 0.75  # Whoosh's defaults
EXACT_TITLE_DEPTH = 20  # an announcement whose title equals the query is looked for this deep
WORD_TIER = 1e6  # a document matching more of the query's words ranks above one matching fewer
WRITTEN_WORD = TOKEN_PATTERN  # as the exact-form field splits text
POSITIONAL_CACHE_SIZE = 16  # phrase masks, one byte per document each
TERM_CACHE_SIZE = 4096  # postings of recent query terms, per index generation
TERM_CACHE_BYTES = 48 * 2**20  # ... and at most this much of them (frequent terms are big)


def _serialised(method):
    """Whoosh readers are not safe for concurrent use: one thread at a time reads through
    a Searcher. Searches are CPU-bound pure Python, so threads lose nothing by it."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class Searcher:
    """A reusable view of one index generation, with cached facet postings."""

    def __init__(self, idx: index.Index):
        self._index = idx
        self._searcher = idx.searcher()
        self._postings: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._term_ids: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._term_bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self._positional: dict[query.Query, np.ndarray] = {}  # oldest first
        self._unit_masks: dict[int, tuple] = {}
        self._live_mask: np.ndarray | None = None
        self._date_days: np.ndarray | None = None
        self._queries = QueryBuilder(idx.schema)
        self.rerank = True  # the second ranking pass (reranking.py); off for a baseline

    # -- lifecycle ---------------------------------------------------------
    @_serialised
    def warm(self) -> Searcher:
        """Load what the first search would otherwise wait for (facets, lengths, dates)."""
        self._live()
        self._dates()
        for field in dict.fromkeys((*COUNTED_FIELDS, *FILTERED_FIELDS)):
            self.facet_postings(field)
        for field in ("title", "body", "exact"):
            self._field_lengths(field)
        self.parse("warm")
        return self

    def up_to_date(self) -> bool:
        """False once a newer generation has been committed."""
        return self._searcher.up_to_date()

    def refreshed(self) -> Searcher:
        """This searcher, or a new one if the index has changed on disk."""
        if self._searcher.up_to_date():
            return self
        # The old searcher is not closed here: requests in flight may still read it;
        # its files are released when the last reference goes.
        return Searcher(self._index).warm()

    @property
    def doc_count(self) -> int:
        return self._searcher.doc_count()

    @property
    def doc_limit(self) -> int:
        return self._searcher.reader().doc_count_all()

    def last_modified(self) -> float:
        return self._index.last_modified()

    # -- queries -----------------------------------------------------------
    @_serialised
    def parse(self, text: str, budget=None, correct: bool = True):
        """A user query as a Whoosh query; None when nothing searchable is left. Its expansions
        stay within budget (an indexer.engine.budget.Budget; a fresh one if None); correct=False searches
        the words as typed."""
        return self._queries.build(text, self._searcher.reader(), budget, correct=correct)

    @_serialised
    def words(self, parsed: ParsedQuery) -> list[Word]:
        """The query's required words with the documents each is found in (indexer/engine/matching.py)."""
        live = self._live()
        units = parsed.words()
        masks = [self._mask(unit) for _label, unit in units]
        self._unit_masks = {id(parsed.strict): (parsed.strict, masks)}  # the latest search only
        return [Word(label, mask & live) for (label, _unit), mask in zip(units, masks, strict=True)]

    @_serialised
    def live(self) -> np.ndarray:
        """Every live document."""
        return self._live().copy()

    @_serialised
    def written_form(self, term: str, sample: int = 5) -> str:
        """How the announcements write an exact-form (folded) term, "roedelheim" as Rödelheim:
        the most frequent spelling in the first few documents that contain it."""
        ids = self._term_postings("exact", term)[0][:sample]
        forms: Counter = Counter()
        for docnum in ids.tolist():
            stored = self._searcher.stored_fields(docnum)
            text = f"{stored.get('title', '')} {stored.get('body', '')}"
            forms.update(w for w in WRITTEN_WORD.findall(text) if fold(w) == term)
        return forms.most_common(1)[0][0] if forms else term

    @_serialised
    def matching(self, parsed: ParsedQuery | None) -> np.ndarray:
        """Boolean mask over doc numbers of the documents the query finds."""
        if parsed is None:  # no query: every live document
            return self._live().copy()
        return self._mask(parsed.loose) & self._live()

    @_serialised
    def ranked(self, parsed: ParsedQuery | None, allowed: np.ndarray, sort: str, offset: int, limit: int):
        """One page of hits as (doc number, score): documents matching more of the words
        first, each tier by BM25F relevance, its best RERANK_DEPTH by a second pass (reranking.py:
        a page below them is the same without it, so it is skipped there); or newest or oldest
        first. Any page: the key of every candidate is computed anyway, and only the hits up to
        the page are ordered."""
        candidates = np.flatnonzero(allowed)
        by_relevance = parsed is not None and sort not in ("date", "date_asc")
        if by_relevance:
            scores = self._scores(parsed.loose)[candidates]
            key = scores + self._words_matched(parsed.strict)[candidates] * WORD_TIER
        else:  # newest first, or oldest first ("date_asc"; undated announcements come last)
            days = self._dates()[candidates].astype(np.float64)
            key = np.where(days > -1_000_000, -days, -np.inf) if sort == "date_asc" else days
            scores = np.zeros(len(candidates))
        if offset + limit <= 0 or not len(candidates):
            return []
        depth = max(EXACT_TITLE_DEPTH, RERANK_DEPTH if self.rerank else 0) if by_relevance else 0
        wanted = min(max(offset + limit, depth), len(candidates))
        top = np.argpartition(-key, wanted - 1)[:wanted] if wanted < len(candidates) else np.arange(len(key))
        if by_relevance and wanted < len(candidates):  # every tie at the cut: the same head for every page
            top = np.flatnonzero(key >= key[top].min())
        top = top[np.lexsort((candidates[top], -key[top]))]  # ties: lower doc number first
        if by_relevance and self.rerank and offset < RERANK_DEPTH:  # the second pass (reranking.py)
            top = reranked(top, candidates[top], key[top], parsed, self)
        if by_relevance and parsed.title_key:
            top = self._exact_titles_first(top, candidates, parsed.title_key)
        return [(int(candidates[i]), float(scores[i])) for i in top[offset : offset + limit]]

    def _exact_titles_first(self, top: np.ndarray, candidates: np.ndarray, key: str) -> np.ndarray:
        """A title equal to the query puts its announcement first: someone who types (or
        pastes) a headline wants that announcement, not one that repeats its words more often."""
        head = top[:EXACT_TITLE_DEPTH]
        exact = [title_key(self._searcher.stored_fields(int(candidates[i]))["title"]) == key for i in head]
        if not any(exact):
            return top
        order = sorted(range(len(head)), key=lambda n: not exact[n])  # stable: best exact title first
        return np.concatenate([head[order], top[EXACT_TITLE_DEPTH:]])

    # -- relevance, vectorised ---------------------------------------------
    def _words_matched(self, strict) -> np.ndarray:
        """How many of the query's words (each with its alternatives) a document matches:
        one that has two of three words outranks one that has a single rare word three times."""
        words = strict.subqueries if isinstance(strict, query.And) else [strict]
        known = self._unit_masks.get(id(strict))  # from words() for the same search: not computed twice
        masks = known[1] if known and known[0] is strict else [self._mask(word) for word in words]
        return np.sum(masks, axis=0, dtype=np.int32)

    def _scores(self, q) -> np.ndarray:
        """BM25F over the query's positive terms, computed on postings with numpy, without Whoosh's
        per-document Python loop: Whoosh's BM25F saturation on its stored weights and field lengths,
        with the probabilistic idf log(1 + (N - n + 0.5) / (n + 0.5)) instead of Whoosh's
        log(N / (n + 1)) + 1, and the field boost applied once more (tests/test_bm25f.py)."""
        total = np.zeros(self.doc_limit)
        for field, text, boost, typed in weighted_terms(q):
            ids, freqs = self._term_postings(field, text)
            if not len(ids):
                continue
            lengths = self._field_lengths(field)[ids]
            average = self._average_length(field)
            idf = self._idf(len(ids))
            if typed is not None:  # an alternative is worth no more than the word typed (its rarity capped)
                typed_count = len(self._term_postings(field, typed)[0])
                idf = min(idf, self._idf(typed_count)) if typed_count else idf
            norm = freqs * (BM25_K1 + 1) / (freqs + BM25_K1 * (1 - BM25_B + BM25_B * lengths / average))
            field_boost = self._searcher.schema[field].format.field_boost
            np.add.at(total, ids, boost * field_boost * idf * norm)
        return total

    def _idf(self, doc_frequency: int) -> float:
        return float(np.log(1 + (self.doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5)))

    def _field_lengths(self, field: str) -> np.ndarray:
        lengths = self._lengths.get(field)
        if lengths is None:
            reader = self._searcher.reader()
            lengths = np.fromiter(
                (reader.doc_field_length(n, field, 0) for n in range(self.doc_limit)),
                dtype=np.float64,
                count=self.doc_limit,
            )
            self._lengths[field] = lengths
        return lengths

    def _average_length(self, field: str) -> float:
        return max(self._searcher.reader().field_length(field) / max(self.doc_count, 1), 1.0)

    def _term_postings(self, field: str, text) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        found = self._term_ids.get(key)
        if found is not None:
            self._term_ids.move_to_end(key)  # least recently used terms go first
        else:
            try:
                found = read_postings(self._searcher.reader().postings(field, text))
            except Exception:  # noqa: BLE001 - an unknown term or field matches nothing
                found = (np.zeros(0, np.int64), np.zeros(0, np.float64))
            self._term_ids[key] = found
            self._term_bytes += found[0].nbytes + found[1].nbytes
            while len(self._term_ids) > 1 and (
                len(self._term_ids) > TERM_CACHE_SIZE or self._term_bytes > TERM_CACHE_BYTES
            ):
                old_ids, old_freqs = self._term_ids.popitem(last=False)[1]
                self._term_bytes -= old_ids.nbytes + old_freqs.nbytes
        return found

    # -- fast boolean evaluation -------------------------------------------
    def _live(self) -> np.ndarray:
        if self._live_mask is None:
            reader = self._searcher.reader()
            mask = np.ones(self.doc_limit, dtype=bool)
            if reader.has_deletions():
                mask[[n for n in range(self.doc_limit) if reader.is_deleted(n)]] = False
            self._live_mask = mask
        return self._live_mask

    def _dates(self) -> np.ndarray:
        """Each document's date as days since 1970 (undated: oldest), for date sorting."""
        if self._date_days is None:
            days = np.full(self.doc_limit, -1_000_000, dtype=np.int64)
            if not self.doc_limit:  # an empty index (a first build not yet committed) has no columns
                self._date_days = days
                return days
            column = self._searcher.reader().column_reader("date")
            for docnum in range(self.doc_limit):
                try:
                    value = column[docnum]
                except (OverflowError, ValueError):
                    continue  # an undated document: Whoosh stores a sentinel it cannot convert
                if value:
                    days[docnum] = (value - dt.datetime(1970, 1, 1)).days
            self._date_days = days
        return self._date_days

    def _mask(self, q) -> np.ndarray:
        """The documents a query matches, from postings with numpy; Whoosh's matchers
        (pure Python, per document) only for phrases and other positional queries."""
        if isinstance(q, query.Term):
            return self._term_mask(q.fieldname, q.text)
        if isinstance(q, query.Or):
            return (
                np.logical_or.reduce([self._mask(sub) for sub in q.subqueries])
                if q.subqueries
                else self._none()
            )
        if isinstance(q, query.And):
            return (
                np.logical_and.reduce([self._mask(sub) for sub in q.subqueries])
                if q.subqueries
                else self._none()
            )
        if isinstance(q, query.AndNot):
            return self._mask(q.a) & ~self._mask(q.b)
        if isinstance(q, query.Not):
            return ~self._mask(q.query)
        if q is query.NullQuery:
            return self._none()
        if isinstance(q, query.Every):
            return self._live().copy()
        return self._positional_mask(q).copy()

    def _positional_mask(self, q) -> np.ndarray:
        """Phrases walk positions document by document in Whoosh (a second for "schwer verletzt"
        at 250,000 documents): kept for the next page, facet click or reading of the same query."""
        mask = self._positional.get(q)
        if mask is None:
            mask = self._none()
            mask[list(self._searcher.docs_for_query(q))] = True
            if len(self._positional) >= POSITIONAL_CACHE_SIZE:
                self._positional.pop(next(iter(self._positional)))
            self._positional[q] = mask
        return mask

    def _none(self) -> np.ndarray:
        return np.zeros(self.doc_limit, dtype=bool)

    def _term_mask(self, field: str, text) -> np.ndarray:
        mask = self._none()
        mask[self._term_postings(field, text)[0]] = True
        return mask

    @_serialised
    def stored(self, docnum: int) -> dict:
        return self._searcher.stored_fields(docnum)

    def document_at(self, docnum: int) -> dict:
        """The announcement at a document number, decoded (decode_document)."""
        return decode_document(self.stored(docnum))

    @_serialised
    def docnum_for_id(self, doc_id: str) -> int | None:
        return self._searcher.document_number(id=doc_id)

    def document(self, doc_id: str) -> dict | None:
        """The announcement with this id, decoded; None if there is none."""
        docnum = self.docnum_for_id(doc_id)
        return None if docnum is None else self.document_at(docnum)

    def similar(self, doc_id: str, top: int = 5) -> list[dict]:
        """The announcements most like this one (by their bodies' key terms), decoded."""
        docnum = self.docnum_for_id(doc_id)
        return (
            [] if docnum is None else [self.document_at(other) for other in self.more_like(docnum, top=top)]
        )

    def select(self, parsed, filters: dict[str, list[str]], dates=(None, None), require_all: bool = False):
        """What a search selects (indexer/engine/selection.py): the query's words, dates and filters."""
        return Selection(self, parsed, filters, dates, require_all)

    def value_totals(self, field: str) -> list[tuple[str, int]]:
        """Every value of a facet field with the number of its postings (no selection: suggestions)."""
        values, value_idx, _docs = self.facet_postings(field)
        counts = np.bincount(value_idx, minlength=len(values)) if values else []
        return [(value, int(count)) for value, count in zip(values, counts, strict=True) if count]

    def live_documents(self) -> Iterator[dict]:
        """Every live announcement (id, title, date), in document order."""
        for docnum in np.flatnonzero(self.matching(None)).tolist():
            yield decode_document(self.stored(docnum), brief=True)

    def newest_documents(self, limit: int) -> list[dict]:
        """The newest announcements (id, title, date; undated last)."""
        ranked = self.ranked(None, self.matching(None), "date", 0, self.doc_count)
        return [decode_document(self.stored(docnum), brief=True) for docnum, _score in ranked[:limit]]

    @_serialised
    def snippet(self, parsed: ParsedQuery, text: str, title: str = "") -> list[tuple[str, bool]]:
        """The best passage of a body for the query, each matched word marked once; empty if
        none matches (see indexer/engine/snippets.py). Negated words are never marked."""
        weighted = weighted_terms(parsed.loose)
        terms = frozenset(text_ for field, text_, _boost, _typed in weighted if field == "body")
        try:
            return best_passage(text, terms, title)
        except Exception:  # noqa: BLE001 - a snippet is never worth a failed search
            return []

    @_serialised
    def more_like(self, docnum: int, top: int = 5) -> list[int]:
        hits = self._searcher.more_like(docnum, "body", top=top)
        return [hit.docnum for hit in hits]

    # -- facets ------------------------------------------------------------
    @_serialised
    def facet_postings(self, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(values, value index per posting, doc number per posting), cached."""
        cached = self._postings.get(field)
        if cached is None:
            reader = self._searcher.reader()
            values, value_idx, doc_ids = [], [], []
            terms = reader.lexicon(field) if field in self._searcher.schema else []  # older index
            for term in terms:
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                ids = read_postings(reader.postings(field, term))[0]
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

    @_serialised
    def value_mask(self, field: str, selected: list[str]) -> np.ndarray:
        """Documents that carry any of the selected values (disjunction)."""
        values, value_idx, doc_ids = self.facet_postings(field)
        wanted = np.isin(value_idx, [values.index(v) for v in selected if v in values])
        mask = np.zeros(self.doc_limit, dtype=bool)
        mask[doc_ids[wanted]] = True
        return mask

    @_serialised
    def date_mask(self, start: dt.date | None, end: dt.date | None) -> np.ndarray:
        """Documents dated within [start, end], from the cached dates (undated: never)."""
        epoch = dt.date(1970, 1, 1)
        days = self._dates()
        mask = self._live() & (days > -1_000_000)
        if start:
            mask &= days >= (start - epoch).days
        if end:
            mask &= days <= (end - epoch).days
        return mask

    @_serialised
    def facet_counts(self, field: str, mask: np.ndarray) -> list[tuple[str, int]]:
        values, value_idx, doc_ids = self.facet_postings(field)
        if not values:
            return []
        counts = np.bincount(value_idx[mask[doc_ids]], minlength=len(values))
        nonzero = np.flatnonzero(counts)
        return [(values[i], int(counts[i])) for i in nonzero]

    @_serialised
    def facet_date_ranges(self, field: str, mask: np.ndarray) -> dict[str, tuple[dt.date, dt.date]]:
        """First and last date of the documents in the mask, per value of a facet (undated: left out)."""
        values, value_idx, doc_ids = self.facet_postings(field)
        days = self._dates()[doc_ids]
        keep = mask[doc_ids] & (days > -1_000_000)
        if not values or not keep.any():
            return {}
        first = np.full(len(values), np.iinfo(np.int64).max)
        last = np.full(len(values), np.iinfo(np.int64).min)
        np.minimum.at(first, value_idx[keep], days[keep])
        np.maximum.at(last, value_idx[keep], days[keep])
        epoch = dt.date(1970, 1, 1)
        return {
            values[i]: (epoch + dt.timedelta(days=int(first[i])), epoch + dt.timedelta(days=int(last[i])))
            for i in np.flatnonzero(last > np.iinfo(np.int64).min)
        }
