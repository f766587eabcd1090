"""The topic taxonomy (data in ``indexer/data/topics.toml``) and its matcher.

A topic is assigned from lemmas, and every assignment keeps the terms that
triggered it, so the UI can say why a document carries the topic.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.config import PACKAGE_DATA

TOPICS_FILE = PACKAGE_DATA / "topics.toml"
MIN_SCORE = 2  # a title hit scores 2, a body hit 1: one title hit or two body terms
MIN_HEAD_LENGTH = 5  # shorter terms match only whole lemmas, never a compound's head


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
        matches = []
        for topic in self.topics:
            hits = {}
            for lemmas, weight in ((title, 2), (body, 1)):
                for lemma in lemmas:
                    term = _matching_term(topic, lemma)
                    if term and hits.get(term, 0) < weight:
                        hits[term] = weight
            if sum(hits.values()) >= MIN_SCORE:
                matches.append(TopicMatch(topic.id, topic.label, tuple(sorted(hits))))
        return matches


def _matching_term(topic: Topic, lemma: str) -> str | None:
    if lemma in topic.terms or lemma in topic.exact_terms:
        return lemma
    for start in range(1, len(lemma) - MIN_HEAD_LENGTH + 1):
        head = lemma[start:]
        if head in topic.terms:
            return head  # the compound "wohnungseinbruch" is about "einbruch"
    return None


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load()
