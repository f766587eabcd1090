"""Every search as a download: CSV and JSON Lines, streamed.

``/export.csv?<the parameters of a search>`` and ``/export.jsonl?…`` take the same filters as
the page and the API (page and per_page do not apply) and stream at most ``EXPORT_LIMIT`` rows,
in the search's order (relevance with words, else newest first). The limit is in the file
name (``amtsblick-…-max10000.csv``) and in headers: ``X-Export-Limit``, ``X-Total-Count``
(all matches) and ``X-Export-Rows`` (rows in this file).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from flask import Blueprint, Response, request

from indexer.engine import RankedDocuments
from search_web.links import doc_url, state_url
from search_web.pages import search_request
from search_web.search import EXPORT_LIMIT, SearchRequest
from search_web.service import get_service

bp = Blueprint("export", __name__)

BATCH = 500  # rows written per chunk of the stream
FIRST_BATCH = 20  # the first rows come sooner
COLUMNS = ("id", "title", "date", "source", "url", "page", "places", "districts", "states", "orgs", "topics")
LIST_COLUMNS = ("places", "districts", "states", "orgs", "topics")
LIST_SEPARATOR = " | "
FORMULA_STARTS = frozenset("=+-@\t\r")
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}


def export_url(search: SearchRequest, fmt: str) -> str:
    """The export of a search state: all its rows, so page and page size are dropped."""
    return state_url(replace(search, page=1, per_page=10), f"/export.{fmt}")


@bp.app_context_processor
def export_helpers() -> dict:
    return {"export_url": export_url, "export_limit": EXPORT_LIMIT}


def matching_documents(search: SearchRequest, limit: int) -> tuple[RankedDocuments, int]:
    """The announcements of a search in its order (at most limit) and how many match in all:
    exactly what the page counts and lists (SearchService.select)."""
    chosen = get_service().select(search)
    return chosen.documents(search.sort, limit), chosen.total


def export_rows(documents: Iterable[dict], root: str) -> Iterator[dict]:
    for view in documents:
        yield {
            "id": view["id"],
            "title": view["title"],
            "date": view["date"],
            "source": view["source"],
            "url": view["url"],
            "page": root + doc_url(view["id"]),
            **{column: view[column] for column in LIST_COLUMNS},
        }


def inert_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or carriage return)
    would be run as a formula (OWASP's CSV injection), so it gets a leading apostrophe."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _csv_chunks(rows: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a BOM, so that Excel reads the file as UTF-8
    writer.writerow(COLUMNS)
    yield buffer.getvalue()  # the header at once: the download starts before the rows are read
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows, 1):
        cells = (LIST_SEPARATOR.join(row[c]) if c in LIST_COLUMNS else (row[c] or "") for c in COLUMNS)
        writer.writerow([inert_cell(cell) for cell in cells])
        if number == FIRST_BATCH or number % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _jsonl_chunks(rows: Iterator[dict]) -> Iterator[str]:
    lines = []
    for number, row in enumerate(rows, 1):
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
        if number == FIRST_BATCH or number % BATCH == 0:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def file_name(search: SearchRequest, fmt: str) -> str:
    words = [search.q] + [value for values in search.filters.values() for value in values]
    slug = re.sub(r"[^a-z0-9äöüß]+", "-", " ".join(w for w in words if w).lower()).strip("-")[:60]
    return f"amtsblick-{slug or 'alle'}-max{EXPORT_LIMIT}.{fmt}"


def _export(fmt: str) -> Response:
    search = search_request()
    if not search.q and search.sort == "relevance":
        search.sort = "date"  # without words there is no relevance: newest first, as on the page
    documents, total = matching_documents(search, EXPORT_LIMIT)
    rows = export_rows(documents, request.url_root.rstrip("/"))
    chunks = _csv_chunks(rows) if fmt == "csv" else _jsonl_chunks(rows)
    name = file_name(search, fmt)
    response = Response(chunks, content_type=FORMATS[fmt])
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{_quote(name)}"
    )
    response.headers["X-Export-Limit"] = str(EXPORT_LIMIT)
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Export-Rows"] = str(len(documents))
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


@bp.get("/export.csv")
def export_csv():
    return _export("csv")


@bp.get("/export.jsonl")
def export_jsonl():
    return _export("jsonl")
