import pytest
import spacy

from indexer.enrich.pipeline import MODEL_ENV_VAR, MODEL_NAME, build_pipeline, pipeline_description


def test_offline_pipeline_is_used_and_reported_when_forced(monkeypatch):
    monkeypatch.setenv("AMTSBLICK_PIPELINE", "offline")
    nlp = build_pipeline()
    assert pipeline_description(nlp).startswith("offline")
    assert nlp.pipe_names == ["amtsblick_lemmatizer", "amtsblick_entities", "amtsblick_topics"]


@pytest.fixture(params=[MODEL_NAME, "trained"])
def model(request) -> str:
    """de_core_news_sm (when installed) and a NER pipeline trained in this session."""
    if request.param == "trained":
        return str(request.getfixturevalue("trained_ner_model"))
    if not spacy.util.is_package(MODEL_NAME):
        pytest.skip(
            f"{MODEL_NAME} is not installed (spaCy's release downloads are unreachable on this machine)"
        )
    return MODEL_NAME


def test_model_pipeline_is_used_when_installed(monkeypatch, model):
    monkeypatch.delenv("AMTSBLICK_PIPELINE", raising=False)
    if model != MODEL_NAME:
        monkeypatch.setenv(MODEL_ENV_VAR, model)
    nlp = build_pipeline()
    name = spacy.load(model).meta["name"]
    assert pipeline_description(nlp).startswith(f"de_{name}" if model != MODEL_NAME else MODEL_NAME)
    doc = nlp("Sozialraumzentrum Hermeskeil eingeweiht\n\nDie Johanniter-Unfall-Hilfe e. V. in Hermeskeil.")
    assert "Hermeskeil" in doc._.places
    assert "Johanniter-Unfall-Hilfe e. V." in doc._.orgs
