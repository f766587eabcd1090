"""The JSON API: the same search service as the HTML pages."""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, jsonify

from search_web.views import search_request, service

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def api_search():
    return jsonify(service().search(search_request()))


@bp.get("/api/doc/<path:doc_id>")
def api_document(doc_id: str):
    document = service().document(doc_id)
    if document is None:
        abort(404)
    return jsonify(document)


@bp.get("/healthz")
def healthz():
    try:
        searcher = service().searcher()
    except FileNotFoundError:
        return jsonify({"status": "no index", "index": str(current_app.config["INDEX_DIR"])}), 503
    return jsonify(
        {
            "status": "ok",
            "documents": searcher.doc_count,
            "index_age_seconds": round(time.time() - searcher.last_modified()),
        }
    )
