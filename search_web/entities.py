"""Entity pages: one place, organisation or topic over time and in company.

``/ort/<name>``, ``/organisation/<name>`` and ``/thema/<name>`` show how often
announcements mention the entity per year, the newest of them, and what is
mentioned most often together with it (places, organisations, topics), each
linked into the filtered search. ``/api/…`` twins return the same data as JSON.
"""

from __future__ import annotations

from flask import Blueprint, abort

from indexer.engine.facets import BY_NAME, ENTITY_SEGMENTS, FILTERS, PLACE_LEVELS
from search_web.histogram import year_bars
from search_web.links import entity_url, filter_url, search_url
from search_web.pages import DataView
from search_web.place_tree import gazetteer_or_none
from search_web.search import SearchRequest, SearchService, Selection
from search_web.service import get_service

bp = Blueprint("entities", __name__)

RELATED = tuple(ENTITY_SEGMENTS.values())  # places, organisations and topics mentioned together
RELATED_SHOWN = 12
NEWEST_SHOWN = 10


def entity_overview(search_service: SearchService, param: str, name: str) -> dict | None:
    """Everything an entity page shows; None when no announcement mentions it."""
    request = SearchRequest(filters={param: [name]}, sort="date", per_page=NEWEST_SHOWN)
    chosen = search_service.select(request)
    total = chosen.total
    if not total:
        return None
    newest = search_service.search(request, facet_names=(), chosen=chosen)
    years = sorted(chosen.counts("year"))
    overview = {
        "kind": param,
        "kind_label": FILTERS[param].label,
        "name": name,
        "total": total,
        "years": [{"value": year, "count": count} for year, count in years],
        "newest": newest["hits"],
        "related": {},
        "search_url": filter_url(param, name),
        "feed_url": search_url([(param, name)], "/feed.atom"),
        "api_url": entity_url(param, name, api=True),
    }
    exclude = {name}
    if param == "place":
        context = _place_context(chosen, name)
        # places around it and in it have their own lists; "related" is for the rest
        exclude |= {entry["value"] for entry in context["within"] + context["contains"]}
        overview["place"] = {**context, "contains": context["contains"][:RELATED_SHOWN]}
    for facet in RELATED:
        related = facet.param
        counts = facet.ordered([(v, c) for v, c in chosen.counts(facet.field) if v not in exclude])
        overview["related"][related] = [
            {"value": v, "count": c, "url": entity_url(related, v), "search_url": filter_url(related, v)}
            for v, c in counts[:RELATED_SHOWN]
        ]
    return overview


def _place_context(chosen: Selection, name: str) -> dict:
    """Where the place lies (from the gazetteer) and which smaller places in it are mentioned."""
    gazetteer = gazetteer_or_none()
    place = gazetteer.by_key.get(name) if gazetteer else None
    within = []
    if place is not None:
        for level, key in (("verband", place.verband), ("district", place.district), ("state", place.state)):
            if key and key != name:
                kind = gazetteer.by_key[key].kind if key in gazetteer.by_key else BY_NAME[level].label
                kind = "" if kind in key else kind  # "Verbandsgemeinde Hermeskeil" says it already
                within.append({"value": key, "kind": kind, "url": entity_url("place", key)})
    contains = []
    if gazetteer is not None:
        for level in PLACE_LEVELS:
            for value, count in chosen.counts(level.field):
                inner = gazetteer.by_key.get(value)
                if (
                    inner is not None
                    and value != name
                    and name in (inner.verband, inner.district, inner.state)
                ):
                    contains.append({"value": value, "count": count, "url": entity_url("place", value)})
    contains.sort(key=lambda entry: (-entry["count"], entry["value"]))
    return {"kind": place.kind if place else "", "within": within, "contains": contains}


class EntityPage(DataView):
    """/<segment>/<name> and /api/<segment>/<name> for the entity facets (ort, organisation, thema)."""

    template = "entity.html"

    def __init__(self, as_json: bool, segment: str) -> None:
        super().__init__(as_json)
        self.facet = ENTITY_SEGMENTS[segment]

    def data(self, name: str) -> dict:
        overview = entity_overview(get_service(), self.facet.param, name)
        if overview is None:
            abort(404)
        return overview

    def context(self, overview: dict) -> dict:
        related = [(facet.param, facet.plural) for facet in RELATED]  # headings from the registry
        return {"entity": overview, "bars": year_bars(_year_entries(overview)), "related": related}


def _year_entries(overview: dict) -> list[dict]:
    return [{"value": y["value"], "count": y["count"], "selected": False} for y in overview["years"]]


for _segment, _facet in ENTITY_SEGMENTS.items():
    EntityPage.register(bp, f"{_facet.param}_page", f"/{_segment}/<path:name>", args=(_segment,))
