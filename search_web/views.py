"""Pages: search and document (each with its JSON twin, search_web/pages.py) and about. They only
translate HTTP to the search service."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from indexer.engine.facets import FILTERS, panel
from indexer.gazetteer import SOURCE_NOTES
from search_web import links
from search_web.caching import conditional
from search_web.histogram import month_bars, year_bars
from search_web.pages import DataView, search_request
from search_web.paging import SORTS
from search_web.place_tree import build_place_tree, gazetteer_or_none, place_paths
from search_web.search import SearchRequest
from search_web.service import get_service

bp = Blueprint("views", __name__)

FACET_SHOWN = 10  # values a facet lists before "mehr"


@bp.app_context_processor
def template_helpers() -> dict:
    """URL and number helpers for every template (error pages included)."""
    return {"links": links}


def has_search(search: SearchRequest) -> bool:
    return bool(search.q or search.filters or search.date_from or search.date_to)


def chips(search: SearchRequest) -> list[dict]:
    """Active filters, each with the URL that removes it."""
    found = [
        {
            "label": FILTERS[param].label,
            "value": links.value_label(param, value),
            "url": links.toggle_url(search, param, value),
        }
        for param, values in search.filters.items()
        if param != "place"
        for value in values
    ]
    # Hessen › Frankfurt am Main: one chip per narrowest place; removing it goes up one level.
    found[:0] = [
        {
            "label": FILTERS["place"].label,
            "value": " › ".join(path),
            "url": links.toggle_url(search, "place", path[-1]),
        }
        for path in place_paths(search.filters.get("place", []), gazetteer_or_none())
    ]
    if search.date_from or search.date_to:
        start, end = (links.german_date(str(day or "")) for day in (search.date_from, search.date_to))
        found.append(
            {"label": "Zeitraum", "value": f"{start} – {end}", "url": links.without_dates_url(search)}
        )
    return found


def page_numbers(page: int, pages: int) -> list[int | None]:
    """1 … 4 5 6 … 20: first, last and the neighbours of the current page; None is a gap."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    numbers: list[int | None] = []
    for number in wanted:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


class SearchPage(DataView):
    """/ and /api/search: the search service's answer, the page drawn from it."""

    template = "search.html"

    def data(self) -> dict:
        self.search = search_request()
        return get_service().search(self.search)

    def context(self, results: dict) -> dict:
        search = self.search
        years = search.filters.get("year", [])
        found = results["total"] > 0  # a page without hits draws no empty histogram
        bars_by_year = year_bars(results["facets"]["year"]) if found else []
        bars_by_month = month_bars(results["facets"]["month"], years[0]) if found and len(years) == 1 else []
        for bar in bars_by_year:
            bar.url = links.toggle_url(search, "year", bar.value)
        for bar in bars_by_month:
            bar.url = links.toggle_url(search, "month", bar.value)
        return {
            "search": search,
            "has_search": has_search(search),
            "results": results,
            "chips": chips(search),
            "place_tree": build_place_tree(results["facets"], results["total"], gazetteer_or_none()),
            "year_bars": bars_by_year,
            "month_bars": bars_by_month,
            "chosen_year": years[0] if found and len(years) == 1 else None,
            "sorts": SORTS,
            "place_facet": FILTERS["place"],
            "list_facets": [facet for facet in panel() if facet.display == "list"],
            "facet_shown": FACET_SHOWN,
            "page_numbers": page_numbers(results["page"], results["pages"]),
            "canonical_url": request.url_root.rstrip("/") + links.state_url(search),
            "feed_url": links.feed_url(search),
            "json_url": links.state_url(search, "/api/search"),
        }


class DocumentPage(DataView):
    """/doc/<id> and /api/doc/<id>: the stored announcement; the page adds similar ones."""

    template = "document.html"

    def data(self, doc_id: str) -> dict:
        document = get_service().document(doc_id)
        if document is None:
            abort(404)
        return document

    def context(self, document: dict) -> dict:
        return {
            "doc": document,
            "similar": get_service().similar(document["id"]),
            "canonical_url": request.url_root.rstrip("/") + links.doc_url(document["id"]),
            "gazetteer": gazetteer_or_none(),
        }


SearchPage.register(bp, "search_page", "/", "/api/search")
DocumentPage.register(bp, "document_page", "/doc/<path:doc_id>")


@bp.get("/ueber")
@conditional
def about_page():
    searcher = get_service().searcher()
    return render_template(
        "about.html",
        documents=searcher.doc_count,
        info=get_service().build_info(),
        source_notes=SOURCE_NOTES,
    )
