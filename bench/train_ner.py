"""Train a German NER pipeline and compare rules alone with rules + trained NER.

    .venv/bin/python -m bench.train_ner --out models/amtsblick_ner [--iterations 12]
        [--sentences N] [--no-europeana] [--unseen-gold bench/data/entities_unseen_dev.jsonl]

Training data: GermEval 2014 dev sentences 1-1100 (CC BY 4.0) plus, unless
--no-europeana, the Europeana Newspapers German corpora (CC0), from
`$AMTSBLICK_DATA/ner/`. Evaluation: GermEval 2014 dev sentences 1101-2200, which
the model never sees (exact LOC/ORG spans of the outer column, like
`bench.entities`), for the rules alone, the model alone and rules + model (the
product's pipeline with AMTSBLICK_MODEL=<out>); and the organisations and places of
the unseen gold set's dev half (document level). Use the result with
`AMTSBLICK_MODEL=<out> python -m indexer build …`.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

import spacy
from spacy.tokens import Doc

from bench.entities import count_spans, evaluate_gold, prf
from indexer.config import reference_data_dir
from indexer.enrich.pipeline import MODEL_ENV_VAR, PIPELINE_ENV_VAR, build_pipeline, pipeline_description
from indexer.enrich.train_ner import Sentence, load_corpora, sample, train

KINDS = ("LOC", "ORG")


def score(run, sentences: list[Sentence]) -> dict:
    """Exact-span P/R/F1 of LOC and ORG; run(words) -> set of (start, end, label)."""
    counts = {kind: [0, 0, 0] for kind in KINDS}
    for sentence in sentences:
        count_spans(counts, run(list(sentence.words)), {s for s in sentence.spans if s[2] in KINDS})
    return {kind: prf(*count) for kind, count in counts.items()}


def pipeline_runner(nlp):
    def run(words: list[str]) -> set:
        doc = Doc(nlp.vocab, words=words)
        for _name, component in nlp.pipeline:
            doc = component(doc)
        return {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in KINDS}

    return run


@contextmanager
def configured(model: str | None):
    """AMTSBLICK_MODEL set to model (None: the offline pipeline) while inside."""
    saved = {name: os.environ.get(name) for name in (MODEL_ENV_VAR, PIPELINE_ENV_VAR)}
    os.environ.pop(MODEL_ENV_VAR, None)
    os.environ.pop(PIPELINE_ENV_VAR, None)
    if model is None:
        os.environ[PIPELINE_ENV_VAR] = "offline"
    else:
        os.environ[MODEL_ENV_VAR] = model
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def with_model(model: str | None):
    """The product pipeline with AMTSBLICK_MODEL set (None: offline)."""
    with configured(model):
        return build_pipeline()


def unseen_gold(model: str | None, path: Path) -> dict:
    """Orgs and places of the unseen gold set's dev half with this pipeline."""
    with configured(model):
        try:
            from bench.unseen import evaluate, load_gold  # the places helper's scorer (html/ and seed/ too)
        except ImportError:
            result = evaluate_gold(path, include_unlisted=False)
            return {"scorer": "bench.entities (JSONL documents only)", "documents": result["documents"],
                    "orgs": result["orgs"], "places": result["places"]}  # fmt: skip
        result = evaluate(load_gold(path))
        total = result["scores"]["ALL"]
        return {"scorer": "bench.unseen", "documents": result["documents"],
                "orgs": total["orgs"], "places": total["places"]}  # fmt: skip


def _line(name: str, figures: dict) -> str:
    return f"{name:<22} " + "; ".join(
        f"{kind} {figures[kind]['precision']:.2f}/{figures[kind]['recall']:.2f}/{figures[kind]['f1']:.2f}"
        for kind in KINDS
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="directory for the trained pipeline (nlp.to_disk)")
    parser.add_argument("--iterations", type=int, default=12)
    parser.add_argument("--sentences", type=int, help="train on a sample of N sentences with entities")
    parser.add_argument("--no-europeana", action="store_true", help="train on GermEval 1-1100 only")
    parser.add_argument(
        "--unseen-gold", default=str(Path(__file__).parent / "data" / "entities_unseen_dev.jsonl")
    )
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    ner_dir = reference_data_dir() / "ner"
    training, held_out = load_corpora(ner_dir, europeana=not args.no_europeana)
    if args.sentences:
        training = sample(training, args.sentences)
    print(f"Training: {len(training)} sentences (GermEval dev 1-1100"
          f"{'' if args.no_europeana else ' + Europeana'}), {args.iterations} iterations")  # fmt: skip
    started = time.perf_counter()
    nlp = train(training, iterations=args.iterations, log=print)
    nlp.to_disk(args.out)
    print(f"Trained in {time.perf_counter() - started:.0f} s, saved to {args.out}")

    model = str(Path(args.out).resolve())
    rules = with_model(None)
    combined = with_model(model)
    print(f"Pipeline: {pipeline_description(combined)}")
    results = {
        "training_sentences": len(training),
        "iterations": args.iterations,
        "europeana": not args.no_europeana,
        "held_out": "GermEval 2014 dev sentences 1101-2200",
        "rules": score(pipeline_runner(rules), held_out),
        "model": score(pipeline_runner(spacy.load(model)), held_out),
        "rules+model": score(pipeline_runner(combined), held_out),
    }
    print(f"GermEval 2014 dev, held-out sentences 1101-2200 ({len(held_out)}), P/R/F1:")
    for name in ("rules", "model", "rules+model"):
        print("  " + _line(name, results[name]))
    gold = Path(args.unseen_gold)
    if gold.is_file():
        results["unseen_dev"] = {"rules": unseen_gold(None, gold), "rules+model": unseen_gold(model, gold)}
        print(f"Unseen gold, {gold.name} (document level), P/R/F1:")
        for name, figures in results["unseen_dev"].items():
            parts = [f"{k} {figures[k]['precision']:.2f}/{figures[k]['recall']:.2f}/{figures[k]['f1']:.2f}"
                     for k in ("orgs", "places") if k in figures]  # fmt: skip
            print(f"  {name:<22} " + "; ".join(parts) + f"  [{figures['scorer']}]")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
