"""Amtsblick web: the Flask application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask, jsonify, render_template, request

from search_web import request_log, service
from search_web.hosts import HostGuard
from search_web.search import IndexUnavailable


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("AMTSBLICK_INDEX", "index"),
        BASE_URL=os.environ.get(
            "AMTSBLICK_BASE_URL", ""
        ),  # the public address, e.g. https://amtsblick.example
        HOSTS=os.environ.get("AMTSBLICK_TRUSTED_HOSTS", ""),  # or: host names accepted in the Host header
        JSON_AS_ASCII=False,
    )
    if test_config:
        app.config.update(test_config)
    app.wsgi_app = HostGuard(app.wsgi_app, app.config["BASE_URL"], app.config["HOSTS"])
    app.json.ensure_ascii = False
    service.init_app(app)

    from search_web import api, browse, caching, entities, export, feeds, site, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(caching.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(site.bp)
    site.init_app(app)
    _register_error_handlers(app)
    if not app.config.get("TESTING"):
        request_log.install(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _register_error_handlers(app: Flask) -> None:
    messages = {
        400: "Die Anfrage war ungültig.",
        404: "Diese Seite gibt es nicht.",
        405: "Diese Methode ist hier nicht erlaubt.",
        500: "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
        503: "Die Suche ist gerade nicht verfügbar: der Suchindex ist nicht lesbar. Bitte später erneut.",
    }

    def handle(error):
        code = 503 if isinstance(error, IndexUnavailable) else getattr(error, "code", 500) or 500
        if code == 500:
            logging.getLogger("amtsblick").exception("request failed: %s", request.path)
        message = messages.get(code, "Die Anfrage konnte nicht bearbeitet werden.")
        if _wants_json():
            answer = {"error": message, "status": code}
            if isinstance(error, IndexUnavailable):
                answer["reason"] = str(error)  # what is wrong and how to rebuild, for the operator
            return jsonify(answer), code
        try:
            return render_template("error.html", message=message, status=code), code
        except Exception:  # noqa: BLE001 - a request too broken to route (bad host) still gets German text
            return message, code, {"Content-Type": "text/plain; charset=utf-8"}

    for code in messages:
        app.register_error_handler(code, handle)
    app.register_error_handler(Exception, handle)
