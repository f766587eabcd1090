"""The topic taxonomy (data in ``indexer/data/topics.toml``) and its matcher.

A topic is assigned from lemmas, and every assignment keeps the terms that
triggered it, so the UI can say why a document carries the topic.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.config import PACKAGE_DATA

TOPICS_FILE = PACKAGE_DATA / "topics.toml"
MIN_SCORE = 2  # a title hit scores 2, a body hit 1: one title hit or two body terms
MIN_HEAD_LENGTH = 5  # shorter terms match only whole lemmas, never a compound's head
MAX_WORD_LENGTH = 80  # longer "words" are not split into heads (quadratic work)


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    description: str
    terms: frozenset[str]
    exact_terms: frozenset[str]


@dataclass(frozen=True)
class TopicMatch:
    id: str
    label: str
    terms: tuple[str, ...]


class Taxonomy:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self.by_id = {topic.id: topic for topic in topics}
        self.by_label = {topic.label: topic for topic in topics}
        # term -> topics, built once, so a lemma is looked up once for all topics
        self._exact: dict[str, list[Topic]] = defaultdict(list)
        self._heads: dict[str, list[Topic]] = defaultdict(list)
        for topic in topics:
            for term in topic.terms | topic.exact_terms:
                self._exact[term].append(topic)
            for term in topic.terms:
                if len(term) >= MIN_HEAD_LENGTH:
                    self._heads[term].append(topic)
        self._cache: dict[str, tuple[tuple[Topic, str], ...]] = {}

    @classmethod
    def load(cls, path: Path = TOPICS_FILE) -> Taxonomy:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        topics = [
            Topic(
                id=entry["id"],
                label=entry["label"],
                description=entry.get("description", ""),
                terms=frozenset(t.lower() for t in entry.get("terms", [])),
                exact_terms=frozenset(t.lower() for t in entry.get("exact_terms", [])),
            )
            for entry in data["topic"]
        ]
        return cls(topics)

    def match(self, title_lemmas: list[str], body_lemmas: list[str]) -> list[TopicMatch]:
        """Topics whose terms score at least MIN_SCORE in this document."""
        title = {lemma.lower() for lemma in title_lemmas}
        body = {lemma.lower() for lemma in body_lemmas} - title
        hits: dict[str, dict[str, int]] = defaultdict(dict)
        for lemmas, weight in ((title, 2), (body, 1)):
            for lemma in lemmas:
                for topic, term in self._topics_of(lemma):
                    if hits[topic.id].get(term, 0) < weight:
                        hits[topic.id][term] = weight
        return [
            TopicMatch(topic.id, topic.label, tuple(sorted(hits[topic.id])))
            for topic in self.topics
            if sum(hits.get(topic.id, {}).values()) >= MIN_SCORE
        ]

    def _topics_of(self, lemma: str) -> tuple[tuple[Topic, str], ...]:
        """(topic, term) pairs a lemma triggers: the whole lemma, or the head of a compound
        ("wohnungseinbruch" is about "einbruch"); the longest head wins."""
        found = self._cache.get(lemma)
        if found is None:
            found = tuple((topic, lemma) for topic in self._exact.get(lemma, ()))
            if not found and len(lemma) <= MAX_WORD_LENGTH:
                for start in range(1, len(lemma) - MIN_HEAD_LENGTH + 1):
                    topics = self._heads.get(lemma[start:])
                    if topics:
                        found = tuple((topic, lemma[start:]) for topic in topics)
                        break
            if len(self._cache) < 200_000:
                self._cache[lemma] = found
        return found


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load()
