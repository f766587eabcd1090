"""Counts that mean "these match" and corrections in the announcements' spelling (issue 13),
generated from the words of the demo corpus (a real temporary index, see conftest.py)."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import pytest

from indexer.text.analysis import GERMAN_STOP_WORDS
from indexer.text.lemmas import fold
from tests.conftest import demo_records

UNKNOWN_WORD = "Quarkstrudelfabrik"  # in no announcement and near no word of the demo corpus


def frequent_words(count: int, min_length: int = 5) -> list[str]:
    """The demo corpus's most frequent words as written (capitalised, so mostly nouns and names)."""
    found: Counter = Counter()
    for record in demo_records():
        found.update(set(re.findall(rf"\b[A-ZÄÖÜ][a-zäöüß]{{{min_length - 1},}}\b", record["body"])))
    return [word for word, _n in found.most_common(count) if fold(word) not in GERMAN_STOP_WORDS]


def search(client, q: str, **params) -> dict:
    return client.get("/api/search", query_string={"q": q, "per_page": 100, **params}).get_json()


def test_two_words_never_count_more_than_either_word(client):
    words = frequent_words(14)
    totals = {word: search(client, word)["total"] for word in words}
    checked = 0
    for a, b in combinations(words, 2):
        both = search(client, f"{a} {b}")
        if both["matched_all"]:
            checked += 1
            assert both["total"] <= min(totals[a], totals[b]), f"{a} {b}"
    assert checked > 40


def test_adding_a_word_never_raises_the_count(client):
    words = frequent_words(8)
    for a, b, c in combinations(words, 3):
        three = search(client, f"{a} {b} {c}")
        if three["matched_all"]:
            assert three["total"] <= search(client, f"{a} {b}")["total"], f"{a} {b} {c}"


def test_every_counted_hit_contains_every_word(client):
    for a, b in combinations(frequent_words(6), 2):
        data = search(client, f"{a} {b}")
        assert data["matched_all"] and all(not hit["missing_words"] for hit in data["hits"])
        assert len(data["hits"]) == min(data["total"], 100)


@pytest.mark.parametrize("stop_word", ["in", "nach", "der", "und", "mit"])
def test_stop_words_are_never_required_and_never_match_alone(client, stop_word):
    for word in frequent_words(5):
        alone, with_stop_word = search(client, word), search(client, f"{stop_word} {word} {stop_word}")
        assert with_stop_word["total"] == alone["total"], f"{stop_word} {word}"


def test_facets_and_histogram_count_the_matching_announcements(client):
    for a, b in combinations(frequent_words(5), 2):
        data = search(client, f"{a} {b}")
        assert sum(entry["count"] for entry in data["facets"]["source"]) == data["total"]
        assert sum(entry["count"] for entry in data["facets"]["year"]) <= data["total"]


def test_when_no_announcement_has_all_words_the_notice_names_the_dropped_word(client):
    for word in frequent_words(5):
        data, alone = search(client, f"{word} {UNKNOWN_WORD}"), search(client, word)
        assert data["matched_all"] is False and data["dropped_words"] == [UNKNOWN_WORD]
        assert f"„{UNKNOWN_WORD}“" in data["notice"] and data["notice"].startswith("Keine Meldung enthält")
        assert data["total"] == alone["total"]
        assert all(hit["missing_words"] == [UNKNOWN_WORD] for hit in data["hits"])


def test_match_all_searches_every_word_even_when_none_has_all(client):
    word = frequent_words(1)[0]
    data = search(client, f"{word} {UNKNOWN_WORD}", match="all")
    assert data["total"] == 0 and data["hits"] == [] and data["more_hits"] == []
    assert data["dropped_words"] == [] and data["notice"] is None


def test_the_page_links_all_words_from_a_partial_result(client):
    word = frequent_words(1)[0]
    page = client.get("/", query_string={"q": f"{word} {UNKNOWN_WORD}"}).get_data(as_text=True)
    assert "Keine Meldung enthält alle Wörter" in page and "match=all" in page
    strict = client.get("/", query_string={"q": f"{word} {UNKNOWN_WORD}", "match": "all"}).get_data(
        as_text=True
    )
    assert "Keine Treffer" in strict


# -- corrections -------------------------------------------------------------------------------


def misspelt(word: str) -> str:
    """One letter of the word dropped (one edit), not the first: typo tolerance keeps it."""
    return word[:3] + word[4:]


def correctable_words() -> list[str]:
    return [word for word in frequent_words(40, min_length=8) if len(word) >= 8][:12]


@pytest.mark.parametrize("word", correctable_words())
def test_only_the_word_that_found_nothing_is_corrected_in_its_written_form(client, word):
    other = next(w for w in frequent_words(6) if w != word)
    typo = misspelt(word)
    data = search(client, f"{other} {typo.lower()}")
    assert data["corrections"] == [{"word": typo.lower(), "correction": word}]  # written form, not folded
    assert data["suggestion"] == f"{other} {word}" and data["corrected"] is True
    assert data["total"] == search(client, f"{other} {word}")["total"]


def umlaut_words() -> list[str]:
    return [word for word in frequent_words(80, min_length=8) if re.search("[äöüÄÖÜ]", word)][:6]


@pytest.mark.parametrize("word", umlaut_words())
def test_a_correction_typed_in_ascii_is_shown_with_its_umlaut(client, word):
    typo = fold(misspelt(word))  # "verfuegng": lower case, ue for ü, one letter missing
    data = search(client, typo)
    assert data["corrections"] == [{"word": typo, "correction": word}]
    assert data["suggestion"] == word


def test_a_query_that_finds_every_word_gets_no_suggestion(client):
    for a, b in combinations(frequent_words(6), 2):
        data = search(client, f"{a} {b}")
        assert data["suggestion"] is None and data["corrections"] == [] and data["corrected"] is False


def test_as_typed_searches_the_words_without_correction_and_offers_it(client):
    word = correctable_words()[0]
    typo = misspelt(word)
    data = search(client, typo, as_typed="1")
    assert data["corrected"] is False and data["total"] == 0
    assert data["suggestion"] == word
    page = client.get("/", query_string={"q": typo, "as_typed": "1"}).get_data(as_text=True)
    assert "Meinten Sie" in page and f"q={word}" in page


def test_the_corrected_page_links_the_words_as_typed(client):
    word = correctable_words()[0]
    page = client.get("/", query_string={"q": f"Kreis {misspelt(word)}"}).get_data(as_text=True)
    assert f"Gezeigt werden Treffer für „<strong>Kreis {word}</strong>“" in page
    assert "Stattdessen nach" in page and "as_typed=1" in page


def test_a_stop_word_is_never_read_as_the_stem_of_a_separable_verb():
    # "Unfall bei Flucht vor Polizei": "vor … bei" is not vorbei, which would then be required.
    from itertools import product

    import simplemma

    from indexer.engine.query import VERB_PARTICLES, _joined_separable_verbs

    joined = [
        (stop_word, particle)
        for stop_word, particle in product(sorted(GERMAN_STOP_WORDS), VERB_PARTICLES)
        if stop_word.isalpha()
        and stop_word not in VERB_PARTICLES
        and simplemma.is_known(particle + stop_word, lang="de")
    ]
    assert joined  # vorbei, dabei, …: the class exists
    for stop_word, particle in joined:
        text = f"Unfall {stop_word} Flucht {particle} Polizei"
        assert _joined_separable_verbs(text) == text, (stop_word, particle)


def test_words_that_meet_only_outside_the_filters_give_the_best_partial_set_within_them(client):
    """Filters narrow first: under a place filter, a pair that co-occurs only in other places'
    announcements shows that place's announcements with one of the words, never "0 Treffer"."""
    places = [entry["value"] for entry in search(client, "")["facets"]["place"][:8]]
    words = frequent_words(10)
    together = {pair for pair in combinations(words, 2) if search(client, " ".join(pair))["matched_all"]}
    checked = 0
    for place in places:
        found = {word: search(client, word, place=place)["total"] for word in words}
        for a, b in together:
            if not (found[a] or found[b]):
                continue
            result = search(client, f"{a} {b}", place=place)
            if not result["matched_all"]:
                checked += 1
                assert result["total"] > 0 and result["dropped_words"] and result["notice"], (a, b, place)
    assert checked > 5, "too few pairs meet only outside a place: the demo corpus changed"
