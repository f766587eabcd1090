"""Site basics: Impressum, Datenschutz, robots.txt, sitemap.xml, the API page, coverage per publisher.

The operator's details come from configuration (``OPERATOR_NAME``, ``OPERATOR_ADDRESS``,
``OPERATOR_CONTACT`` in the app config, or the environment variables ``AMTSBLICK_OPERATOR_NAME``,
``AMTSBLICK_OPERATOR_ADDRESS``, ``AMTSBLICK_OPERATOR_CONTACT``). Unset, the pages show a clear
placeholder and the app logs a warning at start-up: a public German site needs an Impressum.
"""

from __future__ import annotations

import functools
import logging
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, current_app, render_template, request

from search_web.browse import unit_index
from search_web.caching import conditional
from search_web.links import doc_url
from search_web.openapi import openapi_document
from search_web.service import get_service

bp = Blueprint("site", __name__)
LOGGER = logging.getLogger("amtsblick")

OPERATOR_FIELDS = {
    "OPERATOR_NAME": "Name des Betreibers",
    "OPERATOR_ADDRESS": "Anschrift",
    "OPERATOR_CONTACT": "Kontakt (E-Mail oder Telefon)",
}
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_MAX_URLS = 50_000  # the protocol's limit per file
ROBOTS_DISALLOWED = ("/api", "/export.csv", "/export.jsonl")


def init_app(app: Flask) -> None:
    """Read the operator's details from the environment unless configured; warn when missing."""
    for key in OPERATOR_FIELDS:
        if not app.config.get(key):
            app.config[key] = os.environ.get(f"AMTSBLICK_{key}", "").strip()
    missing = [label for key, label in OPERATOR_FIELDS.items() if not app.config[key]]
    if missing:
        LOGGER.warning(
            "Impressum unvollständig: %s fehlt. Setzen Sie AMTSBLICK_OPERATOR_NAME, "
            "AMTSBLICK_OPERATOR_ADDRESS und AMTSBLICK_OPERATOR_CONTACT (siehe docs/serving.md).",
            ", ".join(missing),
        )


def operator() -> dict:
    details = {key: current_app.config.get(key, "") for key in OPERATOR_FIELDS}
    return {
        "name": details["OPERATOR_NAME"],
        "address_lines": [line.strip() for line in details["OPERATOR_ADDRESS"].split(";") if line.strip()],
        "contact": details["OPERATOR_CONTACT"],
        "complete": all(details.values()),
        "missing": [label for key, label in OPERATOR_FIELDS.items() if not details[key]],
    }


def publisher_coverage() -> list[dict]:
    """Per publisher: number of releases, first and last date (largest first), as /quelle lists them."""
    return unit_index(get_service(), "quelle")["units"]


@bp.app_context_processor
def site_helpers() -> dict:
    return {"publisher_coverage": publisher_coverage}


@bp.get("/impressum")
def impressum():
    return render_template("impressum.html", operator=operator())


@bp.get("/datenschutz")
def datenschutz():
    return render_template("datenschutz.html", operator=operator())


@bp.get("/api")
def api_page():
    return render_template("api.html", spec=openapi_document(request.url_root))


def robots_txt(root: str) -> str:
    # Everything else (search, feeds, browse and document pages) may be crawled.
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines += ["", f"Sitemap: {root}/sitemap.xml", ""]
    return "\n".join(lines)


@bp.get("/robots.txt")
def robots():
    response = Response(robots_txt(request.url_root.rstrip("/")), content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@functools.lru_cache(maxsize=2)
def _document_entries(index_key: tuple) -> list[tuple[str, str | None]]:
    """(id, date) of every live document, newest first; read once per index generation."""
    newest = get_service().searcher().newest_documents(SITEMAP_MAX_URLS)
    return [(document["id"], document["date"]) for document in newest]


def sitemap_chunks(root: str, entries: list[tuple[str, str | None]]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
    batch = []
    for doc_id, date in entries:
        loc = ET.Element("loc")
        loc.text = root + doc_url(doc_id)
        lastmod = f"<lastmod>{date}</lastmod>" if date else ""
        batch.append(f"<url>{ET.tostring(loc, encoding='unicode')}{lastmod}</url>\n")
        if len(batch) == 1000:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "</urlset>\n"


@bp.get("/sitemap.xml")
@conditional
def sitemap():
    """The document pages (the newest 50,000: the protocol's limit for one file)."""
    searcher = get_service().searcher()
    entries = _document_entries((str(get_service().index_dir), searcher.last_modified(), searcher.doc_count))
    root = request.url_root.rstrip("/")
    return Response(sitemap_chunks(root, entries), content_type="application/xml; charset=utf-8")
