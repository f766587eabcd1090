"""Facet audit: the largest place and organisation values with random contexts.

    .venv/bin/python -m bench.facet_audit --index DIR [--top N] [--samples K] [--seed S]

For the top N values of the place facet (municipalities, Ortsteile, world places)
and of the organisation facet it prints the document count and K random
documents holding the value: their id and the sentence around the mention that
gave the value, the mention in [[…]] (the pipeline is run again on those
documents; a municipality that only an Ortsteil gave shows that Ortsteil). Read
it and judge each context: the precision of the top 40 is the issue's figure
(target >= 0.98). The ranks of Sachsenhausen, Nordend and Westend are printed too.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from indexer.engine.schema import split_keywords
from indexer.engine.storage import open_existing, stored_documents
from indexer.enrich.pipeline import build_pipeline, make_doc
from indexer.gazetteer import default_gazetteer

WATCHED = ("Sachsenhausen", "Nordend", "Westend")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def facet_counts(
    index_dir: Path,
) -> tuple[dict[str, Counter], dict[tuple[str, str], list[str]], dict[str, dict]]:
    counts = {"place": Counter(), "org": Counter()}
    holders = defaultdict(list)
    texts = {}
    for fields in stored_documents(open_existing(index_dir)):
        doc_id = fields["id"]
        texts[doc_id] = {
            "title": fields.get("title", ""),
            "body": fields.get("body", ""),
            "source": fields.get("source", ""),
        }
        for facet in counts:
            for value in split_keywords(fields.get(facet)):
                counts[facet][value] += 1
                holders[(facet, value)].append(doc_id)
    return counts, holders, texts


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _SENTENCE_END.finditer(text, end)), len(text))
    left = max(left, start - 160)
    right = min(right, end + 160)
    return f"{text[left:start]}[[{text[start:end]}]]{text[end:right]}".replace("\n", " ")


def context(nlp, record: dict, facet: str, value: str) -> str:
    doc = nlp(make_doc(nlp, record["title"], record["body"], record["source"]))
    gazetteer = default_gazetteer()
    kind = "place" if facet == "place" else "org"
    mentions = [m for m in doc._.mentions or [] if m[0] == kind]

    def gives(label: str) -> bool:
        if label == value:
            return True
        place = gazetteer.by_key.get(label) if kind == "place" else None
        return place is not None and value in place.ancestors().values()

    for _kind, start, end, label in mentions:
        if gives(label):
            via = "" if label == value else f" (via {label})"
            return _sentence(doc.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])) + via
    return "(keine Erwähnung gefunden: Index mit anderen Regeln gebaut?)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", required=True, help="index folder")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--facet", choices=("place", "org", "both"), default="both")
    args = parser.parse_args(argv)
    index_dir = Path(args.index)
    if not index_dir.is_dir():
        print(f"Index nicht gefunden: {index_dir}. Bitte mit --index einen Indexordner angeben.")
        return 1
    counts, holders, texts = facet_counts(index_dir)
    nlp = build_pipeline()
    rng = random.Random(args.seed)
    facets = ("place", "org") if args.facet == "both" else (args.facet,)
    for facet in facets:
        ranked = counts[facet].most_common()
        print(
            f"\n=== {facet}: {len(ranked)} values in {len(texts)} documents; top {args.top}, "
            f"{args.samples} random contexts each ==="
        )
        for rank, (value, count) in enumerate(ranked[: args.top], 1):
            print(f"\n{rank:3}. {value}  ({count})")
            ids = holders[(facet, value)]
            for doc_id in sorted(rng.sample(ids, min(args.samples, len(ids)))):
                print(f"     {doc_id}: {context(nlp, texts[doc_id], facet, value)}")
        if facet == "place":
            gazetteer = default_gazetteer()
            rank_of = {}  # the watched Stadtteile by name: their value may carry the city ("Westend (…)")
            for n, (value, count) in enumerate(ranked, 1):
                place = gazetteer.by_key.get(value)
                for name in {value, place.name if place else value}:
                    if name in WATCHED and name not in rank_of:
                        rank_of[name] = (n, value, count)
            watched = ", ".join(
                f"{w} #{rank_of[w][0]} = {rank_of[w][1]} ({rank_of[w][2]})" if w in rank_of else f"{w} –"
                for w in WATCHED
            )
            print(f"\nwatched values: {watched}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
