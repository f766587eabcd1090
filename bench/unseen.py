"""Entity quality on the unseen gold set (issue 12), per publisher.

    .venv/bin/python -m bench.unseen [--half dev|test] [--errors]

Gold: `bench/data/entities_unseen_{half}.jsonl` (rules in ENTITIES_UNSEEN.md),
annotated by reading, by a helper who had not seen the rules. The documents are
read from the shared corpus at run time (JSONL ids, or html/ and seed/ paths).
Document level, like `bench.entities`: the sets of canonical place names
(gazetteer names; "with unlisted" adds Stadtteile, villages, foreign places)
and organisation names (legal forms ignored). `rows` checks the ambiguous
names: the share of the gold's `place_keys` the system resolved to that very
row (ARS or Berlin RBS code).

Organisation names of the gold are compared under revision 3 of O2/O5 (a bare
name the publisher decides is the publisher's body, the gold's `orgs_revision3`);
`--as-annotated` compares the names as read.

Develop on `dev`; run `test` once, at the end, and report it untouched.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from bench.entities import gold_orgs, org_keys, prf
from indexer.build.build import analyse_records
from indexer.config import reference_data_dir
from indexer.gazetteer import OWN_SUBDIVISION_KINDS, default_gazetteer
from indexer.ingest.inputs import expand_inputs, read_inputs

HERE = Path(__file__).resolve().parent


def gold_path(half: str) -> Path:
    return HERE / "data" / f"entities_unseen_{half}.jsonl"


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_documents(ids: list[str]) -> dict[str, dict]:
    """The gold's documents from the shared corpus: JSONL by id, html/ and seed/ by path."""
    corpus = reference_data_dir() / "corpus"
    records = {}
    by_path = [i for i in ids if i.startswith(("html/", "seed/"))]
    for doc_id in by_path:
        for item in read_inputs(expand_inputs([str(corpus / doc_id)])):
            if hasattr(item, "title"):
                records[doc_id] = {
                    "id": doc_id,
                    "title": item.title,
                    "body": item.body,
                    "source": item.source,
                }
                break
    wanted = set(ids) - set(by_path)
    for path in sorted(corpus.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                if item.get("id") in wanted:
                    records[item["id"]] = {
                        "id": item["id"],
                        "title": item.get("title") or "",
                        "body": item.get("body") or "",
                        "source": item.get("source") or "",
                    }
    return records


def _row_code(place) -> str:
    return place.ars if place.ars else ""


def evaluate(gold: list[dict], as_annotated: bool = False) -> dict:
    gazetteer = default_gazetteer()
    records = load_documents([g["id"] for g in gold])
    results = {
        r["id"]: r for r in analyse_records(iter(records[g["id"]] for g in gold if g["id"] in records))
    }
    kinds = ("places", "places_all", "orgs")
    counts = defaultdict(lambda: {k: [0, 0, 0] for k in kinds})
    rows = [0, 0]
    errors = []
    for entry in gold:
        found = results.get(entry["id"])
        if found is None:
            errors.append({"id": entry["id"], "kind": "missing document"})
            continue
        predicted = [gazetteer.by_key.get(key) for key in found["places"]]
        listed = {
            p.name
            for p in predicted
            if p is not None and p.level != "world" and p.kind not in OWN_SUBDIVISION_KINDS
        }
        everything = {
            p.name if p is not None else key for p, key in zip(predicted, found["places"], strict=True)
        }
        codes = {_row_code(p) for p in predicted if p is not None}
        for code in entry.get("place_keys", {}).values():
            rows[0] += code in codes
            rows[1] += 1
        sets = {
            "places": (set(entry["places"]), listed),
            "places_all": (set(entry["places"]) | set(entry["places_unlisted"]), everything),
            "orgs": (
                gold_orgs(entry, as_annotated),
                org_keys(found["orgs"]),
            ),
        }
        for kind, (expected, got) in sets.items():
            for tally in (counts[entry["publisher"]][kind], counts["ALL"][kind]):
                tally[0] += len(expected & got)
                tally[1] += len(got)
                tally[2] += len(expected)
            if expected != got:
                errors.append(
                    {
                        "id": entry["id"],
                        "kind": kind,
                        "missed": sorted(expected - got),
                        "spurious": sorted(got - expected),
                    }
                )
    scores = {pub: {k: prf(*v) for k, v in c.items()} for pub, c in counts.items()}
    return {"documents": len(results), "scores": scores, "rows": rows, "errors": errors}


def _cell(score: dict) -> str:
    if not score["expected"] and not score["predicted"]:
        return "– (none, none)"  # nothing to find and nothing found: no F1, not 0.00
    return f"{score['f1']:.2f} ({score['precision']:.2f}/{score['recall']:.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--half", default="dev", choices=("dev", "test"))
    parser.add_argument("--errors", action="store_true", help="list the differences")
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument("--as-annotated", action="store_true", help="gold orgs without revision 3 (O2/O5)")
    args = parser.parse_args(argv)
    path = gold_path(args.half)
    if not path.is_file():
        print(f"Goldstandard fehlt: {path} (Hälfte {args.half!r} noch nicht annotiert?)")
        return 1
    result = evaluate(load_gold(path), args.as_annotated)
    print(
        f"Unseen gold, {args.half} half ({result['documents']} docs); F1 (P/R) per publisher; "
        "targets on test: places >= 0.90, orgs >= 0.85, every publisher >= 0.80"
    )
    print(f"{'publisher':38} {'places':>16} {'places+unlisted':>16} {'orgs':>16}")
    order = sorted(p for p in result["scores"] if p != "ALL") + ["ALL"]
    for pub in order:
        s = result["scores"][pub]
        cells = [_cell(s[k]) for k in ("places", "places_all", "orgs")]
        print(f"{pub[:38]:38} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}")
    right, total = result["rows"]
    print(f"ambiguous names resolved to the gold's row: {right}/{total}")
    if args.errors:
        for error in result["errors"]:
            print(json.dumps(error, ensure_ascii=False))
    if args.out:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
