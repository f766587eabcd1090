"""A damaged index keeps serving (search_web/search.py, SearchService): the last generation that could
be opened stays in use, /healthz reports the problem (503 only when nothing can be served), and an
unreadable index at start says what is wrong and how to rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build.build import build_index
from search_web import create_app
from search_web.__main__ import main as web_main

PAGES = ["/", "/?q=Kreis", "/api/search?q=Kreis", "/feed.atom?q=Kreis", "/ueber"]


def _copy(demo_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(demo_index, target)
    return target


def _segment(index: Path) -> Path:
    return next(index.glob("*.seg"))


def _toc(index: Path) -> Path:
    return max(index.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:64] = bytes(range(200, 255)) + bytes(9)
    path.write_bytes(bytes(data))


DAMAGE = {
    "truncated segment": lambda index: _truncate(_segment(index)),
    "garbled segment start": lambda index: _garble(_segment(index)),
    "truncated TOC": lambda index: _truncate(_toc(index)),
    "garbled TOC": lambda index: _garble(_toc(index)),
    "missing segment": lambda index: _segment(index).unlink(),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_an_unreadable_index_at_start_gives_503_with_the_reason_never_500(demo_index, tmp_path, damage):
    index = _copy(demo_index, tmp_path)
    DAMAGE[damage](index)
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    reason = health.get_json()["reason"]
    assert "nicht lesbar" in reason and "indexer build" in reason, reason
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 503, page
        assert "nicht verfügbar" in response.get_data(as_text=True), page


@pytest.mark.parametrize("damage", DAMAGE)
def test_start_up_check_says_what_is_wrong_and_how_to_rebuild(demo_index, tmp_path, damage, capsys):
    index = _copy(demo_index, tmp_path)
    assert web_main(["--check", "--index", str(index)]) == 0
    DAMAGE[damage](index)
    assert web_main(["--check", "--index", str(index)]) == 2
    message = capsys.readouterr().err
    assert str(index) in message and "indexer build" in message and "AMTSBLICK_INDEX" in message


def _commit_another_document(index: Path, tmp_path: Path) -> None:
    source = tmp_path / "more.jsonl"
    source.write_text('{"id": "neu-1", "title": "Neue Meldung", "body": "Ein Zebrastreifen in Konz."}\n')
    build_index(index, [str(source)], show_progress=False)


@pytest.mark.parametrize("bad", ["garbled", "truncated"])
def test_a_bad_new_generation_is_ignored_until_a_good_one_appears(demo_index, tmp_path, bad, caplog):
    index = _copy(demo_index, tmp_path)
    app = create_app({"INDEX_DIR": str(index)})
    client = app.test_client()
    before = client.get("/api/search?q=Kreis").get_json()["total"]
    assert before > 0
    app.extensions["amtsblick"].reopen_seconds = 0  # retry at once (5 s in production)
    good = _toc(index)
    newer = good.with_name(f"_MAIN_{int(good.stem.rsplit('_', 1)[1]) + 1}.toc")
    shutil.copy(good, newer)
    (_garble if bad == "garbled" else _truncate)(newer)
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    assert client.get("/api/search?q=Kreis").get_json()["total"] == before  # the old generation
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    assert "vorige" in health.get_json()["problem"]
    assert sum("Neue Indexgeneration nicht lesbar" in r.getMessage() for r in caplog.records) == 1  # once
    newer.unlink()
    _commit_another_document(index, tmp_path)
    assert client.get("/api/search?q=Zebrastreifen").get_json()["total"] == 1  # the good one is served
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_a_segment_removed_under_a_running_server_keeps_it_serving(demo_index, tmp_path):
    index = _copy(demo_index, tmp_path)
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    total = client.get("/api/search?q=Kreis").get_json()["total"]
    _segment(index).unlink()  # its open file stays readable; a new open would fail
    assert client.get("/api/search?q=Kreis").get_json()["total"] == total
    assert client.get("/healthz").status_code == 200
