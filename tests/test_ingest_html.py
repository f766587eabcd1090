"""HTML pages: the 20 real pages of shared/corpus/html against their hand-made manifest.

Each check runs over all 20 pages and names every page that fails it, so a
regression shows which layout broke. Strings are compared after the manifest's
normalisation (invisible format characters removed, whitespace collapsed).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.ingest.inputs import expand_inputs, read_inputs
from indexer.ingest.sources.html import Page, extract_page
from indexer.model import Announcement, InputError
from tests.conftest import shared_corpus_dir

INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalise(text: str | None) -> str:
    return " ".join(INVISIBLE.sub("", text or "").split())


@pytest.fixture(scope="module")
def html_dir() -> Path:
    folder = shared_corpus_dir() / "html"
    if not (folder / "manifest.jsonl").is_file():
        pytest.skip(f"shared HTML pages not found in {folder} (set AMTSBLICK_DATA)")
    return folder


@pytest.fixture(scope="module")
def manifest(html_dir) -> list[dict]:
    return [
        json.loads(line) for line in (html_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture(scope="module")
def pages(html_dir, manifest) -> dict[str, Page]:
    return {entry["file"]: extract_page((html_dir / entry["file"]).read_bytes()) for entry in manifest}


def failures(manifest, check) -> list[str]:
    return [entry["file"] for entry in manifest if not check(entry)]


def test_manifest_lists_twenty_pages(manifest):
    assert len(manifest) == 20


def test_title_is_the_headline_without_site_name_kicker_or_date(manifest, pages):
    failed = failures(manifest, lambda e: pages[e["file"]].title == e["title"])
    assert failed == [], [(f, pages[f].title) for f in failed]


def test_date_is_the_publication_date_shown_on_the_page_or_none(manifest, pages):
    def same_date(entry):
        date = pages[entry["file"]].date
        return (date.isoformat() if date else None) == entry["date"]

    failed = failures(manifest, same_date)
    assert failed == [], [(f, pages[f].date) for f in failed]


def test_body_contains_the_first_words_of_the_main_text(manifest, pages):
    failed = failures(manifest, lambda e: normalise(e["body_starts"]) in normalise(pages[e["file"]].body))
    assert failed == [], [(f, pages[f].body[:120]) for f in failed]


def test_body_contains_the_last_words_of_the_main_text(manifest, pages):
    failed = failures(manifest, lambda e: normalise(e["body_ends"]) in normalise(pages[e["file"]].body))
    assert failed == [], [(f, pages[f].body[-120:]) for f in failed]


def test_no_navigation_footer_or_consent_text_survives(manifest, pages):
    def clean(entry):
        body = normalise(pages[entry["file"]].body)
        return not [s for s in entry["boilerplate_samples"] if normalise(s) in body]

    failed = failures(manifest, clean)
    assert failed == [], [(f, e["boilerplate_samples"]) for e in manifest for f in failed if e["file"] == f]


def test_indexed_text_has_no_soft_hyphens_or_zero_width_characters(pages):
    dirty = [name for name, page in pages.items() if INVISIBLE.search(page.title + page.body)]
    assert dirty == []


def test_headline_is_not_repeated_as_first_paragraph(pages):
    repeated = [name for name, page in pages.items() if page.body.split("\n\n")[0] == page.title]
    assert repeated == []


def test_reader_gives_stable_ids_from_the_canonical_address_and_the_site_as_source(html_dir, manifest):
    files = [str(html_dir / entry["file"]) for entry in manifest]
    first = list(read_inputs(expand_inputs(files)))
    again = list(read_inputs(expand_inputs(files[:3])))
    assert all(isinstance(item, Announcement) for item in first)
    assert [a.id for a in first[:3]] == [a.id for a in again]
    assert len({a.id for a in first}) == 20
    by_file = dict(zip((e["file"] for e in manifest), first, strict=True))
    ahlen = by_file["ahlen.de_1.html"]
    assert (
        ahlen.url
        == "https://www.ahlen.de/start/aktuelles/aktuelle/information/nachricht/aus-ahlen/reparaturcafe-am-31-januar/"
    )
    assert ahlen.id.startswith("ahlen-de-") and ahlen.source == "Stadt Ahlen"
    assert by_file["bka.de_1.html"].source == "bka.de"  # no og:site_name: the host
    assert by_file["stuttgart.de_1.html"].url == ""  # names no address: id from the file path
    assert by_file["stuttgart.de_1.html"].id.startswith("datei-stuttgart-de-1-")


def test_same_page_saved_twice_under_other_names_keeps_its_id(html_dir, tmp_path):
    data = (html_dir / "bfs.de_1.html").read_bytes()
    (tmp_path / "a.html").write_bytes(data)
    (tmp_path / "kopie.htm").write_bytes(data)
    ids = {item.id for item in read_inputs(expand_inputs([str(tmp_path)]))}
    assert len(ids) == 1


def test_session_id_in_canonical_address_does_not_change_the_id(html_dir, tmp_path):
    data = (html_dir / "bmwi.de_1.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', data)
    assert canonical is not None
    with_session = data.replace(canonical.group(1), canonical.group(1) + ";jsessionid=ABC123.2_cid324#top")
    (tmp_path / "plain.html").write_text(data, encoding="utf-8")
    (tmp_path / "session.html").write_text(with_session, encoding="utf-8")
    assert len({item.id for item in read_inputs(expand_inputs([str(tmp_path)]))}) == 1


# -- encodings: the same real page in the encodings old archives use ------------------------------------
def _as_legacy(html: str, charset_tag: str | None) -> bytes:
    html = re.sub(r"<meta[^>]*charset=[^>]*>", charset_tag or "", html, flags=re.IGNORECASE)
    return html.encode("cp1252", errors="xmlcharrefreplace")


def _double_encoded(html: str) -> bytes:
    """UTF-8 bytes read as Windows-1252 (as browsers do: undefined bytes kept) and saved as UTF-8."""
    raw = html.encode("utf-8")
    misread = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)
    return misread.encode("utf-8")


ENCODED = {
    "windows-1252 declared": lambda h: _as_legacy(h, '<meta charset="windows-1252">'),
    "iso-8859-1 declared, cp1252 quotes": lambda h: _as_legacy(
        h, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    ),
    "cp1252 undeclared": lambda h: _as_legacy(h, None),
    "utf-8 declared, really cp1252": lambda h: _as_legacy(h, '<meta charset="utf-8">'),
    "mojibake (utf-8 decoded as cp1252 once)": _double_encoded,
}


@pytest.mark.parametrize("variant", list(ENCODED))
@pytest.mark.parametrize("file", ["ahlen.de_1.html", "be.ch_1.html", "bka.de_1.html"])
def test_page_in_legacy_encoding_reads_like_the_utf8_original(html_dir, pages, file, variant):
    original = pages[file]
    encoded = ENCODED[variant]((html_dir / file).read_text(encoding="utf-8"))
    page = extract_page(encoded)
    assert (page.title, page.date) == (original.title, original.date)
    assert page.body == original.body
    assert not re.search("Ã[\u0080-\u00bf]|â€", page.title + page.body)


def test_folder_of_pages_is_read_with_htm_and_upper_case_suffixes(html_dir, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "SEITE.HTM").write_bytes((html_dir / "thw.de_1.html").read_bytes())
    (tmp_path / "notiz.md").write_text("keine Eingabe", encoding="utf-8")
    items = list(read_inputs(expand_inputs([str(tmp_path)])))
    assert [type(i) for i in items] == [Announcement]
    assert items[0].title == "Frauen im THW: Vergangenheit, Gegenwart und Zukunft"
    assert not [i for i in items if isinstance(i, InputError)]


@pytest.mark.parametrize("file", ["ahlen.de_1.html", "bka.de_1.html", "bmjv.de_1.html", "zoll.de_1.html"])
def test_layout_wrappers_named_like_chrome_do_not_hide_the_headline(html_dir, pages, file):
    """ASP.NET wraps whole pages in a <form>; themes call the page wrapper "has-sidebar"."""
    html = (html_dir / file).read_text(encoding="utf-8")
    html = re.sub(
        r"<body([^>]*)>", r'<body\1><form id="aspnetForm"><div class="page has-sidebar">', html, count=1
    )
    page = extract_page(html.replace("</body>", "</div></form></body>").encode("utf-8"))
    assert (page.title, page.date) == (pages[file].title, pages[file].date)
