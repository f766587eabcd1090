"""How the views reach the search service, in the shape of the Flask tutorial's ``flaskr/db.py``:
``init_app(app)`` creates one service per application (from ``INDEX_DIR``), ``get_service()``
returns it inside a request. Views never import each other for it, and nothing is created at
import time, so every app (each test's too) has its own."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from search_web.search import SearchService

EXTENSION = "amtsblick"  # the key in app.extensions


def init_app(app: Flask) -> None:
    service = SearchService(Path(app.config["INDEX_DIR"]))
    service.warm()  # the first visitor should not wait for caches to fill
    app.extensions[EXTENSION] = service


def get_service(app: Flask | None = None) -> SearchService:
    """The application's search service: the current app's, or that of app (outside a request,
    e.g. in a gunicorn hook)."""
    return (app or current_app).extensions[EXTENSION]
