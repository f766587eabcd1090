"""German search features, each with the examples of the issue (demo corpus index)."""

import pytest

from indexer.engine.expansion import alternatives
from indexer.text.analysis import analyse_query_terms, index_forms

HERMESKEIL_ID = "kv-trier-saarburg-2015-049"


def ids(client, q, **params):
    data = client.get("/api/search", query_string={"q": q, "per_page": 100, **params}).get_json()
    return [hit["id"] for hit in data["hits"]], data


def test_compound_parts_are_indexed():
    assert {"sozialraum", "zentrum"} <= set(index_forms("Sozialraumzentrum"))
    assert {"kreis", "jugendamt"} <= set(index_forms("Kreisjugendamtes"))


def test_function_words_are_not_compound_parts():
    assert index_forms("Einbruch") == ("einbruch",)
    assert index_forms("Polizei") == ("polizei",)


def test_search_for_compound_part_finds_compound(client):
    found, _ = ids(client, "Zentrum")
    assert HERMESKEIL_ID in found


def test_search_for_jugendamt_finds_kreisjugendamt(client):
    found, _ = ids(client, "Jugendamt")
    assert HERMESKEIL_ID in found  # the text says "Kreisjugendamt"


@pytest.mark.parametrize(
    ("typed", "written"), [("Strasse", "Straße"), ("Muenchen", "München"), ("daß", "dass")]
)
def test_folding_works_both_ways(typed, written):
    assert analyse_query_terms(typed) == analyse_query_terms(written)


def test_synonyms_and_abbreviations_expand_the_query():
    assert ("kindertagesstaette",) in [a.terms for a in alternatives("kita")]
    assert ("verbandsgemeinde",) in [a.terms for a in alternatives("vg")]
    assert ("einbruch",) in [a.terms for a in alternatives("einbrecher")]


def test_abbreviation_finds_the_long_form(client):
    long_form, _ = ids(client, "Kindertagesstätte")
    short_form, _ = ids(client, "Kita")
    assert long_form and set(long_form) <= set(short_form)


def test_documents_with_all_words_rank_before_partial_matches(client):
    found, data = ids(client, "Sozialraumzentrum eingeweiht Hermeskeil")
    assert found[0] == HERMESKEIL_ID
    assert data["total"] == len(found)  # the count is that of the announcements with all words
    assert data["more_hits"]  # a small result is followed by partial matches, flagged as such
    assert all(hit["missing_words"] for hit in data["more_hits"])
    assert not set(found) & {hit["id"] for hit in data["more_hits"]}


def test_quoted_phrase_requires_adjacent_words(client):
    phrase, _ = ids(client, '"Sozialraumzentrum Hermeskeil"')
    words, _ = ids(client, "Sozialraumzentrum Hermeskeil")
    assert HERMESKEIL_ID in phrase and len(phrase) < len(words)


def test_not_and_minus_exclude(client):
    with_word, _ = ids(client, "Kreistag")
    without, _ = ids(client, "Kreistag NOT Haushalt")
    minus, _ = ids(client, "Kreistag -Haushalt")
    assert set(without) < set(with_word) and set(minus) == set(without)


def test_prefix_and_field_search(client):
    prefix, _ = ids(client, "Sozialraum*")
    assert HERMESKEIL_ID in prefix
    title_only, _ = ids(client, "title:Sozialraumzentrum")
    anywhere, _ = ids(client, "Sozialraumzentrum")
    assert HERMESKEIL_ID in title_only and len(title_only) <= len(anywhere)


def test_leading_wildcard_and_single_letter_prefix_are_bounded(client):
    _, data = ids(client, "*zentrum")
    assert data["total"] > 0
    _, data = ids(client, "a*")
    assert data["took_ms"] < 2000


def test_typo_gets_a_suggestion_and_corrected_results(client):
    _, data = ids(client, "Sozialraumzentrm")
    assert data["suggestion"] == "Sozialraumzentrum"  # as the announcements write it
    assert data["corrected"] is True and data["total"] > 0


def test_correct_query_has_no_suggestion(client):
    _, data = ids(client, "Sozialraumzentrum")
    assert data["suggestion"] is None and data["corrected"] is False


def test_place_names_are_searched_as_written(client):
    found, _ = ids(client, "Schillingen")
    assert HERMESKEIL_ID in found
    assert analyse_query_terms("Schillingen") == ["schillingen"]
