"""The engine's public face (indexer/engine/__init__.py) answers with plain data, and agrees with
the search service that the web layer runs on the same selection."""

from __future__ import annotations

import numpy as np

import indexer.engine as engine
from search_web.search import SearchRequest, SearchService
from tests.conftest import demo_records

PLAIN = (str, int, float, bool, type(None))


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN) and not isinstance(value, np.generic)


def test_search_through_the_face_matches_the_service_for_every_demo_title_word(demo_index):
    searcher = engine.open_index(demo_index)
    service = SearchService(demo_index)
    words = sorted({word for record in demo_records() for word in record["title"].split() if word.isalpha()})
    assert len(words) > 20
    for word in words[:: max(1, len(words) // 25)]:
        result = engine.search(searcher, word, facets=(("topic", "topic"), ("year", "year")))
        page = service.search(SearchRequest(q=word))
        assert result.total == page["total"], word
        assert [hit["id"] for hit in result.hits] == [hit["id"] for hit in page["hits"]], word
        assert dict(result.facets["year"]) == {v["value"]: v["count"] for v in page["facets"]["year"]}
        assert _plain(result.hits) and _plain(result.facets) and _plain(result.dropped), word


def test_a_document_comes_back_as_plain_data_by_its_id(demo_index):
    searcher = engine.open_index(demo_index)
    record = demo_records()[0]
    found = searcher.document(record["id"])
    assert found["id"] == record["id"] and found["title"] == record["title"]
    assert _plain(found) and _plain(searcher.similar(record["id"]))
    assert searcher.document("keine-solche-meldung") is None
