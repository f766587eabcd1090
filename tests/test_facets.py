"""The facet registry (indexer/engine/facets.py) against the index, the service, the pages and the API:
every facet it defines is counted, filtered, linked and documented, and nothing else is."""

from __future__ import annotations

import pytest

from indexer.engine.facets import BROWSE_KINDS, BY_NAME, ENTITY_SEGMENTS, FACETS, FILTERS, PLACE_LEVELS
from indexer.engine.schema import build_schema


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_every_facet_counts_and_filters_fields_of_the_schema(facet):
    names = build_schema().names()
    assert facet.field in names and facet.filter_field in names


def test_every_parameter_belongs_to_exactly_one_facet_and_every_facet_to_a_parameter():
    assert all(FILTERS[facet.param].param == facet.param for facet in FACETS)
    assert len({facet.name for facet in FACETS}) == len(FACETS)


def test_place_levels_nest_from_land_to_gemeinde_and_share_the_place_parameter():
    assert [facet.depth for facet in PLACE_LEVELS] == list(range(len(PLACE_LEVELS)))
    assert {facet.param for facet in PLACE_LEVELS} == {"place"}


def test_a_search_answers_every_facet_of_the_registry(client):
    facets = client.get("/api/search?q=Kreis").get_json()["facets"]
    assert set(facets) == set(BY_NAME)
    for facet in FACETS:
        values = facets[facet.name]
        assert [(e["value"], e["count"]) for e in values] == facet.ordered(
            [(e["value"], e["count"]) for e in values]
        ), facet.name


@pytest.mark.parametrize("param", list(FILTERS))
def test_every_parameter_filters_the_search_by_its_first_value(client, param):
    """Choosing a facet's largest value keeps exactly the hits its count promised."""
    everything = client.get("/api/search").get_json()
    entry = next(e for facet in FACETS if facet.param == param for e in everything["facets"][facet.name])
    chosen = client.get("/api/search", query_string={param: entry["value"]}).get_json()
    assert chosen["total"] == entry["count"]


def test_the_api_documents_every_parameter_and_every_facet(client):
    spec = client.get("/api/openapi.json").get_json()
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert set(FILTERS) <= names
    enum = spec["paths"]["/api/facet-values"]["get"]["parameters"][0]["schema"]["enum"]
    assert enum == list(FILTERS)


@pytest.mark.parametrize("segment", list(ENTITY_SEGMENTS))
def test_every_entity_facet_has_a_page_and_its_json_twin(client, segment):
    facet = ENTITY_SEGMENTS[segment]
    value = client.get("/api/search").get_json()["facets"][facet.name][0]["value"]
    page = client.get(f"/{segment}/{value}")
    twin = client.get(f"/api/{segment}/{value}").get_json()
    assert page.status_code == 200 and twin["kind"] == facet.param and twin["kind_label"] == facet.label


@pytest.mark.parametrize("segment", list(BROWSE_KINDS))
def test_every_browse_kind_lists_the_values_of_its_facet(client, segment):
    facet = BROWSE_KINDS[segment].facet
    counted = client.get("/api/search").get_json()["facets"][facet.name]
    listed = client.get(f"/api/{segment}").get_json()["units"]
    assert {e["value"] for e in listed} >= {e["value"] for e in counted}
