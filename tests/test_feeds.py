"""Atom feeds for any search and the OpenSearch description, parsed as XML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from indexer.build.build import build_index
from search_web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def parse_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def test_feed_is_atom_with_every_required_element(client):
    feed = parse_feed(client.get("/feed.atom?q=Kreis"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/feed.atom?q=Kreis"
    assert "Kreis" in feed.findtext(f"{ATOM}title")
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "http://localhost/feed.atom?q=Kreis"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("http://localhost/doc/")
        assert entry.findtext(f"{ATOM}title")
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id")
        summary = entry.find(f"{ATOM}summary")
        assert summary is not None and summary.get("type") == "text" and summary.text
        assert "<mark>" not in summary.text  # highlights are for HTML pages, the feed carries text


def test_feed_lists_the_newest_matches_of_the_same_search_first(client):
    feed = parse_feed(client.get("/feed.atom?place=Trier-Saarburg&topic=Jugend+und+Familie"))
    dates = [entry.findtext(f"{ATOM}updated") for entry in feed.findall(f"{ATOM}entry")]
    assert dates == sorted(dates, reverse=True)
    api = client.get(
        "/api/search?place=Trier-Saarburg&topic=Jugend+und+Familie&sort=date&per_page=20"
    ).get_json()
    ids = [entry.findtext(f"{ATOM}id").rsplit("/", 1)[1] for entry in feed.findall(f"{ATOM}entry")]
    assert ids == [hit["id"] for hit in api["hits"]]
    assert feed.findtext(f"{ATOM}updated") == dates[0]


def test_feed_ignores_page_and_sort_of_the_search_url(client):
    plain = parse_feed(client.get("/feed.atom?q=Kreis"))
    paged = parse_feed(client.get("/feed.atom?q=Kreis&page=3&sort=relevance"))
    assert [e.findtext(f"{ATOM}id") for e in plain.findall(f"{ATOM}entry")] == [
        e.findtext(f"{ATOM}id") for e in paged.findall(f"{ATOM}entry")
    ]
    assert paged.findtext(f"{ATOM}id") == plain.findtext(f"{ATOM}id")


def test_feed_of_a_search_without_hits_is_still_valid(client):
    feed = parse_feed(client.get("/feed.atom?place=Nirgendwo"))
    assert feed.findall(f"{ATOM}entry") == []
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))


def test_feed_answers_304_to_its_etag(client):
    first = client.get("/feed.atom?q=Kreis")
    assert first.headers["ETag"]
    again = client.get("/feed.atom?q=Kreis", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


HOSTILE = [
    {
        "id": "feed-boese",
        "source": "Amt <b>fett</b> & Co",
        "url": "javascript:alert(1)",
        "date": "2024-03-01",
        "title": '<script>alert("x")</script> Brücke & Straße \x07gesperrt',
        "body": "Die Brücke in Konz ist gesperrt. <img src=x onerror=alert(1)> &lt;b&gt; ]]> \x0b Ende.",
    },
    {
        "id": "feed-harmlos",
        "source": "Stadt Konz",
        "url": "https://example.invalid/konz",
        "date": "2024-02-01",
        "title": "Brücke in Konz wieder offen",
        "body": "Die Brücke in Konz ist wieder für den Verkehr freigegeben.",
    },
]


@pytest.fixture(scope="module")
def hostile_feed_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feed-index")
    source = folder / "boese.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in HOSTILE) + "\n", encoding="utf-8")
    build_index(folder / "index", [str(source)], show_progress=False)
    return create_app({"INDEX_DIR": str(folder / "index")}).test_client()


def test_feed_carries_document_text_as_text_never_as_markup(hostile_feed_client):
    response = hostile_feed_client.get("/feed.atom?q=Brücke")
    raw = response.get_data(as_text=True)
    assert "<script>" not in raw and "<img" not in raw and "<b>" not in raw
    feed = parse_feed(response)  # control characters are dropped, so the XML parses
    entries = {e.findtext(f"{ATOM}id").rsplit("/", 1)[1]: e for e in feed.findall(f"{ATOM}entry")}
    bad = entries["feed-boese"]
    assert bad.findtext(f"{ATOM}title") == '<script>alert("x")</script> Brücke & Straße gesperrt'
    assert bad.find(f"{ATOM}title").get("type") == "text"
    assert list(bad.find(f"{ATOM}summary")) == []  # no child elements: text only
    assert "<img src=x onerror=alert(1)>" in bad.findtext(f"{ATOM}summary")
    assert bad.findtext(f"{ATOM}author/{ATOM}name") == "Amt <b>fett</b> & Co"
    hrefs = [link.get("href") for link in bad.findall(f"{ATOM}link")]
    assert not any(href.startswith("javascript:") for href in hrefs)  # only http(s) originals are linked
    good = entries["feed-harmlos"]
    assert "https://example.invalid/konz" in [link.get("href") for link in good.findall(f"{ATOM}link")]


def test_search_page_links_its_feed_and_the_opensearch_description(client):
    html = client.get("/?q=Kreis&place=Konz&sort=date&page=2").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Atom-Feed dieser Suche" '
        'href="/feed.atom?q=Kreis&amp;place=Konz">' in html
    )
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html


def test_opensearch_description_names_search_feed_and_suggestions(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert root.findtext(f"{OPENSEARCH}ShortName") == "Amtsblick"
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{OPENSEARCH}Url")}
    assert templates["text/html"] == "http://localhost/?q={searchTerms}"
    assert templates["application/atom+xml"] == "http://localhost/feed.atom?q={searchTerms}"
    suggest = templates["application/x-suggestions+json"].replace("{searchTerms}", "Herm")
    answer = client.get(suggest.removeprefix("http://localhost")).get_json()
    assert answer[0] == "Herm" and "Hermeskeil" in answer[1]
    assert len(answer[1]) == len(answer[2]) == len(answer[3])
