"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Hand-written, so it says what the API promises rather than what a generator
guessed; tests compare it with the routes and with real answers.
"""

from __future__ import annotations

from search_web import openapi_browse
from search_web.search import DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _filter(name: str, description: str, example: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description + " Mehrfach angegeben: Treffer mit *einem* der Werte (oder).",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
        "example": [example],
    }


SEARCH_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "description": "Suchbegriffe (alle Wortformen werden gefunden). "
        "Unlesbare Syntax wird als Wörter gesucht.",
        "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        "example": "Sozialraumzentrum",
    },
    _filter(
        "place",
        "Ort auf jeder Ebene: Land, Kreis, Verbandsgemeinde/Amt/Bezirk, Gemeinde, Ortsteil.",
        "Hermeskeil",
    ),
    _filter("org", "Organisation (automatisch erkannt).", "Kreisjugendamt"),
    _filter("topic", "Thema aus der Themen-Taxonomie.", "Jugend und Familie"),
    _filter("year", "Jahr (JJJJ).", "2015"),
    _filter("month", "Monat (JJJJ-MM).", "2015-06"),
    _filter("source", "Herausgeber der Meldung.", "Kreisverwaltung Trier-Saarburg"),
    {
        "name": "from",
        "in": "query",
        "description": "Frühestes Datum (JJJJ-MM-TT), einschließlich.",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "to",
        "in": "query",
        "description": "Spätestes Datum (JJJJ-MM-TT), einschließlich.",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": ["relevance", "date"], "default": "relevance"},
        "description": "Relevanz oder Datum (neueste zuerst). Ohne Suchbegriff immer nach Datum.",
    },
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    },
]

_NAME_PARAMETER = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
_STRINGS = {"type": "array", "items": {"type": "string"}}
# What a hit and a document both say about an announcement.
_ANNOUNCEMENT = {
    "id": {"type": "string"},
    "title": {"type": "string"},
    "date": {"type": ["string", "null"], "format": "date"},
    "url": {"type": "string"},
    "source": {"type": "string"},
}
_ENTITIES = {
    "places": _STRINGS,
    "districts": _STRINGS,
    "states": _STRINGS,
    "orgs": _STRINGS,
    "topics": _STRINGS,
    "topic_terms": {"type": "object", "additionalProperties": _STRINGS},
}

SCHEMAS = {
    "FacetValue": {
        "type": "object",
        "required": ["value", "count", "selected"],
        "properties": {
            "value": {"type": "string"},
            "count": {"type": "integer", "description": "Treffer unter allen anderen Filtern"},
            "selected": {"type": "boolean"},
        },
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "date", "url", "source", "snippet", "score"],
        "properties": {
            **_ANNOUNCEMENT,
            "snippet": {"type": "string", "description": "HTML-escaped text; matched words in <mark>"},
            "score": {"type": "number"},
            **_ENTITIES,
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["total", "page", "per_page", "pages", "hits", "facets", "warnings", "took_ms"],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
            "sort": {"type": "string", "enum": ["relevance", "date"]},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "description": "place, verband, district, state, org, topic, year, month, source; "
                "each filters with its own parameter, the four place levels with `place`.",
                "additionalProperties": {"type": "array", "items": _ref("FacetValue")},
            },
            "warnings": {**_STRINGS, "description": "Corrected parameters, in German"},
            "took_ms": {"type": "number"},
        },
    },
    "Document": {
        "type": "object",
        "required": ["id", "title", "date", "url", "source", "body", "places", "orgs", "topics"],
        "properties": {**_ANNOUNCEMENT, "body": {"type": "string"}, **_ENTITIES},
    },
    "Suggestion": {
        "type": "object",
        "required": ["kind", "label", "url"],
        "properties": {
            "kind": {"type": "string", "enum": ["place", "org", "topic", "title"]},
            "kind_label": {"type": "string"},
            "label": {"type": "string"},
            "url": {"type": "string", "description": "filtered search (entities) or document page (titles)"},
            "count": {"type": "integer"},
            "id": {"type": "string"},
            "date": {"type": ["string", "null"]},
        },
    },
    "Entity": {
        "type": "object",
        "required": ["kind", "name", "total", "years", "newest", "related", "search_url", "feed_url"],
        "properties": {
            "kind": {"type": "string", "enum": ["place", "org", "topic"]},
            "kind_label": {"type": "string"},
            "name": {"type": "string"},
            "total": {"type": "integer"},
            "years": {"type": "array", "items": {"type": "object"}},
            "newest": {"type": "array", "items": _ref("Hit")},
            "related": {
                "type": "object",
                "description": "Most frequent places, organisations and topics in the same announcements",
                "additionalProperties": {"type": "array", "items": {"type": "object"}},
            },
            "place": {"type": "object", "description": "Only for places: where it lies, what lies in it"},
            "search_url": {"type": "string"},
            "feed_url": {"type": "string"},
            "api_url": {"type": "string"},
        },
    },
    "Health": {
        "type": "object",
        "properties": {
            "status": {"type": "string"},
            "documents": {"type": "integer"},
            "index_age_seconds": {"type": "integer"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    },
}

_NOT_FOUND = _json(_ref("Error"), "Nicht gefunden")
_NOT_MODIFIED = {"description": "Unverändert seit dem ETag in If-None-Match"}


def _entity_path(label: str) -> dict:
    return {
        "get": {
            "summary": f"{label}: Meldungen pro Jahr, neueste Meldungen, häufig gemeinsam Genanntes",
            "parameters": [_NAME_PARAMETER],
            "responses": {"200": _json(_ref("Entity"), label), "304": _NOT_MODIFIED, "404": _NOT_FOUND},
        }
    }


def openapi_document(server_url: str = "/") -> dict:
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Amtsblick API",
            "version": "1.0.0",
            "description": "Volltextsuche in Pressemitteilungen und Bekanntmachungen mit Facetten. "
            "Jede Suche der Weboberfläche ist mit denselben Parametern als JSON abrufbar. "
            "Antworten tragen ein ETag; mit If-None-Match gibt es 304.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Suche mit Filtern, Facetten und Treffern",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {"200": _json(_ref("SearchResult"), "Ergebnisse"), "304": _NOT_MODIFIED},
                }
            },
            "/api/doc/{id}": {
                "get": {
                    "summary": "Eine Meldung mit erkannten Orten, Organisationen und Themen",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": _json(_ref("Document"), "Die Meldung"),
                        "304": _NOT_MODIFIED,
                        "404": _NOT_FOUND,
                    },
                }
            },
            "/api/doc/{id}/similar": {
                "get": {
                    "summary": "Bis zu fünf ähnliche Meldungen",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": _json({"type": "array", "items": _ref("Document")}, "Ähnliche Meldungen"),
                        "304": _NOT_MODIFIED,
                        "404": _NOT_FOUND,
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "summary": "Vorschläge für das Suchfeld (Präfix): Orte, Organisationen, Themen, Titel",
                    "parameters": [
                        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                        {
                            "name": "format",
                            "in": "query",
                            "description": "`opensearch`: [Anfrage, [Vorschläge], [Arten], [URLs]]",
                            "schema": {"type": "string", "enum": ["json", "opensearch"], "default": "json"},
                        },
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "query": {"type": "string"},
                                    "suggestions": {
                                        "type": "array",
                                        "items": _ref("Suggestion"),
                                        "maxItems": 10,
                                    },
                                },
                            },
                            "Vorschläge",
                        ),
                        "304": _NOT_MODIFIED,
                    },
                }
            },
            "/api/ort/{name}": _entity_path("Ort"),
            "/api/organisation/{name}": _entity_path("Organisation"),
            "/api/thema/{name}": _entity_path("Thema"),
            "/healthz": {
                "get": {
                    "summary": "Zustand: Zahl der Dokumente und Alter des Index",
                    "responses": {
                        "200": _json(_ref("Health"), "Bereit"),
                        "503": _json(_ref("Health"), "Kein Index"),
                    },
                }
            },
            "/feed.atom": {
                "get": {
                    "summary": "Atom-Feed (neueste 20) zu jeder Suche; dieselben Parameter wie /api/search",
                    "parameters": [
                        p for p in SEARCH_PARAMETERS if p["name"] not in ("sort", "page", "per_page")
                    ],
                    "responses": {
                        "200": {"description": "Atom 1.0", "content": {"application/atom+xml": {}}},
                        "304": _NOT_MODIFIED,
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
    document["paths"].update(openapi_browse.browse_and_export_paths(SEARCH_PARAMETERS))
    document["components"]["schemas"] = {**SCHEMAS, **openapi_browse.SCHEMAS}
    return document
