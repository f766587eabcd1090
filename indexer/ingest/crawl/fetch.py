"""Polite HTTP: robots.txt, a clear User-Agent, a rate limit, a disk cache with revalidation.

Standard library only (urllib): a crawler of a few thousand pages at one request
per second needs no connection pooling, and urllib.robotparser is the reference
implementation of robots.txt. Redirects are followed here, not by urllib, so that
every hop is rate-limited, checked against robots.txt and kept on the same site.
"""

from __future__ import annotations

import email.utils
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import Counter
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from indexer.ingest.crawl.cache import CachedPage, PageCache
from indexer.ingest.crawl.options import CrawlOptions
from indexer.ingest.sources.identity import site_key

MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0  # seconds we wait when a site asks us to slow down (429/503)


class FetchError(Exception):
    """A page that could not be fetched; the message is a German reason for the user."""


@dataclass
class Fetched:
    url: str
    final_url: str
    body: bytes
    content_type: str
    charset: str | None
    via: str  # "network", "revalidated" (304) or "cache" (no request)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 (urllib hook)
        return None  # surfaces as HTTPError 3xx, handled by Fetcher


def site_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Fetcher:
    def __init__(self, options: CrawlOptions, cache: PageCache) -> None:
        self.options = options
        self.cache = cache
        self.stats: Counter[str] = Counter()
        self.request_times: list[float] = []
        self.unreachable: dict[str, str] = {}  # site → why its robots.txt could not be fetched
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._sitemaps: dict[str, list[str]] = {}
        self._interval: dict[str, float] = {}
        self._last_request: dict[str, float] = {}
        self._opener = urllib.request.build_opener(_NoRedirects)

    # -- politeness ---------------------------------------------------------------------------------
    def _wait_for_turn(self, site: str) -> None:
        interval = self._interval.get(site, 1.0 / self.options.rate)
        last = self._last_request.get(site)
        if last is not None:
            delay = last + interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last_request[site] = time.monotonic()

    def robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The site's robots.txt, fetched once per crawl (RFC 9309: 4xx allows all, 5xx allows none)."""
        site = site_of(url)
        if site not in self._robots:
            parser = urllib.robotparser.RobotFileParser(site + "/robots.txt")
            try:
                status, _headers, body = self._request(site + "/robots.txt", {})
                if status == 200:
                    parser.parse(body.decode("utf-8", errors="replace").splitlines())
                else:
                    parser.allow_all = True
            except urllib.error.HTTPError as error:
                parser.allow_all = error.code < 500
                parser.disallow_all = error.code >= 500
            except (urllib.error.URLError, OSError, FetchError) as error:
                parser.disallow_all = True  # unreachable: assume nothing is allowed
                self.unreachable[site] = str(getattr(error, "reason", error))
            self._robots[site] = parser
            delay = parser.crawl_delay(self.options.user_agent)
            self._interval[site_key(url)] = max(1.0 / self.options.rate, float(delay or 0))
            self._sitemaps[site] = list(parser.site_maps() or [])
        return self._robots[site]

    def allowed(self, url: str) -> bool:
        return self.robots(url).can_fetch(self.options.user_agent, url)

    def sitemaps(self, url: str) -> list[str]:
        self.robots(url)
        return self._sitemaps[site_of(url)]

    # -- requests -----------------------------------------------------------------------------------
    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
        """One GET, rate-limited; returns status, headers and at most max_bytes of body."""
        self._wait_for_turn(site_key(url))  # one pace per site, across http/https and "www."
        self.request_times.append(time.monotonic())
        self.stats["requests"] += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.options.user_agent, **headers})
        with self._opener.open(request, timeout=self.options.timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > self.options.max_bytes:
                raise FetchError(self._too_large(int(length)))
            body = response.read(self.options.max_bytes + 1)
            if len(body) > self.options.max_bytes:
                raise FetchError(self._too_large(len(body)))
            return response.status, response.headers, body

    def _too_large(self, size: int) -> str:
        limit = self.options.max_bytes // 1_000_000
        return f"Seite ist {size / 1_000_000:.1f} MB groß, gelesen werden höchstens {limit} MB — ausgelassen"

    def cached(self, url: str) -> Fetched | None:
        """A page from the cache without any request (resuming an interrupted crawl)."""
        page = self.cache.get(url)
        if page is None:
            return None
        self.stats["cache"] += 1
        return Fetched(url, page.final_url, page.body, page.content_type, page.charset, "cache")

    def fetch(self, url: str) -> Fetched:
        """The page, revalidated with If-None-Match/If-Modified-Since when it is cached."""
        cached = self.cache.get(url)
        headers = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        target = url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                status, response_headers, body = self._request_with_retry(target, headers)
            except urllib.error.HTTPError as error:
                if error.code == 304 and cached is not None:
                    self.stats["not_modified"] += 1
                    self.cache.touch(cached)
                    return Fetched(url, cached.final_url, cached.body, cached.content_type, cached.charset,
                                   "revalidated")  # fmt: skip
                if error.code in (301, 302, 303, 307, 308) and error.headers.get("Location"):
                    target = self._redirect_target(target, error.headers["Location"])
                    headers = {}  # validators belong to the old address
                    continue
                raise FetchError(f"HTTP-Fehler {error.code} ({error.reason}) — Seite ausgelassen") from None
            except urllib.error.URLError as error:
                raise FetchError(f"Website nicht erreichbar ({error.reason}) — Adresse prüfen") from None
            except TimeoutError:
                raise FetchError(
                    f"keine Antwort nach {self.options.timeout:.0f} s — später erneut versuchen"
                ) from None
            except OSError as error:
                raise FetchError(f"Verbindungsfehler ({error}) — später erneut versuchen") from None
            content_type = response_headers.get_content_type()
            page = CachedPage(
                url=url,
                final_url=target,
                content_type=content_type,
                charset=response_headers.get_content_charset(),
                etag=response_headers.get("ETag"),
                last_modified=response_headers.get("Last-Modified"),
                fetched_at=time.time(),
                body=body,
            )
            self.cache.put(page)
            self.stats["downloaded"] += 1
            return Fetched(url, target, body, content_type, page.charset, "network")
        raise FetchError(f"mehr als {MAX_REDIRECTS} Weiterleitungen — Seite ausgelassen")

    def _redirect_target(self, current: str, location: str) -> str:
        target = urljoin(current, location)
        if site_key(target) != site_key(current):
            raise FetchError(f"Weiterleitung auf eine andere Website ({site_key(target)}) — nicht gefolgt")
        if not self.allowed(target):
            self.stats["disallowed"] += 1
            raise FetchError("Weiterleitung auf eine von robots.txt gesperrte Adresse — nicht gefolgt")
        return target

    def _request_with_retry(self, url: str, headers: dict[str, str]) -> tuple[int, Message, bytes]:
        """A site that answers 429/503 with Retry-After gets one more try after that pause."""
        try:
            return self._request(url, headers)
        except urllib.error.HTTPError as error:
            wait = _retry_after(error.headers.get("Retry-After")) if error.code in (429, 503) else None
            if wait is None or wait > MAX_RETRY_AFTER:
                raise
            time.sleep(wait)
            return self._request(url, headers)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
