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

from indexer.enrich.word_lists import PLACE_WORDS_FILE, read_word_lists
from indexer.gazetteer import Place, unlisted_key

ORTSTEIL_WORDS = set(read_word_lists(PLACE_WORDS_FILE)["ortsteil_words"])
LOCALITY_NAME = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:-[A-ZÄÖÜ][a-zäöüß]+)*")


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


__all__ = ["ORTSTEIL_WORDS", "is_locality_name", "nearest_municipality", "ortsteil_mentions", "unlisted_key"]
