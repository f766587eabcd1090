"""The short forms of the stress scripts in tests/stress/ (long forms: docs/operations.md).

Together they take about two minutes on the 2-core CI machine: 20 kills of the indexer, two updates
under continuous searches, 10 s of load on the production server.
"""

from __future__ import annotations

from indexer.engine.storage import open_or_create
from search_web import create_app
from tests.stress import concurrent_update, crash_kill, load

MEMORY_SLACK_MB = 30  # allocator noise over 10 s; a leak under 32 connections grows faster


def test_killed_indexer_always_leaves_its_last_commit_and_no_lock():
    report = crash_kill.run(kills=20, lanes=2, seed=1)
    assert not report.failures, report.summary()
    assert report.kills >= 20, report.summary()
    killed = [o for o in report.outcomes if o.result != "finished before the kill"]
    assert {o.phase for o in killed} == {"build", "update"}, report.summary()
    assert report.final_documents == 30, report.summary()


def test_site_answers_on_the_empty_index_a_first_build_leaves_until_its_commit(tmp_path):
    open_or_create(tmp_path / "index")  # what `indexer build` creates at its start, before the commit
    client = create_app({"INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert client.get("/api/search?q=Kreis").get_json()["total"] == 0
    for page in ("/", "/?q=Kreis", "/healthz", "/ueber"):
        assert client.get(page).status_code == 200, page


def test_searches_during_an_update_see_the_old_or_the_new_index():
    report = concurrent_update.run(updates=2)
    assert not report.failures, report.summary()
    assert report.searches > 100, report.summary()


def test_production_server_under_32_connections_answers_without_errors_and_flat_memory():
    report = load.run(seconds=10)
    assert report.requests > 32, report.summary()
    assert report.errors == 0, report.summary()
    assert report.rss_end_mb <= report.rss_start_mb * 1.1 + MEMORY_SLACK_MB, report.summary()
