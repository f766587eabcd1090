"""The statistical path for real: a NER pipeline trained in the test session runs through
exactly the code path of de_core_news_sm (AMTSBLICK_MODEL), in indexing and `analyze`."""

import json
import os
import subprocess
import sys

import spacy
from spacy.tokens import Doc

from indexer.config import reference_data_dir
from indexer.enrich.pipeline import (
    MODEL_ENV_VAR,
    PIPELINE_ENV_VAR,
    build_pipeline,
    document_text,
    make_doc,
    pipeline_description,
    pipeline_fingerprint,
)
from indexer.enrich.train_ner import GERMEVAL_FILE, germeval_halves, read_germeval
from tests.conftest import DEMO_CORPUS, REPO

RULE_SENTENCE = "Die Johanniter-Unfall-Hilfe e. V. eröffnet in Hermeskeil ein Zentrum."


def _cli(model, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in (MODEL_ENV_VAR, PIPELINE_ENV_VAR)}
    env[MODEL_ENV_VAR] = str(model)
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args], cwd=REPO, env=env, input=stdin,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _held_out_body(count: int = 100) -> str:
    _training, held_out = germeval_halves(read_germeval(reference_data_dir() / "ner" / GERMEVAL_FILE))
    return " ".join(" ".join(s.words) for s in held_out[:count]) + " " + RULE_SENTENCE


def _run(nlp, doc: Doc) -> Doc:
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def test_model_directory_is_loaded_like_a_package(monkeypatch, trained_ner_model):
    monkeypatch.delenv(PIPELINE_ENV_VAR, raising=False)
    monkeypatch.setenv(MODEL_ENV_VAR, str(trained_ner_model))
    nlp = build_pipeline()
    assert nlp.pipe_names == ["ner", "amtsblick_lemmatizer", "amtsblick_entities", "amtsblick_topics"]
    assert pipeline_description(nlp).startswith("de_amtsblick_ner")
    assert str(trained_ner_model) in pipeline_description(nlp)
    monkeypatch.setenv(PIPELINE_ENV_VAR, "offline")
    assert pipeline_fingerprint(build_pipeline()) != pipeline_fingerprint(nlp)  # the NLP cache is redone


def test_model_entities_merge_with_gazetteer_and_rules(monkeypatch, trained_ner_model):
    """Spans of the model the rules do not cover are kept; rule spans stay unless a longer model span
    covers them; places and organisations of the rules are found beside the model's."""
    text = document_text("Meldung", _held_out_body())
    model_alone = spacy.load(trained_ner_model)(text)
    model_spans = {(e.start, e.end, e.label_) for e in model_alone.ents if e.label_ in ("LOC", "ORG")}
    monkeypatch.setenv(PIPELINE_ENV_VAR, "offline")
    offline = build_pipeline()
    rule_spans = {
        (e.start, e.end, e.label_) for e in _run(offline, make_doc(offline, "Meldung", _held_out_body())).ents
    }
    monkeypatch.delenv(PIPELINE_ENV_VAR)
    monkeypatch.setenv(MODEL_ENV_VAR, str(trained_ner_model))
    nlp = build_pipeline()
    doc = _run(nlp, make_doc(nlp, "Meldung", _held_out_body()))
    merged = {(e.start, e.end, e.label_) for e in doc.ents}

    def overlaps(a, spans):
        return [b for b in spans if a[0] < b[1] and b[0] < a[1]]

    assert model_spans and rule_spans
    assert {s for s in model_spans if not overlaps(s, rule_spans)} <= merged
    for span in rule_spans - merged:
        assert any(b[1] - b[0] > span[1] - span[0] for b in overlaps(span, merged & model_spans))
    assert "Hermeskeil" in doc._.places and "Johanniter-Unfall-Hilfe e. V." in doc._.orgs
    model_orgs = {doc[s:e].text for s, e, label in merged & model_spans if label == "ORG"}
    assert model_orgs - {e.text for e in doc.ents if e.kb_id_} <= set(doc._.orgs)


def test_build_and_analyze_run_with_the_trained_model(tmp_path, trained_ner_model):
    demo = DEMO_CORPUS.read_text(encoding="utf-8").splitlines()[:5]  # a few: the path matters, not the size
    source = tmp_path / "demo.jsonl"
    source.write_text("\n".join(demo) + "\n", encoding="utf-8")
    built = _cli(trained_ner_model, "build", "--index", str(tmp_path / "idx"), str(source), "--quiet")
    assert built.returncode == 0, built.stderr
    assert "de_amtsblick_ner" in built.stdout
    assert "de_amtsblick_ner" in json.loads((tmp_path / "idx" / "build.json").read_text())["pipeline"]
    record = {"id": "1", "title": "Meldung", "body": _held_out_body(30)}
    analysed = _cli(trained_ner_model, "analyze", stdin=json.dumps(record, ensure_ascii=False) + "\n")
    assert analysed.returncode == 0, analysed.stderr
    result = json.loads(analysed.stdout)
    assert "Hermeskeil" in result["places"] and "Johanniter-Unfall-Hilfe e. V." in result["orgs"]
    assert any(e["label"] in ("LOC", "ORG") and e["text"] not in ("Hermeskeil",) for e in result["entities"])


def test_unloadable_model_gets_a_german_message(tmp_path):
    result = _cli(tmp_path / "kein-modell", "info")
    assert result.returncode == 2
    assert "Fehler: Das Modell" in result.stderr and "AMTSBLICK_MODEL" in result.stderr
    assert "Traceback" not in result.stderr
