"""The index's schema and the stored-field codec: how an announcement becomes Whoosh fields
(IndexDocument.fields) and how stored fields become plain data again (decode_document).

Part of the engine (indexer/engine/); the facet fields come from the registry (facets.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.analysis import RegexTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.engine.analyzers import german_analyzer, surface_analyzer

TITLE_BOOST = 2.0
_SEPARATOR = "\x1f"  # joins facet values; never occurs in names


def build_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=analyzer, stored=True),
        # Words as written (folded, not lemmatised): exact forms and phrases rank first.
        exact=TEXT(analyzer=surface_analyzer(), field_boost=0.5),
        date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True),
        month=ID(stored=True),
        source=ID(stored=True),
        url=STORED(),
        place=_facet_field(),
        org=_facet_field(),
        topic=_facet_field(),
        verband=_facet_field(),
        district=_facet_field(),
        state=_facet_field(),
        place_any=_facet_field(),  # every level, so a district filter finds its towns
        details=STORED(),  # JSON: topic explanations, entities
        content_hash=ID(stored=True),
        body_hash=ID(stored=True),  # finds the same release published again
    )


def _facet_field() -> KEYWORD:
    """Stored keywords split on the separator only: names keep their spaces."""
    field = KEYWORD(stored=True, scorable=False)
    field.analyzer = RegexTokenizer(r"[^\x1f]+")
    return field


def _keywords(values: Iterable[str]) -> str:
    return _SEPARATOR.join(v for v in values if v)


@dataclass
class IndexDocument:
    """One announcement as the index stores it."""

    id: str
    title: str
    body: str
    date: dt.date | None
    url: str
    source: str
    places: list[str]
    orgs: list[str]
    topics: list[str]
    hierarchy: dict[str, list[str]]  # level -> values (verband, district, state)
    details: dict
    content_hash: str
    body_hash: str = ""

    def fields(self) -> dict:
        fields = dict(
            id=self.id,
            title=self.title,
            body=self.body,
            exact=f"{self.title}\n{self.body}",
            source=self.source,
            url=self.url,
            place=_keywords(self.places),
            org=_keywords(self.orgs),
            topic=_keywords(self.topics),
            verband=_keywords(self.hierarchy.get("verband", [])),
            district=_keywords(self.hierarchy.get("district", [])),
            state=_keywords(self.hierarchy.get("state", [])),
            place_any=_keywords(
                {
                    *self.places,
                    *(v for values in self.hierarchy.values() for v in values),
                }
            ),
            details=json.dumps(self.details, ensure_ascii=False),
            content_hash=self.content_hash,
            body_hash=self.body_hash,
        )
        if self.date:
            fields["date"] = dt.datetime.combine(self.date, dt.time())
            fields["year"] = str(self.date.year)
            fields["month"] = self.date.strftime("%Y-%m")
        return fields


def split_keywords(value: str | None) -> list[str]:
    return [v for v in (value or "").split(_SEPARATOR) if v]


def decode_document(fields: dict, brief: bool = False) -> dict:
    """A document's stored fields as plain data: the announcement as the API and the pages show it
    (brief: its id, title and date only, for lists of every announcement)."""
    date = fields.get("date")
    if brief:
        return {
            "id": fields["id"],
            "title": fields.get("title", ""),
            "date": date.date().isoformat() if date else None,
        }
    details = json.loads(fields.get("details") or "{}")
    return {
        "id": fields["id"],
        "title": fields.get("title", ""),
        "date": date.date().isoformat() if date else None,
        "url": fields.get("url", ""),
        "source": fields.get("source", ""),
        "body": fields.get("body", ""),
        "places": split_keywords(fields.get("place")),
        "districts": split_keywords(fields.get("district")),
        "states": split_keywords(fields.get("state")),
        "orgs": split_keywords(fields.get("org")),
        "topics": split_keywords(fields.get("topic")),
        "topic_terms": {label: terms for _id, label, terms in details.get("topics", [])},
    }
