"""German compound splitting against simplemma's dictionary.

"Sozialraumzentrum" is indexed as sozialraumzentrum, sozialraum, zentrum (and
sozial, raum), so a search for "Zentrum" finds it. A split is accepted only
when the head is a known noun and the modifier a known word (after removing a
linking element: Wohnung-s-brand, Kinder-garten), never a function word:
"Einbruch" stays whole rather than becoming "ein" + "bruch".

The lexicon is the dictionary simplemma already holds in memory for
lemmatisation, so splitting costs no extra memory in the indexer or the web
worker.
"""

from __future__ import annotations

import simplemma

from indexer.text.lemmas import Lemmatizer, fold
from indexer.text.stop_words import STOP_WORDS

# Tried in this order; the bare prefix last, so "Wohnungs" becomes Wohnung.
LINKING_ELEMENTS = ("s", "n", "es", "en", "er", "e", "ens", "nen", "")
MIN_PART = 4
SHORT_HEADS = {"Amt", "Hof", "Bad", "Weg", "Tag", "Rad", "Ort", "Bau", "Rat", "See", "Tal", "Zug", "Tor"}
# Heads that are mostly derivational endings or chance words inside compounds.
HEAD_BLOCKLIST = {"Schaft", "Trum", "Stahl", "Ling", "Ziel", "Enz", "Ion", "Tät", "Ahme", "Ung"}
MAX_DEPTH = 2
MAX_WORD_LENGTH = 80  # no German compound is longer; longer tokens are not split
_CACHE_LIMIT = 300_000
_STOP_WORDS = frozenset(STOP_WORDS)


def _known(word: str) -> bool:
    return simplemma.is_known(word, lang="de")


class CompoundSplitter:
    def __init__(self):
        self._cache: dict[str, tuple[str, ...]] = {}
        self._cache_limit = _CACHE_LIMIT
        self._lemmatize = Lemmatizer()  # parts in base form: "Tages" -> Tag

    def limit_caches(self, size: int) -> None:
        """Cache at most this many words here and in the parts' lemmatiser."""
        self._cache_limit = self._lemmatize.cache_limit = size

    def parts(self, lemma: str) -> tuple[str, ...]:
        """Folded parts of a lemma (not the lemma itself), outermost split first."""
        cached = self._cache.get(lemma)
        if cached is None:
            found = self._parts(lemma[:1].upper() + lemma[1:], MAX_DEPTH)
            cached = tuple(dict.fromkeys(fold(self._lemmatize(part)) for part in found))
            if len(self._cache) < self._cache_limit:
                self._cache[lemma] = cached
        return cached

    def split(self, word: str) -> tuple[str, str] | None:
        """(modifier, head) with the longest known head, or None."""
        if len(word) > MAX_WORD_LENGTH:
            return None
        for start in range(MIN_PART, len(word) - 2):
            head = word[start].upper() + word[start + 1 :]
            if not self._is_head(head):
                continue
            modifier = self._modifier(word[:start])
            if modifier:
                return modifier, head
        return None

    def _parts(self, word: str, depth: int) -> list[str]:
        long_enough = 2 * MIN_PART - 1 <= len(word) <= MAX_WORD_LENGTH
        split = self.split(word) if depth and long_enough else None
        if split is None:
            return []
        modifier, head = split
        return [modifier, head, *self._parts(modifier, depth - 1), *self._parts(head, depth - 1)]

    @staticmethod
    def _is_head(head: str) -> bool:
        if (len(head) < MIN_PART and head not in SHORT_HEADS) or head in HEAD_BLOCKLIST:
            return False
        return _known(head)

    @staticmethod
    def _modifier(prefix: str) -> str | None:
        if not prefix.endswith("s") and len(prefix) >= MIN_PART and _known(prefix):
            return prefix  # "Garten-hütte": the whole prefix is a word, no linking element
        for link in LINKING_ELEMENTS:
            if link and not prefix.endswith(link):
                continue
            stem = prefix[: len(prefix) - len(link)] if link else prefix
            if len(stem) < MIN_PART or stem.lower() in _STOP_WORDS:
                continue
            if _known(stem) or _known(stem.lower()):
                return stem
        return None
