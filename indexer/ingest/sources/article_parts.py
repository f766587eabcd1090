"""Headline, dateline and lead of a news page, read from its HTML tree.

Our fallbacks where trafilatura/htmldate go wrong on real press pages:

- the headline: <title> and og:title carry site names and section labels
  ("BMAS - …", "Fachmeldungen - …"), and an <h1> may carry a kicker, a roofline or
  the date ("1. Februar 2022 Bundesministerin Raab: …"); the headline is the
  visible heading part that best matches the page's title metadata;
- the dateline: the date printed next to the headline is the publication date,
  even where a <meta> date says something else (creation or revision date);
- the lead: a teaser paragraph in its own box that extractors skip, recognised
  because the page's description repeats it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from indexer.ingest.sources.dates import DateMention, dateline_date, plausible
from indexer.ingest.sources.encoding import clean_line
from indexer.ingest.sources.identity import host_name

HIDDEN_CLASSES = {
    "aural", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "element-invisible",
    "invisible", "hidden", "offscreen", "u-visually-hidden", "show-for-sr",
}  # fmt: skip
CHROME_TAGS = {"nav", "footer", "aside", "menu"}  # not <form>: ASP.NET wraps whole pages in one
# class/id words of navigation, footers, sidebars and consent layers
CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navi|navigation|navbar|menu|menue|breadcrumbs?|footer|sidebar|cookie|consent"
    r"|skiplinks?|servicemenu|toolbar|social|share)(?:$|[\s_-])"
)
CAMEL_CASE = re.compile(r"([a-z])([A-Z])")
# what navigation never contains: the main content, or a paragraph of running text
LAYOUT_WRAPPER_SIGNS = (
    ".//article | .//main | .//*[@role='main'] | .//p[string-length(normalize-space()) > 200]"
)
SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "button", "select", "option"}
TITLE_SEPARATORS = re.compile(r"\s+[-|–—·»:]\s+|\s*\|\s*")
KICKER_TAGS = {"time", "br", "small", "div", "p", "span"}
NODES_AFTER_HEADLINE = 12  # a dateline sits right under the headline or its picture
NODES_BEFORE_HEADLINE = 6  # … or right above it ("Bonn, 11.10.2021")
MAX_LEAD_CHARS = 3000


@dataclass(frozen=True)
class Headline:
    text: str
    element: HtmlElement | None


def _classes(element: HtmlElement) -> str:
    """class and id, lower case, camelCase split: "navPrimary" → "nav-primary"."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return CAMEL_CASE.sub(r"\1-\2", names).lower()


def is_hidden(element: HtmlElement) -> bool:
    if set((element.get("class") or "").lower().split()) & HIDDEN_CLASSES:
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def is_chrome(element: HtmlElement) -> bool:
    """Navigation, footer, sidebar or consent layer: never part of an announcement."""
    if element.tag in CHROME_TAGS:
        return True
    if element.tag == "header":  # a page header is chrome, an article's own header is not
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    if element.tag in ("html", "body", "main", "article"):
        return False
    if not CHROME_WORDS.search(_classes(element)):
        return False
    # A layout wrapper such as <div class="page has-sidebar"> holds the article: not chrome.
    return not element.xpath(LAYOUT_WRAPPER_SIGNS)


def in_chrome(element: HtmlElement) -> bool:
    return any(is_chrome(e) or is_hidden(e) for e in (element, *element.iterancestors()))


def visible_text(element: HtmlElement) -> str:
    """Text a reader sees: without scripts, styles and visually hidden parts."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TAGS or is_hidden(node):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return clean_line(" ".join(parts))


# -- headline -----------------------------------------------------------------------------------------
def meta_titles(tree: HtmlElement) -> list[str]:
    """og:title, twitter:title, DC and <title>, in that order of trust."""
    names = ("og:title", "twitter:title", "title", "dc.title", "dcterms.title")
    titles = []
    for name in names:
        for meta in tree.xpath("//meta[@property=$n or @name=$n]", n=name):
            titles.append(clean_line(meta.get("content") or ""))
    titles += [clean_line(t.text_content()) for t in tree.xpath("//head/title")[:1]]
    return [t for t in dict.fromkeys(titles) if t]


def site_names(tree: HtmlElement, url: str | None) -> set[str]:
    names = {
        clean_line(m.get("content") or "").lower() for m in tree.xpath("//meta[@property='og:site_name']")
    }
    if url:
        host = host_name(url)
        names |= {host, f"www.{host}", host.split(".")[0]}
    return {n for n in names if n}


def heading_parts(heading: HtmlElement) -> list[str]:
    """The heading split where kickers, rooflines and dates end: "Thema | Verbraucherschutz | Mehr …"."""
    parts: list[str] = []
    current = heading.text or ""
    for child in heading:
        if not isinstance(child.tag, str) or child.tag in SKIPPED_TAGS or is_hidden(child):
            current += " " + (child.tail or "")
            continue
        if child.tag in KICKER_TAGS and (child.get("class") or child.tag in ("time", "br", "div", "p")):
            parts += [current, visible_text(child)]
            current = child.tail or ""
        else:
            current += " " + visible_text(child) + " " + (child.tail or "")
    parts.append(current)
    cleaned = [clean_line(p).strip(" :|–-") for p in parts]
    return [p for p in cleaned if len(p) > 1]


def heading_candidates(heading: HtmlElement) -> list[str]:
    """Every run of consecutive pieces of the heading, split at each child element.

    `heading_parts` cannot know that an unmarked <em> is a kicker ("<em>Holocaust-
    Gedenktag </em>Erinnerung an …"); matching every run against the title metadata can.
    """
    pieces = [heading.text or ""]
    for child in heading:
        if isinstance(child.tag, str) and child.tag not in SKIPPED_TAGS and not is_hidden(child):
            block = child.tag in KICKER_TAGS and child.tag not in ("span",)
            pieces.append(f" {visible_text(child)} " if block else visible_text(child))
        pieces.append(child.tail or "")
    pieces = pieces[:16]
    runs = {
        clean_line("".join(pieces[i:j])).strip(" :|–-")
        for i in range(len(pieces))
        for j in range(i + 1, len(pieces) + 1)
    }
    return sorted((r for r in runs | set(heading_parts(heading)) if len(r) > 1), key=len)


def _segments(titles: list[str], sites: set[str]) -> set[str]:
    segments = set()
    for title in titles:
        for piece in [title, *TITLE_SEPARATORS.split(title)]:
            piece = piece.strip()
            if len(piece) > 3 and piece.lower() not in sites:
                segments.add(piece.casefold())
    return segments


def _match_score(candidate: str, segments: set[str]) -> tuple[int, int]:
    """(overlap, -length difference) of the best-matching title segment; (0, 0) if none."""
    folded = candidate.casefold()
    best = (0, 0)
    for segment in segments:
        if segment in folded or folded in segment:
            overlap = min(len(segment), len(folded))
            # Within a factor of two: a long heading that contains one word of the title is not
            # the headline, nor is a short heading ("Die Bundespolizei") inside a long title.
            if overlap * 2 >= max(len(folded), len(segment)):
                best = max(best, (overlap, -abs(len(segment) - len(folded))))
    return best


def headings(tree: HtmlElement) -> Iterator[HtmlElement]:
    for heading in tree.iter("h1", "h2", "h3"):
        if not in_chrome(heading):
            yield heading


def find_headline(tree: HtmlElement, extractor_title: str | None, url: str | None) -> Headline | None:
    """The visible heading (or heading part) that best matches the page's titles."""
    titles = meta_titles(tree)
    sites = site_names(tree, url)
    segments = _segments(([clean_line(extractor_title)] if extractor_title else []) + titles, sites)
    best: tuple[tuple[int, int], str, HtmlElement | None] = ((0, 0), "", None)
    for heading in headings(tree):
        for candidate in heading_candidates(heading):
            score = _match_score(candidate, segments)
            if score > best[0]:
                best = (score, candidate, heading)
    if best[0][0]:
        return Headline(best[1], best[2])
    title = _title_without_site(titles, sites) or clean_line(extractor_title or "")
    if title:
        return Headline(title, _heading_containing(tree, title))
    first = next((h for h in headings(tree) if h.tag == "h1"), None)
    return Headline(heading_parts(first)[-1], first) if first is not None and heading_parts(first) else None


def _title_without_site(titles: list[str], sites: set[str]) -> str:
    """og:title if <title> confirms it, else <title> minus the site's name."""
    if not titles:
        return ""
    page_title = titles[-1]
    for title in titles[:-1]:
        if title.casefold() in page_title.casefold():
            return title
    pieces = [p for p in TITLE_SEPARATORS.split(page_title) if p.strip().lower() not in sites]
    return max(pieces, key=len).strip() if pieces else page_title


def _heading_containing(tree: HtmlElement, title: str) -> HtmlElement | None:
    folded = title.casefold()
    return next((h for h in headings(tree) if folded in visible_text(h).casefold()), None)


# -- dateline -----------------------------------------------------------------------------------------
def _text_nodes(root: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Visible text pieces in reading order, each with the element that holds it."""
    nodes: list[tuple[HtmlElement, str]] = []

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TAGS or is_hidden(node):
            return
        if node.tag == "time" and node.get("datetime"):
            nodes.append((node, node.get("datetime")))
            return
        if (node.text or "").strip():
            nodes.append((node, clean_line(node.text)))
        for child in node:
            walk(child)
            if (child.tail or "").strip():
                nodes.append((node, clean_line(child.tail)))

    walk(root)
    return nodes


@dataclass(frozen=True)
class Dateline:
    date: dt.date | None
    invalid: DateMention | None = None  # looked like the dateline but is no real date


def find_dateline(tree: HtmlElement, headline: Headline) -> Dateline:
    """The date printed in, right under or right above the headline."""
    if headline.element is None:
        return Dateline(None)
    body = tree.find("body") if tree.find("body") is not None else tree
    nodes = _text_nodes(body)
    inside = {id(e) for e in headline.element.iter()}
    positions = [i for i, (element, _) in enumerate(nodes) if id(element) in inside]
    if not positions:
        return Dateline(None)
    first, last = positions[0], positions[-1]
    order = [i for i in positions if headline.text not in nodes[i][1]]  # kickers and dates inside the h1
    for distance in range(1, max(NODES_AFTER_HEADLINE, NODES_BEFORE_HEADLINE) + 1):
        if distance <= NODES_AFTER_HEADLINE:
            order.append(last + distance)
        if distance <= NODES_BEFORE_HEADLINE:
            order.append(first - distance)
    invalid = None
    for index in order:
        if not 0 <= index < len(nodes):
            continue
        mention = dateline_date(nodes[index][1])
        if mention is None:
            continue
        if plausible(mention.date):
            return Dateline(mention.date, invalid)
        invalid = invalid or mention
    return Dateline(None, invalid)


def without_chrome(tree: HtmlElement, keep: HtmlElement | None = None) -> HtmlElement:
    """A copy without navigation, footers and sidebars (whose dates are not the page's)."""
    pruned = copy.deepcopy(tree)
    keep_text = visible_text(keep) if keep is not None else None
    for element in list(pruned.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if (is_chrome(element) or element.tag in SKIPPED_TAGS) and not (
            keep_text and keep_text in visible_text(element)
        ):
            element.drop_tree()
    return pruned


# -- lead ---------------------------------------------------------------------------------------------
def descriptions(tree: HtmlElement) -> list[str]:
    found = tree.xpath(
        "//meta[@property='og:description' or @name='description' or @name='twitter:description']"
    )
    return [d for d in dict.fromkeys(clean_line(m.get("content") or "") for m in found) if len(d) >= 40]


def find_lead(tree: HtmlElement, body: str) -> str | None:
    """The visible paragraph that the page's description repeats, if the body lacks it."""
    folded_body = body.casefold()
    for description in descriptions(tree):
        probe = description.rstrip(".… ")[:60].casefold()
        if probe in folded_body:
            return None
        for element in tree.iter():
            own = clean_line(element.text or "").casefold() if isinstance(element.tag, str) else ""
            if len(own) < 10 or not (own.startswith(probe[:30]) or probe.startswith(own)):
                continue
            # climb from the text's first element to the one holding the whole lead paragraph
            for holder in (element, *list(element.iterancestors())[:3]):
                text = visible_text(holder)
                if len(text) > MAX_LEAD_CHARS:
                    break
                if text.casefold().startswith(probe) and not in_chrome(holder):
                    return text
    return None


# -- cleaning before extraction -----------------------------------------------------------------------
MEDIA_TAGS = ("iframe", "video", "audio", "object", "embed")
MAX_EMBED_WRAPPER_CHARS = 600


def drop_embeds_and_teasers(tree: HtmlElement) -> None:
    """Remove player/consent wrappers of embedded media and link teasers to other pages.

    Their text ("Wenn Sie dieses Video abspielen, …", "Erhalten Sie Antworten auf …
    Zu den FAQ") sits inside the article container, so extractors keep it.
    """
    for media in list(tree.iter(*MEDIA_TAGS)):
        wrapper = media
        while (parent := wrapper.getparent()) is not None and parent.tag not in ("body", "article", "main"):
            if len(visible_text(parent)) > MAX_EMBED_WRAPPER_CHARS:
                break
            wrapper = parent
        if wrapper.getparent() is not None:
            wrapper.drop_tree()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if "teaser" in f"{element.tag} {_classes(element)}" and (
            element.xpath(".//*[@href]") or element.get("href")
        ):
            element.drop_tree()
