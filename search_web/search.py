"""The search service: query and filters in, hits and facets out. No Flask here,
so the CLI, the benchmarks, the JSON API and the HTML views share it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from indexer.engine import (
    Budget,
    Hit,
    Searcher,
    Selection,
    is_near_duplicate,
    lead,
    open_index,
    unreadable_reason,
    warm_query_analysis,
)
from indexer.engine.facets import BY_NAME, FACETS, FILTERS, Facet
from indexer.text.analysis import configure_for_searching
from search_web.paging import existing_page, page_count, parse_page, parse_per_page, parse_sort
from search_web.place_tree import gazetteer_or_none, narrowest, place_paths
from search_web.request_checks import ordered_dates, parse_date, usable_dates

MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100
EXPORT_LIMIT = 10_000  # rows of one CSV/JSON Lines export (search_web/export.py)
DEFAULT_PER_PAGE = 10

REOPEN_SECONDS = 5.0  # after a failed open, how long the last good (or no) index is kept before a retry
LOG = logging.getLogger("amtsblick")


class IndexUnavailable(Exception):
    """No index generation can be served; the message says what is wrong and how to rebuild."""


def _unreadable(index_dir: Path, error: Exception) -> str:
    if isinstance(error, FileNotFoundError) and "Kein Index" in str(error):
        return str(error)
    return (
        f"Der Index in '{index_dir}' ist nicht lesbar ({type(error).__name__}: {str(error)[:200]}). "
        "Neu bauen: .venv/bin/python -m indexer build --index NEUER_ORDNER EINGABEN, dann "
        'AMTSBLICK_INDEX auf NEUER_ORDNER setzen (docs/operations.md, "Beschädigter Index").'
    )


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    match: str = ""  # "all": no partial set when no announcement contains every word
    as_typed: bool = False  # search the words as typed, without spelling corrections
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Mapping[str, list[str]]) -> SearchRequest:
        """Build from query parameters; unusable values become warnings, never errors."""
        request = cls()

        def first(name: str) -> str:
            values = params.get(name) or [""]
            return values[0].strip()

        q = " ".join(first("q").split())
        if len(q) > MAX_QUERY_LENGTH:
            request.warnings.append(f"Die Suchanfrage wurde auf {MAX_QUERY_LENGTH} Zeichen gekürzt.")
            q = q[:MAX_QUERY_LENGTH]
        request.q = q
        for name in FILTERS:
            values = [v.strip() for v in params.get(name, []) if v.strip()]
            if name in ("year", "month"):
                values = usable_dates(name, values, request.warnings)
            if values:
                request.filters[name] = list(dict.fromkeys(values))
        request.date_from, request.date_to = ordered_dates(
            parse_date(first("from"), "from", request.warnings),
            parse_date(first("to"), "to", request.warnings),
            request.warnings,
        )
        request.sort = parse_sort(first("sort"), request.warnings)
        request.match = "all" if first("match") == "all" else ""
        request.as_typed = first("as_typed") in ("1", "true", "ja")
        request.per_page = parse_per_page(first("per_page"), DEFAULT_PER_PAGE, MAX_PER_PAGE, request.warnings)
        request.page = parse_page(first("page"), request.warnings)  # checked against the total later
        return request

    def params(self) -> list[tuple[str, str]]:
        """The canonical query parameters of this search state (for links)."""
        pairs = [("q", self.q)] if self.q else []
        for name in FILTERS:
            pairs += [(name, value) for value in self.filters.get(name, [])]
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.match:
            pairs.append(("match", self.match))
        if self.as_typed:
            pairs.append(("as_typed", "1"))
        if self.per_page != DEFAULT_PER_PAGE:
            pairs.append(("per_page", str(self.per_page)))
        return pairs


def _dropped_notice(outcome: Selection) -> str:
    """What a partial result is, in German: which words the announcements shown lack."""
    names = [f"„{word}“" for word in outcome.dropped]
    total = len(outcome.required) + len(outcome.dropped)
    if outcome.found + len(names) == total:  # every one lacks the same words
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
        return f"Keine Meldung enthält alle Wörter. Gezeigt werden Meldungen ohne {listed}."
    lacking = "eines" if total - outcome.found == 1 else str(total - outcome.found)
    return (
        f"Keine Meldung enthält alle Wörter. Gezeigt werden Meldungen mit {outcome.found} der {total} "
        f"Wörter; es fehlt jeweils {lacking} von {', '.join(names)}."
    )


def snippet_html(pieces: list[tuple[str, bool]]) -> Markup:
    """Escaped passage text with matched words in <mark>."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if is_match else escape(text) for text, is_match in pieces
    )


def unreadable_index(index_dir: Path) -> str | None:
    """Why the index cannot be opened (German, with how to rebuild), or None. Opens and closes it
    without warming: for a start-up check in a process that forks workers afterwards."""
    error = unreadable_reason(index_dir)
    return None if error is None else _unreadable(index_dir, error)


class SearchService:
    """Holds one searcher per index generation; reopens it when the index changes.

    A generation that cannot be opened (damaged, truncated, a segment missing) is not served: the
    last one that could be opened stays in use, the problem is logged once and reported by
    /healthz (problem), and the new generation is tried again every REOPEN_SECONDS until a good
    one appears. Without any good generation, IndexUnavailable says what is wrong."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        # A searching process analyses queries and a few snippets, never corpora: small caches.
        configure_for_searching()
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()
        self.problem: str | None = None  # why the newest generation is not the one served
        self.reopen_seconds = REOPEN_SECONDS
        self._retry_at = 0.0

    def searcher(self) -> Searcher:
        with self._lock:
            current = self._searcher
            if current is not None and self._is_current(current):
                return current
            if time.monotonic() < self._retry_at:  # it failed a moment ago: no new attempt per request
                if current is None:
                    raise IndexUnavailable(self.problem)
                return current
            try:
                self._searcher = open_index(self.index_dir) if current is None else (current.refreshed())
            except Exception as error:  # noqa: BLE001 - any damage: keep serving what can be served
                self._failed(error, current)
                if current is None:
                    raise IndexUnavailable(self.problem) from error
                return current
            self.problem, self._retry_at = None, 0.0
            return self._searcher

    def _is_current(self, searcher: Searcher) -> bool:
        try:
            return searcher.up_to_date()
        except Exception:  # noqa: BLE001 - an unreadable folder: the open attempt reports it
            return False

    def _failed(self, error: Exception, current: Searcher | None) -> None:
        problem = _unreadable(self.index_dir, error)
        if current is not None:
            problem = "Neue Indexgeneration nicht lesbar, es wird weiter die vorige gezeigt. " + problem
        if problem != self.problem:  # logged once, not on every retry
            LOG.error("%s", problem)
        self.problem, self._retry_at = problem, time.monotonic() + self.reopen_seconds

    def health(self) -> tuple[dict, int]:
        """What /healthz reports: 200 while a generation is served (with any problem), else 503."""
        try:
            searcher = self.searcher()
        except IndexUnavailable as error:
            return {"status": "unavailable", "index": str(self.index_dir), "reason": str(error)}, 503
        report = {
            "status": "degraded" if self.problem else "ok",
            "documents": searcher.doc_count,
            "index_age_seconds": round(time.time() - searcher.last_modified()),
        }
        if self.problem:
            report["problem"] = self.problem
        return report, 200

    @staticmethod
    def warm() -> None:
        """Load the analysis (dictionary, gazetteer names, synonyms) now rather than at the first
        search. The index is not opened here: under gunicorn --preload this runs before the
        workers fork, and forked workers must not share open index files."""
        warm_query_analysis()

    def build_info(self) -> dict:
        path = self.index_dir / "build.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def document(self, doc_id: str) -> dict | None:
        return self.searcher().document(doc_id)

    def similar(self, doc_id: str, top: int = 5) -> list[dict]:
        searcher = self.searcher()
        document = searcher.document(doc_id)
        if document is None:
            return []
        similar = searcher.similar(doc_id, top=top)
        for view in similar:
            view["near_duplicate"] = is_near_duplicate(
                document["body"], view["body"]
            )  # a follow-up repeating it
        return similar

    def select(self, request: SearchRequest, budget: Budget | None = None) -> Selection:
        """What a search selects, before paging: the words read from q, the announcements with all
        of them (or the best partial set), the date range and every filter. The page, the API and
        the exports all count and list exactly this."""
        searcher = self.searcher()
        parsed = searcher.parse(request.q, budget, correct=not request.as_typed) if request.q else None
        if request.q and parsed is None:
            request.warnings.append(
                "Die Suchanfrage enthält keine durchsuchbaren Wörter; gezeigt wird alles."
            )
        filters = dict(request.filters)
        if "place" in filters:  # Hessen › Frankfurt am Main: the inner place narrows (place_tree.py)
            filters["place"] = narrowest(filters["place"], gazetteer_or_none())
        dates = (request.date_from, request.date_to)
        return searcher.select(parsed, filters, dates, require_all=request.match == "all")

    def search(
        self,
        request: SearchRequest,
        budget: Budget | None = None,
        facet_names: tuple[str, ...] = tuple(BY_NAME),
        chosen: Selection | None = None,
    ) -> dict:
        """Hits of one page, the total and the facets (each its limit's largest values); past the
        budget's time the spelling suggestion, further facets and snippets are left out and the answer
        says so (timed_out). A caller that has already selected (a browse page) passes its selection."""
        started = time.perf_counter()
        budget = budget or Budget()
        chosen = chosen or self.select(request, budget)
        searcher, parsed = chosen.searcher, chosen.parsed
        spelling = self._spelling(searcher, parsed, chosen, request)
        total = chosen.total
        pages = page_count(total, request.per_page)
        request.page = existing_page(request.page, pages, request.warnings)
        offset = (request.page - 1) * request.per_page
        hits = [
            self._hit(searcher, hit, None if budget.skip() else parsed)
            for hit in chosen.hits(request.sort, offset, request.per_page)
        ]
        more_hits = []
        if chosen.has_words and request.page == 1 and total < request.per_page and request.match != "all":
            # A small result is followed by announcements with only some of the words, ranked by how
            # many they have: a known item that lacks one word the user remembers stays on the page.
            partial = chosen.partial_hits(request.sort, request.per_page - len(hits))
            more_hits = [self._hit(searcher, hit, parsed) for hit in partial]
        facets = self.facets(chosen, request, facet_names, budget=budget)
        request.warnings.extend(budget.notices())
        return {
            "query": request.q,
            "total": total,
            "page": request.page,
            "per_page": request.per_page,
            "pages": pages,
            "sort": request.sort,
            "hits": hits,
            "more_hits": more_hits,
            "matched_all": chosen.matched_all,
            "dropped_words": list(chosen.dropped),
            "notice": _dropped_notice(chosen) if chosen.dropped else None,
            "facets": facets,
            "place_paths": place_paths(request.filters.get("place", []), gazetteer_or_none()),
            "warnings": request.warnings,
            **spelling,
            "timed_out": budget.timed_out,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
        }

    def facets(
        self,
        chosen: Selection,
        request: SearchRequest,
        facet_names: tuple[str, ...] = tuple(BY_NAME),
        all_values: bool = False,
        budget: Budget | None = None,
    ) -> dict[str, list[dict]]:
        """The named facets of a selection, each counted under every filter but its own (its
        limit's largest values, or all of them); a facet left out for time is empty."""
        budget = budget or Budget()
        facets = {}
        for facet in FACETS:
            if facet.name in facet_names:
                facets[facet.name] = [] if budget.skip() else self._facet(chosen, facet, request, all_values)
        return facets

    @staticmethod
    def breakdown(chosen: Selection, field_name: str) -> list[tuple[str, int]]:
        """Every value of a field among the selected announcements with its count, largest first:
        the sub-units of a browse page, counted under exactly what its search selects."""
        counts = chosen.counts(field_name)
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
        return counts

    @staticmethod
    def date_spans(chosen: Selection, field_name: str) -> dict[str, tuple[dt.date, dt.date]]:
        """Per value of a field, the first and last date among the selected announcements."""
        return chosen.date_spans(field_name)

    @staticmethod
    def _spelling(searcher: Searcher, parsed, chosen: Selection, request: SearchRequest) -> dict:
        """Corrections of the words that found nothing, in the spelling the announcements use.
        Applied (corrected) unless the user asked for the words as typed; a word the partial set
        left out is not corrected."""
        corrections = []
        for typed, term in parsed.corrections if parsed is not None else ():
            if request.as_typed or typed in chosen.required:
                corrections.append({"word": typed, "correction": searcher.written_form(term)})
        suggestion = request.q
        for entry in corrections:
            pattern = rf"(?<!\w){re.escape(entry['word'])}(?!\w)"
            suggestion = re.sub(pattern, lambda _m, e=entry: e["correction"], suggestion)
        return {
            "corrections": corrections,
            "suggestion": suggestion if corrections else None,
            "corrected": bool(corrections) and not request.as_typed,
        }

    @staticmethod
    def _hit(searcher: Searcher, hit: Hit, parsed) -> dict:
        view = dict(hit.document)
        pieces = searcher.snippet(parsed, view["body"], view["title"]) if parsed is not None else []
        snippet = snippet_html(pieces) if pieces else escape(lead(view["body"], view["title"]))
        del view["body"]
        return {
            **view,
            "snippet": str(snippet),
            "score": round(float(hit.score or 0.0), 4),
            "missing_words": hit.missing_words,
        }

    @staticmethod
    def _facet(selection: Selection, facet: Facet, request, all_values: bool) -> list[dict]:
        """Counts under every filter but the facet's own (disjunctive facets)."""
        chosen = set(request.filters.get(facet.param, []))
        counts = facet.ordered(selection.facet_counts(facet.field, facet.param))
        limit = None if all_values else facet.limit
        values = [{"value": v, "count": c, "selected": v in chosen} for v, c in counts[:limit]]
        if facet.keeps_chosen:  # a selected value with no hits stays visible, so it can be removed
            shown = {entry["value"] for entry in values}
            values += [{"value": v, "count": 0, "selected": True} for v in sorted(chosen - shown)]
        return values
