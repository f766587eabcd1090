"""The everyday-to-official vocabulary (indexer/data/everyday.toml), tested group by group on a
corpus written for it: one announcement per group in its official word, searched in the everyday one."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest

from indexer.build.build import build_index
from indexer.engine.expansion import EVERYDAY_FILE, alternatives
from indexer.text.analysis import analyse_query_terms
from search_web import create_app

HANDY_COUNT = 60
GROUPS = tomllib.loads(EVERYDAY_FILE.read_text(encoding="utf-8"))["group"]


def single_words(group: dict) -> list[str]:
    """The members that are one analysed term (multi-word entries are reached, not looked up)."""
    return [term for term in group["terms"] if len(analyse_query_terms(term)) == 1]


def everyday_and_official(group: dict) -> tuple[str, str] | None:
    words = single_words(group)
    first, last = words[0], words[-1]
    if len(words) < 2 or analyse_query_terms(first) == analyse_query_terms(last):
        return None
    return first, last


CASES = [pair for pair in map(everyday_and_official, GROUPS) if pair]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vocabulary")
    corpus = folder / "vocabulary.jsonl"
    day = dt.date(2024, 1, 1)
    with corpus.open("w", encoding="utf-8") as out:
        for number, (_everyday, official) in enumerate(CASES):
            record = {
                "id": f"group-{number}",
                "source": "Testamt",
                "url": f"https://example.org/{number}",
                "date": (day + dt.timedelta(days=number)).isoformat(),
                "title": f"Meldung {number}",
                "body": f"Die Beamten stellten am Abend fest: {official}. Die Ermittlungen dauern an.",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        # "Handy" is frequent here and "Mobiltelefon" rare, in announcements of the same shape.
        for number, word in enumerate(["Mobiltelefon"] + ["Handy"] * HANDY_COUNT):
            body = f"Ein {word} wurde in Fundbüro {number} abgegeben."  # distinct: no duplicate to drop
            record = {"id": f"fund-{number}", "source": "Testamt", "url": f"https://example.org/f{number}",
                      "date": "2024-06-01", "title": f"Fundsache {number}", "body": body}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    build_index(folder / "index", [str(corpus)], show_progress=False)
    return create_app({"INDEX_DIR": str(folder / "index"), "TESTING": False}).test_client()


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group["terms"][0])
def test_every_word_of_a_group_also_searches_the_others(group):
    words = single_words(group)
    for word in words:
        (term,) = analyse_query_terms(word)
        found = {option.terms for option in alternatives(term)}
        for other in words:
            other_terms = tuple(analyse_query_terms(other))
            assert other_terms == (term,) or other_terms in found, f"{word} -> {other}"


@pytest.mark.parametrize(("everyday", "official"), CASES)
def test_the_everyday_word_finds_the_official_one(client, everyday, official):
    index = CASES.index((everyday, official))
    data = client.get("/api/search", query_string={"q": everyday, "per_page": 100}).get_json()
    assert f"group-{index}" in [hit["id"] for hit in data["hits"]], f"{everyday} -> {official}"


def test_an_alternative_never_outscores_the_word_typed(client):
    # Scored on its own, the rare Mobiltelefon would outrank every Handy: an alternative's rarity
    # is capped at that of the word typed, so the word as typed ranks first.
    hits = client.get("/api/search", query_string={"q": "Handy", "per_page": 100}).get_json()["hits"]
    ranks = [hit["id"] for hit in hits if hit["id"].startswith("fund-")]
    assert len(ranks) == HANDY_COUNT + 1 and ranks[-1] == "fund-0"


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group["terms"][0])
def test_a_phrase_of_the_vocabulary_keeps_at_least_two_words(group):
    # "nicht nach Hause gekommen" would be searched as "Haus" alone once its stop words are gone,
    # and every announcement with a house would count as a missing person.
    for term in group["terms"]:
        if " " in term:
            assert len(analyse_query_terms(term)) >= 2, term
