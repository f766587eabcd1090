"""Stable ids and source names for pages that do not carry an id of their own.

An id must survive a re-crawl and a re-save of the same page, so it comes from the
page's canonical address (session ids and fragments removed) or, for a file
without one, from the file's absolute path.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SESSION_PARAM = re.compile(r";(?:jsessionid|sid|phpsessid)=[^/?#]*", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")


def canonical_url(url: str) -> str:
    """The address without fragment, session id, default port or upper-case host."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    path = _SESSION_PARAM.sub("", parts.path) or "/"
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def host_name(url: str) -> str:
    """The host without "www.", the usual way sites are named."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def site_key(url: str) -> str:
    """One site whatever the scheme or "www.": "kreis.de" for http://kreis.de and https://www.kreis.de.

    Sites move from http to https and between "www." and the bare host by redirect;
    for scope, redirects and politeness they stay the same site.
    """
    parts = urlsplit(url)
    host = host_name(url)
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    return host


def id_from_url(url: str) -> str:
    """ "ahlen.de-3f2a9c0d1e2b4a5c": readable host, hash of the whole canonical address."""
    address = canonical_url(url)
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()[:16]
    host = _SLUG.sub("-", host_name(address)).strip("-") or "web"
    return f"{host}-{digest}"


def id_from_path(path: Path) -> str:
    """ "datei-hermeskeil-5d41402abc4b2a76": file stem plus a hash of the absolute path."""
    absolute = str(path.resolve())
    digest = hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:16]
    stem = _SLUG.sub("-", path.stem.lower()).strip("-")[:40].strip("-") or "datei"
    return f"datei-{stem}-{digest}"
