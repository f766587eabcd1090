"""One document the NLP pipeline fails on loses nothing else: it is indexed for its text, the build
goes on and names it (docs/operations.md, "Sprachanalyse fehlgeschlagen")."""

import json

import pytest
import spacy
from spacy.language import Language

import indexer.build.build
import indexer.build.workers
from indexer import engine
from indexer.build.build import build_index
from indexer.build.workers import resilient_pipe
from tests.test_build import many_records, write_jsonl

MARK = "Kaputtwort"  # the failing components below raise on a document containing it


class RuleBug(ValueError):
    pass


@Language.component("test_fails_one_by_one")
def fails_one_by_one(doc):
    if MARK in doc.text:
        raise RuleBug("Regel kaputt")
    return doc


@Language.factory("test_fails_in_batches")
class FailsInBatches:
    """Like a statistical component: a pipe() over batches, so one bad document loses its batch."""

    def __init__(self, nlp, name):
        pass

    def __call__(self, doc):
        return next(self.pipe([doc]))

    def pipe(self, docs, batch_size=128):
        batch = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == batch_size:
                yield from self._process(batch)
                batch = []
        yield from self._process(batch)

    def _process(self, batch):
        if any(MARK in doc.text for doc in batch):
            raise RuleBug("Stapel kaputt")
        return batch


TEXTS = [f"Satz Nummer {i}." for i in range(11)]


@pytest.mark.parametrize("component", ["test_fails_one_by_one", "test_fails_in_batches"])
@pytest.mark.parametrize("batch_size", [1, 3, 4])
def test_every_position_of_a_failing_document_yields_its_error_there_and_the_others(component, batch_size):
    nlp = spacy.blank("de")
    nlp.add_pipe(component)
    for bad in [*range(len(TEXTS)), (2, 3), (0, 10)]:  # each position alone, neighbours, both ends
        bad = {bad} if isinstance(bad, int) else set(bad)
        texts = [f"{MARK} {t}" if i in bad else t for i, t in enumerate(TEXTS)]
        results = list(resilient_pipe(nlp, [lambda t=t: nlp.make_doc(t) for t in texts], batch_size))
        assert [i for i, r in enumerate(results) if isinstance(r, RuleBug)] == sorted(bad)
        assert [r.text for r in results if not isinstance(r, Exception)] == [
            t for i, t in enumerate(texts) if i not in bad
        ]


@pytest.fixture
def pipeline_with_a_rule_bug(monkeypatch):
    """The real pipeline, with one more component that fails on MARK (as a rule's bug would)."""
    real = indexer.build.build.build_pipeline

    def build_pipeline():
        nlp = real()
        nlp.add_pipe("test_fails_one_by_one")
        return nlp

    monkeypatch.setattr(indexer.build.build, "build_pipeline", build_pipeline)
    return monkeypatch


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_the_pipeline_fails_on_is_indexed_for_its_text_and_named(
    tmp_path, pipeline_with_a_rule_bug, workers
):
    records = many_records(240)  # enough for the worker pool (MIN_PARALLEL)
    records[7]["body"] += f" {MARK} im Text."
    records[200]["body"] += f" Noch ein {MARK}."
    source = tmp_path / "in.jsonl"
    write_jsonl(source, records)
    pipeline_with_a_rule_bug.setattr(indexer.build.workers, "MAX_CHUNK", 50)  # the bug in two chunks

    summary = build_index(tmp_path / "idx", [str(source)], workers=workers, show_progress=False)

    assert summary.added == 240 and not summary.errors
    assert [doc_id for doc_id, _error in summary.unanalysed] == ["m7", "m200"]
    assert all(error.startswith("RuleBug: Regel kaputt") for _id, error in summary.unanalysed)
    assert any("Sprachanalyse fehlgeschlagen: id 'm7'" in line for line in summary.lines())
    searcher = engine.open_index(tmp_path / "idx")
    assert engine.search(searcher, "").total == 240
    found = engine.search(searcher, MARK).hits
    assert sorted(hit["id"] for hit in found) == ["m200", "m7"]  # their text is searchable
    assert [(hit["places"], hit["orgs"], hit["topics"]) for hit in found] == [([], [], [])] * 2  # no entities
    assert engine.search(searcher, "", filters={"place": ["Trier"]}).total == 60  # the others have theirs

    pipeline_with_a_rule_bug.undo()  # the rule fixed
    for path in (tmp_path / "idx").glob("*.toc"):
        path.unlink()  # a rebuild from scratch (as after a schema change) with the NLP cache kept
    again = build_index(tmp_path / "idx", [str(source)], workers=workers, show_progress=False)
    assert (again.added, again.from_cache, again.unanalysed) == (240, 238, [])  # the two were not cached
    assert engine.search(engine.open_index(tmp_path / "idx"), MARK).hits[0]["places"]


def test_analyze_reports_the_document_it_fails_on_and_analyses_the_others(
    tmp_path, pipeline_with_a_rule_bug, capsys
):
    from indexer.build.cli import main

    records = many_records(5)
    records[2]["body"] += f" {MARK}."
    source = tmp_path / "in.jsonl"
    write_jsonl(source, records)
    assert main(["analyze", str(source)]) == 1
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["m0", "m1", "m2", "m3", "m4"]
    assert lines[2] == {"id": "m2", "error": "RuleBug: Regel kaputt"}
    assert all(line["places"] for i, line in enumerate(lines) if i != 2)
    assert "id 'm2': Sprachanalyse fehlgeschlagen (RuleBug: Regel kaputt)" in err
