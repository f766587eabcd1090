"""URLs of search states: every filter, page and sort is a plain, shareable link.

The HTML pages, the Atom feed and the JSON API take the same parameters, so one
search state has one query string everywhere (see ``SearchRequest.params``).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlencode

from indexer.engine.facets import FILTERS
from search_web.search import SearchRequest

MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def _url(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def search_url(pairs: list[tuple[str, str]], path: str = "/") -> str:
    return _url(path, pairs)


def toggle_url(search: SearchRequest, param: str, value: str) -> str:
    """The search URL with this facet value added or removed; back to page 1."""
    pairs = [(k, v) for k, v in search.params() if not (k == param and v == value)]
    if (param, value) not in search.params():
        pairs.append((param, value))
    return _url("/", pairs)


def query_url(search: SearchRequest, q: str) -> str:
    """The same filters with other words (a spelling suggestion), corrections allowed again."""
    return _url("/", [("q", q)] + [(k, v) for k, v in search.params() if k not in ("q", "as_typed")])


def as_typed_url(search: SearchRequest) -> str:
    """The same search with the words as typed: no spelling correction."""
    return _url("/", [(k, v) for k, v in search.params() if k != "as_typed"] + [("as_typed", "1")])


def all_words_url(search: SearchRequest) -> str:
    """The same search with every word required, even if nothing then matches."""
    return _url("/", [(k, v) for k, v in search.params() if k != "match"] + [("match", "all")])


def some_words_url(search: SearchRequest) -> str:
    return _url("/", [(k, v) for k, v in search.params() if k != "match"])


def without_filters_url(search: SearchRequest) -> str:
    """Keeps the words and the sort order, drops every filter and the date range."""
    pairs = [(k, v) for k, v in search.params() if k in ("q", "sort", "per_page")]
    return _url("/", pairs)


def without_dates_url(search: SearchRequest) -> str:
    return _url("/", [(k, v) for k, v in search.params() if k not in ("from", "to")])


def page_url(search: SearchRequest, page: int, path: str = "/") -> str:
    pairs = search.params() + ([("page", str(page))] if page > 1 else [])
    return _url(path, pairs)


def sort_url(search: SearchRequest, sort: str) -> str:
    pairs = [(k, v) for k, v in search.params() if k != "sort"]
    if sort != "relevance":
        pairs.append(("sort", sort))
    return _url("/", pairs)


def state_url(search: SearchRequest, path: str = "/") -> str:
    """This exact search state (page included) under another path: feed, API, canonical."""
    return page_url(search, search.page, path)


def feed_url(search: SearchRequest) -> str:
    """The Atom feed of a search: newest first, so sort and page do not belong in it."""
    return state_url(replace(search, sort="relevance", page=1), "/feed.atom")


def filter_url(param: str, value: str) -> str:
    return _url("/", [(param, value)])


def entity_url(param: str, value: str, api: bool = False) -> str:
    """/ort/<name>, /organisation/<name>, /thema/<name> (or their /api/ twins)."""
    prefix = "/api/" if api else "/"
    return f"{prefix}{FILTERS[param].entity_segment}/{quote(value, safe='')}"


def doc_url(doc_id: str) -> str:
    return f"/doc/{quote(doc_id, safe='')}"


def value_label(param: str, value: str) -> str:
    """How a filter value reads in German: months as "Juni 2015"."""
    if param == "month" and len(value) == 7 and value[4] == "-" and value[5:].isdigit():
        number = int(value[5:])
        if 1 <= number <= 12:
            return f"{MONTH_NAMES[number - 1]} {value[:4]}"
    return value


def german_date(iso: str | None) -> str:
    """2015-06-09 -> 09.06.2015."""
    if not iso or len(iso) < 10:
        return iso or ""
    return f"{iso[8:10]}.{iso[5:7]}.{iso[0:4]}"


def german_number(number: int) -> str:
    return f"{number:,}".replace(",", ".")
