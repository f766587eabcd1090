"""Entity quality: places and organisations against our gold set and GermEval 2014.

    .venv/bin/python -m bench.entities [--gold FILE] [--germeval FILE] [--limit N] [--half first|second]
    .venv/bin/python -m bench.entities --timing 3000 [--repeat 3]

(a) Document level: the sets of canonical place and organisation names the
    pipeline finds, against `bench/data/entities_gold.jsonl` (see its README).
    Legal forms are ignored when comparing organisation names.
(b) Span level: LOC and ORG spans with exact boundaries on the GermEval 2014
    dev set (outer column; LOCderiv, LOCpart, ORGpart … are not LOC/ORG).
    --half first|second: only sentences 1-1100 or 1101-2200, the halves of
    `germeval_halves` (develop rules on the first, report the second untouched);
    --span-errors lists that half's missed and spurious ORG spans.
(c) --timing N: the entity component's cost over the first N documents of the
    Berlin police corpus, process CPU time with and without `amtsblick_entities`,
    alternating, median of --repeat runs: of the NLP pipeline alone (tokeniser,
    lemmas and topics in both) and of a whole `indexer build` into a fresh index
    (NLP, analysis, Whoosh). The issue's budget is <= 30 % of indexing time.
Reports the pipeline in use (offline, or de_core_news_sm where installed).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from spacy.tokens import Doc

from indexer.build.build import analyse_records
from indexer.config import reference_data_dir
from indexer.enrich.pipeline import build_pipeline, make_doc, pipeline_description
from indexer.gazetteer import OWN_SUBDIVISION_KINDS, default_gazetteer
from indexer.ingest.inputs import expand_inputs, read_inputs

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE / "data" / "entities_gold.jsonl"
LEGAL_FORM = re.compile(r"\s+(e\.\s?V\.|gGmbH|GmbH(\s&\sCo\.\sKG)?|mbH|AG|KG|eG|SE)$")


def prf(true_positive: int, predicted: int, expected: int) -> dict:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": true_positive, "predicted": predicted, "expected": expected}  # fmt: skip


def count_spans(counts: dict[str, list[int]], predicted: set, expected: set) -> None:
    """Adds each label's exact-span matches, predictions and gold spans to counts[label]."""
    for label, count in counts.items():
        p = {s for s in predicted if s[2] == label}
        g = {s for s in expected if s[2] == label}
        count[0] += len(p & g)
        count[1] += len(p)
        count[2] += len(g)


def _org_key(name: str) -> str:
    """Legal forms and letter case are no difference between names: "IKEA" (the list's
    spelling) is the "Ikea" a text writes, "TÜV NORD" the "TÜV Nord"."""
    return LEGAL_FORM.sub("", name).strip().casefold()


def org_keys(names) -> set[str]:
    return {_org_key(name) for name in names}


def gold_orgs(entry: dict, as_annotated: bool = False) -> set[str]:
    """The gold's organisation keys under revision 3 of O2/O5 (ENTITIES_GOLD.md, issue 12): a
    bare name the publisher decides is the publisher's body ("Landeskriminalamt" in a release
    of the Polizei Berlin is "Landeskriminalamt Berlin"). The revised names are gold data
    (`orgs_revision3`), decided by reading the publisher, so the scorer never asks the system
    under test; as_annotated keeps the names as read."""
    revision = {} if as_annotated else entry.get("orgs_revision3", {})
    return org_keys(revision.get(name, name) for name in entry["orgs"])


def _place_name(label: str) -> str:
    place = default_gazetteer().by_key.get(label)
    return place.name if place else label


def _is_listed(label: str) -> bool:
    """A place of the official gazetteers (not our world list or Frankfurt's Stadtteile)."""
    place = default_gazetteer().by_key.get(label)
    return place is not None and place.level != "world" and place.kind not in OWN_SUBDIVISION_KINDS


def evaluate_gold(gold_path: Path, include_unlisted: bool, as_annotated: bool = False) -> dict:
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {g["id"] for g in gold}
    corpus = reference_data_dir() / "corpus"
    records = {
        a.id: {"id": a.id, "title": a.title, "body": a.body, "source": a.source}
        for a in read_inputs(expand_inputs([str(corpus)]))
        if getattr(a, "id", None) in wanted
    }
    results = {
        r["id"]: r for r in analyse_records(iter(records[g["id"]] for g in gold if g["id"] in records))
    }
    counts = {"places": [0, 0, 0], "orgs": [0, 0, 0]}
    errors = []
    for entry in gold:
        found = results.get(entry["id"])
        if found is None:
            continue
        expected_places = set(entry["places"]) | (
            set(entry["places_unlisted"]) if include_unlisted else set()
        )
        predicted_places = {_place_name(p) for p in found["places"] if include_unlisted or _is_listed(p)}
        expected_orgs = gold_orgs(entry, as_annotated)
        predicted_orgs = org_keys(found["orgs"])
        for kind, expected, predicted in (("places", expected_places, predicted_places),
                                          ("orgs", expected_orgs, predicted_orgs)):  # fmt: skip
            counts[kind][0] += len(expected & predicted)
            counts[kind][1] += len(predicted)
            counts[kind][2] += len(expected)
            if expected != predicted:
                errors.append({"id": entry["id"], "kind": kind, "missed": sorted(expected - predicted),
                               "spurious": sorted(predicted - expected)})  # fmt: skip
    return {"documents": len(results), **{k: prf(*v) for k, v in counts.items()}, "errors": errors}


def germeval_sentences(path: Path):
    tokens, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                yield tokens, tags
            tokens, tags = [], []
            continue
        fields = line.split("\t")
        tokens.append(fields[1])
        tags.append(fields[2])
    if tokens:
        yield tokens, tags


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    spans, start, label = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == label):
            if label in ("LOC", "ORG"):
                spans.add((start, i, label))
            start, label = None, None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans


def germeval_half(path: Path, half: str | None) -> list[tuple[list[str], list[str]]]:
    """All sentences, or one half by position: the split of `germeval_halves` (1-1100, 1101-2200)."""
    sentences = list(germeval_sentences(path))
    middle = len(sentences) // 2
    return {None: sentences, "first": sentences[:middle], "second": sentences[middle:]}[half]


def evaluate_germeval(path: Path, limit: int | None, half: str | None = None) -> dict:
    nlp = build_pipeline()
    counts = {"LOC": [0, 0, 0], "ORG": [0, 0, 0]}
    sentences = 0
    errors = []
    started = time.perf_counter()
    for tokens, tags in germeval_half(path, half):
        if limit and sentences >= limit:
            break
        sentences += 1
        doc = Doc(nlp.vocab, words=tokens)
        for _name, component in nlp.pipeline:
            doc = component(doc)
        predicted = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in counts}
        expected = gold_spans(tags)
        count_spans(counts, predicted, expected)
        for kind, spans in (("missed", expected - predicted), ("spurious", predicted - expected)):
            for start, end, label in sorted(spans):
                if label == "ORG":
                    errors.append((kind, " ".join(tokens[start:end]), " ".join(tokens)))
    seconds = time.perf_counter() - started
    return {"sentences": sentences, "half": half or "all", "seconds": round(seconds, 1),
            **{k: prf(*v) for k, v in counts.items()}, "org_errors": errors}  # fmt: skip


def _pipeline_cpu_seconds(nlp, records: list[dict], entities: bool) -> float:
    disabled = [] if entities else ["amtsblick_entities"]
    started = time.process_time()
    with nlp.select_pipes(disable=disabled):
        docs = (make_doc(nlp, r["title"], r["body"], r["source"]) for r in records)
        for _doc in nlp.pipe(docs, batch_size=64):
            pass
    return time.process_time() - started


def evaluate_timing(documents: int, repeat: int) -> dict:
    """CPU seconds of the pipeline with and without the entity component (median of runs)."""
    path = reference_data_dir() / "corpus" / "polizei_berlin.jsonl"
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(records) >= documents:
                break
            item = json.loads(line)
            records.append({"title": item.get("title") or "", "body": item.get("body") or "",
                            "source": item.get("source") or ""})  # fmt: skip
    nlp = build_pipeline()
    _pipeline_cpu_seconds(nlp, records[:50], entities=True)  # load data and caches once
    runs = {True: [], False: []}
    for _ in range(repeat):
        for entities in (False, True):
            runs[entities].append(_pipeline_cpu_seconds(nlp, records, entities))
    with_entities, without = statistics.median(runs[True]), statistics.median(runs[False])
    builds = {True: [], False: []}
    for _ in range(repeat):
        for entities in (False, True):
            builds[entities].append(_build_cpu_seconds(records, entities))
    build_with, build_without = statistics.median(builds[True]), statistics.median(builds[False])
    return {"documents": len(records), "repeat": repeat, "cpu_seconds_with_entities": round(with_entities, 2),
            "cpu_seconds_without_entities": round(without, 2),
            "overhead_percent": round(100 * (with_entities - without) / without, 1),
            "build_cpu_seconds_with_entities": round(build_with, 2),
            "build_cpu_seconds_without_entities": round(build_without, 2),
            "build_overhead_percent": round(100 * (build_with / build_without - 1), 1)}  # fmt: skip


def _build_cpu_seconds(records: list[dict], entities: bool) -> float:
    """CPU seconds of `indexer build` into a fresh index (the whole offline indexing),
    with the entity component removed from the pipeline the build uses when not wanted."""
    import indexer.build.build as build

    def pipeline_without_entities():
        nlp = build_pipeline()
        nlp.remove_pipe("amtsblick_entities")
        return nlp

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "documents.jsonl"
        lines = [json.dumps({"id": f"t{n}", "date": "2024-01-01", **r}) for n, r in enumerate(records)]
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        original = build.build_pipeline
        build.build_pipeline = build_pipeline if entities else pipeline_without_entities
        try:
            started = time.process_time()
            build.build_index(Path(folder) / "index", [str(source)], show_progress=False)
            return time.process_time() - started
        finally:
            build.build_pipeline = original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", default=str(DEFAULT_GOLD))
    parser.add_argument("--germeval", default=str(reference_data_dir() / "ner" / "germeval2014_dev.tsv"))
    parser.add_argument("--limit", type=int, help="GermEval: only the first N sentences")
    parser.add_argument("--half", choices=("first", "second"), help="GermEval: only this half (by position)")
    parser.add_argument("--span-errors", action="store_true", help="list GermEval ORG span differences")
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument("--errors", action="store_true", help="list the gold-set differences")
    parser.add_argument("--as-annotated", action="store_true", help="gold orgs without revision 3 (O2/O5)")
    parser.add_argument("--timing", type=int, metavar="N", help="time the entity component on N documents")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (median)")
    args = parser.parse_args(argv)
    if args.timing:
        timing = evaluate_timing(args.timing, args.repeat)
        print(f"Pipeline: {pipeline_description(build_pipeline())}")
        print(f"Entity overhead on {timing['documents']} documents (CPU s, median of {timing['repeat']}): "
              f"{timing['cpu_seconds_with_entities']} with, {timing['cpu_seconds_without_entities']} without "
              f"= +{timing['overhead_percent']} %")  # fmt: skip
        print(f"Whole offline build (indexer build, CPU s, median): "
              f"{timing['build_cpu_seconds_with_entities']} with, "
              f"{timing['build_cpu_seconds_without_entities']} without "
              f"= +{timing['build_overhead_percent']} %")  # fmt: skip
        if args.out:
            Path(args.out).write_text(json.dumps(timing, indent=2), encoding="utf-8")
        return 0

    results = {
        "pipeline": pipeline_description(build_pipeline()),
        "gold": evaluate_gold(Path(args.gold), include_unlisted=False, as_annotated=args.as_annotated),
        "gold_with_unlisted": evaluate_gold(Path(args.gold), True, as_annotated=args.as_annotated),
        "germeval_dev": evaluate_germeval(Path(args.germeval), args.limit, args.half),
    }
    print(f"Pipeline: {results['pipeline']}")
    for name in ("gold", "gold_with_unlisted"):
        r = results[name]
        places, orgs = _fmt(r["places"]), _fmt(r["orgs"])
        print(f"{name} ({r['documents']} docs): places P/R/F1 {places}; orgs P/R/F1 {orgs}")
    g = results["germeval_dev"]
    loc, org = _fmt(g["LOC"]), _fmt(g["ORG"])
    print(f"GermEval dev, {g['half']} ({g['sentences']} sentences, {g['seconds']} s): LOC {loc}; ORG {org}")
    if args.span_errors:
        for kind, span, sentence in g["org_errors"]:
            print(f"  ORG {kind}: {span!r} in {sentence}")
    if args.errors:
        for error in results["gold"]["errors"]:
            print(f"  {error['id']} {error['kind']}: missed {error['missed']} spurious {error['spurious']}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _fmt(scores: dict) -> str:
    return f"{scores['precision']:.2f}/{scores['recall']:.2f}/{scores['f1']:.2f}"


if __name__ == "__main__":
    raise SystemExit(main())
