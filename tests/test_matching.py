"""The matching strategy on its own (indexer/engine/matching.py), over generated document masks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.engine.matching import Word, any_word, match, missing_words

DOCS = 12
masks = st.lists(st.lists(st.booleans(), min_size=DOCS, max_size=DOCS), min_size=1, max_size=5)


def words_of(rows: list[list[bool]]) -> list[Word]:
    return [Word(f"w{n}", np.array(row)) for n, row in enumerate(rows)]


LIVE = np.ones(DOCS, dtype=bool)


@settings(max_examples=150, deadline=None)
@given(masks)
def test_the_count_is_of_the_documents_with_all_words_or_else_with_the_most(rows):
    words = words_of(rows)
    found = np.sum([w.mask for w in words], axis=0)
    result = match(words, LIVE)
    if (found == len(words)).any() or len(words) == 1:
        assert np.array_equal(result.mask, found == len(words)) and result.all_words
    elif found.max() > 0:
        assert np.array_equal(result.mask, found == found.max()) and not result.all_words
        assert set(result.dropped) == {
            label for n in np.flatnonzero(result.mask) for label in missing_words(words, n)
        }
    assert set(result.required) | set(result.dropped) == {w.label for w in words}


@settings(max_examples=150, deadline=None)
@given(masks, st.lists(st.booleans(), min_size=DOCS, max_size=DOCS))
def test_adding_a_word_never_raises_the_count_of_a_full_match(rows, extra):
    words = words_of(rows)
    before, after = match(words, LIVE), match([*words, Word("neu", np.array(extra))], LIVE)
    if after.all_words:
        assert after.mask.sum() <= before.mask.sum() or not before.all_words


@settings(max_examples=50, deadline=None)
@given(masks)
def test_require_all_never_drops_a_word(rows):
    words = words_of(rows)
    result = match(words, LIVE, require_all=True)
    assert result.all_words and np.array_equal(result.mask, np.logical_and.reduce([w.mask for w in words]))


def test_a_negation_is_always_applied_and_never_dropped():
    words = [Word("a", np.array([True, True, False])), Word("-", np.array([False, True, True]))]
    assert match(words, np.ones(3, dtype=bool)).mask.tolist() == [False, True, False]
    assert any_word(words, np.ones(3, dtype=bool)).tolist() == [False, True, False]
