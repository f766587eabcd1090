"""One structured (JSON) log line per request: method, path, status, duration."""

from __future__ import annotations

import json
import logging
import time

from flask import Flask, g, request

LOGGER = logging.getLogger("amtsblick.requests")


def install(app: Flask) -> None:
    if not LOGGER.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        LOGGER.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                    # a streamed body (exports, sitemap) must not be read here: that would buffer it
                    "bytes": None if response.is_streamed else response.calculate_content_length(),
                },
                ensure_ascii=False,
            )
        )
        return response
