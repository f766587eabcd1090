"""One snippet per hit: the passage of the body that holds most of the query's words.

The analyser emits several terms for one written word (Kellerbrand: kellerbrand, keller,
brand); Whoosh's highlighter marks each of them and so writes the word three times. Here a
written word is marked once, whatever number of its terms matched, and every piece is a
slice of the text as written (whitespace collapsed). A body that starts by repeating the
title is read from after it: the title is shown above the snippet already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.text.analysis import GERMAN_STOP_WORDS, indexed_words

PASSAGE_CHARS = 220  # about two lines of the result list
LEAD_CHARS = 40  # context kept before the first marked word of a passage
ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_TITLE_WORD = re.compile(r"\w+")
_LEADING_PUNCTUATION = " .:;,-–"


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    words: frozenset[str]  # the query terms this written word matched


def matches(text: str, terms: frozenset[str]) -> list[Match]:
    """Each written word that carries a query term, once, in text order."""
    wanted = terms - GERMAN_STOP_WORDS  # the analyser drops stop words: they never match
    spans: dict[tuple[int, int], set[str]] = {}
    for start, end, forms in indexed_words(text):
        if not wanted.isdisjoint(forms):
            spans.setdefault((start, end), set()).update(wanted.intersection(forms))
    found: list[Match] = []
    for (start, end), words in sorted(spans.items()):
        if found and start < found[-1].end:  # overlapping spans: one mark
            last = found[-1]
            found[-1] = Match(last.start, max(last.end, end), last.words | words)
        else:
            found.append(Match(start, end, frozenset(words)))
    return found


def title_end(body: str, title: str) -> int:
    """Where the body's repetition of the title ends (0 when it does not start with it)."""
    wanted = _TITLE_WORD.findall(title.casefold())
    if not wanted:
        return 0
    for position, word_match in enumerate(_TITLE_WORD.finditer(body)):
        if word_match.group(0).casefold() != wanted[position]:
            return 0
        if position + 1 == len(wanted):
            end = word_match.end()
            # Only when something follows: a body that is just the title stays the snippet.
            return end if body[end:].strip(" \t\r\n.:;,-–") else 0
    return 0


def _best_window(found: list[Match], start_at: int) -> tuple[int, int]:
    """Start and end (text offsets) of the window with the most distinct query words,
    then the most marks; the earliest on ties."""
    best: tuple[int, int, int] = (-1, -1, 0)
    for anchor in range(len(found)):
        start = max(start_at, found[anchor].start - LEAD_CHARS)
        end = start + PASSAGE_CHARS
        inside = [m for m in found[anchor:] if m.end <= end]
        distinct = len(frozenset().union(*(m.words for m in inside)))
        if (distinct, len(inside)) > best[:2]:
            best = (distinct, len(inside), start)
    return best[2], best[2] + PASSAGE_CHARS


def _snap(text: str, start: int, end: int, first_mark: int, start_at: int) -> tuple[int, int]:
    """Window edges on word boundaries; a sentence start shortly before the first mark wins."""
    if start > start_at:
        sentence = max(text.rfind(". ", start_at, first_mark), text.rfind("\n", start_at, first_mark))
        if sentence >= 0 and first_mark - sentence <= LEAD_CHARS * 2:
            start = sentence + 1
        else:
            space = text.find(" ", start, first_mark)
            start = space + 1 if space >= 0 else first_mark
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    else:
        end = len(text)
    return start, end


def _clean(piece: str) -> str:
    return _SPACE.sub(" ", piece)


def passage(text: str, found: list[Match], start_at: int = 0) -> list[tuple[str, bool]]:
    """The best passage as (text, is_match) pieces, an ellipsis where text was cut."""
    usable = [m for m in found if m.start >= start_at]
    if not usable:
        return []
    start, end = _best_window(usable, start_at)
    first_mark = next((m.start for m in usable if m.start >= start), end)
    start, end = _snap(text, start, end, first_mark, start_at)
    inside = [m for m in usable if m.start >= start and m.end <= end]
    if not inside:
        return []
    pieces: list[tuple[str, bool]] = []
    cursor = start
    for mark in inside:
        if mark.start > cursor:
            pieces.append((_clean(text[cursor : mark.start]), False))
        pieces.append((_clean(text[mark.start : mark.end]), True))
        cursor = mark.end
    pieces.append((_clean(text[cursor:end]), False))
    pieces = [(piece, is_match) for piece, is_match in pieces if piece]
    if pieces and not pieces[0][1]:
        pieces[0] = (pieces[0][0].lstrip(_LEADING_PUNCTUATION), False)
    if pieces and not pieces[-1][1]:
        pieces[-1] = (pieces[-1][0].rstrip(), False)
    if text[start_at:start].strip():
        pieces.insert(0, (ELLIPSIS + " ", False))
    if text[end:].strip():
        pieces.append((" " + ELLIPSIS, False))
    return [(piece, is_match) for piece, is_match in pieces if piece]


def best_passage(text: str, terms: frozenset[str], title: str = "") -> list[tuple[str, bool]]:
    """The snippet of text for these query terms; empty when no word of text matches."""
    if not terms or not text:
        return []
    found = matches(text, terms)
    skip = title_end(text, title) if title else 0
    return passage(text, found, skip)  # words only in the repeated title: the lead instead


def lead(text: str, title: str = "", limit: int = PASSAGE_CHARS + 20) -> str:
    """The opening of text (after a repeated title), for a hit whose body matched nothing."""
    skip = title_end(text, title) if title else 0
    body = _clean(text[skip:]).strip(" .:;,-–") if skip else _clean(text).strip()
    if len(body) > limit:
        body = body[:limit].rsplit(" ", 1)[0] + " " + ELLIPSIS
    return body
