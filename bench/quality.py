"""Search quality on known-item queries: Amtsblick against stock Whoosh, same run.

    .venv/bin/python -m bench.quality [--index DIR] [--queries FILE] [--known FILE ...] [CORPUS ...]

Builds (or incrementally updates) the product index over the corpus, builds a
stock Whoosh index (LanguageAnalyzer("de") on title and body, OR query) over
the same documents, and scores every case {"query", "target"}: MRR@10,
Recall@1, Recall@10, by kind, with the product's second ranking pass on and off (the "1st pass"
column, indexer/engine/reranking.py) on the same index. Also Recall@1 for queries that equal a title,
and the time query analysis adds. `--known FILE` scores a further set (a held-out
one, bench/data/known_items_heldout.jsonl) on the same two indexes, printed as its
own table; the default corpus includes the HTML pages and the seed page its targets
may point to. Amtsblick's ranking is that of the page: the counted hits, then the
partial matches that follow a small result.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from whoosh import fields, index, qparser
from whoosh.analysis import LanguageAnalyzer

from indexer.build.build import build_index
from indexer.config import reference_data_dir
from indexer.ingest.inputs import expand_inputs, read_inputs
from indexer.model import Announcement
from search_web.search import SearchRequest, SearchService

HERE = Path(__file__).resolve().parent
DEFAULT_QUERIES = HERE / "data" / "known_items.jsonl"
TITLE_SAMPLE = 200
CUTOFF = 10


def default_corpus() -> list[str]:
    corpus = reference_data_dir() / "corpus"
    extra = [str(corpus / name) for name in ("local", "html", "seed") if (corpus / name).is_dir()]
    return [str(p) for p in sorted(corpus.glob("*.jsonl"))] + extra


def load_cases(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [resolved(json.loads(line)) for line in handle if line.strip()]


def resolved(case: dict) -> dict:
    """A target named by its file ("html/ahlen.de_1.html", relative to the shared corpus): the id the
    project's own source reader gives that file (HTML and text pages carry no id of their own)."""
    path = reference_data_dir() / "corpus" / case["target"]
    if "/" not in case["target"] or not path.is_file():
        return case
    return {**case, "target": _file_id(str(path))}


@functools.cache
def _file_id(path: str) -> str:
    found = announcements([path])
    if not found:
        raise ValueError(f"{path}: keine Meldung gelesen")
    return found[0].id


def announcements(inputs: list[str]) -> list[Announcement]:
    return [a for a in read_inputs(expand_inputs(inputs)) if isinstance(a, Announcement)]


class StockWhoosh:
    """The baseline: what a stock Whoosh set-up for German gives."""

    def __init__(self, docs: list[Announcement], folder: Path):
        analyzer = LanguageAnalyzer("de")
        schema = fields.Schema(
            id=fields.ID(stored=True, unique=True),
            title=fields.TEXT(analyzer=analyzer),
            body=fields.TEXT(analyzer=analyzer),
        )
        idx = index.create_in(str(folder), schema)
        writer = idx.writer(limitmb=256)
        for doc in docs:
            writer.add_document(id=doc.id, title=doc.title, body=doc.body)
        writer.commit()
        self._searcher = idx.searcher()
        self._parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

    def top(self, text: str) -> list[str]:
        hits = self._searcher.search(self._parser.parse(text), limit=CUTOFF)
        return [hit["id"] for hit in hits]


class Amtsblick:
    """The product; rerank=False: its first ranking pass alone (the baseline of the second,
    indexer/engine/reranking.py), on the same index in the same run."""

    def __init__(self, index_dir: Path, rerank: bool = True, service: SearchService | None = None):
        self.service = service or SearchService(index_dir)
        self.rerank = rerank

    def top(self, text: str) -> list[str]:
        self.service.searcher().rerank = self.rerank
        request = SearchRequest.from_params({"q": [text], "per_page": [str(CUTOFF)]})
        results = self.service.search(request)
        return [hit["id"] for hit in results["hits"] + results["more_hits"]][:CUTOFF]

    def analysis_ms(self, texts: list[str]) -> float:
        searcher = self.service.searcher()
        times = []
        for text in texts:
            started = time.perf_counter()
            searcher.parse(text)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)


def score(engine, cases: list[dict]) -> dict:
    by_kind: dict[str, list[float]] = defaultdict(list)
    reciprocal, at1, at10, misses = [], [], [], []
    for case in cases:
        ranked = engine.top(case["query"])
        rank = ranked.index(case["target"]) + 1 if case["target"] in ranked else None
        rr = 1 / rank if rank else 0.0
        reciprocal.append(rr)
        at1.append(rank == 1)
        at10.append(rank is not None)
        by_kind[case.get("kind", "-")].append(rr)
        if rank != 1:
            misses.append({"query": case["query"], "target": case["target"], "rank": rank})
    n = len(cases) or 1
    return {
        "cases": len(cases),
        "mrr@10": sum(reciprocal) / n,
        "recall@1": sum(at1) / n,
        "recall@10": sum(at10) / n,
        "mrr_by_kind": {kind: sum(v) / len(v) for kind, v in sorted(by_kind.items())},
        "misses": misses,
    }


def title_cases(docs: list[Announcement], count: int = TITLE_SAMPLE, seed: int = 7) -> list[dict]:
    """Queries equal to a title that only one document carries."""
    owners: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        if doc.title.strip():
            owners[doc.title.strip()].append(doc.id)
    unique = sorted((title, ids[0]) for title, ids in owners.items() if len(ids) == 1)
    sample = random.Random(seed).sample(unique, min(count, len(unique)))
    return [{"query": title, "target": doc_id, "kind": "title"} for title, doc_id in sample]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="*", help="JSON Lines files or folders (default: the shared corpus)")
    parser.add_argument("--index", help="product index folder (kept and updated; default: a temp folder)")
    parser.add_argument("--queries", default=str(DEFAULT_QUERIES))
    parser.add_argument("--known", action="append", default=[], help="a further known-item set (repeatable)")
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument("--workers", type=int, default=2, help="NLP processes for the build")
    parser.add_argument("--reuse", action="store_true", help="search --index as it is, without updating it")
    args = parser.parse_args(argv)

    inputs = args.corpus or default_corpus()
    cases = load_cases(Path(args.queries))
    docs = announcements(inputs)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(args.index) if args.index else Path(tmp) / "amtsblick"
        started = time.perf_counter()
        if not args.reuse:
            build_index(index_dir, inputs, show_progress=True, workers=args.workers)
        print(f"Amtsblick index ready in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        (Path(tmp) / "stock").mkdir()
        stock = StockWhoosh(docs, Path(tmp) / "stock")
        print(f"stock Whoosh index built in {time.perf_counter() - started:.0f} s")
        product = Amtsblick(index_dir)
        first_pass = Amtsblick(index_dir, rerank=False, service=product.service)
        engines = {"amtsblick": product, "first_pass": first_pass, "stock_whoosh": stock}
        titles = title_cases(docs)
        results = {
            "documents": len(docs),
            **{name: score(engine, cases) for name, engine in engines.items()},
            "title_recall@1": {name: score(engine, titles)["recall@1"] for name, engine in engines.items()},
            "query_analysis_ms_median": product.analysis_ms([c["query"] for c in cases]),
            "known": {Path(f).name: _figures(engines, load_cases(Path(f))) for f in args.known},
        }
    print_table(results)
    for name, figures in results["known"].items():
        print_known(name, figures)
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _figures(engines: dict, cases: list[dict]) -> dict:
    """Every engine on a further set, without the per-query misses (see print_known)."""
    return {
        name: {key: value for key, value in score(engine, cases).items() if key != "misses"}
        for name, engine in engines.items()
    }


HEADER = f"{'':22}{'Amtsblick':>12}{'1st pass':>12}{'stock Whoosh':>14}"  # 1st pass: rerank off


def _row(label: str, ours: float, first: float, stock: float) -> str:
    return f"{label:22}{ours:>12.3f}{first:>12.3f}{stock:>14.3f}"


def print_known(name: str, figures: dict) -> None:
    """A further set: the figures only; per-query results of a held-out set are not shown, so
    nobody tunes on them by reading this output."""
    ours, first, stock = figures["amtsblick"], figures["first_pass"], figures["stock_whoosh"]
    print(f"\n{name}: {ours['cases']} known-item queries")
    print(HEADER)
    for key in ("mrr@10", "recall@1", "recall@10"):
        print(_row(key, ours[key], first[key], stock[key]))


def print_table(results: dict) -> None:
    ours, first, stock = results["amtsblick"], results["first_pass"], results["stock_whoosh"]
    print(f"\n{results['documents']} documents, {ours['cases']} known-item queries")
    print(HEADER)
    for key in ("mrr@10", "recall@1", "recall@10"):
        print(_row(key, ours[key], first[key], stock[key]))
    for kind, value in ours["mrr_by_kind"].items():
        print(_row("mrr@10 " + kind, value, first["mrr_by_kind"][kind], stock["mrr_by_kind"].get(kind, 0)))
    titles = results["title_recall@1"]
    print(_row("title recall@1", titles["amtsblick"], titles["first_pass"], titles["stock_whoosh"]))
    print(f"query analysis median: {results['query_analysis_ms_median']:.2f} ms")
    print("\nAmtsblick misses (rank != 1; in brackets the rank of the first pass alone):")
    first_ranks = {(m["query"], m["target"]): m["rank"] for m in first["misses"]}
    for miss in ours["misses"]:
        was = first_ranks.get((miss["query"], miss["target"]), 1)
        print(f"  {miss['rank']!s:>4} ({was!s:>4})  {miss['query']}  ->  {miss['target']}")


if __name__ == "__main__":
    raise SystemExit(main())
