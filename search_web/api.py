"""The JSON API without an HTML twin: facet values, similar announcements, suggestions, the
OpenAPI document and health (the twins of pages are served with them, search_web/pages.py)."""

from __future__ import annotations

import contextlib

from flask import Blueprint, abort, jsonify, request

from indexer.engine.facets import FILTERS
from search_web import links
from search_web.autocomplete import Suggester
from search_web.caching import conditional
from search_web.facet_values import DEFAULT_LIMIT, MAX_LIMIT, MAX_PREFIX, facet_values
from search_web.openapi import openapi_document
from search_web.pages import query_params, search_request
from search_web.paging import parse_per_page
from search_web.search import IndexUnavailable
from search_web.service import get_service

bp = Blueprint("api", __name__)
SUGGESTER = Suggester()  # keeps its prefix tables per searcher generation


@bp.before_app_request
def prepare_suggestions() -> None:
    """Someone opened the search page: have the suggestion tables ready before they type."""
    if request.endpoint == "views.search_page":
        with contextlib.suppress(IndexUnavailable):  # no index: the page itself says so
            SUGGESTER.prepare(get_service().searcher())


@bp.get("/api/facet-values")
@conditional
def api_facet_values():
    """Values of one facet matching a typed prefix, under the search given by the other parameters."""
    params = query_params()
    facet = (params.get("facet") or [""])[0].strip()
    if facet not in FILTERS:
        names = ", ".join(FILTERS)
        message = f"Unbekannte Facette „{facet[:30]}“. Möglich sind: {names}."
        return jsonify({"error": message, "status": 400}), 400
    prefix = (params.get("prefix") or [""])[0][:MAX_PREFIX]
    search = search_request()
    limit = parse_per_page((params.get("limit") or [""])[0], DEFAULT_LIMIT, MAX_LIMIT, search.warnings)
    found = facet_values(get_service(), search, facet, prefix, limit)
    for entry in found["values"]:
        entry["url"] = links.toggle_url(search, facet, entry["value"])
    return jsonify({**found, "warnings": search.warnings})


@bp.get("/api/doc/<path:doc_id>/similar")
@conditional
def api_similar(doc_id: str):
    if get_service().document(doc_id) is None:
        abort(404)
    return jsonify(get_service().similar(doc_id))


@bp.get("/api/suggest")
@conditional
def api_suggest():
    params = query_params()
    text = (params.get("q") or [""])[0]
    suggestions = SUGGESTER.suggest(get_service().searcher(), text)
    if (params.get("format") or [""])[0] == "opensearch":  # what browsers expect from OpenSearch
        return jsonify(
            [
                text,
                [s["label"] for s in suggestions],
                [s["kind_label"] for s in suggestions],
                [request.url_root.rstrip("/") + s["url"] for s in suggestions],
            ]
        )
    return jsonify({"query": text, "suggestions": suggestions})


@bp.get("/api/openapi.json")
def api_openapi():
    response = jsonify(openapi_document(request.url_root))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/healthz")
def healthz():
    report, status = get_service().health()
    return jsonify(report), status
