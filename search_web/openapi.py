"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Hand-written, so it says what the API promises rather than what a generator
guessed; tests compare it with the routes and with real answers.
"""

from __future__ import annotations

from indexer.engine.facets import ENTITY_SEGMENTS, FACETS, FILTERS, PLACE_LEVELS
from search_web import openapi_browse
from search_web.facet_values import DEFAULT_LIMIT, MAX_LIMIT, MAX_PREFIX
from search_web.openapi_parts import NAME_PARAMETER, NOT_FOUND, NOT_MODIFIED, json_response, ref
from search_web.paging import SORTS
from search_web.search import DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH


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
    *(_filter(param, facet.description, facet.example) for param, facet in FILTERS.items()),
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
        "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
        "description": "Relevanz, `date` (neueste zuerst) oder `date_asc` (älteste zuerst). "
        "Ohne Suchbegriff ist `relevance` neueste zuerst.",
    },
    {
        "name": "page",
        "in": "query",
        "description": "Jede Seite bis zur letzten (`pages`) ist erreichbar; eine Seite danach zeigt die "
        "letzte, mit Warnung.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "match",
        "in": "query",
        "schema": {"type": "string", "enum": ["all"]},
        "description": "`all`: nur Meldungen mit allen Wörtern, auch wenn es keine gibt. Ohne: enthält keine "
        "Meldung alle Wörter, werden die mit den meisten gezeigt (`dropped_words`, `notice`).",
    },
    {
        "name": "as_typed",
        "in": "query",
        "schema": {"type": "string", "enum": ["1"]},
        "description": "`1`: die Wörter wie geschrieben suchen, ohne Rechtschreibkorrektur.",
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    },
]

# place, verband, district, state (innermost first), then the rest
_FACET_NAMES = ", ".join(
    [f.name for f in reversed(PLACE_LEVELS)] + [f.name for f in FACETS if f.display != "tree"]
)
_ENTITY_KINDS = [facet.param for facet in ENTITY_SEGMENTS.values()]  # place, org, topic
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
            "missing_words": {**_STRINGS, "description": "Query words (as typed) this announcement lacks"},
            **_ENTITIES,
        },
    },
    "Correction": {
        "type": "object",
        "required": ["word", "correction"],
        "properties": {
            "word": {"type": "string", "description": "A word as typed that no announcement contains"},
            "correction": {
                "type": "string",
                "description": "Its closest spelling, as the announcements write it",
            },
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
            "sort": {"type": "string", "enum": list(SORTS)},
            "hits": {"type": "array", "items": ref("Hit")},
            "more_hits": {
                "type": "array",
                "items": ref("Hit"),
                "description": "On page 1 of a result smaller than a page: announcements with only some of "
                "the words, not counted in `total`",
            },
            "matched_all": {"type": "boolean", "description": "Every counted hit contains every word"},
            "dropped_words": {**_STRINGS, "description": "Words (as typed) some counted hits lack"},
            "notice": {"type": ["string", "null"], "description": "German sentence naming the dropped words"},
            "corrections": {"type": "array", "items": ref("Correction")},
            "suggestion": {"type": ["string", "null"], "description": "The query with the corrections"},
            "corrected": {"type": "boolean", "description": "The hits are those of `suggestion`"},
            "facets": {
                "type": "object",
                "description": _FACET_NAMES + "; each filters with its own parameter, the four place "
                "levels with `place`.",
                "additionalProperties": {"type": "array", "items": ref("FacetValue")},
            },
            "place_paths": {
                "type": "array",
                "items": _STRINGS,
                "description": "The place filter as applied: each narrowest chosen place after the chosen "
                'places it lies in, outermost first ([["Hessen", "Frankfurt am Main"]]).',
            },
            "warnings": {**_STRINGS, "description": "Corrected parameters, in German"},
            "timed_out": {
                "type": "boolean",
                "description": "The search reached its time budget: facets, snippets or the suggestion may "
                "be missing (a German notice is in warnings)",
            },
            "took_ms": {"type": "number"},
        },
    },
    "Document": {
        "type": "object",
        "required": ["id", "title", "date", "url", "source", "body", "places", "orgs", "topics"],
        "properties": {**_ANNOUNCEMENT, "body": {"type": "string"}, **_ENTITIES},
    },
    "FacetValues": {
        "type": "object",
        "required": ["facet", "prefix", "values", "truncated", "warnings"],
        "properties": {
            "facet": {"type": "string"},
            "prefix": {"type": "string"},
            "values": {
                "type": "array",
                "items": {
                    "allOf": [
                        ref("FacetValue"),
                        {
                            "properties": {
                                "url": {"type": "string", "description": "the search with it toggled"}
                            }
                        },
                    ]
                },
            },
            "truncated": {"type": "boolean", "description": "more values match than `limit`"},
            "warnings": _STRINGS,
        },
    },
    "Suggestion": {
        "type": "object",
        "required": ["kind", "label", "url"],
        "properties": {
            "kind": {"type": "string", "enum": [*_ENTITY_KINDS, "title"]},
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
            "kind": {"type": "string", "enum": _ENTITY_KINDS},
            "kind_label": {"type": "string"},
            "name": {"type": "string"},
            "total": {"type": "integer"},
            "years": {"type": "array", "items": {"type": "object"}},
            "newest": {"type": "array", "items": ref("Hit")},
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
            "status": {"type": "string", "enum": ["ok", "degraded", "unavailable"]},
            "documents": {"type": "integer"},
            "index_age_seconds": {"type": "integer"},
            "problem": {"type": "string", "description": "Why a newer index generation is not served"},
            "reason": {"type": "string", "description": "Why no index can be served, and how to rebuild"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    },
}


def _entity_path(label: str) -> dict:
    return {
        "get": {
            "summary": f"{label}: Meldungen pro Jahr, neueste Meldungen, häufig gemeinsam Genanntes",
            "parameters": [NAME_PARAMETER],
            "responses": {"200": json_response(ref("Entity"), label), "304": NOT_MODIFIED, "404": NOT_FOUND},
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
                    "responses": {
                        "200": json_response(ref("SearchResult"), "Ergebnisse"),
                        "304": NOT_MODIFIED,
                    },
                }
            },
            "/api/doc/{id}": {
                "get": {
                    "summary": "Eine Meldung mit erkannten Orten, Organisationen und Themen",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": json_response(ref("Document"), "Die Meldung"),
                        "304": NOT_MODIFIED,
                        "404": NOT_FOUND,
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
                        "200": json_response(
                            {"type": "array", "items": ref("Document")}, "Ähnliche Meldungen"
                        ),
                        "304": NOT_MODIFIED,
                        "404": NOT_FOUND,
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
                        "200": json_response(
                            {
                                "type": "object",
                                "properties": {
                                    "query": {"type": "string"},
                                    "suggestions": {
                                        "type": "array",
                                        "items": ref("Suggestion"),
                                        "maxItems": 10,
                                    },
                                },
                            },
                            "Vorschläge",
                        ),
                        "304": NOT_MODIFIED,
                    },
                }
            },
            "/api/facet-values": {
                "get": {
                    "summary": "Alle Werte einer Facette, die ein Wort mit dem Präfix enthalten "
                    "(nicht nur die 50 häufigsten), gezählt unter der Suche der übrigen Parameter",
                    "parameters": [
                        {
                            "name": "facet",
                            "in": "query",
                            "required": True,
                            "description": "`place` umfasst alle vier Ortsebenen",
                            "schema": {"type": "string", "enum": list(FILTERS)},
                        },
                        {
                            "name": "prefix",
                            "in": "query",
                            "description": "Wortanfang; Groß-/Kleinschreibung und Umlaute egal",
                            "schema": {"type": "string", "maxLength": MAX_PREFIX},
                            "example": "sil",
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_LIMIT,
                                "default": DEFAULT_LIMIT,
                            },
                        },
                        *(p for p in SEARCH_PARAMETERS if p["name"] not in ("sort", "page", "per_page")),
                    ],
                    "responses": {
                        "200": json_response(ref("FacetValues"), "Passende Werte, häufigste zuerst"),
                        "304": NOT_MODIFIED,
                        "400": json_response(ref("Error"), "Unbekannte Facette"),
                    },
                }
            },
            **{
                f"/api/{segment}/{{name}}": _entity_path(facet.label)
                for segment, facet in ENTITY_SEGMENTS.items()
            },
            "/healthz": {
                "get": {
                    "summary": "Zustand: Zahl der Dokumente und Alter des Index",
                    "responses": {
                        "200": json_response(ref("Health"), "Bereit"),
                        "503": json_response(ref("Health"), "Kein lesbarer Index"),
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
                        "304": NOT_MODIFIED,
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
    document["paths"].update(openapi_browse.browse_and_export_paths(SEARCH_PARAMETERS))
    document["components"]["schemas"] = {**SCHEMAS, **openapi_browse.SCHEMAS}
    return document
