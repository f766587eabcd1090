"""Incremental builds and the index contents."""

import json

from indexer.build.build import build_index
from indexer.engine.storage import open_existing


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def records(n=3, changed=None):
    out = []
    for i in range(n):
        body = f"Die Polizei in Konz meldet Vorfall Nummer {i}."
        if changed == i:
            body += " Nachtrag."
        out.append({"id": f"d{i}", "title": f"Meldung {i}", "body": body, "date": "2020-01-0" + str(i + 1)})
    return out


def test_rerun_processes_only_new_or_changed_documents(tmp_path):
    source = tmp_path / "in.jsonl"
    write_jsonl(source, records())
    first = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    write_jsonl(source, records(changed=1) + [{"id": "d9", "title": "Neu", "body": "Neu."}])
    second = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert (second.added, second.updated, second.unchanged) == (1, 1, 2)


def test_prune_removes_documents_that_left_the_source(tmp_path):
    source = tmp_path / "in.jsonl"
    write_jsonl(source, records())
    build_index(tmp_path / "idx", [str(source)], show_progress=False)
    write_jsonl(source, records(n=2))
    kept = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert kept.removed == 0 and open_existing(tmp_path / "idx").doc_count() == 3
    pruned = build_index(tmp_path / "idx", [str(source)], prune=True, show_progress=False)
    assert pruned.removed == 1 and open_existing(tmp_path / "idx").doc_count() == 2


def test_demo_corpus_is_fully_indexed(demo_index):
    from tests.conftest import demo_records

    assert open_existing(demo_index).doc_count() == len(demo_records()) >= 40


def test_same_release_published_twice_is_indexed_once(tmp_path):
    source = tmp_path / "in.jsonl"
    body = "Die Polizei in Konz meldet einen Einbruch in eine Kita."
    write_jsonl(source, [
        {"id": "a", "title": "Einbruch", "body": body, "url": "https://example.org/1"},
        {"id": "b", "title": "Einbruch (Wiederholung)", "body": " " + body.upper() + " ", "url": "https://example.org/2"},
        {"id": "c", "title": "Anderer Text", "body": "Ganz anderer Inhalt.", "url": "https://example.org/1"},
        {"id": "d", "title": "Neu", "body": "Noch ein anderer Inhalt.", "url": "https://example.org/4"},
    ])  # fmt: skip
    summary = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert summary.duplicates == [("b", "a"), ("c", "a")]
    assert open_existing(tmp_path / "idx").doc_count() == 2
    again = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert (again.unchanged, again.added, len(again.duplicates)) == (2, 0, 2)


def test_follow_up_report_is_linked_as_near_duplicate(tmp_path):
    from search_web.search import SearchService

    first = (
        "Am Montagabend wurde in der Hauptstraße in Konz ein Radfahrer von einem Auto erfasst und "
        "schwer verletzt. Der Fahrer flüchtete. Die Polizei sucht Zeugen, die den Unfall beobachtet haben."
    )
    follow_up = "Nachtrag: Der Fahrer hat sich gestellt. Erstmeldung: " + first
    other = "Der Kreistag hat den Haushalt beschlossen. Investiert wird in Schulen und Straßen im Kreis."
    source = tmp_path / "in.jsonl"
    write_jsonl(source, [
        {"id": "erst", "title": "Radfahrer verletzt", "body": first},
        {"id": "folge", "title": "Unfallfahrer gestellt", "body": follow_up},
        {"id": "haushalt", "title": "Haushalt", "body": other},
    ])  # fmt: skip
    build_index(tmp_path / "idx", [str(source)], show_progress=False)
    similar = {d["id"]: d["near_duplicate"] for d in SearchService(tmp_path / "idx").similar("erst")}
    assert similar["folge"] is True
    assert similar.get("haushalt", False) is False


def test_rebuild_with_unchanged_pipeline_takes_nlp_from_cache(tmp_path):
    source = tmp_path / "in.jsonl"
    write_jsonl(source, records())
    first = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert first.from_cache == 0
    for path in (tmp_path / "idx").glob("*.toc"):
        path.unlink()  # the index is gone (as after a schema change); the NLP cache beside it stays
    again = build_index(tmp_path / "idx", [str(source)], show_progress=False)
    assert (again.added, again.from_cache) == (3, 3)
    assert "Polizei" in open_existing(tmp_path / "idx").searcher().stored_fields(0)["org"]


def many_records(n):
    places = ["Konz", "Trier", "Saarburg", "Hermeskeil"]
    return [{"id": f"m{i}", "title": f"Einsatz {i} in {places[i % 4]}", "date": f"2021-0{i % 9 + 1}-11",
             "body": f"Die Feuerwehr {places[i % 4]} löschte den Brand Nummer {i} in der Schulstraße. "
                     f"Der Kreisjugendamt-Bericht folgt."} for i in range(n)]  # fmt: skip


def index_terms(index_dir):
    """Every (field, term, document id, frequency) and the documents' order."""
    reader = open_existing(index_dir).reader()
    ids = [fields["id"] for fields in reader.all_stored_fields()]
    terms = set()
    for field in ("title", "body", "exact", "place", "org", "topic"):
        for term in reader.lexicon(field):
            matcher = reader.postings(field, term)
            while matcher.is_active():
                terms.add((field, term, ids[matcher.id()], matcher.weight()))
                matcher.next()
    return ids, terms


def test_parallel_build_in_segments_indexes_the_same_terms_in_the_same_order(tmp_path, monkeypatch):
    import indexer.build.workers

    source = tmp_path / "in.jsonl"
    write_jsonl(source, many_records(240))
    build_index(tmp_path / "one", [str(source)], show_progress=False)
    monkeypatch.setattr(indexer.build.workers, "MAX_CHUNK", 50)  # several segments per worker
    summary = build_index(tmp_path / "two", [str(source)], workers=2, show_progress=False)
    assert summary.added == 240
    assert len(open_existing(tmp_path / "two")._segments()) == 6
    one, two = index_terms(tmp_path / "one"), index_terms(tmp_path / "two")
    assert one[0] == two[0]  # document numbers (tie-breakers in sorting) follow the input
    assert one[1] == two[1] and len(one[1]) > 1000
    update = build_index(tmp_path / "two", [str(source)], workers=2, show_progress=False)
    assert (update.added, update.unchanged) == (0, 240)


def with_outdated_schema(monkeypatch, index_dir, source):
    """An index built with an extra field, as before a schema change."""
    from whoosh.fields import ID

    import indexer.engine.storage

    current = indexer.engine.storage.build_schema

    def old_schema():
        schema = current()
        schema.add("legacy", ID(stored=True))
        return schema

    monkeypatch.setattr(indexer.engine.storage, "build_schema", old_schema)
    build_index(index_dir, [str(source)], show_progress=False)
    monkeypatch.setattr(indexer.engine.storage, "build_schema", current)
    assert "legacy" in open_existing(index_dir).schema


def test_schema_change_swaps_in_a_new_index_while_searches_go_on(tmp_path, monkeypatch):
    import threading

    from search_web.search import SearchRequest, SearchService

    source = tmp_path / "in.jsonl"
    write_jsonl(source, many_records(60))
    index_dir = tmp_path / "idx"
    with_outdated_schema(monkeypatch, index_dir, source)
    service = SearchService(index_dir)
    expected = service.search(SearchRequest(q="Feuerwehr"))["total"]
    assert expected == 60
    old_searcher = service.searcher()
    answers, stop = [], threading.Event()

    def search_until_stopped():
        while not stop.is_set():
            try:
                answers.append(service.search(SearchRequest(q="Feuerwehr"))["total"])
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                answers.append(repr(error))

    reader = threading.Thread(target=search_until_stopped)
    reader.start()
    try:
        summary = build_index(index_dir, [str(source)], show_progress=False)
    finally:
        stop.set()
        reader.join()
    assert summary.from_cache == 60  # the NLP cache came along
    assert answers and set(answers) == {60}  # never empty, never an error
    assert service.searcher() is not old_searcher  # reopened on the swapped-in index
    assert "legacy" not in open_existing(index_dir).schema
    assert service.search(SearchRequest(q="Feuerwehr"))["total"] == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx", "in.jsonl"]  # no folder left behind
    assert (index_dir / "nlp-cache.sqlite").exists()


def test_killed_rebuild_leaves_the_old_index_and_the_next_run_cleans_up(tmp_path, monkeypatch):
    import signal
    import subprocess
    import sys
    import time

    source = tmp_path / "in.jsonl"
    write_jsonl(source, many_records(300))
    index_dir = tmp_path / "idx"
    with_outdated_schema(monkeypatch, index_dir, source)
    before = sorted(p.name for p in index_dir.iterdir())
    command = [sys.executable, "-m", "indexer", "build", "--quiet", "--index", str(index_dir), str(source)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("idx.new-*/_MAIN_*.toc")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # killed while analysing (300 documents take seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert list(tmp_path.glob("idx.new-*")), "the rebuild had started beside the index"
    assert sorted(p.name for p in index_dir.iterdir()) == before
    assert "legacy" in open_existing(index_dir).schema and open_existing(index_dir).doc_count() == 300
    summary = build_index(index_dir, [str(source)], show_progress=False)
    assert summary.added == 300 and "legacy" not in open_existing(index_dir).schema
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx", "in.jsonl"]
