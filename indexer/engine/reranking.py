"""The second pass of relevance ranking, over the best candidates of the first (BM25F in tiers of
matched words, searcher.Searcher.ranked): an announcement whose query words stand close together
(indexer/engine/proximity.py) moves up within its tier.

A companion of the Whoosh boundary: it reads the searcher's cached postings and stored fields,
never Whoosh itself. The bonus never lifts a candidate out of its tier (a tier is WORD_TIER
apart), and only the first RERANK_DEPTH candidates are reordered, the same ones for every page,
so paging stays consistent.

Tried and dropped (bench.quality, tuned and dev sets, docs/search.md): near-duplicate "rivals"
settled by the query words only one of them has, by its own (unshared) text, or by its title;
and a pairwise nearness of the words. Neither helped; the own-text variant favoured the longer
of two reports.
"""

from __future__ import annotations

import numpy as np
from whoosh import query

from indexer.engine.proximity import candidate_pattern, occurrences, window_cover
from indexer.text import analysis

WORD_TIER = 1e6  # as searcher.WORD_TIER: keys of one tier share their integer part in these units
RERANK_DEPTH = 20  # candidates re-scored from their stored text (about 1 ms of CPU in all)
PROXIMITY_WEIGHT = 6.0  # times the idf sum of the distinct query words in the best window
WINDOW_CHARS = 300  # about 40 words: one short report, a few sentences of a long one
PROXIMITY_FIELDS = ("title", "body")


def word_forms(unit: query.Query) -> frozenset[frozenset[str]]:
    """The ways one query word is found in a written word, each a set of title/body terms the
    written word must all carry: the word and its one-term alternatives, and the parts of a
    split compound together ("einbruchschutz" as einbruch + schutz in "Einbruchsschutz")."""

    def walk(node) -> set[frozenset[str]]:
        if isinstance(node, query.Term):
            wanted = node.fieldname in PROXIMITY_FIELDS and isinstance(node.text, str)
            return {frozenset([node.text])} if wanted else set()
        if isinstance(node, query.Not):
            return set()
        if isinstance(node, query.AndNot):  # what is negated is not the word
            return walk(node.a)
        if isinstance(node, query.And):
            parts = [walk(child) for child in node.children()]
            if not all(len(found) == 1 for found in parts):
                return set()
            return {frozenset().union(*(next(iter(found)) for found in parts))}
        found: set[frozenset[str]] = set()
        for child in node.children():
            found |= walk(child)
        return found

    return frozenset(walk(unit))


def reranked(top: np.ndarray, docnums: np.ndarray, keys: np.ndarray, parsed, searcher) -> np.ndarray:
    """top (candidate positions, best first) with its first RERANK_DEPTH reordered by their keys
    plus the proximity bonus. docnums and keys belong to top."""
    depth = min(RERANK_DEPTH, len(top))
    words = [word_forms(unit) for label, unit in parsed.words() if label != "-"]
    words = [terms for terms in words if terms]
    pattern = candidate_pattern(words) if len(words) > 1 else None
    if depth < 2 or pattern is None:
        return top
    weights = [_word_weight(terms, searcher) for terms in words]
    bonus = np.zeros(depth)
    for n, docnum in enumerate(docnums[:depth]):
        stored = searcher.stored(int(docnum))
        text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
        found = occurrences(text, words, pattern, analysis.index_forms)
        bonus[n] = PROXIMITY_WEIGHT * window_cover(found, weights, WINDOW_CHARS)
    order = np.lexsort((docnums[:depth], -(keys[:depth] + bonus)))
    return np.concatenate([top[:depth][order], top[depth:]])


def _word_weight(ways: frozenset[frozenset[str]], searcher) -> float:
    """A word's rarity: the idf of its rarest way to be found that occurs at all (a compound's
    parts as often as the more frequent part, at most)."""
    counts = [max(len(searcher._term_postings("body", t)[0]) for t in way) for way in ways]
    counts = [c for c in counts if c]
    return searcher._idf(min(counts)) if counts else 0.0
