"""What a news archive links to: announcements, further listing pages, feeds, sitemaps.

The archive is the start URL's folder on its site ("https://kreis.de/news/"):
announcements are the pages below it that a listing page links to; further
listing pages are its pagination ("?page=2", "/seite/3/", rel="next", "Weiter");
RSS/Atom feeds and XML sitemaps add announcements the listing may not show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.etree
import lxml.html

from indexer.ingest.sources.encoding import UnreadableInput, decode_bytes
from indexer.ingest.sources.identity import canonical_url, site_key

LISTING, ARTICLE, FEED, SITEMAP = "listing", "article", "feed", "sitemap"
NOT_PAGES = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|svg|webp|zip|gz|docx?|xlsx?|pptx?|odt|ods|mp3|mp4|avi|mov|ics|vcf|css|js|json)$",
    re.IGNORECASE,
)
PAGE_PARAMS = {"page", "seite", "p", "pg", "pageno", "pagenumber", "start", "offset", "pn", "currentpage"}
PAGE_IN_PATH = re.compile(r"/(?:page|seite|p)/\d+/?$", re.IGNORECASE)
NEXT_WORDS = re.compile(
    r"^(?:weiter|nächste(?: seite)?|vor|mehr meldungen|ältere(?: meldungen| beiträge)?|[›»>]+)$", re.I
)
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


@dataclass(frozen=True)
class Scope:
    """The archive: the start URL's site (any scheme, with or without "www.") and its folder."""

    site: str
    prefix: str

    @classmethod
    def of(cls, start_url: str) -> Scope:
        path = urlsplit(start_url).path or "/"
        folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        return cls(site_key(start_url), folder)

    def on_site(self, url: str) -> bool:
        return site_key(url) == self.site

    def contains(self, url: str) -> bool:
        return self.on_site(url) and urlsplit(url).path.startswith(self.prefix)


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
        return None
    address = urljoin(base, href)
    if urlsplit(address).scheme not in ("http", "https") or NOT_PAGES.search(urlsplit(address).path):
        return None
    return canonical_url(address)


def _is_pagination(url: str, text: str, rel: str, listing: str) -> bool:
    """A link to another page of the same listing, not to an announcement."""
    if {"next", "prev"} & set(rel.lower().split()) or NEXT_WORDS.match(text):
        return True
    here, there = urlsplit(listing), urlsplit(url)
    if there.path == here.path:
        old, new = dict(parse_qsl(here.query)), dict(parse_qsl(there.query))
        changed = {key.lower() for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
        return bool(changed) and changed <= PAGE_PARAMS
    root = PAGE_IN_PATH.sub("/", here.path)
    return bool(PAGE_IN_PATH.search(there.path)) and there.path.startswith(root)


def listing_links(body: bytes, base_url: str, charset: str | None, scope: Scope) -> list[tuple[str, str]]:
    """(url, kind) for the pagination, feeds and announcements a listing page links to."""
    try:
        tree = lxml.html.document_fromstring(decode_bytes(body, charset).encode("utf-8"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))  # fmt: skip
    except (UnreadableInput, lxml.etree.ParserError, ValueError):
        return []
    base = urljoin(base_url, (tree.xpath("//base/@href") or [base_url])[0])
    found: list[tuple[str, str]] = []
    for link in tree.xpath("//link[@rel='alternate'][@href]"):
        if (link.get("type") or "").lower() in FEED_TYPES:
            address = _absolute(base, link.get("href"))
            if address and scope.on_site(address):
                found.append((address, FEED))
    for link in tree.xpath("//link[@rel='next'][@href]"):
        address = _absolute(base, link.get("href"))
        if address and scope.contains(address):
            found.append((address, LISTING))
    listing = canonical_url(base_url)
    for anchor in tree.iter("a"):
        address = _absolute(base, anchor.get("href") or "")
        if not address or not scope.contains(address) or address == listing:
            continue
        text = " ".join(anchor.text_content().split())
        kind = LISTING if _is_pagination(address, text, anchor.get("rel") or "", listing) else ARTICLE
        found.append((address, kind))
    return found


def _xml_tree(body: bytes):
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        return lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return None


def feed_links(body: bytes, base_url: str, scope: Scope) -> list[tuple[str, str]]:
    """Announcements named by an RSS or Atom feed."""
    root = _xml_tree(body)
    if root is None:
        return []
    addresses = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
    addresses += root.xpath(
        "//*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate']/@href"
    )
    return [(a, ARTICLE) for a in (_absolute(base_url, x) for x in addresses) if a and scope.contains(a)]


def sitemap_links(body: bytes, base_url: str, scope: Scope) -> list[tuple[str, str]]:
    """Announcements (and nested sitemaps) of an XML sitemap, restricted to the archive."""
    root = _xml_tree(body)
    if root is None:
        return []
    found = []
    for loc in root.xpath("//*[local-name()='sitemap']/*[local-name()='loc']/text()"):
        address = _absolute(base_url, loc)
        if address and scope.on_site(address):
            found.append((address, SITEMAP))
    for loc in root.xpath("//*[local-name()='url']/*[local-name()='loc']/text()"):
        address = _absolute(base_url, loc)
        if address and scope.contains(address):
            found.append((address, ARTICLE))
    return found
