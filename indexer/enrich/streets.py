"""Streets, roads and motorway junctions in a token sequence: LOC entities, never facet places.

"Schulstraße", "Berliner Straße", "A 5", "Bundesstraße 216", "Kreuz Walldorf". Plain
look-ups over token texts like the place rules; the word lists are data
(`indexer/data/street_words.toml`).
"""

from __future__ import annotations

import re

from indexer.enrich.places import JUNCTION_WORDS, known_word
from indexer.enrich.word_lists import STREET_WORDS_FILE, read_word_lists

_WORDS = read_word_lists(STREET_WORDS_FILE)  # the word lists of the rules below, described there

STREET = re.compile(r"[A-ZÄÖÜ][\w-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ring|ufer|chaussee)")
GENERIC_STREETS = set(_WORDS["generic_streets"])
STREET_WORDS = set(_WORDS["street_words"])
STREET_ENDINGS = tuple(_WORDS["street_endings"])
ROAD = re.compile(r"A\d{1,3}")  # "A5", "A661"
ROAD_PREFIXES = set(_WORDS["road_prefixes"])
STREET_PREFIXES = ROAD_PREFIXES | JUNCTION_WORDS
_NOT_JUNCTION_NAMES = set(_WORDS["not_junction_names"])
_ROAD_NUMBER = re.compile(r"\d{1,3}\.?")


def street_spans(words: list[str], cased: list[int] | None = None) -> list[tuple[int, int]]:
    """Streets, roads and junctions: LOC entities as in spaCy's and GermEval's German NER,
    never facet places ("Schulstraße", "Berliner Straße", "A 5", "Kreuz Walldorf")."""
    found = []
    indices = range(len(words)) if cased is None else cased
    candidates = [  # a cheap test first, in one comprehension: most words are no street
        i
        for i in indices
        if (w := words[i])[:1].isupper()
        and (w.endswith(STREET_ENDINGS) or w in STREET_PREFIXES or w[1:2].isdigit())
    ]
    for i in candidates:
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if STREET.fullmatch(word) and (
            word.endswith(("straße", "strasse", "gasse", "allee", "chaussee"))
            and word not in GENERIC_STREETS
            or not known_word(word)  # not "Flugplatz"
        ):
            found.append((i, i + 1))
        elif word in STREET_WORDS and i > 0 and words[i - 1][:1].isupper() and words[i - 1].endswith("er"):
            found.append((i - 1, i + 1))  # "Berliner Straße"
        elif ROAD.fullmatch(word):
            found.append((i, i + 1))
        elif word in ROAD_PREFIXES and _ROAD_NUMBER.fullmatch(nxt) and (i == 0 or words[i - 1] != "Vitamin"):
            found.append((i, i + 2))  # "A 7", "B 43", "Bundesstraße 216"
        elif (
            word in JUNCTION_WORDS and nxt[:1].isupper() and nxt.isalpha() and nxt not in _NOT_JUNCTION_NAMES
        ):
            found.append((i, i + 2))  # "Kreuz Walldorf", "Dreieck Hockenheim"
    return found
