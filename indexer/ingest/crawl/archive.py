"""Crawl a news archive: listing pages, pagination, feeds and sitemaps → announcements.

Listing pages, feeds and sitemaps only supply links; every other page below the
archive's folder is read as one announcement with the HTML reader. Progress is
logged after every page (see `state`), so a crawl interrupted by Ctrl-C, a crash
or a lost connection resumes where it stopped: pages done before are replayed
from the cache without a request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urljoin

from indexer.ingest.crawl.cache import PageCache
from indexer.ingest.crawl.fetch import Fetched, Fetcher, FetchError, site_of
from indexer.ingest.crawl.links import (
    ARTICLE,
    FEED,
    LISTING,
    SITEMAP,
    Scope,
    feed_links,
    listing_links,
    sitemap_links,
)
from indexer.ingest.crawl.options import CrawlOptions
from indexer.ingest.crawl.state import CrawlState
from indexer.ingest.sources.encoding import UnreadableInput
from indexer.ingest.sources.html import extract_page, page_announcements
from indexer.ingest.sources.identity import canonical_url, host_name, id_from_url
from indexer.model import Announcement, InputError

HTML_TYPES = {"text/html", "application/xhtml+xml"}


def crawl_archive(start_url: str, options: CrawlOptions | None = None) -> Iterator[Announcement | InputError]:
    options = options or CrawlOptions()
    start = canonical_url(start_url)
    scope = Scope.of(start)
    fetcher = Fetcher(options, PageCache(options.cache_dir / "pages"))
    state = CrawlState(options.cache_dir, start)
    started = time.monotonic()
    pages = 0
    try:
        if not state.resumed:
            state.add(start, LISTING)
            for sitemap in fetcher.sitemaps(start):
                address = canonical_url(urljoin(start, sitemap))  # robots.txt may name it relative
                if scope.on_site(address):
                    state.add(address, SITEMAP)
        while (item := state.next()) is not None:
            url, kind = item
            if kind == ARTICLE and pages >= options.max_pages:
                yield InputError(
                    start, 0, f"Obergrenze von {options.max_pages} Seiten erreicht — --max-pages erhöhen"
                )
                break
            produced = list(_visit(url, kind, fetcher, state, scope))
            if url == start and state.final_start and state.final_start != start:
                scope = Scope.of(state.final_start)  # the archive moved (http → https, /presse/ → /news/)
            state.mark_done(url)  # before yielding: a consumer may stop right after this page
            pages += sum(isinstance(p, Announcement) for p in produced)
            yield from produced
        stats = _stats(fetcher, pages, time.monotonic() - started, state.resumed)
        state.finish(stats)
        if options.report:
            options.report(_report_line(start, stats))
    finally:
        state.close()


def _visit(url: str, kind: str, fetcher: Fetcher, state: CrawlState, scope: Scope):
    if not fetcher.allowed(url):
        unreachable = fetcher.unreachable.get(site_of(url))
        if url == state.start_url:
            reason = (
                f"Website nicht erreichbar ({unreachable}) — Adresse und Verbindung prüfen"
                if unreachable is not None
                else "robots.txt der Website sperrt dieses Archiv für Crawler — nichts geladen"
            )
            yield InputError(url, 0, reason)
        if unreachable is None:
            fetcher.stats["disallowed"] += 1
        return
    fetched = fetcher.cached(url) if url in state.done_before else None
    try:
        fetched = fetched or fetcher.fetch(url)
    except FetchError as error:
        yield InputError(url, 0, str(error))
        return
    if kind == ARTICLE:
        yield from _announcements(fetched)
        return
    if url == state.start_url:
        state.final_start = fetched.final_url
        scope = Scope.of(fetched.final_url)
    if kind == LISTING:
        links = listing_links(fetched.body, fetched.final_url, fetched.charset, scope)
    elif kind == FEED:
        links = feed_links(fetched.body, fetched.final_url, scope)
    else:
        links = sitemap_links(fetched.body, fetched.final_url, scope)
    for link, link_kind in links:
        state.add(link, link_kind)


def _announcements(fetched: Fetched) -> Iterator[Announcement | InputError]:
    if fetched.content_type not in HTML_TYPES:
        yield InputError(fetched.url, 0, f"keine HTML-Seite ({fetched.content_type}) — ausgelassen")
        return
    try:
        page = extract_page(fetched.body, found_at=fetched.final_url, charset=fetched.charset)
    except UnreadableInput as error:
        yield InputError(fetched.url, 0, str(error))
        return
    yield from page_announcements(
        page,
        origin=fetched.url,
        fallback_id=id_from_url(fetched.final_url),
        fallback_source=host_name(fetched.final_url),
    )


def _stats(fetcher: Fetcher, pages: int, seconds: float, resumed: bool) -> dict:
    return {
        "pages": pages,
        "seconds": round(seconds, 2),
        "requests": fetcher.stats["requests"],
        "downloaded": fetcher.stats["downloaded"],
        "not_modified": fetcher.stats["not_modified"],
        "from_cache": fetcher.stats["cache"],
        "disallowed": fetcher.stats["disallowed"],
        "resumed": resumed,
    }


def _report_line(start: str, stats: dict) -> str:
    resumed = ", fortgesetzt" if stats["resumed"] else ""
    return (
        f"Crawl {start}: {stats['pages']} Seiten in {stats['seconds']:.1f} s{resumed}; "
        f"{stats['requests']} Anfragen: {stats['downloaded']} geladen, "
        f"{stats['not_modified']} unverändert (304, aus dem Cache); "
        f"{stats['from_cache']} ohne Anfrage aus dem Cache; {stats['disallowed']} von robots.txt gesperrt"
    )
