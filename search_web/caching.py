"""HTTP caching: ETags for pages and API answers, long-lived versioned static assets.

A page depends only on the index generation, the URL and the code that renders
it, so its ETag is a hash of those three; a client that already has it gets a
304 without a search being run. Static files are linked with a content hash in
their URL (``/static/style.css?v=…``), so they can be cached for a year.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Response, current_app, make_response, request, url_for

from search_web.service import get_service

PACKAGE = Path(__file__).resolve().parent
STATIC_MAX_AGE = 365 * 24 * 3600
PAGE_CACHE_CONTROL = "no-cache"  # may be stored, but must be revalidated (cheap: 304 by ETag)

bp = Blueprint("caching", __name__)


@functools.lru_cache(maxsize=1)
def release() -> str:
    """Hash of the code that shapes responses: templates, static files and this package's modules."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".json"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=64)
def _file_version(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """URL of a static file with its content hash, so a changed file gets a new URL."""
    path = Path(current_app.static_folder or PACKAGE / "static") / filename
    version = _file_version(path, path.stat().st_mtime) if path.is_file() else "0"
    return url_for("static", filename=filename, v=version)


def index_generation() -> str:
    searcher = get_service().searcher()
    return f"{searcher.last_modified():.6f}:{searcher.doc_count}"


def request_target() -> bytes:
    """Path and query as the client sent them. Raw bytes: a query that is not valid UTF-8 must
    not fail here (request.full_path would decode it strictly)."""
    path = request.environ.get("PATH_INFO", "").encode("latin-1", "replace")  # PEP 3333: latin-1
    return path + b"?" + request.query_string


def etag_for(target: bytes) -> str:
    digest = hashlib.sha256(f"{release()}|{index_generation()}|".encode())
    digest.update(target)
    return digest.hexdigest()[:32]


def conditional(view: Callable) -> Callable:
    """Answer 304 when the client's ETag still matches; otherwise render and tag the response."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        etag = etag_for(request_target())
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
        response.set_etag(etag)
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
        return response

    return wrapper


@bp.app_template_global("asset_url")
def _asset_url_global(filename: str) -> str:
    return asset_url(filename)


@bp.after_app_request
def cache_static_assets(response: Response) -> Response:
    """Versioned static URLs never change their content: cache them for a year."""
    versioned = request.query_string.startswith(b"v=")  # raw bytes: never fails to decode
    if request.endpoint == "static" and versioned and response.status_code in (200, 304):
        response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
    return response
