"""The engine's numpy BM25F (indexer/engine/searcher.py, Searcher._scores) against Whoosh's own
``whoosh.scoring.BM25F`` with the same B and K1, on the demo index (a real one, built here).

The engine reads Whoosh's stored weights and field lengths and applies the same saturation
``w (K1 + 1) / (w + K1 (1 - B + B l / avg l))``. It differs from Whoosh's default in two
deliberate ways, which the comparison applies as explicit factors per term:
- idf: the engine uses log(1 + (N - n + 0.5) / (n + 0.5)) where Whoosh uses log(N / (n + 1)) + 1;
- field boost: Whoosh folds the field boost into the stored weight only; the engine multiplies
  the term's score by it once more (so the title counts twice over).
Tolerance: relative 1e-9 (the same float64 arithmetic in another order).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from whoosh import query
from whoosh.scoring import BM25F

from indexer.engine.searcher import BM25_B, BM25_K1, Searcher
from indexer.engine.storage import open_existing

TERMS_PER_FIELD = 40
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def engine(demo_index):
    return Searcher(open_existing(demo_index)).warm()


def _terms(searcher: Searcher, field: str) -> list[str]:
    """Terms across the frequency range of a field: every k-th of its lexicon, sorted by frequency."""
    reader = searcher._searcher.reader()
    terms = sorted(
        (reader.doc_frequency(field, t), t.decode("utf-8") if isinstance(t, bytes) else t)
        for t in reader.lexicon(field)
    )
    step = max(1, len(terms) // TERMS_PER_FIELD)
    return [text for _n, text in terms[::step]]


def _whoosh_idf(searcher: Searcher, field: str, text: str) -> float:
    reader = searcher._searcher.reader()
    return math.log(reader.doc_count_all() / (reader.doc_frequency(field, text) + 1)) + 1


def _factor(searcher: Searcher, field: str, text: str) -> float:
    """The engine's idf over Whoosh's, times the field boost applied once more (see the docstring)."""
    engine_idf = searcher._idf(searcher._searcher.reader().doc_frequency(field, text))
    field_boost = searcher._searcher.schema[field].format.field_boost
    return field_boost * engine_idf / _whoosh_idf(searcher, field, text)


def _whoosh_scores(searcher: Searcher, q) -> np.ndarray:
    scores = np.zeros(searcher.doc_limit)
    with searcher._index.searcher(weighting=BM25F(B=BM25_B, K1=BM25_K1)) as whoosh_searcher:
        for hit in whoosh_searcher.search(q, limit=None, scored=True):
            scores[hit.docnum] = hit.score
    return scores


def test_the_index_has_no_deleted_documents(engine):
    """Whoosh counts deleted documents in N and the average length, the engine does not:
    they are compared on an index without any."""
    assert engine.doc_count == engine.doc_limit


@pytest.mark.parametrize("field", ["title", "body", "exact"])
def test_each_terms_numpy_score_is_whooshs_bm25f(engine, field):
    terms = _terms(engine, field)
    assert len(terms) >= 10
    for text in terms:
        term = query.Term(field, text)
        expected = _whoosh_scores(engine, term) * _factor(engine, field, text)
        assert np.count_nonzero(expected), text
        np.testing.assert_allclose(engine._scores(term), expected, rtol=TOLERANCE, atol=0, err_msg=text)


def test_a_query_over_all_fields_sums_the_terms_scores_as_whoosh_does(engine):
    """Terms of title, body and exact with query boosts in one Or: Whoosh sums the matching terms'
    boosted scores per document, and so does the engine."""
    chosen = [(name, text) for name in ("title", "body", "exact") for text in _terms(engine, name)[-5:]]
    parts = [query.Term(name, text, boost=1.0 + 0.25 * (n % 3)) for n, (name, text) in enumerate(chosen)]
    engine_query = query.Or(parts)
    whoosh_query = query.Or(
        [query.Term(p.fieldname, p.text, boost=p.boost * _factor(engine, p.fieldname, p.text)) for p in parts]
    )
    expected = _whoosh_scores(engine, whoosh_query)
    assert np.count_nonzero(expected) > 5
    np.testing.assert_allclose(engine._scores(engine_query), expected, rtol=TOLERANCE, atol=0)
