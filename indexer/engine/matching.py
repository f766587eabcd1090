"""Which announcements a query's counts describe: the matching strategy.

Every content word of the query is required; a word counts as found through any of its variants
(lemma, compound part, folding, synonym, accepted spelling correction). Stop words are never
required. So adding a word never raises the count: the set can only shrink.

When no announcement contains all words, the result is the announcements with the most of them
(like Meilisearch's matching strategies, which leave words out rather than return nothing), and it
names the words left out. Which of the words an announcement lacks does not matter: in
"fettbrand pfanne praunheim" one text with a Fettpfanne in Praunheim and eleven with a Fettbrand
in a Pfanne elsewhere all have two of the three words, and relevance orders them. `require_all`
gives the empty set instead. Knows nothing of Whoosh: works on document masks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEGATION = "-"  # the label of a negated part ("-Fahrrad"): always applied, never dropped


@dataclass(frozen=True)
class Word:
    label: str  # as typed
    mask: np.ndarray  # the documents that contain the word or one of its variants

    @property
    def negated(self) -> bool:
        return self.label == NEGATION


@dataclass(frozen=True)
class Match:
    mask: np.ndarray  # the documents the counts describe
    required: tuple[str, ...]  # words every one of them contains
    dropped: tuple[str, ...]  # words some of them lack, because no document contains all
    found: int  # how many of the words each of them contains

    @property
    def all_words(self) -> bool:
        return not self.dropped


def match(words: list[Word], live: np.ndarray, require_all: bool = False) -> Match:
    """The documents that contain all words; when there are none (and require_all is not set),
    those that contain the most of them."""
    negations = _intersection([w.mask for w in words if w.negated], live)
    positive = [w for w in words if not w.negated]
    everything = _intersection([w.mask for w in positive], negations)
    labels = tuple(w.label for w in positive)
    if everything.any() or require_all or len(positive) < 2:
        return Match(everything, labels, (), len(positive))
    found = np.sum([w.mask for w in positive], axis=0, dtype=np.int32) * negations
    most = int(found.max())
    if not most:
        return Match(everything, labels, (), len(positive))
    best = found == most
    required = tuple(w.label for w in positive if not (best & ~w.mask).any())
    dropped = tuple(w.label for w in positive if w.label not in required)
    return Match(best, required, dropped, most)


def _intersection(masks: list[np.ndarray], base: np.ndarray) -> np.ndarray:
    result = base.copy()
    for mask in masks:
        result &= mask
    return result


def missing_words(words: list[Word], docnum: int) -> list[str]:
    """The words (as typed) that one document does not contain."""
    return [w.label for w in words if not w.negated and not w.mask[docnum]]


def any_word(words: list[Word], live: np.ndarray) -> np.ndarray:
    """Documents with at least one of the words (and none of the negated ones): the partial matches."""
    positive = [w.mask for w in words if not w.negated]
    found = np.logical_or.reduce(positive) if positive else np.zeros_like(live)
    return _intersection([w.mask for w in words if w.negated], found & live)
