"""The second ranking pass (indexer/engine/reranking.py), on a real index of generated announcements.

Every group of query words is written twice with the same words in the same numbers (so BM25F
scores both alike): once close together, once scattered over the text. Without the second pass
the tie goes to the lower document number, which is the scattered one; with it, the close one.
"""

from __future__ import annotations

import json
import re

import pytest

from indexer.build.build import build_index
from indexer.engine import open_index, search
from indexer.engine.reranking import RERANK_DEPTH, WINDOW_CHARS

WORD_GROUPS = [
    ("Scheune", "Blitz", "Traktor"),
    ("Radfahrerin", "Straßenbahn", "Kreuzung"),
    ("Hund", "Spielplatz", "Nachbarin"),
    ("Taxi", "Flughafen", "Koffer"),
    ("Tankstelle", "Motorrad", "Kasse"),
    ("Kinderwagen", "Rolltreppe", "Kaufhaus"),
    ("Schwan", "Ufer", "Angler"),
    # Two words, one typed otherwise than written: it must be found where the index finds it, or the
    # two would tie. A compound typed without its linking s is found by its parts in one written word.
    ("Einbruchsschutz", "Vortrag"),
    ("Schüsse", "Parkhaus"),
    ("Zeugen", "Hochhaus"),
]
TYPED = {"Einbruchsschutz": "einbruchschutz", "Schüsse": "schuss", "Zeugen": "zeuge"}
FILLER = [
    "Die Angaben wurden am Abend noch einmal sorgfältig überprüft und ergänzt.",
    "Anwohnerinnen und Anwohner hatten die Beamten gegen Mittag verständigt.",
    "Die Ermittlungen dauern an, Hinweise nimmt jede Dienststelle entgegen.",
    "Das zuständige Kommissariat hat die weitere Bearbeitung übernommen.",
    "Weitere Einzelheiten sind derzeit noch nicht bekannt, hieß es später.",
    "Die Beamtinnen und Beamten sicherten die Umgebung für längere Zeit ab.",
    "Ein Sprecher bestätigte den Ablauf am folgenden Morgen auf Nachfrage.",
    "Die genaue Ursache wird nun von Sachverständigen untersucht.",
    "Gegen Abend war der Einsatz vor Ort vollständig beendet.",
    "Die Schadenshöhe konnte bislang nicht beziffert werden.",
]
WRITTEN = re.compile(r"\w+")
PAGING_WORDS = ("Brücke", "Geländer", "Schiff")
PAGING_FILLER = 24  # filler sentences per body
# The gaps in the order of the corpus (and of the first pass: equal scores, lower doc number
# first): the close ones (0-3, within the window) in the middle of the reordered head.
PAGING_GAPS = [*range(24, 12, -1), 3, 2, 1, 0, *range(12, 3, -1)]
PAGE_SIZE = 4


def close_body(words: tuple[str, ...]) -> str:
    """The words in one sentence, the filler after it."""
    return f"Gemeldet wurden {' und '.join(words)}. " + " ".join(FILLER)


def scattered_body(words: tuple[str, ...]) -> str:
    """The same words (and the same filler) with the filler shared out between each two of them."""
    share = len(FILLER) // (len(words) - 1)
    text = f"Gemeldet wurden {words[0]}"
    for number, word in enumerate(words[1:]):
        text += " " + " ".join(FILLER[number * share : (number + 1) * share]) + f" und {word}"
    return text + "."


def paging_body(words: tuple[str, ...], gap: int) -> str:
    """The words and PAGING_FILLER filler sentences, gap of them between the first word and the
    others: every such body has the same words as often, only their closeness differs."""
    filler = (FILLER * 4)[:PAGING_FILLER]
    head, tail = " ".join(filler[:gap]), " ".join(filler[gap:])
    return f"Gemeldet wurden {words[0]}. {head} Dann {words[1]} und {words[2]}. {tail}"


def in_window(body: str, words: tuple[str, ...]) -> bool:
    return body.index(words[2]) - body.index(words[0]) <= WINDOW_CHARS


def records() -> list[dict]:
    out = []
    for number, words in enumerate(WORD_GROUPS):  # the scattered one first: the lower doc number
        out.append(
            {"id": f"verstreut-{number}", "title": f"Meldung {number}a", "body": scattered_body(words)}
        )
        out.append({"id": f"beisammen-{number}", "title": f"Meldung {number}b", "body": close_body(words)})
    for gap in PAGING_GAPS:
        out.append(
            {"id": f"abstand-{gap}", "title": f"Meldung Nummer {gap}", "body": paging_body(PAGING_WORDS, gap)}
        )
    out.append(
        {"id": "ohne-schiff", "title": "Brücke gesperrt", "body": "Brücke und Geländer wurden geprüft."}
    )
    for number, record in enumerate(out):
        record.update(
            source="Testamt", url=f"https://example.org/{record['id']}", date=f"2024-{number % 12 + 1:02d}-01"
        )
    return out


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reranking")
    corpus = folder / "reranking.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    build_index(folder / "index", [str(corpus)], show_progress=False)
    found = open_index(folder / "index")
    yield found
    found.rerank = True


def ids(searcher, query: str, rerank: bool = True, sort: str = "relevance", page=(1, 50)) -> list[str]:
    searcher.rerank = rerank
    try:
        return [hit["id"] for hit in search(searcher, query, sort=sort, page=page).hits]
    finally:
        searcher.rerank = True


def test_scattered_body_really_scatters_the_words_beyond_the_window():
    for words in WORD_GROUPS:
        body = scattered_body(words)
        offsets = [body.index(word) for word in words]
        assert all(b - a > WINDOW_CHARS for a, b in zip(offsets, offsets[1:], strict=False))
        assert sorted(WRITTEN.findall(body)) == sorted(WRITTEN.findall(close_body(words)))  # same words


@pytest.mark.parametrize("number", range(len(WORD_GROUPS)))
def test_words_in_one_sentence_rank_above_the_same_words_scattered(searcher, number):
    query = " ".join(TYPED.get(word, word.lower()) for word in WORD_GROUPS[number])
    first_pass = ids(searcher, query, rerank=False)
    assert first_pass[:2] == [f"verstreut-{number}", f"beisammen-{number}"]  # a tie: lower number first
    assert ids(searcher, query)[:2] == [f"beisammen-{number}", f"verstreut-{number}"]


def test_paging_bodies_differ_only_in_closeness():
    bodies = [paging_body(PAGING_WORDS, gap) for gap in PAGING_GAPS]
    assert len({tuple(sorted(WRITTEN.findall(body))) for body in bodies}) == 1
    assert 0 < sum(in_window(body, PAGING_WORDS) for body in bodies[:RERANK_DEPTH]) < RERANK_DEPTH


def test_words_within_the_window_move_to_the_top_of_the_head(searcher):
    """The first pass ties (same words, same length): its order is the corpus order. The second
    puts the documents with all words in one window first, each group in its first-pass order;
    below the head nothing moves."""
    query = " ".join(PAGING_WORDS).lower()
    first_pass = ids(searcher, query, rerank=False)
    assert first_pass == [f"abstand-{gap}" for gap in PAGING_GAPS]
    head = first_pass[:RERANK_DEPTH]
    close = [doc_id for doc_id in head if in_window(paging_body(PAGING_WORDS, int(doc_id[8:])), PAGING_WORDS)]
    expected = close + [doc_id for doc_id in head if doc_id not in close] + first_pass[RERANK_DEPTH:]
    assert ids(searcher, query) == expected


def test_proximity_never_lifts_a_document_above_one_with_more_of_the_words(searcher):
    searcher.rerank = True
    parsed = searcher.parse("brücke geländer schiff")
    ranked = [
        searcher.document_at(d)["id"]
        for d, _s in searcher.ranked(parsed, searcher.live(), "relevance", 0, 60)
    ]
    assert ranked.index("ohne-schiff") > max(ranked.index(f"abstand-{gap}") for gap in PAGING_GAPS)


def test_every_page_continues_the_order_of_the_first(searcher):
    query = " ".join(PAGING_WORDS).lower()
    whole = ids(searcher, query)
    pages = []
    for number in range(1, len(whole) // PAGE_SIZE + 2):
        pages += ids(searcher, query, page=(number, PAGE_SIZE))
    assert pages == whole and len(set(pages)) == len(pages) == len(PAGING_GAPS)


def test_date_order_is_the_same_with_or_without_the_second_pass(searcher):
    query = " ".join(PAGING_WORDS).lower()
    for sort in ("date", "date_asc"):
        assert ids(searcher, query, sort=sort) == ids(searcher, query, rerank=False, sort=sort)


def test_one_word_query_keeps_the_first_pass_order(searcher):
    assert ids(searcher, "gemeldet") == ids(searcher, "gemeldet", rerank=False)
