"""The cost budget of a search (indexer/engine/budget.py): the attack queries of issue 14 stay cheap.

Run on the sample of the shared corpus (every file's first lines); the full-corpus figures are a
benchmark (bench/hostile_load.py)."""

from __future__ import annotations

import string
import time

import pytest

from indexer.engine.budget import (
    MAX_CORRECTED_WORDS,
    MAX_TERMS_PER_QUERY,
    NOTICE_REDUCED,
    NOTICE_TIMED_OUT,
    Budget,
)
from indexer.engine.searcher import Searcher
from indexer.engine.storage import open_existing
from search_web.search import SearchRequest, SearchService

MAX_SECONDS = 2.0
ATTACKS = {
    "open range": "{b TO}",
    "26 ranges": " ".join(f"[{c} TO {c}zzz]" for c in string.ascii_lowercase),
    "26 prefixes": " ".join(f"{c}*" for c in string.ascii_lowercase),
    "fuzzy words": " ".join(f"{w}~2" for w in ("Kreis", "Polizei", "Feuer", "Einbruch", "Unfall", "Brand")),
    "50 misspellings": " ".join(f"Qwertz{chr(97 + n % 26)}{chr(97 + n // 26)}xyz" for n in range(50)),
}


@pytest.fixture(scope="module")
def searcher(shared_index):
    return Searcher(open_existing(shared_index)).warm()


def _expansion_terms(parsed) -> int:
    return len({(f, t) for f, t in parsed.loose.iter_all_terms()})


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_query_is_answered_within_2_s_with_a_notice_when_cut(shared_index, name):
    service = SearchService(shared_index)
    service.search(SearchRequest(q="Polizei"))  # warm
    started = time.perf_counter()
    result = service.search(SearchRequest(q=ATTACKS[name]))
    assert time.perf_counter() - started < MAX_SECONDS, name
    assert result["timed_out"] == (NOTICE_TIMED_OUT in result["warnings"])


@pytest.mark.parametrize("name", ["open range", "26 ranges", "26 prefixes"])
def test_expansions_of_a_query_stay_within_the_query_budget(searcher, name):
    budget = Budget()
    parsed = searcher.parse(ATTACKS[name], budget)
    words = len(ATTACKS[name].split())
    # Expanded terms plus at most the query's own words (in three fields) as plain terms.
    assert _expansion_terms(parsed) <= MAX_TERMS_PER_QUERY + 3 * words
    if name != "open range":  # 26 expansions of up to 64 terms each ask for more than one query may add
        assert budget.reduced and NOTICE_REDUCED in budget.notices()


def test_an_ordinary_prefix_is_not_reported_as_cut(searcher):
    budget = Budget()
    parsed = searcher.parse("poliz*", budget)
    assert parsed is not None and "polizei" in parsed.terms("body")
    assert not budget.reduced and budget.notices() == []


def test_known_words_do_not_use_up_the_spelling_lookups(searcher):
    known = " ".join(["Polizei"] * (MAX_CORRECTED_WORDS + 2))
    parsed = searcher.parse(f"{known} Feuerwehf", Budget(seconds=60))
    assert "feuerwehr" in parsed.terms("exact")  # the unknown word after many known ones is corrected


def test_spelling_lookups_are_bounded_per_query(searcher):
    words = ATTACKS["50 misspellings"].split()
    before = len(searcher._queries._corrections)
    searcher.parse(" ".join(words), Budget(seconds=60))
    assert len(searcher._queries._corrections) - before <= MAX_CORRECTED_WORDS


def test_a_spent_time_budget_skips_facets_and_snippets_and_says_so(shared_index):
    service = SearchService(shared_index)
    result = service.search(SearchRequest(q="Polizei"), Budget(seconds=0))
    assert result["timed_out"] and NOTICE_TIMED_OUT in result["warnings"]
    assert result["total"] > 0 and result["hits"]  # what was found is still shown
    assert all(values == [] for values in result["facets"].values())
    assert all("<mark>" not in hit["snippet"] for hit in result["hits"])


def test_api_reports_timed_out_false_for_an_ordinary_search(client):
    data = client.get("/api/search?q=Kreis").get_json()
    assert data["timed_out"] is False and data["total"] > 0
