"""The presentation layer through Flask's test client: facets, place tree, histograms, entity pages,
suggestions, caching, OpenAPI. Real indexes from the demo corpus (and a sample of the shared corpus)."""

from __future__ import annotations

import json
import re
import statistics
import time
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlparse

import pytest
from markupsafe import escape

from indexer.build.build import build_index
from search_web import create_app
from search_web.api import SUGGESTER
from search_web.autocomplete import Suggester
from search_web.place_tree import build_place_tree, gazetteer_or_none, walk
from search_web.search import SearchRequest
from tests.conftest import demo_records


class Page(HTMLParser):
    """Elements with their attributes and the text inside each element (by id and by order)."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self._open)}
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def find_all(self, tag: str, **attrs) -> list[dict]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def links(self) -> list[dict]:
        return self.find_all("a")


def text(element: dict) -> str:
    return " ".join(element["text"].split())


def html_page(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.get_data(as_text=True))


def query_pairs(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlparse(href).query)


def in_section(element: dict, section_label: str) -> bool:
    return any(p["attrs"].get("aria-labelledby") == section_label for p in element["parents"])


def facet_links(page: Page, section_label: str) -> dict[str, dict]:
    """Facet value name -> its link, inside one facet section."""
    found = {}
    for element in page.elements:
        if (
            element["tag"] == "span"
            and element["attrs"].get("class") == "name"
            and in_section(element, section_label)
        ):
            link = next(p for p in reversed(element["parents"]) if p["tag"] == "a")
            found[text(element)] = link
    return found


# -- disjunctive facets and chips ----------------------------------------------------------------


def test_selected_places_show_as_removable_chips_and_clear_all_keeps_the_words(client):
    page = html_page(client, "/?q=Kreis&place=Konz&place=Hermeskeil")
    chips = [a for a in page.links() if a["attrs"].get("class") == "chip"]
    assert [text(c) for c in chips] == [
        "Ort: Konz × – Filter entfernen",
        "Ort: Hermeskeil × – Filter entfernen",
    ]
    assert query_pairs(chips[0]["attrs"]["href"]) == [("q", "Kreis"), ("place", "Hermeskeil")]
    assert query_pairs(chips[1]["attrs"]["href"]) == [("q", "Kreis"), ("place", "Konz")]
    clear = next(a for a in page.links() if text(a) == "alle Filter entfernen")
    assert clear["attrs"]["href"] == "/?q=Kreis"


def test_selecting_a_second_place_widens_the_results(client):
    page = html_page(client, "/?place=Konz")
    link = facet_links(page, "facet-place")["Hermeskeil"]
    assert query_pairs(link["attrs"]["href"]) == [("place", "Konz"), ("place", "Hermeskeil")]
    konz = client.get("/api/search?place=Konz").get_json()["total"]
    either = client.get("/api/search?place=Konz&place=Hermeskeil").get_json()["total"]
    assert either > konz
    assert (
        f"{either} Treffer"
        in html_page(client, link["attrs"]["href"]).find_all("p", id="result-count")[0]["text"]
    )


def test_date_range_shows_as_a_removable_chip(client):
    page = html_page(client, "/?q=Kreis&from=2015-01-01&to=2016-12-31")
    chip = next(a for a in page.links() if a["attrs"].get("class") == "chip")
    assert "Zeitraum: 01.01.2015 – 31.12.2016" in text(chip)
    assert chip["attrs"]["href"] == "/?q=Kreis"


# -- place hierarchy ---------------------------------------------------------------------------


def test_place_tree_nests_town_in_verband_in_district_in_state(app):
    service = app.extensions["amtsblick"]
    results = service.search(SearchRequest())
    tree = build_place_tree(results["facets"], results["total"], gazetteer_or_none())
    state = next(node for node in tree if node.value == "Rheinland-Pfalz")
    district = next(node for node in state.children if node.value == "Trier-Saarburg")
    verband = next(node for node in district.children if node.value == "Verbandsgemeinde Hermeskeil")
    assert "Hermeskeil" in [node.value for node in verband.children]
    assert state.level == "state" and district.level == "district" and verband.level == "verband"
    seen = []
    walk(tree, lambda node: seen.append(node.value))
    assert len(seen) == len(set(seen))  # each value once


def test_place_tree_counts_are_the_totals_of_filtering_by_that_node(client, app):
    service = app.extensions["amtsblick"]
    results = service.search(SearchRequest(q="Kreis"))
    tree = build_place_tree(results["facets"], results["total"], gazetteer_or_none())
    nodes = []
    walk(tree, nodes.append)
    for node in nodes[:12]:
        total = client.get("/api/search", query_string={"q": "Kreis", "place": node.value}).get_json()[
            "total"
        ]
        assert total == node.count, node.value


def test_place_tree_is_collapsible_and_every_level_filters_with_place(client):
    page = html_page(client, "/")
    links = facet_links(page, "facet-place")
    for name in ("Rheinland-Pfalz", "Trier-Saarburg", "Verbandsgemeinde Hermeskeil", "Hermeskeil"):
        assert query_pairs(links[name]["attrs"]["href"]) == [("place", name)]
    verband = links["Verbandsgemeinde Hermeskeil"]
    assert verband["parents"][-1]["attrs"].get("class") == "node"  # beside its fold, not inside it
    assert "summary" not in [p["tag"] for p in verband["parents"]]
    hermeskeil_details = [p for p in links["Hermeskeil"]["parents"] if p["tag"] == "details"]
    assert len(hermeskeil_details) >= 3  # inside Land, Kreis and Verbandsgemeinde


def test_a_dominant_branch_starts_open_and_a_selected_place_is_revealed(client):
    page = html_page(client, "/?place=Heddert")
    heddert = facet_links(page, "facet-place")["Heddert"]
    assert all("open" in p["attrs"] for p in heddert["parents"] if p["tag"] == "details")


def test_long_facet_lists_show_ten_and_the_rest_behind_mehr_anzeigen(client):
    page = html_page(client, "/")
    orgs = facet_links(page, "facet-org")
    assert len(orgs) > 10
    folded = [
        name for name, link in orgs.items() if any(p["attrs"].get("class") == "more" for p in link["parents"])
    ]
    assert len(orgs) - len(folded) == 10
    summaries = [s for s in page.find_all("summary") if in_section(s, "facet-org")]
    assert text(summaries[0]).startswith("mehr anzeigen") and f"({len(folded)})" in text(summaries[0])


# -- date histogram ------------------------------------------------------------------------------


def year_bars(page: Page, figure: str) -> list[dict]:
    return [a for a in page.links() if in_section(a, figure)]


def test_year_histogram_has_a_bar_per_year_with_a_text_alternative(client):
    page = html_page(client, "/?q=Kreis")
    facet = client.get("/api/search?q=Kreis").get_json()["facets"]["year"]
    counts = {entry["value"]: entry["count"] for entry in facet}
    bars = year_bars(page, "hist-years")
    assert {text(b).split()[0] for b in bars} == set(counts)
    for bar in bars:
        year = text(bar).split()[0]
        assert f"{year}: {counts[year]} Treffer" in text(bar)
        assert query_pairs(bar["attrs"]["href"]) == [("q", "Kreis"), ("year", year)]
    spans = [li for li in page.find_all("li") if in_section(li, "hist-years")]
    years = sorted(int(y) for y in counts)
    assert len(spans) == years[-1] - years[0] + 1  # years without hits keep their place


def test_one_chosen_year_adds_a_month_histogram_that_filters_by_month(client):
    page = html_page(client, "/?year=2015")
    months = year_bars(page, "hist-months")
    total = client.get("/api/search?year=2015").get_json()["total"]
    shown = [int(re.search(r": (\d+) Treffer", text(bar)).group(1)) for bar in months]
    assert sum(shown) == total
    first = months[0]
    month = dict(query_pairs(first["attrs"]["href"]))["month"]
    assert client.get(f"/api/search?year=2015&month={month}").get_json()["total"] == shown[0]
    assert "hist-months" not in client.get("/?year=2015&year=2016").get_data(as_text=True)


# -- entity pages --------------------------------------------------------------------------------


def test_place_page_shows_timeline_newest_and_company(client):
    data = client.get("/api/ort/Hermeskeil").get_json()
    search = client.get("/api/search?place=Hermeskeil&sort=date").get_json()
    assert data["total"] == search["total"]
    assert sum(year["count"] for year in data["years"]) == data["total"]
    assert [hit["id"] for hit in data["newest"]] == [hit["id"] for hit in search["hits"]]
    assert "Hermeskeil" not in [item["value"] for item in data["related"]["place"]]
    assert {"Trier-Saarburg", "Rheinland-Pfalz"} <= {item["value"] for item in data["place"]["within"]}
    org = data["related"]["org"][0]
    together = client.get("/api/search", query_string={"place": "Hermeskeil", "org": org["value"]}).get_json()
    assert together["total"] == org["count"]  # co-occurrence counts, not global counts
    page = html_page(client, "/ort/Hermeskeil")
    hrefs = {a["attrs"]["href"] for a in page.links()}
    assert {"/?place=Hermeskeil", "/feed.atom?place=Hermeskeil", "/api/ort/Hermeskeil"} <= hrefs
    assert org["url"] in hrefs


def test_district_page_lists_the_places_in_it_apart_from_other_places(client):
    data = client.get("/api/ort/Trier-Saarburg").get_json()
    inside = {item["value"] for item in data["place"]["contains"]}
    assert {"Hermeskeil", "Konz", "Verbandsgemeinde Hermeskeil"} <= inside
    gazetteer = gazetteer_or_none()
    for item in data["related"]["place"]:  # none of the other places lies in Trier-Saarburg
        place = gazetteer.by_key.get(item["value"])
        assert place is None or "Trier-Saarburg" not in (place.verband, place.district, place.state)


@pytest.mark.parametrize(
    "path,name", [("/organisation/", "Kreisjugendamt Trier-Saarburg"), ("/thema/", "Jugend und Familie")]
)
def test_organisation_and_topic_pages(client, path, name):
    page = client.get(path + name)
    assert page.status_code == 200
    assert f"<h1>{name}</h1>" in page.get_data(as_text=True)
    data = client.get("/api" + path + name).get_json()
    param = "org" if path == "/organisation/" else "topic"
    assert data["total"] == client.get("/api/search", query_string={param: name}).get_json()["total"]


def test_unknown_entity_is_a_404_page_and_a_json_404(client):
    assert client.get("/ort/Nirgendwo").status_code == 404
    assert client.get("/api/thema/Nichts").get_json()["status"] == 404


def test_hits_and_documents_link_to_entity_pages(client):
    page = html_page(client, "/doc/kv-trier-saarburg-2015-049")
    hrefs = [a["attrs"]["href"] for a in page.links()]
    assert "/ort/Hermeskeil" in hrefs and "/thema/Jugend%20und%20Familie" in hrefs
    for href in ("/ort/Hermeskeil", "/thema/Jugend%20und%20Familie"):
        assert client.get(href).status_code == 200


def test_document_page_shows_up_to_five_similar_announcements(client):
    page = html_page(client, "/doc/kv-trier-saarburg-2015-049")
    cards = [
        a for a in page.links() if in_section(a, "similar-title") and a["attrs"]["href"].startswith("/doc/")
    ]
    similar = client.get("/api/doc/kv-trier-saarburg-2015-049/similar").get_json()
    assert 1 <= len(cards) == len(similar) <= 5
    assert "kv-trier-saarburg-2015-049" not in [doc["id"] for doc in similar]


# -- suggestions ---------------------------------------------------------------------------------


def test_suggestions_complete_places_organisations_and_titles_by_prefix(client):
    data = client.get("/api/suggest?q=Sozial").get_json()
    suggestions = data["suggestions"]
    assert 0 < len(suggestions) <= 10
    for suggestion in suggestions:
        words = re.findall(r"\w+", suggestion["label"].lower())
        assert any(word.startswith("sozial") for word in words), suggestion
    kinds = {s["kind"] for s in suggestions}
    assert {"title", "topic"} <= kinds
    title = next(s for s in suggestions if s["kind"] == "title")
    assert client.get(title["url"]).status_code == 200
    place = client.get("/api/suggest?q=herm").get_json()["suggestions"][0]
    assert place == {
        "kind": "place",
        "kind_label": "Ort",
        "label": "Hermeskeil",
        "count": client.get("/api/search?place=Hermeskeil").get_json()["total"],
        "url": "/?place=Hermeskeil",
    }


def test_suggestions_ignore_case_and_accents_and_never_exceed_ten(client):
    assert "Züsch" in [s["label"] for s in client.get("/api/suggest?q=zusch").get_json()["suggestions"]]
    assert len(client.get("/api/suggest?q=k").get_json()["suggestions"]) <= 10
    assert client.get("/api/suggest?q=").get_json()["suggestions"] == []
    assert client.get("/api/suggest?q=xqzv").get_json()["suggestions"] == []


def test_suggestions_are_fast_after_the_first_call(app):
    searcher = app.extensions["amtsblick"].searcher()
    suggester = Suggester()
    suggester.suggest(searcher, "a")  # builds the tables once per searcher generation
    timings = []
    for prefix in ("he", "kon", "sozial", "kreis", "j", "feuerwehr", "trier-s", "schul"):
        started = time.perf_counter()
        suggester.suggest(searcher, prefix)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.02


def test_opening_the_search_page_prepares_suggestions_in_the_background(app, client):
    searcher = app.extensions["amtsblick"].searcher()
    assert not SUGGESTER.ready(searcher)
    client.get("/")
    deadline = time.monotonic() + 20
    while not SUGGESTER.ready(searcher) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert SUGGESTER.ready(searcher)


# -- integration: canonical URLs, JSON twins, OpenAPI ---------------------------------------------


def test_canonical_url_names_the_exact_search_state(client):
    page = html_page(client, "/?place=Konz&q=Kreis&sort=date&page=2&utm_source=x")
    canonical = page.find_all("link", rel="canonical")[0]["attrs"]["href"]
    assert canonical == "http://localhost/?q=Kreis&place=Konz&sort=date&page=2"
    json_twin = page.find_all("link", rel="alternate", type="application/json")[0]["attrs"]["href"]
    assert json_twin == "/api/search?q=Kreis&place=Konz&sort=date&page=2"


def test_every_search_state_of_the_ui_is_the_same_search_in_the_api(client):
    url = "/?q=Kreis&place=Trier-Saarburg&topic=Politik+und+Verwaltung&year=2015&year=2016&sort=date"
    page = html_page(client, url)
    api = client.get(url.replace("/?", "/api/search?")).get_json()
    count = text(page.find_all("p", id="result-count")[0])
    assert count.startswith(f"{api['total']} Treffer")
    titles = [text(h) for h in page.find_all("h3") if in_section(h, "results-title")]
    assert titles == [hit["title"] for hit in api["hits"]]


def test_openapi_document_describes_every_api_route_and_search_parameter(client, app):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    documented = set(spec["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).replace("{doc_id}", "{id}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"
    }
    assert routes <= documented
    assert {"/api/search", "/api/doc/{id}", "/api/suggest", "/healthz"} <= documented
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert names == {
        "q",
        "place",
        "org",
        "topic",
        "year",
        "month",
        "source",
        "from",
        "to",
        "sort",
        "page",
        "per_page",
        "match",
        "as_typed",
    }
    search = client.get("/api/search?q=Kreis").get_json()
    required = spec["components"]["schemas"]["SearchResult"]["required"]
    assert set(required) <= set(search)
    for ref in re.findall(r'"#/components/schemas/(\w+)"', json.dumps(spec)):
        assert ref in spec["components"]["schemas"]


# -- HTTP caching --------------------------------------------------------------------------------


def test_search_pages_and_api_answers_carry_an_etag_and_answer_304(client):
    for url in ("/?q=Kreis", "/api/search?q=Kreis", "/api/doc/kv-trier-saarburg-2015-049", "/ort/Konz"):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == "no-cache"
        second = client.get(url, headers={"If-None-Match": etag})
        assert second.status_code == 304 and second.data == b"", url
        assert second.headers["ETag"] == etag
    assert client.get("/?q=Kreis").headers["ETag"] != client.get("/?q=Konz").headers["ETag"]


def test_etag_changes_when_the_index_changes(tmp_path):
    records = demo_records()
    source = tmp_path / "part.jsonl"
    source.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records[:3]) + "\n", encoding="utf-8"
    )
    build_index(tmp_path / "index", [str(source)], show_progress=False)
    client = create_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    before = client.get("/api/search").headers["ETag"]
    source.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records[:4]) + "\n", encoding="utf-8"
    )
    build_index(tmp_path / "index", [str(source)], show_progress=False)
    answer = client.get("/api/search", headers={"If-None-Match": before})
    assert answer.status_code == 200 and answer.get_json()["total"] == 4
    assert answer.headers["ETag"] != before


@pytest.mark.parametrize("path", ["/", "/api/search", "/api/suggest", "/feed.atom"])
def test_query_bytes_that_are_not_utf8_are_answered_not_failed(client, path):
    raw = "q=Kreis\xff\xfe"  # as a WSGI server passes an unencoded request line on (latin-1)
    response = client.get(path, environ_overrides={"QUERY_STRING": raw})
    assert response.status_code == 200 and response.headers["ETag"]


def test_static_assets_have_versioned_urls_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    for name in ("style.css", "app.js"):
        url = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]+)"', html).group(1)
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


# -- accessibility and policy --------------------------------------------------------------------

PAGES = ("/", "/?q=Kreis&year=2015", "/doc/kv-trier-saarburg-2015-049", "/ort/Trier-Saarburg", "/ueber")


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_style_or_event_handler(client, url):
    html = client.get(url).get_data(as_text=True)
    page = Page(html)
    for element in page.elements:
        assert "style" not in element["attrs"], (url, element["tag"])
        assert not any(name.startswith("on") for name in element["attrs"]), (url, element["tag"])
        if element["tag"] == "script":
            assert element["attrs"]["src"].startswith("/static/") and not element["text"].strip()
    assert "<style" not in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_german_with_one_main_and_a_heading(client, url):
    page = html_page(client, url)
    assert page.find_all("html")[0]["attrs"]["lang"] == "de"
    assert len(page.find_all("main")) == 1
    assert page.find_all("h1") or page.find_all("h2")


def test_search_form_controls_are_labelled_and_the_count_is_announced(client):
    page = html_page(client, "/?q=Kreis")
    labels = {e["attrs"].get("for") for e in page.find_all("label")}
    assert "q" in labels
    for date_input in ("from", "to"):
        field = page.find_all("input", id=date_input)[0]
        assert any(p["tag"] == "label" for p in field["parents"])  # wrapped in its label
    count = page.find_all("p", id="result-count")[0]
    assert count["attrs"]["aria-live"] == "polite" and count["attrs"]["role"] == "status"


def test_about_page_states_size_update_pipeline_and_sources(client, demo_index):
    html = client.get("/ueber").get_data(as_text=True)
    build = json.loads((demo_index / "build.json").read_text(encoding="utf-8"))
    assert f"<dd>{len(demo_records())}</dd>" in html
    finished = build["finished"]  # 2026-11-25T02:39:41+00:00, shown as 25.11.2026, 02:39 Uhr
    assert f"{finished[8:10]}.{finished[5:7]}.{finished[:4]}, {finished[11:16]} Uhr" in html
    assert escape(build["pipeline"]) in html
    assert "Kreisverwaltung Trier-Saarburg" in html  # publishers with their counts
    assert "dl-de/by-2-0" in html and "CC BY 3.0 DE" in html


# -- the shared corpus ---------------------------------------------------------------------------


def test_shared_corpus_pages_render_with_berlin_hierarchy(shared_index):
    client = create_app({"INDEX_DIR": str(shared_index)}).test_client()
    service = client.application.extensions["amtsblick"]
    results = service.search(SearchRequest())
    tree = build_place_tree(results["facets"], results["total"], gazetteer_or_none())
    berlin = next(node for node in tree if node.value == "Berlin")
    assert berlin.children and all(child.count <= berlin.count for child in berlin.children)
    for url in (
        "/",
        "/?q=Polizei&year=2020",
        "/ort/Berlin",
        "/feed.atom?place=Berlin",
        "/api/suggest?q=kreuz",
    ):
        assert client.get(url).status_code == 200, url
