"""HTML pages: one saved or crawled page becomes one announcement.

trafilatura finds the main text (navigation, footers, cookie banners gone) and
htmldate the date; `article_parts` checks and completes both where real press
pages trip them up (see there). Encodings and mojibake are handled before parsing.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from htmldate import find_date

from indexer.ingest.sources.article_parts import (
    drop_embeds_and_teasers,
    find_dateline,
    find_headline,
    find_lead,
    without_chrome,
)
from indexer.ingest.sources.dates import DateMention, dateline_date
from indexer.ingest.sources.encoding import (
    UnreadableInput,
    check_not_binary,
    clean_line,
    clean_paragraphs,
    declared_charset,
    decode_bytes,
    read_capped,
    repair_mojibake,
)
from indexer.ingest.sources.identity import canonical_url, host_name, id_from_path, id_from_url
from indexer.model import Announcement, InputError

# The libraries log every page they find hard; we report problems as InputErrors instead.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

MAX_SITE_NAME_CHARS = 60  # longer og:site_name values are page titles put in the wrong field
MAX_REPLACEMENT_SHARE = 0.01
MIN_BODY_WORDS = 3  # words of letters: "<<< >>" left over from broken markup is no text
WORD = re.compile(r"[^\W\d_]{2,}")
HEAD_PARAGRAPHS = 3  # where extractors leave headline and dateline


@dataclass
class Page:
    """What one HTML page says about itself."""

    title: str
    body: str
    date: dt.date | None
    url: str  # canonical address if the page names one, else where it was found
    site_name: str
    invalid_date: DateMention | None = None


def parse_html(text: str) -> lxml.html.HtmlElement:
    """A tree even from broken markup; UnreadableInput if there is no document at all."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        tree = None
    if tree is None or not clean_line(tree.text_content()):
        raise UnreadableInput("HTML-Seite enthält keinen lesbaren Text — Datei prüfen oder neu speichern")
    return tree


def page_address(tree: lxml.html.HtmlElement, found_at: str | None) -> str:
    """<link rel=canonical>, else og:url, else where the page was fetched; '' for a bare file."""
    base = found_at or ""
    for href in tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        address = urljoin(base, href.strip())
        if urlsplit(address).scheme in ("http", "https") and urlsplit(address).hostname:
            return canonical_url(address)
    return canonical_url(found_at) if found_at else ""


def site_name(tree: lxml.html.HtmlElement, url: str, title: str) -> str:
    for name in tree.xpath("//meta[@property='og:site_name']/@content"):
        name = clean_line(name)
        if name and len(name) <= MAX_SITE_NAME_CHARS and name.casefold() not in title.casefold():
            return name
    return host_name(url) if url else ""


def extract_page(data: bytes, *, found_at: str | None = None, charset: str | None = None) -> Page:
    """Title, body, date, address and site of one page; UnreadableInput if it has none."""
    if not data.strip():
        raise UnreadableInput("Seite ist leer — Datei neu speichern oder weglassen")
    check_not_binary(data)
    tree = parse_html(decode_bytes(data, charset or declared_charset(data)))
    url = page_address(tree, found_at)

    cleaned = copy.deepcopy(tree)
    drop_embeds_and_teasers(cleaned)
    extracted = trafilatura.bare_extraction(
        cleaned, url=url or None, with_metadata=True, favor_recall=True, include_comments=False,
        include_tables=True, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )  # fmt: skip
    body = extracted.text if extracted is not None and extracted.text else ""
    headline = find_headline(tree, extracted.title if extracted is not None else None, url)
    title = repair_mojibake(headline.text) if headline else ""

    dateline = find_dateline(tree, headline) if headline else None
    date = dateline.date if dateline else None
    if date is None and not (dateline and dateline.invalid):
        # No date printed at the headline: htmldate's structured data (meta, JSON-LD, <time>).
        # A printed but impossible date ("31.02.2021") is not guessed around: htmldate
        # would read it as February.
        date = _htmldate(without_chrome(tree, headline.element if headline else None), url)
    lead = find_lead(tree, body)
    if lead:
        body = lead + "\n" + body
    body = _without_headline(clean_paragraphs(repair_mojibake(body)), title)
    if len(WORD.findall(body)) < MIN_BODY_WORDS:
        raise UnreadableInput(
            "Seite enthält keinen Haupttext (nur Navigation, Rahmen oder kaputtes HTML) "
            "— Seite im Browser prüfen und vollständig neu speichern"
        )
    if body.count("\ufffd") > MAX_REPLACEMENT_SHARE * len(body):
        raise UnreadableInput(
            "Text enthält viele Ersatzzeichen (\ufffd): die Seite wurde schon falsch kodiert gespeichert "
            "— im Original neu als UTF-8 speichern"
        )
    return Page(
        title=title,
        body=body,
        date=date,
        url=url,
        site_name=site_name(tree, url, title),
        invalid_date=dateline.invalid if dateline and date is None else None,
    )


def _htmldate(tree: lxml.html.HtmlElement, url: str) -> dt.date | None:
    latest = (dt.date.today() + dt.timedelta(days=366)).isoformat()
    try:
        found = find_date(
            tree, url=url or None, extensive_search=False, original_date=True,
            min_date="1990-01-01", max_date=latest,
        )  # fmt: skip
    except Exception:  # htmldate raises assorted errors on odd markup; a page without date is fine
        return None
    return dt.date.fromisoformat(found) if found else None


def _without_headline(body: str, title: str) -> str:
    """Drop the headline and bare datelines the extractor kept at the top of the body.

    They are stored as title and date already; as the first paragraph they would
    only fill the snippet ("02.01.2022 Land zahlte …").
    """
    paragraphs = body.split("\n\n")
    head, rest = paragraphs[:HEAD_PARAGRAPHS], paragraphs[HEAD_PARAGRAPHS:]
    head = [p for p in head if not (_repeats_headline(p, title) or _is_bare_dateline(p))]
    return "\n\n".join(head + rest)


def _repeats_headline(paragraph: str, title: str) -> bool:
    return bool(title) and paragraph.endswith(title) and len(paragraph) <= len(title) + 60


def _is_bare_dateline(paragraph: str) -> bool:
    return len(paragraph.split()) <= 6 and dateline_date(paragraph, max_words=3) is not None


def page_announcements(
    page: Page, *, origin: str, fallback_id: str, fallback_source: str
) -> Iterator[Announcement | InputError]:
    """The announcement, plus a note if a printed date had to be ignored."""
    if page.invalid_date is not None:
        yield InputError(
            origin,
            0,
            f"Datum '{page.invalid_date.text}' ist ungültig — Seite ohne Datum indexiert; "
            "Datum in der Quelle korrigieren",
        )
    yield Announcement(
        id=id_from_url(page.url) if page.url else fallback_id,
        title=page.title,
        body=page.body,
        date=page.date,
        url=page.url,
        source=page.site_name or fallback_source,
    )


def read_html(path: Path) -> Iterator[Announcement | InputError]:
    """One .html/.htm file. Without a site name the folder's name is the source."""
    try:
        page = extract_page(read_capped(path))
    except UnreadableInput as error:
        yield InputError(str(path), 0, str(error))
        return
    yield from page_announcements(
        page, origin=str(path), fallback_id=id_from_path(path), fallback_source=path.parent.name
    )
