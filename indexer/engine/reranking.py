"""The second pass of relevance ranking, over the best candidates of the first (BM25F in tiers of
matched words, index.Searcher.ranked): words close together rank higher (indexer/engine/proximity.py),
and of two near-identical candidates the one whose own words match the query wins
(indexer/engine/rivals.py).

A companion of the Whoosh boundary: it reads the searcher's cached postings and stored fields,
never Whoosh itself. The proximity bonus never lifts a candidate out of its tier (a tier is
index.WORD_TIER apart), and only the first RERANK_DEPTH candidates are reordered, the same ones
for every page, so paging stays consistent.
"""

from __future__ import annotations

import numpy as np
from whoosh import query

from indexer.engine.proximity import candidate_pattern, closeness, occurrences
from indexer.engine.rivals import RIVAL_DEPTH, rivals_resolved
from indexer.text.analysis import index_forms

WORD_TIER = 1e6  # as index.WORD_TIER: keys of one tier share their integer part in these units
RERANK_DEPTH = 30  # candidates re-scored from their stored text (a few ms)
PROXIMITY_WEIGHT = 0.0  # times the closeness (sum over word pairs of idf x nearness)
PROXIMITY_FIELDS = ("title", "body")


def word_terms(unit: query.Query) -> frozenset[str]:
    """The title/body terms one query word is found by: the word and its one-term alternatives
    (not the parts of a split compound, which may stand anywhere)."""

    def walk(node) -> set[str]:
        if isinstance(node, query.Term):
            return {node.text} if node.fieldname in PROXIMITY_FIELDS and isinstance(node.text, str) else set()
        if isinstance(node, (query.And, query.Not)):
            return set()
        found: set[str] = set()
        for child in node.children():
            found |= walk(child)
        return found

    return frozenset(walk(unit))


def reranked(top: np.ndarray, docnums: np.ndarray, keys: np.ndarray, parsed, searcher) -> np.ndarray:
    """top (candidate positions, best first) with its first RERANK_DEPTH reordered: keys plus
    the proximity bonus, then near-duplicate rivals settled. docnums and keys belong to top."""
    depth = min(RERANK_DEPTH, len(top))
    if depth < 2:
        return top
    words = [word_terms(unit) for label, unit in parsed.words() if label != "-"]
    words = [terms for terms in words if terms]
    texts = [searcher.stored(int(d)) for d in docnums[:depth]]
    bonus = np.zeros(depth)
    pattern = candidate_pattern(words) if len(words) > 1 else None
    if pattern is not None:
        weights = [_word_weight(terms, searcher) for terms in words]
        for n, stored in enumerate(texts):
            text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
            bonus[n] = PROXIMITY_WEIGHT * closeness(occurrences(text, words, pattern, index_forms), weights)
    order = np.lexsort((docnums[:depth], -(keys[:depth] + bonus)))
    head = top[:depth][order]
    rival_depth = min(RIVAL_DEPTH, depth)
    matched = _word_strengths(parsed, docnums[:depth][order][:rival_depth], searcher)
    bodies = [texts[i].get("body", "") for i in order[:rival_depth]]
    tiers = (keys[:depth][order][:rival_depth] // WORD_TIER).astype(int).tolist()
    head[:rival_depth] = head[:rival_depth][rivals_resolved(bodies, matched, tiers)]
    return np.concatenate([head, top[depth:]])


def _word_weight(terms: frozenset[str], searcher) -> float:
    """A word's rarity: the idf of its rarest title/body term that occurs at all."""
    counts = [len(searcher._term_postings("body", t)[0]) for t in terms]
    counts = [c for c in counts if c]
    return searcher._idf(min(counts)) if counts else 0.0


def _word_strengths(parsed, docnums: np.ndarray, searcher) -> list[dict[int, float]]:
    """Per candidate, each query word's strength there: the best weight (boost x idf) of the word's
    terms the candidate contains in any field, so a follow-up that says "vermisst" in its body
    matches that word as well as the report that says it in its title."""
    strengths: list[dict[int, float]] = [{} for _ in docnums]
    units = [unit for label, unit in parsed.words() if label != "-"]
    for word, unit in enumerate(units):
        found = []  # (boost, document frequency, documents) of each term that occurs
        for text, boost in _weighted_texts(unit):
            ids = [searcher._term_postings(field, text)[0] for field in ("title", "body", "exact")]
            frequency = max(len(i) for i in ids)
            if frequency:
                found.append((boost, frequency, np.concatenate(ids)))
        if not found:
            continue
        # One rarity per word, as Lucene's synonym query scores a word and its synonyms as one
        # term: the word as typed, else its most frequent variant. Only the boost tells them apart.
        top_boost = max(boost for boost, _f, _i in found)
        typed = [f for boost, f, _i in found if boost == top_boost]
        idf = searcher._idf(max(typed))
        for boost, _frequency, ids in found:
            for n in np.flatnonzero(np.isin(docnums, ids)):
                strengths[n][word] = max(strengths[n].get(word, 0.0), boost * idf)
    return strengths


def _weighted_texts(node, boost: float = 1.0):
    """(term text, boost) of a word's terms, the alternatives at their lower boost; the parts
    of a split compound (an And) and negations left out."""
    if isinstance(node, query.Term):
        if isinstance(node.text, str):
            yield node.text, boost * node.boost
        return
    if isinstance(node, (query.And, query.Not)):
        return
    for child in node.children():
        yield from _weighted_texts(child, boost * node.boost)
