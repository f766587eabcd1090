"""HTML pages: search, document, about. They only translate HTTP to the search service."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request

from indexer.gazetteer import SOURCE_NOTES
from search_web.search import FACETS, SearchRequest

bp = Blueprint("views", __name__)

FACET_LABELS = {
    "place": "Ort",
    "district": "Kreis",
    "state": "Land",
    "org": "Organisation",
    "topic": "Thema",
    "year": "Jahr",
    "source": "Quelle",
}
FACET_SHOWN = 10


def service():
    return current_app.extensions["amtsblick"]


def search_request() -> SearchRequest:
    return SearchRequest.from_params(request.args.to_dict(flat=False))


def toggle_url(search: SearchRequest, param: str, value: str) -> str:
    """The search URL with this facet value added or removed; back to page 1."""
    pairs = [(k, v) for k, v in search.params() if not (k == param and v == value)]
    if (param, value) not in search.params():
        pairs.append((param, value))
    return "/?" + urlencode(pairs) if pairs else "/"


def page_url(search: SearchRequest, page: int) -> str:
    pairs = search.params() + ([("page", str(page))] if page > 1 else [])
    return "/?" + urlencode(pairs) if pairs else "/"


def sort_url(search: SearchRequest, sort: str) -> str:
    pairs = [(k, v) for k, v in search.params() if k != "sort"]
    if sort != "relevance":
        pairs.append(("sort", sort))
    return "/?" + urlencode(pairs) if pairs else "/"


@bp.get("/")
def search_page():
    search = search_request()
    has_search = bool(search.q or search.filters or search.date_from or search.date_to)
    results = service().search(search)
    chips = [(param, value, toggle_url(search, param, value))
             for param, values in search.filters.items() for value in values]  # fmt: skip
    return render_template(
        "search.html",
        search=search,
        has_search=has_search,
        results=results,
        chips=chips,
        facet_order=list(FACETS),
        facet_labels=FACET_LABELS,
        facet_params={name: param for name, (_field, param) in FACETS.items()},
        facet_shown=FACET_SHOWN,
        toggle_url=toggle_url,
        page_url=page_url,
        sort_url=sort_url,
    )


@bp.get("/doc/<path:doc_id>")
def document_page(doc_id: str):
    document = service().document(doc_id)
    if document is None:
        abort(404)
    return render_template(
        "document.html",
        doc=document,
        similar=service().similar(doc_id),
        link=lambda param, value: "/?" + urlencode([(param, value)]),
    )


@bp.get("/ueber")
def about_page():
    searcher = service().searcher()
    return render_template(
        "about.html",
        documents=searcher.doc_count,
        info=service().build_info(),
        source_notes=SOURCE_NOTES,
    )
