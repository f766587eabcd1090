"""Postings: a term's document numbers and frequencies read from Whoosh's blocks as numpy
arrays, and the weighted terms of a query that add to a document's score.

Part of the engine (indexer/engine/); private Whoosh members used here are listed in
whoosh_private.py.
"""

from __future__ import annotations

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import MultiMatcher


def read_postings(matcher, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers and frequencies. Whoosh's own posting blocks are read whole
    (ids delta-decoded with numpy), not posting by posting through the matcher in Python: a
    frequent term has 100,000s of postings at 250,000 documents. Matchers of another kind (one
    that drops deleted documents) go posting by posting."""
    if isinstance(matcher, MultiMatcher):  # several segments
        pairs = zip(matcher.matchers, matcher.offsets, strict=True)
        parts = [read_postings(sub, offset + sub_offset) for sub, sub_offset in pairs]
        return concatenated([p[0] for p in parts]), concatenated([p[1] for p in parts], np.float64)
    ids, freqs = [], []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # at the start of a block
            if matcher._data is None:
                matcher._read_data()
            block = matcher._data[0]
            block = np.fromiter(block, dtype=np.int64, count=len(block))
            ids.append((block if matcher._byteids else np.cumsum(block)) + offset)
            matcher._read_weights()
            freqs.append(np.fromiter(matcher._weights, dtype=np.float64, count=len(block)))
            matcher._next_block()
        return concatenated(ids), concatenated(freqs, np.float64)
    while matcher.is_active():
        ids.append(matcher.id() + offset)
        freqs.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(freqs, dtype=np.float64)


def concatenated(arrays: list[np.ndarray], dtype=np.int64) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype)


def weighted_terms(q, boost: float = 1.0, typed: str | None = None):
    """(field, text, boost, typed) of every term that adds to a document's score; negated parts
    add nothing. typed is the query's own term when the term is one of its alternatives (a synonym
    or compound part, see query._expanded: the word first, then its alternatives)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from weighted_terms(q.a, boost * q.boost, typed)
        return
    if isinstance(q, query.Term):
        yield q.fieldname, q.text, boost * q.boost, typed
        return
    if isinstance(q, query.Phrase):
        for word in q.words:
            yield q.fieldname, word, boost * q.boost, typed
        return
    children = list(q.children())
    if isinstance(q, query.Or) and len(children) > 1 and isinstance(children[0], query.Term):
        first = children[0]
        if all(child.boost < first.boost for child in children[1:]):  # a word and its alternatives
            yield first.fieldname, first.text, boost * q.boost * first.boost, typed
            for child in children[1:]:
                yield from weighted_terms(child, boost * q.boost, first.text)
            return
    for sub in children:
        yield from weighted_terms(sub, boost * q.boost, typed)
