"""The web UI and JSON API through Flask's test client, on the demo corpus."""

import pytest

from search_web import create_app

HERMESKEIL_ID = "kv-trier-saarburg-2015-049"


def test_search_for_sozialraumzentrum_finds_the_hermeskeil_announcement(client):
    data = client.get("/api/search?q=Sozialraumzentrum").get_json()
    hit = next(h for h in data["hits"] if h["id"] == HERMESKEIL_ID)
    assert hit["title"] == "Sozialraumzentrum Hermeskeil eingeweiht"
    assert hit["date"] == "2015-06-09"
    assert "Hermeskeil" in hit["places"]
    assert "Johanniter-Unfall-Hilfe e. V." in hit["orgs"]
    assert "<mark>" in hit["snippet"]
    assert set(hit) >= {
        "id",
        "title",
        "date",
        "url",
        "source",
        "snippet",
        "places",
        "orgs",
        "topics",
        "score",
    }


def test_inflected_query_finds_the_lemma(client):
    data = client.get("/api/search?q=Sozialraumzentren").get_json()
    assert HERMESKEIL_ID in [h["id"] for h in data["hits"]] or data["total"] > 0


def test_facet_counts_match_the_filtered_totals(client):
    data = client.get("/api/search?q=Jugendhilfe").get_json()
    assert set(data["facets"]) >= {"place", "org", "topic", "year", "source", "district", "state"}
    for name in ("place", "org", "year"):
        entry = data["facets"][name][0]
        filtered = client.get(
            "/api/search", query_string={"q": "Jugendhilfe", name: entry["value"]}
        ).get_json()
        assert filtered["total"] == entry["count"]
        assert all(not v["selected"] or v["value"] == entry["value"] for v in filtered["facets"][name])


def test_repeated_values_of_one_facet_combine_as_either(client):
    one = client.get("/api/search?place=Konz").get_json()["total"]
    other = client.get("/api/search?place=Hermeskeil").get_json()["total"]
    both = client.get("/api/search?place=Konz&place=Hermeskeil").get_json()
    assert max(one, other) <= both["total"] <= one + other
    # the place facet still counts unselected places honestly (disjunctive facets)
    counts = {v["value"]: v["count"] for v in both["facets"]["place"]}
    assert counts["Konz"] == one and counts["Hermeskeil"] == other


def test_district_filter_finds_documents_that_only_name_a_town(client):
    data = client.get("/api/search?place=Trier-Saarburg&per_page=100").get_json()
    town_only = client.get("/api/search?place=Heddert").get_json()
    assert town_only["total"] > 0
    assert {h["id"] for h in town_only["hits"]} <= {h["id"] for h in data["hits"]}


def test_sort_by_date_returns_newest_first(client):
    data = client.get("/api/search?q=Kreis&sort=date&per_page=20").get_json()
    dates = [h["date"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_date_range_and_year_filters(client):
    data = client.get("/api/search?from=2015-01-01&to=2015-12-31&per_page=100").get_json()
    assert data["total"] > 0 and all(h["date"].startswith("2015") for h in data["hits"])
    by_year = client.get("/api/search?year=2015").get_json()
    assert by_year["total"] == data["total"]


def test_pagination_pages_do_not_overlap(client):
    first = client.get("/api/search?q=Kreis&per_page=5&page=1").get_json()
    second = client.get("/api/search?q=Kreis&per_page=5&page=2").get_json()
    assert first["total"] > 5
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


@pytest.mark.parametrize(
    "query",
    ['((("', "AND OR NOT", "title:", "*", "foo~~~", "unbekannt:feld", "\x00\x01", "a" * 10_000, '"offen'],
)
def test_malformed_queries_never_error(client, query):
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code == 200
    assert "hits" in response.get_json()


def test_unusable_parameters_give_warnings_not_errors(client):
    data = client.get("/api/search?page=-3&per_page=100000&from=2015-13-45&sort=xyz").get_json()
    assert data["page"] == 1 and data["per_page"] == 100
    assert len(data["warnings"]) == 4
    assert not any(name in " ".join(data["warnings"]) for name in ("'page'", "per_page", "'sort'"))


def test_html_search_page_shows_results_facets_and_escapes_the_query(client):
    html = client.get("/?q=Sozialraumzentrum").get_data(as_text=True)
    assert "Sozialraumzentrum Hermeskeil eingeweiht" in html
    assert 'aria-live="polite"' in html and "Treffer" in html
    assert "?q=Sozialraumzentrum&amp;place=Hermeskeil" in html
    hostile = client.get("/", query_string={"q": '"><script>alert(1)</script>'}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in hostile
    assert "&lt;script&gt;" in hostile


def test_document_page_links_entities_to_filtered_searches(client):
    html = client.get(f"/doc/{HERMESKEIL_ID}").get_data(as_text=True)
    assert "Sozialraumzentrum Hermeskeil eingeweiht" in html
    assert 'href="/?place=Hermeskeil"' in html
    assert "Johanniter-Unfall-Hilfe" in html and "/?org=Johanniter-Unfall-Hilfe+e.+V." in html


def test_api_document_returns_the_stored_announcement(client):
    doc = client.get(f"/api/doc/{HERMESKEIL_ID}").get_json()
    assert doc["date"] == "2015-06-09" and "Hermeskeil" in doc["body"]
    assert set(doc) >= {"id", "title", "date", "url", "source", "body", "places", "orgs", "topics"}


def test_unknown_document_is_404_without_stack_trace(client):
    response = client.get("/doc/gibt-es-nicht")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/api/doc/gibt-es-nicht").get_json()["status"] == 404


def test_about_page_names_pipeline_and_gazetteer_source(client):
    html = client.get("/ueber").get_data(as_text=True)
    assert "offline: spacy.blank" in html
    assert "Statistisches Bundesamt (Destatis)" in html and "dl-de/by-2-0" in html


def test_healthz_reports_document_count(client, demo_index):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["documents"] >= 40


def test_security_headers_are_set(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_missing_index_gives_a_clear_error_page(tmp_path):
    client = create_app({"INDEX_DIR": str(tmp_path / "leer")}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    page = client.get("/")
    assert page.status_code == 503 and "Traceback" not in page.get_data(as_text=True)
    assert "Kein Index" in response.get_json()["reason"]


def test_shared_corpus_sample_is_searchable(shared_index):
    client = create_app({"INDEX_DIR": str(shared_index)}).test_client()
    data = client.get("/api/search?q=Polizei").get_json()
    assert data["total"] > 0
    sources = {v["value"] for v in data["facets"]["source"]}
    assert {"Polizei Berlin"} <= sources
    assert any(v["value"] == "Berlin" for v in data["facets"]["state"])


def test_every_request_is_logged_as_one_json_line_with_its_duration(demo_index):
    import io
    import json as json_module
    import logging

    from search_web.request_log import LOGGER

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    LOGGER.addHandler(handler)
    try:
        create_app({"INDEX_DIR": str(demo_index)}).test_client().get("/api/search?q=Kreis")
    finally:
        LOGGER.removeHandler(handler)
    entry = json_module.loads(stream.getvalue().strip().splitlines()[-1])
    assert entry["path"] == "/api/search" and entry["status"] == 200 and entry["ms"] > 0
