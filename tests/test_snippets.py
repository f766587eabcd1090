"""Snippets show the text as written: each matched word marked once, one passage, no title echo.

The queries are the benchmark mix and words of the indexed titles themselves, over the demo
corpus and a sample of the shared corpus; every snippet of every first page is checked.
"""

from __future__ import annotations

import html
import re

from bench.queries import load_queries, spread_subset
from indexer.engine.snippets import title_end
from search_web.search import SearchRequest, SearchService

_MARK = re.compile(r"<mark>(.*?)</mark>")
_TAG = re.compile(r"</?mark>")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{4,}")


def _plain(snippet: str) -> str:
    return html.unescape(_TAG.sub("", snippet)).strip().removeprefix("…").removesuffix("…").strip()


def _on_word_boundaries(text: str, body: str) -> bool:
    """Some occurrence of text in body neither starts nor ends inside a word."""
    for match in re.finditer(re.escape(text), body):
        before = body[match.start() - 1] if match.start() else " "
        after = body[match.end()] if match.end() < len(body) else " "
        if not (before.isalnum() and text[:1].isalnum()) and not (after.isalnum() and text[-1:].isalnum()):
            return True
    return False


def _queries(service: SearchService) -> list[str]:
    """The benchmark's typed queries, and two title words of every fifth announcement."""
    typed = [q.params["q"][0] for q in spread_subset(load_queries(), 60) if "q" in q.params]
    listing = service.search(SearchRequest(per_page=100, sort="date"))["hits"]
    from_titles = [" ".join(_WORD.findall(hit["title"])[:2]) for hit in listing[::5]]
    return typed + [q for q in from_titles if q]


def _check_all_snippets(index_dir) -> int:
    service = SearchService(index_dir)
    checked = 0
    for q in _queries(service):
        results = service.search(SearchRequest(q=q))
        for hit in results["hits"] + results["more_hits"]:  # partial matches show snippets too
            document = service.document(hit["id"])
            body = _SPACE.sub(" ", document["body"])
            snippet, text = hit["snippet"], _plain(hit["snippet"])
            where = f"{q!r} → {hit['id']}: {snippet[:200]}"
            assert text in body, f"snippet is not the document's text: {where}"
            assert _on_word_boundaries(text, body), f"snippet cuts a word: {where}"
            assert " … " not in text, f"more than one passage: {where}"
            assert "</mark><mark>" not in snippet, f"a word marked twice: {where}"
            assert not re.search(r"\b(\w{3,})\1\b", text) or re.search(r"\b(\w{3,})\1\b", body), where
            if title_end(document["body"], document["title"]):
                title = _SPACE.sub(" ", document["title"]).strip()
                assert not text.startswith(title), f"the title is repeated in the snippet: {where}"
            checked += 1
    return checked


def test_demo_snippets_are_the_text_as_written_once(demo_index):
    assert _check_all_snippets(demo_index) > 200


def test_shared_sample_snippets_are_the_text_as_written_once(shared_index):
    assert _check_all_snippets(shared_index) > 200


def test_api_search_marks_each_written_word_once(client):
    page = client.get("/api/search?q=Sozialraumzentrum&per_page=20").get_json()
    assert page["hits"], "the demo corpus has the Sozialraumzentrum"
    for hit in page["hits"]:
        body = _SPACE.sub(" ", client.get(f"/api/doc/{hit['id']}").get_json()["body"])
        assert _plain(hit["snippet"]) in body
        assert all(body.count(mark) for mark in _MARK.findall(hit["snippet"]))
        assert "</mark><mark>" not in hit["snippet"]


def test_the_snippet_pass_finds_each_word_the_engine_analyser_would_match():
    """The snippet pass reads words through the text chain, not Whoosh's analyser (for speed):
    for every word of every demo announcement, both find the same spans with the same terms."""
    from indexer.engine.analyzers import german_analyzer
    from indexer.engine.snippets import matches
    from indexer.text.analysis import index_forms
    from tests.conftest import demo_records

    analyzer = german_analyzer()
    for record in demo_records():
        text = f"{record['title']}\n{record['body']}"
        tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(text, mode="index", chars=True)]
        words = sorted(set(re.findall(r"\w+(?:-\w+)*", text)))
        for terms in (
            frozenset(term for term, _start, _end in tokens[::7]),  # words of the text, many at once
            frozenset(index_forms(words[len(words) // 2])[-1:]),  # one word's last form (a compound part)
            frozenset({"der", "und", "polizei", "brand", "kein-wort"}),  # stop words never match
        ):
            expected: dict[tuple[int, int], set[str]] = {}
            for term, start, end in tokens:
                if term in terms:
                    expected.setdefault((start, end), set()).add(term)
            found = {(m.start, m.end): set(m.words) for m in matches(text, terms)}
            assert found == expected, (record["id"], sorted(terms)[:5])
