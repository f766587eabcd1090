"""Proximity of the query's words: an announcement that has them close together (one report,
a few sentences) ranks above one where they are scattered (a daily digest of many reports, a
long text that names each word once somewhere else).

Works on the stored text of the best few candidates, not on index positions (reading positions
through Whoosh costs 40-200 ms for 50 documents; a regular expression over the stored text a
few). A word is found where the index found it: a candidate written word (one that contains the
stem of one of the word's terms, umlauts and ß either way) counts only if the analysis chain gives
it that term (index_forms), so "Schüsse" is schuss and "Autobahn" is no auto. Knows nothing of
Whoosh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

MIN_STEM = 3  # shorter terms (and terms with digits) are not looked for in the text


def _letter_pattern(term: str) -> str:
    """A folded term as a pattern over written text: ae/ä, oe/ö, ue/ü, ss/ß, and a plain
    a/o/u also as its umlaut (Haus in Häuser)."""
    out, n = [], 0
    while n < len(term):
        pair = term[n : n + 2]
        if pair in ("ae", "oe", "ue") or pair == "ss":
            base = pair[0]
            out.append({"a": "(?:ae|ä|a)", "o": "(?:oe|ö|o)", "u": "(?:ue|ü|u)", "s": "(?:ss|ß)"}[base])
            n += 2
            continue
        char = term[n]
        out.append({"a": "(?:a|ä)", "o": "(?:o|ö)", "u": "(?:u|ü)"}.get(char, re.escape(char)))
        n += 1
    return "".join(out)


def stem(term: str) -> str:
    """The part of a term its inflected forms keep (Schuss: Schüsse; Kind: Kinder)."""
    return term[:-1] if len(term) > 4 else term


Word = frozenset[frozenset[str]]  # the ways a query word is found: sets of terms one written word carries


def candidate_pattern(words: Sequence[Word]) -> re.Pattern | None:
    """One pattern for the stems of the query's terms as they may be written: a written word
    that contains one may carry the term (occurrences decides)."""
    terms = {term for ways in words for way in ways for term in way}
    stems = sorted({stem(t) for t in terms if t.isalpha() and len(t) >= MIN_STEM})
    if not stems:
        return None
    return re.compile(
        "|".join(_letter_pattern(s) for s in sorted(stems, key=len, reverse=True)), re.IGNORECASE
    )


def occurrences(
    text: str,
    words: Sequence[Word],
    pattern: re.Pattern,
    forms: Callable[[str], Sequence[str]],
) -> list[tuple[int, int]]:
    """(character offset, word number) of every written word that carries a query word's term.
    The pattern finds a stem; the written word around it is read out by hand (a pattern with
    \\w* around the stems backtracks at every letter and costs ten times as much)."""
    found: list[tuple[int, int]] = []
    known: dict[str, tuple[int, ...]] = {}
    end = 0
    for match in pattern.finditer(text):
        if match.start() < end:
            continue  # a second stem in a word already read
        start, end = match.start(), match.end()
        while start and _word_char(text[start - 1]):
            start -= 1
        while end < len(text) and (_word_char(text[end]) or text[end] == "-"):
            end += 1
        written = text[start:end]
        numbers = known.get(written)
        if numbers is None:
            terms = set(forms(written))
            numbers = known[written] = tuple(
                n for n, ways in enumerate(words) if any(w <= terms for w in ways)
            )
        found.extend((start, n) for n in numbers)
    return found


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # a word character, as in a pattern


def window_cover(found: list[tuple[int, int]], weights: Sequence[float], span: int) -> float:
    """The weight of the query's words (each counted once) in the best stretch of span characters:
    found is (character offset, word number) of every occurrence, weights is per word number."""
    found = sorted(found)
    counts: dict[int, int] = {}
    best = total = 0.0
    left = 0
    for offset, word in found:
        counts[word] = counts.get(word, 0) + 1
        if counts[word] == 1:
            total += weights[word]
        while offset - found[left][0] > span:
            gone = found[left][1]
            counts[gone] -= 1
            if not counts[gone]:
                total -= weights[gone]
            left += 1
        best = max(best, total)
    return best
