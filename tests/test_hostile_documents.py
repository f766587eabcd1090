"""Hostile documents: markup, script URLs, RTL overrides, a 1 MB word and an empty title must index fine
and render inert on every page (asserted on the raw HTML and JSON; tests/test_browser_security.py proves
the same in a real browser)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from indexer.build.build import build_index
from indexer.engine.storage import open_existing
from search_web import create_app

# Every payload would set window.__pwned (and the page title) if it ever ran.
SCRIPT = "<script>window.__pwned=1;document.title='PWNED'</script>"
IMG = '"><img src=x onerror="window.__pwned=1;document.title=\'PWNED\'">'
SVG = "<svg/onload=window.__pwned=1>"
ATTR = "' onmouseover='window.__pwned=1' x='"
CLOSE_MARK = "</mark></p></li></ol><script>window.__pwned=1</script>"
JS_URL = "javascript:window.__pwned=1;document.title='PWNED'"
RTL = "\u202e"
LONG_WORD = "Einbruchs" + "x" * 5_000
BIG_WORD = "Einbruchs" + "x" * 1_000_000  # 1 MB in one token
BIG_WORD_SECONDS = 20  # the whole demo corpus builds in ~5 s; one big word may not take 4 times that
RAW_PAYLOADS = [SCRIPT, IMG, SVG, CLOSE_MARK, "<img src=x", "<svg", "<script>"]

HOSTILE_SOURCE = 'Polizei <script>window.__pwned=1</script>"><img src=x onerror=alert(1)>'
HOSTILE_RECORDS = [
    {
        "id": "boese-script",
        "title": f"Einbruch {SCRIPT} in Konz",
        "body": f"Die Polizei meldet einen Einbruch in Konz. {SCRIPT} Zeugen bitte melden.\n\n{CLOSE_MARK}",
        "date": "2020-03-01",
        "url": JS_URL,
        "source": HOSTILE_SOURCE,
    },
    {
        "id": "boese-img",
        "title": f"{IMG} Einbruch in Saarburg",
        "body": f"Einbruch in Saarburg {IMG} {SVG} {ATTR} &lt;b&gt;schon maskiert&lt;/b&gt;",
        "date": "2020-03-02",
        "url": "  JaVaScRiPt:window.__pwned=1",
        "source": f"Feuerwehr {IMG}",
    },
    {
        "id": "boese-rtl",
        "title": f"Einbruch {RTL}gnuldeM{RTL} Hermeskeil",
        "body": f"Einbruch gemeldet {RTL}txet{RTL} in Hermeskeil.",
        "date": "2020-03-03",
        "url": "java\tscript:window.__pwned=1",
        "source": f"Polizei {RTL}",
    },
    {
        "id": "boese-langes-wort",
        "title": "Einbruch mit langem Wort",
        "body": f"Einbruch {LONG_WORD} Ende der Meldung.",
        "date": "2020-03-04",
        "url": "data:text/html,<script>window.__pwned=1</script>",
        "source": "Polizei Konz",
    },
    {
        "id": "boese-leerer-titel",
        "title": "",
        "body": f"Einbruch ohne Titel. {SVG}",
        "date": "2020-03-05",
        "url": f'https://example.invalid/pfad"><script>window.__pwned=1</script>?a={ATTR}',
        "source": "Polizei Konz",
    },
    {
        "id": f'boese-id"><svg onload=window.__pwned=1>{RTL}',
        "title": "Einbruch mit feindlicher Kennung",
        "body": "Einbruch mit einer Kennung voller Markup.",
        "date": "2020-03-06",
        "url": "https://example.invalid/ok",
        "source": "Polizei Konz",
    },
]
HOSTILE_IDS = [r["id"] for r in HOSTILE_RECORDS]
BIG_WORD_RECORD = {
    "id": "boese-riesenwort",
    "title": f"Einbruch mit Riesenwort {SCRIPT}",
    "body": f"Einbruch {BIG_WORD} Ende der Meldung. {IMG}",
    "date": "2020-03-07",
    "url": "data:text/html,<script>window.__pwned=1</script>",
    "source": "Polizei Konz",
}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def build_hostile_index(folder: Path) -> Path:
    source = write_jsonl(folder / "boese.jsonl", HOSTILE_RECORDS)
    summary = build_index(folder / "index", [str(source)], show_progress=False)
    assert not summary.errors, summary.errors
    return folder / "index"


def hostile_pages() -> list[str]:
    """Every page that shows document text: results with snippets and highlights, facets, chips,
    document pages (with similar documents), an entity page, the about page."""
    return [
        "/?q=Einbruch",
        "/?q=Einbruch&sort=date&per_page=3&page=2",
        "/?q=script+onerror+img+svg+onload+pwned+mark",
        "/?" + "&".join(f"source={quote(r['source'], safe='')}" for r in HOSTILE_RECORDS[:3]),
        "/?q=" + quote(SCRIPT, safe=""),
        "/?q=" + quote(IMG, safe="") + "&org=" + quote(SVG, safe=""),
        *[f"/doc/{quote(doc_id, safe='')}" for doc_id in HOSTILE_IDS],
        "/ort/Konz",  # entity page listing the hostile announcements
        "/ueber",
    ]


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    return build_hostile_index(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_client(hostile_index):
    return create_app({"INDEX_DIR": str(hostile_index)}).test_client()


class _Markup(HTMLParser):
    """Collects every element and attribute the browser would build from the page, and inline script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_script = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline_script += data


def _scheme(url: str) -> str:
    """The scheme as a browser reads it: control characters and whitespace are ignored."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0] else ""


def assert_inert(html: str, page: str) -> None:
    for payload in RAW_PAYLOADS:
        assert payload not in html, f"{page}: unescaped {payload!r}"
    parser = _Markup()
    parser.feed(html)
    assert not parser.inline_script.strip(), f"{page}: inline script {parser.inline_script[:200]!r}"
    for tag, attrs in parser.tags:
        if tag == "script":  # only the app's own files, which the CSP allows
            assert (attrs.get("src") or "").startswith("/static/"), f"{page}: <script {attrs}>"
            continue
        assert tag not in {"img", "svg", "iframe", "object", "embed", "base"}, f"{page}: <{tag} {attrs}>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{page}: <{tag} {name}={value!r}>"
            if name in {"href", "src", "action", "formaction"}:
                assert _scheme(value or "") in {"", "http", "https"}, f"{page}: {name}={value!r}"


def test_hostile_documents_index_completely(hostile_index):
    assert open_existing(hostile_index).doc_count() == len(HOSTILE_RECORDS)


@pytest.mark.parametrize("page", hostile_pages())
def test_pages_with_hostile_text_render_it_inert(hostile_client, page):
    response = hostile_client.get(page)
    assert response.status_code == 200, page
    assert_inert(response.get_data(as_text=True), page)


def test_search_results_show_hostile_text_escaped_with_highlights(hostile_client):
    html = hostile_client.get("/?q=Einbruch+script").get_data(as_text=True)
    assert "&lt;script&gt;" in html  # shown as text, not dropped
    assert "<mark>Einbruch</mark>" in html and "<mark>script</mark>" in html
    assert "(ohne Titel)" in html  # the empty title still gets a link text
    document = hostile_client.get("/doc/boese-img").get_data(as_text=True)
    assert "&amp;lt;b&amp;gt;schon maskiert" in document  # text that looks escaped is escaped again


def test_every_result_link_leads_to_its_document(hostile_client):
    html = hostile_client.get("/?q=Einbruch&per_page=20").get_data(as_text=True)
    parser = _Markup()
    parser.feed(html)
    links = [a["href"] for tag, a in parser.tags if tag == "a" and (a.get("href") or "").startswith("/doc/")]
    assert len(links) == len(HOSTILE_RECORDS)
    for link in links:
        assert hostile_client.get(link).status_code == 200, link


def test_script_urls_are_never_link_targets(hostile_client):
    for record in HOSTILE_RECORDS:
        html = hostile_client.get(f"/doc/{quote(record['id'], safe='')}").get_data(as_text=True)
        parser = _Markup()
        parser.feed(html)
        hrefs = [attrs.get("href") or "" for tag, attrs in parser.tags if tag == "a"]
        if _scheme(record["url"]) in {"http", "https"}:
            assert record["url"] in hrefs  # a real link stays a link, quotes and all kept as data
        else:
            assert record["url"] not in hrefs and record["url"].strip() not in hrefs
        assert all(_scheme(href) in {"", "http", "https"} for href in hrefs), hrefs


def test_api_returns_hostile_text_as_data_and_snippets_escaped(hostile_client):
    response = hostile_client.get("/api/search?q=Einbruch+script+img&per_page=20")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.get_json()
    shown = data["hits"] + data["more_hits"]  # those with all three words, then those with some
    assert len(shown) == len(HOSTILE_RECORDS)
    for hit in shown:
        for payload in RAW_PAYLOADS:
            assert payload not in hit["snippet"], hit["id"]
    titles = {hit["id"]: hit["title"] for hit in shown}
    assert titles["boese-script"] == HOSTILE_RECORDS[0]["title"]  # data is returned exactly, unaltered


def test_api_document_returns_hostile_text_unaltered(hostile_client):
    for record in HOSTILE_RECORDS:
        doc = hostile_client.get(f"/api/doc/{quote(record['id'], safe='')}").get_json()
        assert (doc["id"], doc["title"], doc["body"], doc["url"]) == (
            record["id"], record["title"], record["body"], record["url"]
        )  # fmt: skip


def test_a_one_megabyte_word_indexes_quickly_and_renders_inert(tmp_path):
    """The indexer runs as a subprocess so that the bug costs CI BIG_WORD_SECONDS, not hours."""
    source = write_jsonl(tmp_path / "riesenwort.jsonl", [BIG_WORD_RECORD, HOSTILE_RECORDS[0]])
    command = [sys.executable, "-m", "indexer", "build", "--quiet", "--index", str(tmp_path / "index"),
               str(source)]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=BIG_WORD_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"indexing one 1 MB word took longer than {BIG_WORD_SECONDS} s")
    client = create_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    for page in ("/?q=Einbruch", "/?q=Riesenwort", "/doc/boese-riesenwort"):
        started = time.perf_counter()
        response = client.get(page)
        assert response.status_code == 200 and time.perf_counter() - started < 2, page
        assert_inert(response.get_data(as_text=True), page)
    assert client.get("/api/doc/boese-riesenwort").get_json()["body"] == BIG_WORD_RECORD["body"]


def test_rtl_override_and_empty_title_render(hostile_client):
    html = hostile_client.get("/doc/boese-rtl").get_data(as_text=True)
    assert f"{RTL}gnuldeM{RTL}" in html
    assert "(ohne Titel)" in hostile_client.get("/doc/boese-leerer-titel").get_data(as_text=True)


def test_atom_feed_carries_hostile_text_as_text(hostile_client):
    response = hostile_client.get("/feed.atom?q=Einbruch")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.data)  # well-formed XML, whatever the titles held
    atom = "{http://www.w3.org/2005/Atom}"
    assert all(element.tag.startswith(atom) for element in root.iter()), "an element from document text"
    titles = {entry.findtext(f"{atom}title") for entry in root.iter(f"{atom}entry")}
    assert HOSTILE_RECORDS[0]["title"] in titles and "(ohne Titel)" in titles
    for link in root.iter(f"{atom}link"):
        assert _scheme(link.get("href", "")) in {"http", "https"}, link.attrib


def test_suggestions_return_hostile_input_as_data(hostile_client):
    response = hostile_client.get("/api/suggest", query_string={"q": SCRIPT})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# -- security headers on every response ----------------------------------------------------------------


def _responses(client):
    yield "search", client.get("/?q=Einbruch")
    yield "document", client.get("/doc/boese-script")
    yield "about", client.get("/ueber")
    yield "api search", client.get("/api/search?q=Einbruch")
    yield "api document", client.get("/api/doc/boese-script")
    yield "healthz", client.get("/healthz")
    yield "html 404", client.get("/doc/gibt-es-nicht")
    yield "json 404", client.get("/api/doc/gibt-es-nicht")
    yield "unknown path", client.get("/gibt/es/nicht")
    yield "405", client.post("/api/search")
    yield "redirect", client.get("/doc//boese-script")
    yield "static", client.get("/static/style.css")
    yield "feed", client.get("/feed.atom?q=Einbruch")
    yield "entity page", client.get("/ort/Konz")


def test_security_headers_are_on_every_response(hostile_client):
    for name, response in _responses(hostile_client):
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
        assert directives.get("script-src") == ["'self'"], (name, csp)
        assert directives.get("object-src") == ["'none'"], (name, csp)
        assert directives.get("base-uri") == ["'none'"], (name, csp)
        assert directives.get("frame-ancestors") == ["'none'"], (name, csp)
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("X-Frame-Options") == "DENY", name
        assert headers.get("Referrer-Policy"), name
        response.close()


def test_security_headers_are_on_error_pages_too(tmp_path):
    client = create_app({"INDEX_DIR": str(tmp_path / "kein-index")}).test_client()
    for path in ("/", "/api/search?q=x", "/healthz"):
        response = client.get(path)
        assert response.status_code >= 500, path  # no index: the error page, not a stack trace
        assert "script-src 'self'" in response.headers.get("Content-Security-Policy", ""), path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("X-Frame-Options") == "DENY", path
