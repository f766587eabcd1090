"""Our spaCy components: lemmas, entities (places, streets, organisations) and topics.

Registered factories in the manner of spaCy's ``EntityRuler``: each is a class
whose data files are named in its config (a bare file name is one of
``indexer/data/``; ``gazetteer: null`` is the configured gazetteer folder, see
``indexer.config.gazetteer_dir``), loaded once when the component is made.
``__call__`` only annotates one ``Doc``; nothing is kept from one document to
the next (memos aside that depend on one input alone: the publisher's places, whether
a word may start an organisation). ``build_pipeline()`` in ``pipeline.py`` adds them and decides the model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import IDX, IS_LOWER, IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from indexer.config import PACKAGE_DATA
from indexer.enrich.org_rules import ORGANISATIONS_FILE, PATTERNS_FILE, OrgRules
from indexer.enrich.orgs import OrgMatcher
from indexer.enrich.places import PlaceMatcher, unknown_place_spans
from indexer.enrich.streets import street_spans
from indexer.enrich.topics import TOPICS_FILE, Taxonomy, default_taxonomy
from indexer.gazetteer import Gazetteer, default_gazetteer, load_gazetteer
from indexer.text.lemmas import shared_lemmatizer

TITLE_SEPARATOR = "\n\n"
# Doc.user_data: the token texts and their lemmas, read by the later components ("" for a space),
# so that they walk plain lists instead of making a Token object per word again; the last reader
# removes them (nothing is kept with the doc)
WORDS_KEY = "amtsblick_words"
LEMMAS_KEY = "amtsblick_lemmas"

for _name in ("places", "orgs", "topics", "source", "mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def data_path(name: str) -> Path:
    """A data file named in a component's config: a bare name is one of indexer/data/."""
    path = Path(name).expanduser()
    return path if path.is_absolute() or path.parent != Path(".") else PACKAGE_DATA / path


def _gazetteer(folder: str | None) -> Gazetteer:
    """The configured gazetteer is loaded once per process and shared with the build."""
    return default_gazetteer() if folder is None else load_gazetteer(Path(folder).expanduser())


@Language.factory("amtsblick_lemmatizer")
class LemmaComponent:
    """simplemma lemmas with place names protected (the lemmatiser the search analyser shares)."""

    def __init__(self, nlp: Language, name: str):
        self.lemmatize = shared_lemmatizer()

    def __call__(self, doc: Doc) -> Doc:
        lemmatize = self.lemmatize
        words = doc.user_data[WORDS_KEY] = []
        lemmas = doc.user_data[LEMMAS_KEY] = []
        for token in doc:
            text = token.text
            words.append(text)
            if token.is_space:
                lemmas.append("")
            else:
                lemma = token.lemma_ = lemmatize(text)
                lemmas.append(lemma)
        return doc


@Language.factory(
    "amtsblick_entities",
    default_config={
        "gazetteer": None,
        "organisations": ORGANISATIONS_FILE.name,
        "org_patterns": PATTERNS_FILE.name,
    },
)
class EntityComponent:
    """Places of the gazetteer, streets and organisations: LOC/ORG spans and the facet values."""

    def __init__(
        self, nlp: Language, name: str, gazetteer: str | None, organisations: str, org_patterns: str
    ):
        rules = OrgRules.load(data_path(organisations), data_path(org_patterns))
        self.places = PlaceMatcher(_gazetteer(gazetteer), body_names=rules.name_tokens())
        self.orgs = OrgMatcher(rules)
        self.publisher_places = lru_cache(maxsize=256)(self._publisher_places)
        self.publisher_context = lru_cache(maxsize=256)(self._publisher_context)

    def _publisher_places(self, source: str) -> tuple:
        """Places named in the publisher ("Polizei Berlin"): context for same-name places."""
        mentions = self.places.find(re.findall(r"[\w.-]+|\S", source))
        return tuple(m.resolved for m in mentions if m.resolved)

    def _publisher_context(self, source: str) -> tuple[str, str]:
        """(Land, town) that complete the publisher's bare short forms (see OrgMatcher)."""
        places = self.publisher_places(source)
        return self.orgs.publisher_land(source, places), self.orgs.publisher_town(source, places)

    def __call__(self, doc: Doc) -> Doc:
        places, orgs = self.places, self.orgs
        table = doc.to_array([IS_LOWER, IS_PUNCT]).reshape(-1, 2)
        words = doc.user_data.get(WORDS_KEY) or [token.text for token in doc]
        words = words[: _end_of_content(words)]
        # the rules look only at words that are not lower case (found in C, not word by word)
        cased = numpy.flatnonzero((table[: len(words), 0] | table[: len(words), 1]) == 0).tolist()
        lemmas = _Lemmas(doc)
        place_mentions = places.find(words, self.publisher_places(doc._.source or ""), cased)
        org_mentions = orgs.find(words, lemmas, place_mentions, cased)
        source = doc._.source or ""
        orgs.resolve_short_forms(
            org_mentions, source, *self.publisher_context(source)
        )  # "Kreistag" of the publisher
        in_org = {i for org in org_mentions for i in range(org.start, org.end)}
        place_mentions = _outside_orgs(place_mentions, words, in_org)
        # "Berliner" names a place but is not a LOC entity (GermEval's and spaCy's LOCderiv/MISC)
        spans = [
            Span(doc, m.start, m.end, label="LOC", kb_id=m.label)
            for m in place_mentions
            if not (m.derived or m.part)
        ]
        spans += [Span(doc, m.start, m.end, label="ORG", kb_id=m.name) for m in org_mentions if m.named]
        spans += [Span(doc, start, end, label="LOC") for start, end in street_spans(words, cased)]
        known = [(m.start, m.end) for m in place_mentions if not (m.derived or m.part)]
        spans += [Span(doc, s, e, label="LOC") for s, e in unknown_place_spans(words, cased, known)]
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


def _outside_orgs(mentions: list, words: list[str], in_org: set[int]) -> list:
    """Places not inside an organisation's name, nor listed right after one that ends with its
    place: "Polizeien Berlin und Brandenburg", "Polizei Berlin, Brandenburg und Sachsen-Anhalt"
    name the police of those Länder, not the Länder."""
    ends = {m.end for m in mentions if m.start in in_org}
    kept = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start in in_org:
            continue
        if mention.start > 0 and words[mention.start - 1] in _LIST_WORDS and mention.start - 1 in ends:
            ends.add(mention.end)
            continue
        kept.append(mention)
    return kept


_LIST_WORDS = {",", "und", "sowie"}


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


@Language.factory("amtsblick_topics", default_config={"taxonomy": TOPICS_FILE.name})
class TopicComponent:
    """Topics of the taxonomy, from the lemmas of title and body."""

    def __init__(self, nlp: Language, name: str, taxonomy: str):
        path = data_path(taxonomy)
        self.taxonomy = default_taxonomy() if path == TOPICS_FILE else Taxonomy.load(path)
        self.lemmatize = shared_lemmatizer()

    def __call__(self, doc: Doc) -> Doc:
        title, body = topic_lemmas(doc, self.lemmatize)
        doc._.topics = [[m.id, m.label, list(m.terms)] for m in self.taxonomy.match(title, body)]
        return doc


def topic_lemmas(doc: Doc, lemmatize) -> tuple[list[str], list[str]]:
    """The lemmas of the title's and the body's words, in one pass over the lists the lemma
    component left (a Token object per word costs twice as much): no punctuation or space; a
    hyphenated word's parts too ("Kita-Einbruch" is about Einbruch)."""
    words = doc.user_data.pop(WORDS_KEY, None)
    lemmas = doc.user_data.pop(LEMMAS_KEY, None)
    if words is None or lemmas is None or len(words) != len(doc):  # a Doc made elsewhere
        words, lemmas = [t.text for t in doc], [t.lemma_ for t in doc]
    title_end = doc.text.find(TITLE_SEPARATOR)
    table = doc.to_array([IDX, IS_PUNCT, IS_SPACE]).reshape(-1, 3)
    in_title = len(words) if title_end < 0 else int(numpy.searchsorted(table[:, 0], title_end))
    skip = (table[:, 1] | table[:, 2]).tolist()
    title: list[str] = []
    body: list[str] = []
    for k, word in enumerate(words):
        if skip[k] or not (word.isalnum() or any(c.isalnum() for c in word)):
            continue
        lemmas_of = title if k < in_title else body
        lemmas_of.append(lemmas[k])
        if "-" in word:
            lemmas_of += [lemmatize(part) for part in word.split("-") if part]
    return title, body
