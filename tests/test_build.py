"""Incremental builds and the index contents."""

import json

from indexer.build import build_index
from indexer.index import open_existing


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
