"""Localities the directory lacks, found by their context (issue 12, 4b).

Police and fire-brigade releases name villages and Ortsteile the municipality
directory does not hold: "im Ortsteil Sedlitz", "OT Gaiganz", labels such as
"Sedlitz-Senftenberg" or "Bergkirchen-Lus". Such a name becomes a facet value of
its own, "Sedlitz (Senftenberg)", attached to the municipality the text names
with it (or the publisher's); without one it is left out, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from indexer.enrich.word_lists import PLACE_WORDS_FILE, read_word_lists
from indexer.gazetteer import Place, unlisted_key

_WORDS = read_word_lists(PLACE_WORDS_FILE)
ORTSTEIL_WORDS = set(_WORDS["ortsteil_words"])
LOCALITY_NAME = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:-[A-ZÄÖÜ][a-zäöüß]+)*")
PLACE_PREPOSITIONS = set(_WORDS["place_prepositions"])
ARTICLE_PREPOSITIONS = set(_WORDS["article_prepositions"])
LINKING_ENDINGS = ("", "s", "es", "n", "en", "er", "e")  # "Anwendung-s-kontext", "Tandem-anordnung"
# a foreign or unlisted place name: capitalised, letters of any Latin alphabet ("Durrës", "Møllegård")
FOREIGN_NAME = re.compile(r"[A-ZÄÖÜ][^\W\d_A-Z]+(?:-[A-ZÄÖÜ][^\W\d_A-Z]+)*")
MAX_NAME_WORDS = 3
SETTLEMENT_WORDS = set(_WORDS["settlement_words"])
SETTLEMENT_ENDINGS = tuple(_WORDS["settlement_endings"])
LIST_JOINERS = {",", "und", "oder", "sowie"}


def is_locality_name(word: str, known_word: Callable[[str], bool]) -> bool:
    """A proper name, not an ordinary word ("Ortsteil Mitte" names no village)."""
    return bool(LOCALITY_NAME.fullmatch(word)) and not known_word(word)


def nearest_municipality(position: int, towns: list[tuple[int, Place]], context: list[Place]) -> Place | None:
    """The municipality named closest before the locality ("Senftenberg, Ortsteil Sedlitz"), else
    the first one after it, else the publisher's."""
    before = [place for start, place in towns if start < position]
    if before:
        return before[-1]
    after = [place for start, place in towns if start > position]
    if after:
        return after[0]
    own = [p for p in context if p.level in ("municipality", "world")]
    return own[0] if len(own) == 1 else None


def ortsteil_mentions(
    words: list[str], towns: list[tuple[int, Place]], context: list[Place], known_word, taken: set[int]
) -> list[tuple[int, str, Place]]:
    """(token index, name, municipality) for "Ortsteil X", "OT X", "im Ortsteil X"."""
    found = []
    for i, word in enumerate(words[:-1]):
        if word not in ORTSTEIL_WORDS or i + 1 in taken:
            continue
        name = words[i + 1]
        if not is_locality_name(name, known_word):
            continue
        parent = nearest_municipality(i, towns, context)
        if parent is not None and parent.name != name:
            found.append((i + 1, name, parent))
    return found


def context_place_spans(
    words: list[str], cased: list[int], known_word, toponym_endings, places: list[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """LOC spans of places no list holds, by their context: a name the lexicon does not know
    after a preposition of place ("in Durrës", "aus Maribor", "im englischen Hatfield", "südlich
    von Modrava"), after a word for a settlement ("die Gemeinde Pflückuff", "Dörfer Hokkala"),
    and in a list with such a name or a known place (places: their token spans): "in Mardscha,
    Laschkar Gah", "Zwischen Gudme und Lundborg". Entities only, never facet values: nothing
    says which place it is."""
    found = []
    next_free = 0
    for i in cased:
        if i < next_free or i == 0 or not _after_place_word(words, i):
            continue
        end = _name_end(words, i, known_word, toponym_endings)
        if end:
            found.append((i, end))
            next_free = end
    return found + _listed_with(words, [*found, *places], known_word, toponym_endings)


def _after_place_word(words: list[str], i: int) -> bool:
    before = words[i - 1]
    if before in PLACE_PREPOSITIONS or before in SETTLEMENT_WORDS or before.endswith(SETTLEMENT_ENDINGS):
        return True
    if before == "von":  # "südlich von Modrava"; not "von Goethe", "wurden von Corea komponiert"
        return i >= 2 and words[i - 2].endswith(("lich", "unweit"))
    # "im englischen Hatfield", "Im sicheren Argentan"
    return (
        i >= 2 and words[i - 2] in ARTICLE_PREPOSITIONS and before.islower() and before.endswith(("en", "em"))
    )


def _name_end(words: list[str], i: int, known_word, toponym_endings) -> int:
    """The end of the unknown name of up to three words at i, 0 if there is none."""
    end = i
    while (
        end < len(words)
        and end - i < MAX_NAME_WORDS
        and _unknown_name(words[end], known_word, toponym_endings)
    ):
        end += 1
    after = words[end] if end < len(words) else ""
    if end == i or (after[:1].isupper() and after.isalpha()):
        return 0  # "nach Buurmanns Ausscheiden", "von Jason Hall": a person's name goes on
    return end


def _listed_with(words: list[str], anchors: list[tuple[int, int]], known_word, toponym_endings) -> list:
    """Unknown names coordinated with a place: "Folakara, Antsirabe und Makay"."""
    found = []
    taken = {i for start, end in anchors for i in range(start, end)}
    queue = sorted(anchors)
    while queue:
        _start, end = queue.pop(0)
        i = end
        while i < len(words) and i - end < 2 and words[i] in LIST_JOINERS:
            i += 1  # ", und"
        if i == end or i in taken or i >= len(words):
            continue
        stop = _name_end(words, i, known_word, toponym_endings)
        if stop:
            found.append((i, stop))
            taken.update(range(i, stop))
            queue.append((i, stop))
    return found


@lru_cache(maxsize=100_000)  # asked for every capitalised word after a place word; words recur
def _unknown_name(word: str, known_word, toponym_endings) -> bool:
    """A proper name: capitalised, not all capitals, unknown to the lexicon, and no compound of
    known words ("Marktstart", "Surround-Bereiche"), which the lexicon lacks as a whole."""
    if not FOREIGN_NAME.fullmatch(word) or known_word(word):
        return False
    if "-" in word:
        last = word.rsplit("-", 1)[1]
        return not (len(last) >= 4 and known_word(last))
    for cut in range(4, len(word) - 3):  # two nouns of four letters at least
        head, tail = word[:cut], word[cut:]
        if known_word(tail) and any(
            head.endswith(link) and len(head) - len(link) >= 3 and known_word(head[: len(head) - len(link)])
            for link in LINKING_ENDINGS
        ):
            return False
    return True


__all__ = [
    "context_place_spans",
    "ORTSTEIL_WORDS",
    "is_locality_name",
    "nearest_municipality",
    "ortsteil_mentions",
    "unlisted_key",
]
