"""Counts that mean "these match": for two-word queries whose words co-occur,
count(a b) <= min(count(a), count(b)) in every case; a third word never raises it.

    .venv/bin/python -m bench.counts --index DIR [--pairs 50]

The words are the single-word queries of bench/data/queries.txt; the pairs are all pairs of
them that at least one announcement contains together, in a fixed shuffled order (seed 13).
Beside each count stands the any-word (OR) count, what the engine reported before counts
required every word (the baseline, measured in the same run).
"""

from __future__ import annotations

import argparse
import json
import random
from itertools import combinations
from pathlib import Path

from bench.queries import load_queries
from search_web.search import SearchRequest, SearchService


def _search(service: SearchService, q: str) -> dict:
    return service.search(SearchRequest.from_params({"q": [q], "per_page": ["1"]}))


def single_words() -> list[str]:
    """The distinct one-word queries of the committed mix (ä/ae spellings count once)."""
    words = [q.params["q"][0] for q in load_queries() if q.kind == "single-word"]
    return list(dict.fromkeys(words))


def check_pairs(service: SearchService, limit: int) -> dict:
    searcher = service.searcher()
    live = searcher.live()
    count = {w: _search(service, w)["total"] for w in single_words()}
    cases, violations, baseline_violations = [], 0, 0
    pairs = list(combinations(count, 2))
    random.Random(13).shuffle(pairs)  # not fifty times the first word
    for a, b in pairs:
        if len(cases) >= limit:
            break
        result = _search(service, f"{a} {b}")
        if not result["total"] or not result["matched_all"]:
            continue  # the words do not co-occur
        parsed = searcher.parse(f"{a} {b}")
        words = searcher.words(parsed)
        any_count = int((words[0].mask | words[1].mask if len(words) > 1 else words[0].mask)[live].sum())
        bound = min(count[a], count[b])
        violations += result["total"] > bound
        baseline_violations += any_count > bound
        cases.append(
            {"query": f"{a} {b}", "a": count[a], "b": count[b], "ab": result["total"], "or": any_count}
        )
    return {"cases": cases, "violations": violations, "baseline_violations": baseline_violations}


def check_third_word(service: SearchService, cases: list[dict]) -> dict:
    """Each pair with each single word added: the count never rises while all words match."""
    words = single_words()
    checked, raised = 0, []
    for case in cases[:10]:
        for third in words[:20]:
            if third in case["query"].split():
                continue
            result = _search(service, f"{case['query']} {third}")
            if result["matched_all"]:
                checked += 1
                if result["total"] > case["ab"]:
                    raised.append(f"{case['query']} {third}")
    return {"checked": checked, "raised": raised}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--index", required=True, help="index folder (e.g. a full build of the shared corpus)"
    )
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    service = SearchService(Path(args.index))
    pairs = check_pairs(service, args.pairs)
    third = check_third_word(service, pairs["cases"])
    print(f"{'query':40}{'a':>8}{'b':>8}{'a b':>8}{'OR (before)':>13}")
    for case in pairs["cases"]:
        print(f"{case['query']:40}{case['a']:>8}{case['b']:>8}{case['ab']:>8}{case['or']:>13}")
    n = len(pairs["cases"])
    print(
        f"\n{n} co-occurring pairs: count(a b) > min(count(a), count(b)) in {pairs['violations']} "
        f"(any-word reading: {pairs['baseline_violations']})"
    )
    print(f"third word added to 10 pairs: {third['checked']} queries, count raised in {len(third['raised'])}")
    if args.out:
        Path(args.out).write_text(json.dumps({**pairs, "third_word": third}, indent=2), encoding="utf-8")
    return 1 if pairs["violations"] or third["raised"] or n < args.pairs else 0


if __name__ == "__main__":
    raise SystemExit(main())
