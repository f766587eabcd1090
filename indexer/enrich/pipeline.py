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
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
import simplemma
import spacy
from spacy.attrs import IS_LOWER, IS_PUNCT
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from indexer.config import PACKAGE_DATA, ModelError, gazetteer_dir
from indexer.enrich.gazetteer import default_gazetteer
from indexer.enrich.orgs import OrgMatcher
from indexer.enrich.places import PlaceMatcher, street_spans
from indexer.enrich.topics import default_taxonomy
from indexer.nlp.lemmas import shared_lemmatizer

MODEL_NAME = "de_core_news_sm"  # the default model, used when installed
MODEL_ENV_VAR = "AMTSBLICK_MODEL"  # a package name or a pipeline directory
PIPELINE_ENV_VAR = "AMTSBLICK_PIPELINE"  # "offline" forces the offline path
TITLE_SEPARATOR = "\n\n"
WORDS_KEY = "amtsblick_words"  # Doc.user_data: the token texts, shared by our components
# The model's lemmatiser is replaced by ours; parser and tagger are not needed for NER.
MODEL_EXCLUDE = [
    "parser",
    "lemmatizer",
    "tagger",
    "morphologizer",
    "attribute_ruler",
    "senter",
]

for _name in ("places", "orgs", "topics", "source", "mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("amtsblick_lemmatizer")
def make_lemmatizer(nlp: Language, name: str):
    lemmatize = shared_lemmatizer()

    def set_lemmas(doc: Doc) -> Doc:
        words = doc.user_data[WORDS_KEY] = []  # the entity component reads them again
        for token in doc:
            text = token.text
            words.append(text)
            if not token.is_space:
                token.lemma_ = lemmatize(text)
        return doc

    return set_lemmas


def _end_of_content(words: list[str]) -> int:
    """Token index where a distribution trailer ("ots Originaltext: …") starts."""
    start = 1
    while "Originaltext" in words[start:]:
        i = words.index("Originaltext", start)
        if words[i - 1] == "ots":
            return i - 1
        start = i + 1
    return len(words)


class _Lemmas:
    """Lemmas read on demand: the rules ask for few of them."""

    def __init__(self, doc: Doc):
        self.doc = doc

    def __getitem__(self, i: int) -> str:
        token = self.doc[i]
        return token.lemma_ or token.text


@Language.factory("amtsblick_entities")
def make_entity_component(nlp: Language, name: str):
    places = PlaceMatcher(default_gazetteer())
    orgs = OrgMatcher()

    @lru_cache(maxsize=256)
    def publisher_places(source: str) -> tuple:
        """Places named in the publisher ("Polizei Berlin"): context for same-name places."""
        mentions = places.find(re.findall(r"[\w.-]+|\S", source))
        return tuple(m.resolved for m in mentions if m.resolved)

    def set_entities(doc: Doc) -> Doc:
        table = doc.to_array([IS_LOWER, IS_PUNCT]).reshape(-1, 2)
        words = doc.user_data.pop(WORDS_KEY, None) or [token.text for token in doc]  # not kept with the doc
        words = words[: _end_of_content(words)]
        # the rules look only at words that are not lower case (found in C, not word by word)
        cased = numpy.flatnonzero((table[: len(words), 0] | table[: len(words), 1]) == 0).tolist()
        lemmas = _Lemmas(doc)
        place_mentions = places.find(words, publisher_places(doc._.source or ""), cased)
        org_mentions = orgs.find(words, lemmas, place_mentions, cased)
        orgs.resolve_short_forms(org_mentions, doc._.source or "")  # "Kreistag" of the publisher
        in_org = {i for org in org_mentions for i in range(org.start, org.end)}
        place_mentions = [m for m in place_mentions if m.start not in in_org]
        # "Berliner" names a place but is not a LOC entity (GermEval's and spaCy's LOCderiv/MISC)
        spans = [
            Span(doc, m.start, m.end, label="LOC", kb_id=m.label)
            for m in place_mentions
            if not (m.derived or m.part)
        ]
        spans += [Span(doc, m.start, m.end, label="ORG", kb_id=m.name) for m in org_mentions if m.named]
        spans += [Span(doc, start, end, label="LOC") for start, end in street_spans(words, cased)]
        model_spans = [e for e in doc.ents if e.label_ in ("LOC", "ORG")]
        doc.ents = filter_spans(spans + model_spans)  # rule matches win on overlap
        doc._.places = sorted({m.label for m in place_mentions})
        # (kind, first token, end token, facet value): what bench.facet_audit shows as context
        doc._.mentions = [("place", m.start, m.end, m.label) for m in place_mentions] + [
            ("org", m.start, m.end, m.name) for m in org_mentions if m.facet
        ]
        doc._.orgs = sorted(
            {m.name for m in org_mentions if m.facet}
            | {e.text for e in doc.ents if e.label_ == "ORG" and not e.kb_id_}
        )
        return doc

    return set_entities


@Language.factory("amtsblick_topics")
def make_topic_component(nlp: Language, name: str):
    taxonomy = default_taxonomy()
    lemmatize = shared_lemmatizer()

    def set_topics(doc: Doc) -> Doc:
        title_end = doc.text.find(TITLE_SEPARATOR)
        title_end = len(doc.text) if title_end < 0 else title_end
        title = [lemma for t in doc if t.idx < title_end for lemma in _topic_lemmas(t, lemmatize)]
        body = [lemma for t in doc if t.idx >= title_end for lemma in _topic_lemmas(t, lemmatize)]
        doc._.topics = [[m.id, m.label, list(m.terms)] for m in taxonomy.match(title, body)]
        return doc

    return set_topics


def _topic_lemmas(token, lemmatize) -> list[str]:
    """A word's lemma; a hyphenated word's parts too ("Kita-Einbruch" is about Einbruch)."""
    if token.is_punct or token.is_space or not any(c.isalnum() for c in token.text):
        return []
    if "-" not in token.text:
        return [token.lemma_]
    return [token.lemma_] + [lemmatize(part) for part in token.text.split("-") if part]


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
RULES_VERSION = "10"
NLP_DATA_FILES = (
    "organisations.toml",
    "org_patterns.toml",
    "topics.toml",
    "world_places.tsv",
    "subdivisions_frankfurt.tsv",
    "subdivisions_cities.tsv",
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
