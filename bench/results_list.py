"""The result list on a real index: repeated words in snippets, and first versus deep pages.

    .venv/bin/python -m bench.results_list --index /tmp/full-main

1. Snippets: every snippet of the first page of `--snippet-queries` queries of the mix (spread over
   the kinds) is checked: a word written twice in a row that the document does not have twice
   ("KellerbrandKellerbrand", "<mark>Brand</mark> <mark>Brand</mark>"), and text that is not the
   document's own (the snippet without <mark> must be a slice of the body, whitespace collapsed).
2. Latency, server side (the whole service call: parse, rank, snippets, all nine facets): the query
   mix as written (the first pages), then for every query its last page, a middle page and the
   last page oldest-first. The first pages are the baseline of the deep ones, measured in the same
   run on the same index. `--rerank-baseline` also times the first ranking pass alone (the second
   pass of indexer/engine/reranking.py off), query by query interleaved with the product.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import time
from pathlib import Path

from bench.queries import DEFAULT_QUERIES, load_queries, spread_subset
from bench.stats import latency_summary
from search_web.search import SearchRequest, SearchService

_TAG = re.compile(r"</?mark>")
_SPACE = re.compile(r"\s+")
_GLUED = re.compile(r"\b(\w{3,})\1\b")
_WORD = re.compile(r"\w+")


def plain(snippet_html: str) -> str:
    text = html.unescape(_TAG.sub("", snippet_html)).strip()
    return text.removeprefix("…").removesuffix("…").strip()


def repeated_words(snippet_html: str, body: str) -> int:
    """Words of the snippet written twice in a row where the document does not repeat them."""
    text, source = plain(snippet_html), _SPACE.sub(" ", body)
    repeats = sum(1 for m in _GLUED.finditer(text) if m.group(0) not in source)
    words = _WORD.findall(text)
    repeats += sum(
        1
        for first, second in zip(words, words[1:], strict=False)
        if first == second and not re.search(rf"\b{re.escape(first)}\W+{re.escape(first)}\b", source)
    )
    return repeats


def not_from_document(snippet_html: str, body: str) -> bool:
    return plain(snippet_html) not in _SPACE.sub(" ", body)


def check_snippets(service: SearchService, queries) -> dict:
    snippets = repeats = foreign = 0
    examples: list[str] = []
    for query in queries:
        if not query.params.get("q"):
            continue
        result = service.search(SearchRequest.from_params(query.params))
        for hit in result["hits"]:
            body = service.document(hit["id"])["body"]
            snippets += 1
            found = repeated_words(hit["snippet"], body)
            repeats += found
            if not_from_document(hit["snippet"], body):
                foreign += 1
            if (found or not_from_document(hit["snippet"], body)) and len(examples) < 5:
                examples.append(f"{query.line}: {hit['snippet'][:160]}")
    return {
        "snippets": snippets,
        "repeated_words": repeats,
        "not_from_document": foreign,
        "examples": examples,
    }


def _timed(service: SearchService, params: dict[str, list[str]]) -> tuple[tuple[float, float], dict]:
    """(wall ms, CPU ms of this process) of one search, and its result."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = service.search(SearchRequest.from_params(params))
    return ((time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000), result


def _summary(samples: list[tuple[float, float]]) -> dict:
    """Wall-time percentiles, and CPU-time ones: on a shared machine, the CPU time is what the same
    search costs on an idle core."""
    cpu = latency_summary([c for _w, c in samples])
    return {
        **latency_summary([w for w, _c in samples]),
        "cpu_p50_ms": cpu["p50_ms"],
        "cpu_p95_ms": cpu["p95_ms"],
    }


def measure_pages(
    service: SearchService, queries, rounds: int, modes: tuple[bool, ...] = (True,)
) -> list[dict]:
    """The latency figures per mode (the second ranking pass on or off, in that order), the modes
    interleaved query by query and taking turns at going first, so neither gets warmer caches."""
    samples = [{"first": [], "deep": [], "oldest": [], "deepest": 0} for _ in modes]
    _timed(service, queries[0].params)  # opening the index and filling caches: paid once per process
    for _round in range(rounds):
        for number, query in enumerate(queries):
            turns = list(enumerate(modes))
            for slot, rerank in turns[number % len(turns) :] + turns[: number % len(turns)]:
                service.searcher().rerank = rerank
                _measure_query(service, query, samples[slot])
    service.searcher().rerank = True
    return [
        {
            "rerank": rerank,
            "first_pages": _summary(sample["first"]),
            "deep_pages": _summary(sample["deep"]),
            "last_page_oldest_first": _summary(sample["oldest"]),
            "all": _summary(sample["first"] + sample["deep"] + sample["oldest"]),
            "deepest_hit_reached": sample["deepest"],
        }
        for rerank, sample in zip(modes, samples, strict=True)
    ]


def _measure_query(service: SearchService, query, sample: dict) -> None:
    """The first page of one query, its last and middle page, and its last page oldest-first."""
    ms, result = _timed(service, query.params)
    sample["first"].append(ms)
    pages = result["pages"]
    for page in {pages, max(1, pages // 2)}:
        ms, deep_result = _timed(service, {**query.params, "page": [str(page)]})
        sample["deep"].append(ms)
        reached = (deep_result["page"] - 1) * deep_result["per_page"] + len(deep_result["hits"])
        sample["deepest"] = max(sample["deepest"], reached)
    ms, _ = _timed(service, {**query.params, "sort": ["date_asc"], "page": [str(pages)]})
    sample["oldest"].append(ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.results_list", description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--snippet-queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--skip", default="", help="snippets,latency")
    parser.add_argument(
        "--rerank-baseline",
        action="store_true",
        help="also time the first ranking pass alone (the second pass off), interleaved in the same run",
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    service = SearchService(args.index)
    service.warm()
    queries = load_queries(args.queries)
    report: dict = {
        "index": str(args.index),
        "documents": service.searcher().doc_count,
        "queries": len(queries),
    }
    if "latency" not in args.skip:
        modes = (True, False) if args.rerank_baseline else (True,)
        figures = measure_pages(service, queries, args.rounds, modes)
        report["latency"] = figures[0]
        if args.rerank_baseline:
            report["latency_first_pass"] = figures[1]
    if "snippets" not in args.skip:
        report["snippets"] = check_snippets(service, spread_subset(queries, args.snippet_queries))
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
