"""Atom 1.0 feeds for any search, and the OpenSearch description of the site.

``/feed.atom?<the parameters of a search>`` lists the newest matching
announcements, so every search (a place, a topic, a query) can be subscribed to.
Documents are put in as text through ElementTree, which escapes them; no HTML
from an announcement ever reaches the feed as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from flask import Blueprint, Response, request

from indexer.engine.facets import ENTITY_SEGMENTS
from search_web.caching import conditional
from search_web.links import doc_url, feed_url, state_url, value_label
from search_web.pages import search_request
from search_web.search import SearchRequest
from search_web.service import get_service

bp = Blueprint("feeds", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
FEED_ENTRIES = 20
FEED_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<[^>]*>")


def xml_text(text: str) -> str:
    """Text that XML 1.0 can carry (control characters dropped)."""
    return _NOT_XML.sub("", text or "")


def plain_text(snippet_html: str) -> str:
    """The search service's snippet (escaped text with <mark>) as plain text."""
    return html.unescape(_TAG.sub("", snippet_html))


def feed_title(search: SearchRequest) -> str:
    parts = [f"„{search.q}“"] if search.q else []
    parts += [value_label(name, value) for name, values in search.filters.items() for value in values]
    if search.date_from or search.date_to:
        parts.append(f"{search.date_from or '…'} bis {search.date_to or '…'}")
    return "Amtsblick: " + (", ".join(parts) if parts else "neueste Meldungen")


def _rfc3339(day: str | None, fallback: dt.datetime) -> str:
    if day:
        return f"{day}T00:00:00Z"
    return fallback.strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(results: dict, search: SearchRequest, root: str, generated: dt.datetime) -> bytes:
    """The feed of one search (as the user asked it); results are its newest hits.

    root is the site's absolute URL without a trailing slash."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "de"})
    self_url = root + feed_url(search)
    sub(feed, "id", self_url)
    sub(feed, "title", feed_title(search))
    sub(feed, "subtitle", "Pressemitteilungen und Bekanntmachungen, neueste zuerst")
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=root + state_url(replace(search, page=1), "/"))
    newest = max((hit["date"] for hit in results["hits"] if hit.get("date")), default=None)
    sub(feed, "updated", _rfc3339(newest, generated))
    author = sub(feed, "author")
    sub(author, "name", "Amtsblick")
    sub(feed, "generator", "Amtsblick")
    for hit in results["hits"]:
        entry = sub(feed, "entry")
        link = root + doc_url(hit["id"])
        sub(entry, "id", link)
        sub(entry, "title", hit.get("title") or "(ohne Titel)", type="text")
        sub(entry, "updated", _rfc3339(hit.get("date"), generated))
        if hit.get("date"):
            sub(entry, "published", _rfc3339(hit["date"], generated))
        sub(entry, "link", rel="alternate", type="text/html", href=link)
        if hit.get("url", "").startswith(("http://", "https://")):
            sub(entry, "link", rel="related", type="text/html", href=hit["url"], title="Original")
        entry_author = sub(entry, "author")
        sub(entry_author, "name", hit.get("source") or "unbekannt")
        sub(entry, "summary", plain_text(hit.get("snippet", "")), type="text")
        for segment, facet in ENTITY_SEGMENTS.items():
            for value in hit.get(facet.document_key, []):
                sub(entry, "category", term=value, label=value, scheme=f"{root}/{segment}/")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def site_root() -> str:
    return request.url_root.rstrip("/")


@bp.get("/feed.atom")
@conditional
def search_feed():
    # A feed is always the newest first page: sort and page of the search URL do not apply.
    search = search_request()
    results = get_service().search(replace(search, sort="date", page=1, per_page=FEED_ENTRIES))
    generated = dt.datetime.fromtimestamp(get_service().searcher().last_modified(), dt.UTC)
    return Response(atom_feed(results, search, site_root(), generated), content_type=FEED_TYPE)


def opensearch_description(root: str) -> bytes:
    ET.register_namespace("", OPENSEARCH_NS)
    description = ET.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription")

    def sub(tag: str, text: str | None = None, **attrs) -> None:
        element = ET.SubElement(description, f"{{{OPENSEARCH_NS}}}{tag}", attrs)
        element.text = text

    sub("ShortName", "Amtsblick")
    sub("Description", "Suche in Pressemitteilungen und Bekanntmachungen von Behörden")
    sub("InputEncoding", "UTF-8")
    sub("OutputEncoding", "UTF-8")
    sub("Language", "de-de")
    sub("Url", type="text/html", method="get", template=f"{root}/?q={{searchTerms}}")
    sub("Url", type="application/atom+xml", template=f"{root}/feed.atom?q={{searchTerms}}")
    sub("Url", type="application/json", template=f"{root}/api/search?q={{searchTerms}}")
    sub(
        "Url",
        type="application/x-suggestions+json",
        template=f"{root}/api/suggest?q={{searchTerms}}&format=opensearch",
    )
    sub("Url", type="application/opensearchdescription+xml", rel="self", template=f"{root}/opensearch.xml")
    return ET.tostring(description, encoding="utf-8", xml_declaration=True)


@bp.get("/opensearch.xml")
def opensearch():
    response = Response(
        opensearch_description(site_root()), content_type="application/opensearchdescription+xml"
    )
    # Its URLs come from the configured address (search_web/hosts.py); with several trusted host
    # names each has its own description, so caches keep them apart.
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Vary"] = "Host"
    return response
