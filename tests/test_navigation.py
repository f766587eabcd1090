"""Navigation and data out, through Flask's test client on the demo index: reading order of the
search page, browse pages by Land/Kreis/Herausgeber, exports, the API page, Impressum,
Datenschutz, robots.txt, sitemap.xml and the coverage per publisher on the Über page.

Expected figures come from the search API or from the demo corpus itself, unit by unit."""

from __future__ import annotations

import csv
import io
import json
import logging
import xml.etree.ElementTree as ET
from collections import defaultdict
from urllib.parse import quote
from urllib.robotparser import RobotFileParser

import pytest

from search_web import create_app, export
from search_web.place_tree import gazetteer_or_none
from search_web.search import SearchRequest
from tests.conftest import demo_records
from tests.test_web_ui import Page, html_page

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def nav_client(demo_index):
    return create_app({"INDEX_DIR": str(demo_index)}).test_client()


def api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_json()


def all_hit_ids(client, query: str) -> list[str]:
    """Every hit of a search through the paged API, in its order."""
    ids, page = [], 1
    while True:
        result = api(client, f"/api/search?{query}&per_page=100&page={page}")
        ids += [hit["id"] for hit in result["hits"]]
        if page >= result["pages"]:
            return ids
        page += 1


# -- the search page: reading order, skip links, one tab stop per tree node ----------------------


def test_results_come_before_the_filters_and_both_have_a_skip_link(nav_client):
    html = nav_client.get("/?q=Kreis&place=Trier-Saarburg").get_data(as_text=True)
    assert html.index('id="ergebnisse"') < html.index('id="filter"')
    page = Page(html)
    skips = [e["attrs"]["href"] for e in page.find_all("a") if e["attrs"].get("class") == "skip"]
    assert skips == ["#ergebnisse", "#filter"]
    assert page.find_all("aside", id="filter")  # the filters are their own landmark (complementary)
    # the year histogram is a filter too: it comes after the results
    assert html.index('id="hist-years"') > html.index('class="hits"')


def test_every_place_tree_node_has_exactly_one_tab_stop(nav_client):
    page = html_page(nav_client, "/")
    summaries = [e for e in page.find_all("summary") if any(p["tag"] == "details" for p in e["parents"])]
    branches = [e for e in summaries if "branch" in (e["parents"][-1]["attrs"].get("class") or "")]
    assert branches, "the demo corpus has nested places"
    for summary in branches:
        assert summary["attrs"].get("tabindex") == "-1"  # the node's link is its one tab stop


def test_result_page_offers_the_filter_link_with_the_number_of_active_filters(nav_client):
    page = html_page(nav_client, "/?q=Kreis&place=Konz&place=Hermeskeil&year=2015")
    jump = page.find_all("a", href="#filter")
    assert any(" ".join(e["text"].split()) == "Filter (3)" for e in jump)


# -- browse pages ---------------------------------------------------------------------------------


def _units(client) -> list[tuple[str, str, str]]:
    """(segment, name, search parameter) of every Land, Kreis and publisher in the index."""
    facets = api(client, "/api/search")["facets"]
    found = [("land", e["value"], "place") for e in facets["state"]]
    found += [("kreis", e["value"], "place") for e in facets["district"]]
    found += [("quelle", e["value"], "source") for e in facets["source"]]
    return found


def test_every_land_kreis_and_publisher_has_a_page_with_the_totals_and_newest_of_its_search(nav_client):
    units = _units(nav_client)
    assert {segment for segment, _name, _param in units} == {"land", "kreis", "quelle"}
    for segment, name, param in units:
        unit = api(nav_client, f"/api/{segment}/{quote(name, safe='')}")
        search = api(nav_client, f"/api/search?{param}={quote(name)}&sort=date&per_page=10")
        assert unit["total"] == search["total"], (segment, name)
        assert [h["id"] for h in unit["newest"]] == [h["id"] for h in search["hits"]], (segment, name)
        page = html_page(nav_client, f"/{segment}/{quote(name, safe='')}")
        hidden = page.find_all("input", type="hidden", name=param)
        assert hidden and hidden[0]["attrs"]["value"] == name  # the search box is scoped to the unit
        feeds = page.find_all("link", type="application/atom+xml")
        assert nav_client.get(feeds[0]["attrs"]["href"]).status_code == 200


def test_sub_units_lie_inside_their_unit_and_count_its_announcements_that_name_them(nav_client):
    gazetteer = gazetteer_or_none()
    if gazetteer is None:
        pytest.skip("gazetteer not found (set AMTSBLICK_DATA)")
    records = {r["id"]: r for r in demo_records()}
    for segment, name, _param in _units(nav_client):
        if segment == "quelle":
            continue
        unit = api(nav_client, f"/api/{segment}/{quote(name, safe='')}")
        level = "state" if segment == "land" else "district"
        assert unit["units"], (segment, name)
        for group in unit["units"]:
            for entry in group["entries"]:
                assert getattr(gazetteer.by_key[entry["value"]], level) == name, (name, entry)
                both = set(all_hit_ids(nav_client, f"place={quote(name)}")) & set(
                    all_hit_ids(nav_client, f"place={quote(entry['value'])}")
                )
                assert entry["count"] == len(both & set(records)), (name, entry)


def test_publisher_page_lists_its_places_and_topics(nav_client):
    for segment, name, _param in _units(nav_client):
        if segment != "quelle":
            continue
        unit = api(nav_client, f"/api/quelle/{quote(name, safe='')}")
        titles = {group["title"] for group in unit["units"]}
        facets = api(nav_client, f"/api/search?source={quote(name)}")["facets"]
        assert ("Orte" in titles) == bool(facets["place"]), name
        assert ("Themen" in titles) == bool(facets["topic"]), name
        records = [r for r in demo_records() if r["source"] == name]
        dates = sorted(r["date"] for r in records)
        assert (unit["first_date"], unit["last_date"]) == (dates[0], dates[-1])


def test_unknown_units_are_404_as_page_and_as_json(nav_client):
    for segment in ("land", "kreis", "quelle"):
        assert nav_client.get(f"/{segment}/Atlantis").status_code == 404
        response = nav_client.get(f"/api/{segment}/Atlantis")
        assert response.status_code == 404 and response.get_json()["status"] == 404


def test_index_pages_list_every_unit_and_the_pickers_jump_to_one(nav_client):
    facets = api(nav_client, "/api/search")["facets"]
    for segment, facet in (("land", "state"), ("kreis", "district"), ("quelle", "source")):
        listed = {e["value"]: e["count"] for e in api(nav_client, f"/api/{segment}")["units"]}
        assert listed == {e["value"]: e["count"] for e in facet_values(facets[facet])}
        assert nav_client.get(f"/{segment}").status_code == 200
        name = next(iter(listed))
        response = nav_client.get(f"/{segment}?name={quote(name)}")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/{segment}/{quote(name, safe='')}")


def facet_values(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["count"]]


def test_start_page_offers_states_and_publishers_with_counts_above_the_newest(nav_client):
    html = nav_client.get("/").get_data(as_text=True)
    assert html.index('class="entry-points"') < html.index('class="hits"')
    page = Page(html)
    options = [" ".join(e["text"].split()) for e in page.find_all("option")]
    facets = api(nav_client, "/api/search")["facets"]
    for entry in facets["state"] + facets["source"]:
        assert f"{entry['value']} ({entry['count']})" in options
    assert 'class="entry-points"' not in nav_client.get("/?q=Kreis").get_data(as_text=True)


# -- exports --------------------------------------------------------------------------------------


def _search_states(client) -> list[str]:
    facets = api(client, "/api/search")["facets"]
    states = ["q=Kreis", "q=Kreis&sort=date", "", "q=Brücke&year=2015", "q=Kreis&sort=date_asc"]
    # a misspelt word, a word no announcement has beside one they have, a drill-down in the place tree
    states += ["q=Sozialraumzentrum+Hermeskiel", "q=Kreis+Quxzwy", "place=Trier-Saarburg&place=Hermeskeil"]
    states += [f"place={quote(e['value'])}" for e in facets["district"]]
    states += [f"topic={quote(e['value'])}" for e in facets["topic"]]
    return states


def test_csv_and_json_lines_exports_hold_every_hit_of_the_search_in_its_order(nav_client):
    for state in _search_states(nav_client):
        expected = all_hit_ids(nav_client, state)
        response = nav_client.get(f"/export.csv?{state}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert [row["id"] for row in rows] == expected, state
        assert response.headers["X-Total-Count"] == str(len(expected))
        lines = nav_client.get(f"/export.jsonl?{state}").get_data(as_text=True).splitlines()
        assert [json.loads(line)["id"] for line in lines] == expected, state


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_as_a_formula_are_written_as_text(start):
    cell = start + 'HYPERLINK("http://example.invalid")'
    assert export.inert_cell(cell) == "'" + cell
    assert export.inert_cell("Einbruch " + cell) == "Einbruch " + cell


def test_export_rows_carry_the_announcement_and_its_entities(nav_client):
    records = {r["id"]: r for r in demo_records()}
    lines = nav_client.get("/export.jsonl").get_data(as_text=True).splitlines()
    assert len(lines) == len(records)
    for line in lines:
        row = json.loads(line)
        record = records[row["id"]]
        assert (row["title"], row["date"], row["source"], row["url"]) == (
            record["title"],
            record["date"],
            record["source"],
            record["url"],
        )
        assert row["page"].endswith(f"/doc/{quote(row['id'], safe='')}")
        assert isinstance(row["places"], list) and isinstance(row["topics"], list)


def test_export_stops_at_its_limit_and_says_so_in_name_and_headers(nav_client, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 5)
    response = nav_client.get("/export.csv?q=Kreis")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 5
    assert response.headers["X-Export-Limit"] == "5" and response.headers["X-Export-Rows"] == "5"
    assert int(response.headers["X-Total-Count"]) > 5
    assert "max5.csv" in response.headers["Content-Disposition"]
    assert export.file_name(SearchRequest(), "csv") == "amtsblick-alle-max5.csv"


def test_result_page_links_the_exports_of_the_same_search(nav_client):
    page = html_page(nav_client, "/?q=Kreis&place=Konz&page=2")
    hrefs = [
        e["attrs"]["href"] for e in page.find_all("a") if e["attrs"].get("href", "").startswith("/export")
    ]
    assert sorted(hrefs) == ["/export.csv?q=Kreis&place=Konz", "/export.jsonl?q=Kreis&place=Konz"]


# -- API page, robots.txt, sitemap.xml -----------------------------------------------------------


def test_api_page_describes_every_documented_path_and_links_the_raw_json(nav_client):
    spec = api(nav_client, "/api/openapi.json")
    html = nav_client.get("/api").get_data(as_text=True)
    page = Page(html)
    assert page.find_all("a", href="/api/openapi.json")
    for path, methods in spec["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in html, path
    for name in spec["components"]["schemas"]:
        assert page.find_all("h3", id=f"schema-{name}")
    assert all(e["attrs"].get("src", "").startswith("/static/") for e in page.find_all("script"))


def test_robots_txt_lets_search_feeds_and_browse_pages_be_crawled_but_not_exports_or_the_api(nav_client):
    robots = RobotFileParser()
    robots.parse(nav_client.get("/robots.txt").get_data(as_text=True).splitlines())
    for allowed in ("/", "/?q=Kreis", "/feed.atom?place=Konz", "/doc/x", "/land/Saarland", "/quelle/x"):
        assert robots.can_fetch("*", "http://localhost" + allowed), allowed
    for blocked in ("/export.csv?q=Kreis", "/export.jsonl", "/api/search?q=Kreis", "/api"):
        assert not robots.can_fetch("*", "http://localhost" + blocked), blocked
    assert "Sitemap: http://localhost/sitemap.xml" in nav_client.get("/robots.txt").get_data(as_text=True)


def test_sitemap_lists_every_document_page_with_its_date(nav_client):
    root = ET.fromstring(nav_client.get("/sitemap.xml").get_data())
    entries = {
        url.find(f"{SITEMAP_NS}loc").text: url.find(f"{SITEMAP_NS}lastmod").text
        for url in root.iter(f"{SITEMAP_NS}url")
    }
    expected = {f"http://localhost/doc/{quote(r['id'], safe='')}": r["date"] for r in demo_records()}
    assert entries == expected


# -- Impressum, Datenschutz, Über ----------------------------------------------------------------


def test_impressum_and_datenschutz_show_the_configured_operator(demo_index):
    operator = {
        "OPERATOR_NAME": "Redaktion Amtsblick e. V.",
        "OPERATOR_ADDRESS": "Musterstraße 1; 54411 Hermeskeil",
        "OPERATOR_CONTACT": "redaktion@amtsblick.invalid",
    }
    client = create_app({"INDEX_DIR": str(demo_index), **operator}).test_client()
    for path in ("/impressum", "/datenschutz"):
        html = client.get(path).get_data(as_text=True)
        assert "Platzhalter" not in html
        for value in ("Redaktion Amtsblick e. V.", "Musterstraße 1", "54411 Hermeskeil"):
            assert value in html, (path, value)
    assert 'href="mailto:redaktion@amtsblick.invalid"' in client.get("/impressum").get_data(as_text=True)


def test_unset_operator_gives_a_placeholder_and_a_start_up_warning(demo_index, monkeypatch, caplog):
    for key in ("NAME", "ADDRESS", "CONTACT"):
        monkeypatch.delenv(f"AMTSBLICK_OPERATOR_{key}", raising=False)
    with caplog.at_level(logging.WARNING, logger="amtsblick"):
        client = create_app({"INDEX_DIR": str(demo_index)}).test_client()
    assert any("Impressum unvollständig" in r.getMessage() for r in caplog.records)
    html = client.get("/impressum").get_data(as_text=True)
    assert "Platzhalter" in html and "[Name des Betreibers]" in html


def test_operator_is_read_from_the_environment(demo_index, monkeypatch):
    monkeypatch.setenv("AMTSBLICK_OPERATOR_NAME", "Umwelt-Redaktion")
    client = create_app({"INDEX_DIR": str(demo_index)}).test_client()
    assert "Umwelt-Redaktion" in client.get("/impressum").get_data(as_text=True)


def test_about_page_gives_every_publisher_its_count_and_first_and_last_date(nav_client):
    by_source = defaultdict(list)
    for record in demo_records():
        by_source[record["source"]].append(record["date"])
    page = html_page(nav_client, "/ueber")
    rows = {}
    for row in page.find_all("tr"):
        cells = [e for e in page.elements if e["tag"] in ("th", "td") and row in e["parents"]]
        rows[" ".join(cells[0]["text"].split())] = [" ".join(c["text"].split()) for c in cells[1:]]
    for source, dates in by_source.items():
        first, last = min(dates), max(dates)
        german = [f"{d[8:10]}.{d[5:7]}.{d[:4]}" for d in (first, last)]
        assert rows[source] == [str(len(dates)), *german], source
