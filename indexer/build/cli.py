"""Command line: `python -m indexer build|analyze|import-places|info`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from indexer.config import ModelError, ReferenceDataMissing, gazetteer_dir

# One build worker per core; each holds the pipeline and a chunk (~850 MB at peak), so not more than 4.
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 4))


def _build(args: argparse.Namespace) -> int:
    from indexer.build.build import build_index
    from indexer.ingest.crawl.options import DEFAULT_CACHE_NAME, CrawlOptions

    crawl = CrawlOptions(
        rate=args.rate,
        cache_dir=Path(args.cache_dir) if args.cache_dir else Path(args.index) / DEFAULT_CACHE_NAME,
        max_pages=args.max_pages,
        report=print,
    )
    summary = build_index(
        Path(args.index),
        args.inputs,
        prune=args.prune,
        batch_size=args.batch_size,
        workers=args.workers,
        show_progress=not args.quiet,
        crawl=crawl,  # URLs among the inputs are crawled with these settings
    )
    for line in summary.lines():
        print(line)
    if summary.errors and summary.indexed + summary.unchanged == 0:
        print("Nichts indexiert: alle Eingaben waren fehlerhaft.", file=sys.stderr)
        return 1
    return 0


def _analyze(args: argparse.Namespace) -> int:
    from indexer.build.build import analyse_records

    handle = open(args.file, encoding="utf-8") if args.file else sys.stdin  # noqa: SIM115 (stdin or file)
    failed = 0

    def records():
        nonlocal failed
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("kein JSON-Objekt")
            except ValueError as error:
                failed += 1
                print(f"Zeile {number}: übersprungen ({error})", file=sys.stderr)
                continue
            yield record

    for result in analyse_records(records()):
        print(json.dumps(result, ensure_ascii=False))
        if "error" in result:
            failed += 1
            where = f"id {result['id']!r}: Sprachanalyse fehlgeschlagen ({result['error']})"
            print(f"{where}; die übrigen gehen weiter, bitte melden (docs/operations.md)", file=sys.stderr)
    return 1 if failed else 0


def _info(args: argparse.Namespace) -> int:
    from indexer.enrich.pipeline import build_pipeline, pipeline_description

    print(f"Pipeline: {pipeline_description(build_pipeline())}")
    return 0


def _import_places(args: argparse.Namespace) -> int:
    from indexer.enrich.import_places import import_geonames

    source = Path(args.file)
    if not source.is_file():
        print(
            f"Fehler: Datei nicht gefunden: {source}. Bitte den Pfad zu GeoNames' DE.txt angeben.",
            file=sys.stderr,
        )
        return 2
    result = import_geonames(source, gazetteer_dir(), Path(args.out) if args.out else None)
    for message in result.bad_lines[:20]:
        print(f"{source}: {message}", file=sys.stderr)
    print(f"{result.rows} Ortsteile nach {result.out} geschrieben ({result.skipped} Zeilen übersprungen, "
          f"{len(result.bad_lines)} fehlerhaft). Der nächste Indexlauf liest sie.")  # fmt: skip
    return 0


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' ist keine positive Zahl")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' ist keine positive ganze Zahl")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Amtsblick-Indexer")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="Index aus Dateien oder Archiven bauen/aktualisieren")
    build.add_argument("--index", required=True, help="Indexordner")
    build.add_argument("inputs", nargs="+", help=".jsonl-/.html-/.txt-Dateien, Ordner oder Archiv-URLs")
    build.add_argument(
        "--prune", action="store_true", help="Dokumente entfernen, die in keiner Eingabe mehr stehen"
    )
    build.add_argument("--batch-size", type=int, default=64)
    build.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"Prozesse für NLP und Indexierung (Standard: {DEFAULT_WORKERS}, je Kern einer, höchstens 4)",
    )
    build.add_argument("--quiet", action="store_true", help="keinen Fortschrittsbalken zeigen")
    crawl = build.add_argument_group("Crawlen (wenn eine URL angegeben ist)")
    crawl.add_argument("--rate", type=_positive_float, default=1.0, help="Anfragen je Sekunde (Standard 1)")
    crawl.add_argument("--cache-dir", help="Seiten-Cache und Crawl-Stand (Standard: INDEX/.amtsblick-cache)")
    crawl.add_argument("--max-pages", type=_positive_int, default=2000, help="Meldungen je Archiv höchstens")
    build.set_defaults(run=_build)

    analyze = commands.add_parser("analyze", help="NLP-Ergebnis je Dokument als JSON Lines ausgeben")
    analyze.add_argument("file", nargs="?", help="JSON-Lines-Datei (Standard: stdin)")
    analyze.set_defaults(run=_analyze)

    places = commands.add_parser("import-places", help="Ortsteile aus GeoNames DE.txt übernehmen")
    places.add_argument("file", help="GeoNames-Datei DE.txt (download.geonames.org/export/dump/DE.zip)")
    places.add_argument("--out", help="Zieldatei (Standard: ortsteile_de.tsv im Ortsverzeichnis-Ordner)")
    places.set_defaults(run=_import_places)

    info = commands.add_parser("info", help="verwendete NLP-Pipeline anzeigen")
    info.set_defaults(run=_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ReferenceDataMissing, ModelError) as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Abgebrochen; der Index ist unverändert.", file=sys.stderr)
        return 130
