"""The one place that decides which German pipeline runs: model or offline.

``build_pipeline()`` loads the configured spaCy model (``AMTSBLICK_MODEL``: a
package name or the path of a pipeline saved with ``nlp.to_disk``, e.g. one
trained by ``bench/train_ner.py``), by default ``de_core_news_sm`` when it is
installed, and adds our components to it; otherwise it builds the offline
pipeline from ``spacy.blank("de")``. Both paths get the same lemmatiser
(simplemma, with place names protected), the gazetteer/rule entity component
and the topic tagger, and report which path is in use.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import simplemma
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from indexer.config import PACKAGE_DATA, ModelError, gazetteer_dir
from indexer.enrich.components import TITLE_SEPARATOR  # importing it registers our factories

MODEL_NAME = "de_core_news_sm"  # the default model, used when installed
MODEL_ENV_VAR = "AMTSBLICK_MODEL"  # a package name or a pipeline directory
PIPELINE_ENV_VAR = "AMTSBLICK_PIPELINE"  # "offline" forces the offline path
# The model's lemmatiser is replaced by ours; parser and tagger are not needed for NER.
MODEL_EXCLUDE = [
    "parser",
    "lemmatizer",
    "tagger",
    "morphologizer",
    "attribute_ruler",
    "senter",
]


def configured_model() -> str | None:
    """The model to load: AMTSBLICK_MODEL, else de_core_news_sm when installed; None: offline."""
    if os.environ.get(PIPELINE_ENV_VAR, "").lower() == "offline":
        return None
    configured = os.environ.get(MODEL_ENV_VAR, "").strip()
    if configured:
        return configured
    return MODEL_NAME if spacy.util.is_package(MODEL_NAME) else None


def _load_model(model: str) -> tuple[Language, str]:
    """The model's pipeline without the components we replace, and how it is described."""
    path = Path(model).expanduser()
    package = spacy.util.is_package(model)
    if not package and not (path / "config.cfg").is_file():
        raise ModelError(
            f"Das Modell {model!r} ({MODEL_ENV_VAR}) ist weder ein installiertes spaCy-Paket noch ein "
            "Verzeichnis mit einer gespeicherten Pipeline (config.cfg). Installieren Sie das Paket, geben "
            f"Sie den Pfad eines mit nlp.to_disk gespeicherten Modells an oder entfernen Sie {MODEL_ENV_VAR}."
        )
    try:
        nlp = spacy.load(model if package else path, exclude=MODEL_EXCLUDE)
    except (OSError, ValueError) as error:
        raise ModelError(f"Das Modell {model!r} ({MODEL_ENV_VAR}) lässt sich nicht laden: {error}") from error
    name = f"{nlp.meta.get('lang', 'de')}_{nlp.meta.get('name', 'pipeline')}"
    version = nlp.meta.get("version", "?")
    where = "" if package else f" aus {path.resolve()}"
    return nlp, f"{name} {version}{where} (spaCy {spacy.__version__}) + Amtsblick-Komponenten"


def _model_files_digest(model: str) -> str:
    """Changes when a model directory is trained again (names, sizes and times of its files)."""
    path = Path(model).expanduser()
    if not path.is_dir():
        return ""
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        if item.is_file():
            stat = item.stat()
            digest.update(f"{item.relative_to(path)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def build_pipeline() -> Language:
    """The German pipeline: the configured model (see configured_model), else offline."""
    model = configured_model()
    if model is not None:
        nlp, description = _load_model(model)
        fingerprint_extra = _model_files_digest(model)
    else:
        nlp = spacy.blank("de")
        description = (
            f"offline: spacy.blank('de') (spaCy {spacy.__version__}) + simplemma-Lemmatisierung "
            "+ Gazetteer- und Regel-Entitäten + Themen-Taxonomie"
        )
        fingerprint_extra = ""
    nlp.add_pipe("amtsblick_lemmatizer")
    nlp.add_pipe("amtsblick_entities")
    nlp.add_pipe("amtsblick_topics")
    nlp.meta["amtsblick_pipeline"] = description
    nlp.meta["amtsblick_fingerprint"] = _fingerprint(f"{description}|{fingerprint_extra}")
    nlp.max_length = 20_000_000
    return nlp


# Bump when the components' rules change in a way that changes their results.
RULES_VERSION = "15"
NLP_DATA_FILES = (
    "organisations.toml",
    "org_patterns.toml",
    "topics.toml",
    "world_places.tsv",
    "subdivisions_frankfurt.tsv",
    "subdivisions_cities.tsv",
    "place_words.toml",
    "street_words.toml",
    "org_words.toml",
)


def _fingerprint(description: str) -> str:
    """Changes whenever what the pipeline finds may change: its kind, our rules, the
    reference data (topics, organisations, places, the gazetteer)."""
    digest = hashlib.sha256(f"{description}|{RULES_VERSION}|{simplemma.__version__}".encode())
    data_files = [PACKAGE_DATA / name for name in NLP_DATA_FILES] + sorted(gazetteer_dir().glob("*.tsv"))
    for path in data_files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pipeline_description(nlp: Language) -> str:
    return nlp.meta["amtsblick_pipeline"]


def pipeline_fingerprint(nlp: Language) -> str:
    return nlp.meta["amtsblick_fingerprint"]


@dataclass
class DocumentNlp:
    """What the NLP step yields for one announcement."""

    lemmas: list[str]
    places: list[str]
    orgs: list[str]
    topics: list[list]  # [id, label, [terms]]
    entities: list[dict]

    @classmethod
    def from_doc(cls, doc: Doc, lemmas: bool = True) -> DocumentNlp:
        """lemmas=False leaves them out: indexing analyses the text itself and does not need them."""
        return cls(
            lemmas=[t.lemma_ for t in doc if not (t.is_space or t.is_punct)] if lemmas else [],
            places=doc._.places or [],
            orgs=doc._.orgs or [],
            topics=doc._.topics or [],
            entities=[
                {
                    "text": e.text,
                    "label": e.label_,
                    "start": e.start_char,
                    "end": e.end_char,
                }
                for e in doc.ents
                if e.label_ in ("LOC", "ORG")
            ],
        )


def make_doc(nlp: Language, title: str, body: str, source: str = "") -> Doc:
    """The tokenised announcement with its publisher attached for the components."""
    doc = nlp.make_doc(document_text(title, body))
    doc._.source = source
    return doc


def document_text(title: str, body: str) -> str:
    """The text the pipeline sees; entity offsets point into it."""
    return f"{title}{TITLE_SEPARATOR}{body}"
