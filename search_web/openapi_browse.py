"""OpenAPI paths and schemas of the browse pages' JSON twins and of the exports (merged into
the document of search_web/openapi.py; kept apart so each part of the API documents itself)."""

from __future__ import annotations

from indexer.engine.facets import BROWSE_KINDS
from search_web.links import german_number
from search_web.openapi_parts import NAME_PARAMETER, NOT_FOUND, NOT_MODIFIED, json_response, ref
from search_web.search import EXPORT_LIMIT

_UNIT_LABELS = {segment: kind.api_label for segment, kind in BROWSE_KINDS.items()}
EXPORT_NOTE = (
    "Dieselben Filter wie /api/search (page und per_page gelten nicht); gestreamt, höchstens "
    f"{german_number(EXPORT_LIMIT)} Zeilen in der Reihenfolge der Suche. Kopfzeilen: X-Export-Limit, "
    "X-Total-Count (alle Treffer), X-Export-Rows (Zeilen in dieser Datei); der Dateiname nennt das Limit."
)
_LIST = {"type": "array", "items": {"type": "object"}}

SCHEMAS = {
    "Unit": {
        "type": "object",
        "required": ["kind", "name", "total", "newest", "units", "search_url", "feed_url"],
        "properties": {
            "kind": {"type": "string", "enum": list(_UNIT_LABELS)},
            "kind_label": {"type": "string"},
            "name": {"type": "string"},
            "total": {"type": "integer"},
            "first_date": {"type": ["string", "null"], "format": "date"},
            "last_date": {"type": ["string", "null"], "format": "date"},
            "within": _LIST,
            "newest": {"type": "array", "items": {"type": "object"}, "description": "Neueste Meldungen"},
            "units": {
                "type": "array",
                "description": "Gruppen kleinerer Einheiten ({title, entries: [{value, count, url, kind}]}): "
                "Land → Kreise; Kreis → Verbandsgemeinden und Gemeinden; Herausgeber → Gebiete, Themen",
                "items": {"type": "object"},
            },
            "search_url": {"type": "string"},
            "feed_url": {"type": "string"},
            "api_url": {"type": "string"},
        },
    },
    "UnitIndex": {
        "type": "object",
        "required": ["kind", "units"],
        "properties": {
            "kind": {"type": "string", "enum": list(_UNIT_LABELS)},
            "title": {"type": "string"},
            "units": {"type": "array", "items": {"type": "object"}, "description": "{value, count, url}"},
        },
    },
}


def browse_and_export_paths(search_parameters: list[dict]) -> dict:
    paths = {}
    for segment, label in _UNIT_LABELS.items():
        paths[f"/api/{segment}"] = {
            "get": {
                "summary": f"Alle Einheiten der Art {label} mit Zahl der Meldungen",
                "responses": {"200": json_response(ref("UnitIndex"), "Übersicht"), "304": NOT_MODIFIED},
            }
        }
        paths[f"/api/{segment}/{{name}}"] = {
            "get": {
                "summary": f"{label}: neueste Meldungen und enthaltene Einheiten mit Zahlen "
                f"(JSON-Zwilling von /{segment}/{{name}})",
                "parameters": [NAME_PARAMETER],
                "responses": {
                    "200": json_response(ref("Unit"), label),
                    "304": NOT_MODIFIED,
                    "404": NOT_FOUND,
                },
            }
        }
    filters = [p for p in search_parameters if p["name"] not in ("page", "per_page")]
    for fmt, media in (("csv", "text/csv"), ("jsonl", "application/jsonl")):
        paths[f"/export.{fmt}"] = {
            "get": {
                "summary": f"Jede Suche als {fmt.upper()}-Download",
                "description": EXPORT_NOTE,
                "parameters": filters,
                "responses": {"200": {"description": "Treffer als Datei", "content": {media: {}}}},
            }
        }
    return paths
