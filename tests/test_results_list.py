"""The result list through the API and the page: every announcement reachable, drill-down that
narrows, honest warnings, facet values beyond the 50 listed. Cases are generated from the demo
index (every sort, every nested pair of places the gazetteer knows, every organisation)."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from bench import results_list
from indexer.engine.facets import BY_NAME as FACETS
from search_web.place_tree import _ancestors, gazetteer_or_none
from search_web.search import SearchRequest, SearchService

LEVELS = ("state", "district", "verband", "place")


def _all_pages(client, params: dict) -> list[dict]:
    first = client.get("/api/search", query_string={**params, "per_page": 7}).get_json()
    hits = list(first["hits"])
    for page in range(2, first["pages"] + 1):
        data = client.get("/api/search", query_string={**params, "per_page": 7, "page": page}).get_json()
        assert data["page"] == page and not data["warnings"], data["warnings"]
        hits += data["hits"]
    assert len(hits) == first["total"]
    return hits


@pytest.mark.parametrize("sort", ["relevance", "date", "date_asc"])
@pytest.mark.parametrize("q", ["", "Hermeskeil", "Polizei"])
def test_paging_reaches_every_hit_exactly_once(client, q, sort):
    params = {"q": q, "sort": sort} if q else {"sort": sort}
    hits = _all_pages(client, params)
    ids = [hit["id"] for hit in hits]
    assert len(ids) == len(set(ids)), "a hit on two pages"
    if not q:
        every = client.get("/api/search?per_page=1").get_json()["total"]
        assert len(ids) == every, "some announcement cannot be paged to"


@pytest.mark.parametrize("q", ["", "Polizei"])
def test_date_sorts_are_newest_and_oldest_first(client, q):
    newest = [h["date"] for h in _all_pages(client, {"q": q, "sort": "date"}) if h["date"]]
    oldest = [h["date"] for h in _all_pages(client, {"q": q, "sort": "date_asc"}) if h["date"]]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert sorted(newest) == oldest


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client):
    data = client.get("/api/search?q=Polizei&page=999999").get_json()
    assert data["page"] == data["pages"] and data["hits"]
    assert any("gibt es nicht" in w for w in data["warnings"])
    page = client.get("/?q=Polizei&page=999999").get_data(as_text=True)
    assert 'class="warning"' in page and "gibt es nicht" in page


def test_sort_links_offer_oldest_first(client):
    page = client.get("/?q=Polizei").get_data(as_text=True)
    assert "sort=date_asc" in page and "Älteste zuerst" in page
    page = client.get("/?q=Polizei&sort=date_asc").get_data(as_text=True)
    assert re.search(r'<strong aria-current="true">Älteste zuerst</strong>', page)


def _place_values(client) -> dict[str, int]:
    facets = client.get("/api/search?per_page=1").get_json()["facets"]
    return {e["value"]: e["count"] for level in LEVELS for e in facets[level]}


def _total(client, places: list[str]) -> int:
    return client.get("/api/search", query_string=[("place", p) for p in places]).get_json()["total"]


def test_choosing_a_place_inside_a_chosen_place_narrows_to_it(client):
    gazetteer = gazetteer_or_none()
    if gazetteer is None:
        pytest.skip("no gazetteer in the reference data: places have no hierarchy")
    values = _place_values(client)
    nested = [(outer, inner) for inner in values for outer in _ancestors(gazetteer, inner) if outer in values]
    assert len(nested) >= 20, nested
    for outer, inner in nested:
        data = client.get("/api/search", query_string=[("place", outer), ("place", inner)]).get_json()
        assert data["total"] == _total(client, [inner]) <= _total(client, [outer]), (outer, inner)
        assert data["place_paths"] == [[outer, inner]]


def test_places_not_inside_each_other_combine_as_either(client):
    gazetteer = gazetteer_or_none()
    values = [v for v in _place_values(client) if gazetteer is None or gazetteer.by_key.get(v)]
    pairs = [
        (a, b)
        for a, b in itertools.combinations(values, 2)
        if a not in _ancestors(gazetteer, b) and b not in _ancestors(gazetteer, a)
    ][:30]
    assert pairs
    for a, b in pairs:
        both = _total(client, [a, b])
        assert both >= max(_total(client, [a]), _total(client, [b])), (a, b)


def _chips(page: str) -> list[tuple[str, str]]:
    """(removal URL, chip text) of every active filter chip."""
    found = re.findall(r'<a class="chip" href="([^"]+)">(.*?)</a>', page, re.S)
    return [
        (url.replace("&amp;", "&"), " ".join(re.sub(r"<[^>]+>", " ", text).split())) for url, text in found
    ]


def test_drill_down_chip_reads_as_a_path_and_goes_back_up_one_level(client):
    chips = _chips(
        client.get("/?place=Rheinland-Pfalz&place=Trier-Saarburg&place=Hermeskeil").get_data(as_text=True)
    )
    assert len(chips) == 1 and "Rheinland-Pfalz › Trier-Saarburg › Hermeskeil" in chips[0][1]
    chips = _chips(client.get(chips[0][0]).get_data(as_text=True))
    assert len(chips) == 1 and "Rheinland-Pfalz › Trier-Saarburg ×" in chips[0][1], chips
    chips = _chips(client.get(chips[0][0]).get_data(as_text=True))
    assert len(chips) == 1 and "Ort: Rheinland-Pfalz ×" in chips[0][1], chips
    assert _chips(client.get(chips[0][0]).get_data(as_text=True)) == []


def test_warnings_are_plain_german_without_parameter_names(client):
    data = client.get(
        "/api/search?page=abc&per_page=x&sort=neu&from=2015-13-45&year=abcd&month=2015-13"
    ).get_json()
    assert len(data["warnings"]) == 6, data["warnings"]
    for warning in data["warnings"]:
        assert not re.search(r"\b(page|per_page|sort|from|to|year|month)\b", warning), warning


def test_from_after_to_searches_between_them_and_says_so(client):
    swapped = client.get("/api/search?from=2020-12-31&to=2015-01-01").get_json()
    ordered = client.get("/api/search?from=2015-01-01&to=2020-12-31").get_json()
    assert swapped["total"] == ordered["total"] > 0
    assert any("liegt nach dem Enddatum" in w for w in swapped["warnings"])


@pytest.mark.parametrize(
    "param, value", [("year", "abcd"), ("year", "²⁰¹⁵"), ("month", "2015-13"), ("month", "x")]
)
def test_an_unusable_year_or_month_is_named_not_silently_empty(client, param, value):
    everything = client.get("/api/search?per_page=1").get_json()["total"]
    data = client.get("/api/search", query_string={param: value}).get_json()
    assert data["total"] == everything and any(value in w for w in data["warnings"])


def test_a_page_without_hits_draws_no_histogram(client):
    page = client.get("/?q=Hermeskeil&year=1999").get_data(as_text=True)
    assert "Keine Treffer" in page and 'class="histogram"' not in page
    assert 'class="histogram"' in client.get("/?q=Hermeskeil").get_data(as_text=True)


@pytest.mark.parametrize("facet", ["org", "place", "topic", "source"])
def test_facet_values_find_every_value_by_a_word_prefix(client, facet):
    facets = client.get("/api/search?per_page=1").get_json()["facets"]
    names = LEVELS if facet == "place" else (facet,)
    values = {e["value"]: e["count"] for name in names for e in facets[name]}
    assert values
    for value, count in values.items():
        word = re.findall(r"\w{3,}", value)[-1]
        data = client.get(
            "/api/facet-values", query_string={"facet": facet, "prefix": word[:3], "limit": 100}
        )
        found = {e["value"]: e["count"] for e in data.get_json()["values"]}
        assert found.get(value) == count, (value, word[:3])


def test_facet_values_count_under_the_current_search(client):
    search = client.get("/api/search?q=Hermeskeil&per_page=1").get_json()["facets"]["org"]
    data = client.get("/api/facet-values?facet=org&prefix=&q=Hermeskeil&limit=100").get_json()
    assert {e["value"]: e["count"] for e in data["values"]} == {e["value"]: e["count"] for e in search}
    assert all(e["url"].startswith("/?q=Hermeskeil") for e in data["values"])


def test_facet_values_of_an_unknown_facet_say_which_exist(client):
    response = client.get("/api/facet-values?facet=farbe&prefix=ro")
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "farbe" in message and all(name in message for name in ("org", "place", "topic"))


def test_facet_values_cover_every_facet_of_the_search(client):
    assert set(FACETS) - {"verband", "district", "state"} == set(
        client.get("/api/openapi.json").get_json()["paths"]["/api/facet-values"]["get"]["parameters"][0][
            "schema"
        ]["enum"]
    )


def test_results_list_bench_reaches_the_last_hit_and_counts_no_repeats(demo_index, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text(
        "# kind: words\nHermeskeil\nKreis\nFeuerwehr\n# kind: filters\nplace=Konz\n", encoding="utf-8"
    )
    out = tmp_path / "report.json"
    results_list.main(["--index", str(demo_index), "--queries", str(queries), "--out", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["snippets"]["snippets"] > 10 and report["snippets"]["repeated_words"] == 0
    service = SearchService(demo_index)
    every = max(service.search(SearchRequest(q=q))["total"] for q in ("Hermeskeil", "Kreis", "Feuerwehr"))
    assert report["latency"]["deepest_hit_reached"] >= every
    assert report["latency"]["deep_pages"]["count"] >= 4
