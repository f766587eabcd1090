"""Baseline (a): Whoosh as its documentation sets it up, without our NLP.

`LanguageAnalyzer("de")` (lower-case, stop words, Snowball stemmer) on title and
body, title boosted like ours, an OR query over both fields, the top hits with
highlighted snippets, and facet counts on source and year with `groupedby` in a
second search: highlighting the hits of a Results computed with `groupedby` is
several times slower (measured before: p50 65 ms / p95 330 ms), so a sensible
stock set-up keeps the two apart. Facet fields are sortable (column-backed), as
the Whoosh docs advise for faceting.

Filters a stock index has no field for (place, org, topic) are what a user of
such a set-up would do instead: the value must occur in the text (AND).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from whoosh import highlight, index, qparser, query, sorting
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from bench.baselines import build_figures
from bench.corpus import read_records

TITLE_BOOST = 2.0  # the same boost as Amtsblick's title field
TEXT_FILTERS = ("place", "org", "topic")
SNIPPET_TOP = 2


def schema() -> Schema:
    analyzer = LanguageAnalyzer("de")
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=analyzer, stored=True),
        date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        url=STORED(),
    )


def build(index_dir: Path, inputs: list[Path]) -> dict:
    started, cpu_started = time.perf_counter(), time.process_time()
    index_dir.mkdir(parents=True, exist_ok=True)
    idx = index.create_in(str(index_dir), schema())
    writer = idx.writer(limitmb=256)  # the same memory limit as Amtsblick's writer
    count = 0
    for record in read_records(inputs):
        date = dt.date.fromisoformat(record["date"]) if record.get("date") else None
        fields = dict(
            id=record["id"],
            title=record.get("title") or "",
            body=record.get("body") or "",
            source=record.get("source") or "",
            url=record.get("url") or "",
        )
        if date:
            fields.update(date=dt.datetime.combine(date, dt.time()), year=str(date.year))
        writer.add_document(**fields)
        count += 1
    commit_started = time.perf_counter()
    writer.commit()
    return build_figures(count, started, cpu_started, commit_started, "Commit")


class StockSearcher:
    def __init__(self, index_dir: Path):
        idx = index.open_dir(str(index_dir))
        self.searcher = idx.searcher()
        self.parser = qparser.MultifieldParser(["title", "body"], idx.schema, group=qparser.OrGroup)
        self.strict_parser = qparser.MultifieldParser(["title", "body"], idx.schema)

    def _query(self, params: dict[str, list[str]]):
        text = (params.get("q") or [""])[0].strip()
        parts = [self.parser.parse(text)] if text else []
        for name in TEXT_FILTERS:
            parts += [self.strict_parser.parse(f'"{value}"') for value in params.get(name, [])]
        return query.And(parts) if parts else query.Every(), bool(text)

    @staticmethod
    def _filter(params: dict[str, list[str]]):
        parts = []
        for name in ("source", "year"):
            if params.get(name):
                parts.append(query.Or([query.Term(name, value) for value in params[name]]))
        start, end = (params.get("from") or [""])[0], (params.get("to") or [""])[0]
        if start or end:
            lo = dt.datetime.fromisoformat(start) if start else None
            hi = dt.datetime.fromisoformat(end) if end else None
            parts.append(query.DateRange("date", lo, hi))
        return query.And(parts) if parts else None

    def search(self, params: dict[str, list[str]]) -> dict:
        q, has_text = self._query(params)
        allowed = self._filter(params)
        page = int((params.get("page") or ["1"])[0])
        per_page = int((params.get("per_page") or ["10"])[0])
        by_date = (params.get("sort") or [""])[0] == "date" or not has_text
        sortedby = sorting.FieldFacet("date", reverse=True) if by_date else None
        results = self.searcher.search(
            q, filter=allowed, limit=page * per_page, sortedby=sortedby, terms=True
        )
        results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        hits = []
        for hit in results[(page - 1) * per_page : page * per_page]:
            snippet = hit.highlights("body", top=SNIPPET_TOP) if has_text else hit["body"][:240]
            hits.append({"id": hit["id"], "title": hit["title"], "snippet": snippet})
        facets = self.searcher.search(
            q,
            filter=allowed,
            limit=1,
            groupedby={"source": sorting.FieldFacet("source"), "year": sorting.FieldFacet("year")},
            maptype=sorting.Count,
        )
        return {
            # len(results) ignores the filter when terms=True (Whoosh 2.7); the facet search does not
            "total": len(facets),
            "hits": hits,
            "facets": {name: facets.groups(name) for name in ("source", "year")},
        }


def search_function(index_dir: Path):
    return StockSearcher(index_dir).search
