"""Pages with a JSON twin, in the shape of Datasette's ``DataView`` (``datasette/views/base.py``):
one ``data()`` per page computes the dict, which the API returns as it is and the HTML page
renders with its template, so a page and its twin cannot drift apart. What only the page shows
(links, bars, trees built from that dict) is added in ``context()``.

Also the request parsing every view shares: the query parameters and the search request."""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask.views import View

from search_web.caching import conditional
from search_web.search import SearchRequest


def query_params() -> dict[str, list[str]]:
    """The query parameters; bytes that are not UTF-8 become U+FFFD instead of an error
    (request.args decodes the raw query string strictly)."""
    return parse_qs(request.query_string.decode("utf-8", "replace"))


def search_request() -> SearchRequest:
    return SearchRequest.from_params(query_params())


class DataView(View):
    """One page and its JSON twin. A new instance answers each request, so ``data()`` may keep
    what ``context()`` needs (the parsed search request) on self."""

    template = ""

    def __init__(self, as_json: bool, *args) -> None:
        self.as_json = as_json

    def data(self, **url_values) -> dict:
        """What the page shows and the API returns (404 by flask.abort)."""
        raise NotImplementedError

    def context(self, data: dict) -> dict:
        """The template's variables: by default the data itself."""
        return data

    def before_page(self) -> ResponseReturnValue | None:
        """A response that replaces the HTML page (a redirect), or None."""
        return None

    def dispatch_request(self, **url_values) -> ResponseReturnValue:
        if not self.as_json and (shortcut := self.before_page()) is not None:
            return shortcut
        data = self.data(**url_values)
        if self.as_json:
            return jsonify(data)
        return render_template(self.template, **self.context(data))

    @classmethod
    def register(cls, bp: Blueprint, endpoint: str, rule: str, api_rule: str = "", args: tuple = ()) -> None:
        """The page at rule and its twin at api_rule (/api + rule unless given), as endpoint and
        api_<endpoint>; both answer 304 to a client whose ETag still matches. args go to every
        instance."""
        bp.add_url_rule(rule, view_func=conditional(cls.as_view(endpoint, False, *args)))
        api_view = cls.as_view(f"api_{endpoint}", True, *args)
        bp.add_url_rule(api_rule or f"/api{rule}", view_func=conditional(api_view))
