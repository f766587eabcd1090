"""Browse pages in the style of presseportal's "Blaulicht": by Land, by Kreis, by publisher.

One scheme, each with a JSON twin under ``/api/`` and the search's Atom feed:

- ``/land/<Land>``: newest releases, its Kreise and kreisfreie Städte with counts
- ``/kreis/<Kreis>``: newest releases, its Verbandsgemeinden/Ämter and Gemeinden with counts
- ``/quelle/<Herausgeber>``: newest releases, the Länder, Kreise, places and topics it reports on
- ``/land``, ``/kreis``, ``/quelle``: every unit with its count (``?name=…`` jumps to one)

A unit exists when announcements carry it (its facet value), so the pages need no gazetteer;
the gazetteer only says which Kreis lies in which Land. Every figure comes from the selection the
search service makes for the unit's filter (the same one its "Alle N Meldungen durchsuchen" link
runs), counted from cached facet postings, so the page and the search agree and stay fast.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, redirect, request

from indexer.engine.facets import BROWSE_KINDS
from search_web.links import entity_url, search_url
from search_web.pages import DataView
from search_web.place_tree import gazetteer_or_none
from search_web.search import SearchRequest, SearchService, Selection
from search_web.service import get_service

bp = Blueprint("browse", __name__)

NEWEST_SHOWN = 10
UNITS_SHOWN = 60  # sub-units listed on a page; the rest through the search


def browse_url(segment: str, name: str, api: bool = False) -> str:
    return f"{'/api' if api else ''}/{segment}/{quote(name, safe='')}"


def _counted(
    search_service: SearchService, chosen: Selection, field: str, keep=lambda value: True
) -> list[tuple[str, int]]:
    return [(v, c) for v, c in search_service.breakdown(chosen, field) if keep(v)]


def _units(pairs: list[tuple[str, int]], url, kind=lambda value: "") -> list[dict]:
    return [{"value": v, "count": c, "url": url(v), "kind": kind(v)} for v, c in pairs[:UNITS_SHOWN]]


def _sub_units(search_service: SearchService, chosen: Selection, segment: str, name: str) -> list[dict]:
    """Groups of smaller units (title, entries) that announcements of this unit name."""
    gazetteer = gazetteer_or_none()
    places = gazetteer.by_key if gazetteer else {}

    def inside(level_attr: str):
        return lambda value: value in places and getattr(places[value], level_attr) == name

    def kind(value: str) -> str:
        place = places.get(value)
        return "" if place is None or place.kind in value else place.kind

    if segment == "land":
        districts = _counted(search_service, chosen, "district", inside("state"))
        return [
            {"title": "Kreise und kreisfreie Städte", "entries": _units(districts, _kreis, kind)},
        ]
    if segment == "kreis":
        verbands = _counted(search_service, chosen, "verband", inside("district"))
        towns = _counted(search_service, chosen, "place", inside("district"))
        return [
            {"title": "Verbandsgemeinden, Ämter und Bezirke", "entries": _units(verbands, _ort, kind)},
            {"title": "Gemeinden und Ortsteile", "entries": _units(towns, _ort, kind)},
        ]
    return [  # a publisher: where it reports from, and on what
        {"title": "Länder", "entries": _units(_counted(search_service, chosen, "state"), _land)},
        {
            "title": "Kreise und kreisfreie Städte",
            "entries": _units(_counted(search_service, chosen, "district"), _kreis),
        },
        {"title": "Orte", "entries": _units(_counted(search_service, chosen, "place"), _ort, kind)},
        {"title": "Themen", "entries": _units(_counted(search_service, chosen, "topic"), _thema)},
    ]


def _land(value: str) -> str:
    return browse_url("land", value)


def _kreis(value: str) -> str:
    return browse_url("kreis", value)


def _ort(value: str) -> str:
    return entity_url("place", value)


def _thema(value: str) -> str:
    return entity_url("topic", value)


def unit_overview(search_service: SearchService, segment: str, name: str) -> dict | None:
    """Everything a browse page shows (and its JSON twin returns); None for an unknown unit."""
    kind = BROWSE_KINDS[segment]
    field, param = kind.facet.field, kind.facet.param
    # Exactly what the search behind "Alle N Meldungen durchsuchen" selects, so the figures agree.
    request = SearchRequest(filters={param: [name]}, sort="date", per_page=NEWEST_SHOWN)
    chosen = search_service.select(request)
    newest = search_service.search(request, facet_names=(), chosen=chosen)
    total = newest["total"]
    if not total:
        return None
    first, last = search_service.date_spans(chosen, field).get(name, (None, None))
    gazetteer = gazetteer_or_none()
    place = gazetteer.by_key.get(name) if gazetteer and param == "place" else None
    parents = []
    if place is not None and segment == "kreis" and place.state:
        parents.append({"value": place.state, "kind": "Land", "url": _land(place.state)})
    return {
        "kind": segment,
        "kind_label": kind.label,
        "name": name,
        "place_kind": place.kind if place is not None and place.kind not in name else "",
        "total": total,
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "within": parents,
        "newest": newest["hits"],
        "units": [group for group in _sub_units(search_service, chosen, segment, name) if group["entries"]],
        "search_param": param,
        "search_url": search_url([(param, name)]),
        "feed_url": search_url([(param, name)], "/feed.atom"),
        "api_url": browse_url(segment, name, api=True),
        "entity_url": entity_url(param, name) if param == "place" else None,
    }


def unit_index(search_service: SearchService, segment: str) -> dict:
    """Every unit of a kind with its count (Kreise grouped by Land)."""
    kind = BROWSE_KINDS[segment]
    field = kind.facet.field
    everything = search_service.select(SearchRequest())
    counts = _counted(search_service, everything, field)
    ranges = search_service.date_spans(everything, field) if segment == "quelle" else {}
    gazetteer = gazetteer_or_none()
    entries = []
    for value, count in counts:
        entry = {"value": value, "count": count, "url": browse_url(segment, value)}
        if value in ranges:
            entry["first_date"], entry["last_date"] = (day.isoformat() for day in ranges[value])
        if segment == "kreis":
            place = gazetteer.by_key.get(value) if gazetteer else None
            entry["state"] = place.state if place is not None else ""
        entries.append(entry)
    return {"kind": segment, "kind_label": kind.label, "title": kind.plural, "units": entries}


def _grouped_by_state(entries: list[dict]) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault(entry.get("state") or "ohne Land", []).append(entry)
    return [{"state": state, "entries": groups[state]} for state in sorted(groups)]


class UnitIndexPage(DataView):
    """/land, /kreis, /quelle and their /api/ twins: every unit of the kind with its count."""

    template = "browse_index.html"

    def __init__(self, as_json: bool, segment: str) -> None:
        super().__init__(as_json)
        self.segment = segment

    def before_page(self):
        name = (request.args.get("name") or "").strip()
        if name:  # the pickers on the start page work without JavaScript
            return redirect(browse_url(self.segment, name), code=303)
        return None

    def data(self) -> dict:
        return unit_index(get_service(), self.segment)

    def context(self, data: dict) -> dict:
        groups = _grouped_by_state(data["units"]) if self.segment == "kreis" else []
        return {"data": data, "groups": groups}


class UnitPage(DataView):
    """/land/<Land>, /kreis/<Kreis>, /quelle/<Herausgeber> and their /api/ twins."""

    template = "browse.html"

    def __init__(self, as_json: bool, segment: str) -> None:
        super().__init__(as_json)
        self.segment = segment

    def data(self, name: str) -> dict:
        overview = unit_overview(get_service(), self.segment, name)
        if overview is None:
            abort(404)
        return overview

    def context(self, overview: dict) -> dict:
        return {"unit": overview}


for _segment in BROWSE_KINDS:
    UnitIndexPage.register(bp, f"{_segment}_index", f"/{_segment}", args=(_segment,))
    UnitPage.register(bp, f"{_segment}_page", f"/{_segment}/<path:name>", args=(_segment,))
