"""Which address the site has: from configuration, never from an unchecked Host header.

Absolute URLs (OpenSearch description, canonical links, feeds, redirects) are built from the
request's host. A client can send any Host header, so it is either replaced by the configured base
URL (``AMTSBLICK_BASE_URL``, e.g. ``https://amtsblick.example``) or checked against the trusted host
names (``AMTSBLICK_TRUSTED_HOSTS``, comma-separated; default: this machine only). A request for any
other host gets a 400 before the app sees it. docs/serving.md, "Addresses".
"""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
UNTRUSTED_HOST_MESSAGE = (
    "Unbekannter Host: Diese Adresse wird hier nicht bedient. Betreiber: AMTSBLICK_BASE_URL oder "
    "AMTSBLICK_TRUSTED_HOSTS setzen (docs/serving.md).\n"
)


def parse_base_url(value: str) -> tuple[str, str, str]:
    """(scheme, host[:port], path prefix) of a base URL; ValueError with a German reason."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"AMTSBLICK_BASE_URL '{value}' ist keine Adresse wie https://amtsblick.example")
    return parts.scheme, parts.netloc.rsplit("@", 1)[-1], parts.path.rstrip("/")


def trusted_hosts(value: str | list[str] | None) -> list[str]:
    if not value:
        return list(LOCAL_HOSTS)
    names = value.split(",") if isinstance(value, str) else value
    return [name.strip() for name in names if name.strip()]


class HostGuard:
    """WSGI middleware: the configured address replaces the client's, or the client's is checked."""

    def __init__(self, wsgi_app, base_url: str = "", hosts: list[str] | None = None):
        self.wsgi_app = wsgi_app
        self.base = parse_base_url(base_url) if base_url else None
        self.hosts = trusted_hosts(hosts)

    def __call__(self, environ, start_response):
        if self.base:
            scheme, netloc, prefix = self.base
            environ["wsgi.url_scheme"] = scheme
            environ["HTTP_HOST"] = netloc
            environ["SCRIPT_NAME"] = prefix
            return self.wsgi_app(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not host_is_trusted(host, self.hosts):
            body = UNTRUSTED_HOST_MESSAGE.encode("utf-8")
            start_response(
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return self.wsgi_app(environ, start_response)
