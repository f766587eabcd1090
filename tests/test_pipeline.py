import pytest
import spacy

from indexer.nlp.pipeline import MODEL_NAME, build_pipeline, pipeline_description


def test_offline_pipeline_is_used_and_reported_when_forced(monkeypatch):
    monkeypatch.setenv("AMTSBLICK_PIPELINE", "offline")
    nlp = build_pipeline()
    assert pipeline_description(nlp).startswith("offline")
    assert nlp.pipe_names == ["amtsblick_lemmatizer", "amtsblick_entities", "amtsblick_topics"]


@pytest.mark.skipif(
    not spacy.util.is_package(MODEL_NAME),
    reason=f"{MODEL_NAME} is not installed (spaCy's release downloads are unreachable on this machine)",
)
def test_model_pipeline_is_used_when_installed(monkeypatch):
    monkeypatch.delenv("AMTSBLICK_PIPELINE", raising=False)
    nlp = build_pipeline()
    assert pipeline_description(nlp).startswith(MODEL_NAME)
    doc = nlp("Sozialraumzentrum Hermeskeil eingeweiht\n\nDie Johanniter-Unfall-Hilfe e. V. in Hermeskeil.")
    assert "Hermeskeil" in doc._.places
    assert "Johanniter-Unfall-Hilfe e. V." in doc._.orgs
