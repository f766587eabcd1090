"""`python -m search_web --index DIR --port N`: serve the UI on localhost."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from search_web import create_app
from search_web.search import unreadable_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_web", description="Amtsblick-Weboberfläche")
    parser.add_argument("--index", default="index", help="Indexordner (Standard: index)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--check", action="store_true", help="nur prüfen, ob der Index lesbar ist")
    args = parser.parse_args(argv)
    if args.check:
        problem = unreadable_index(Path(args.index))
        print(problem or f"Index '{args.index}' ist lesbar.", file=sys.stderr if problem else sys.stdout)
        return 2 if problem else 0
    if not (Path(args.index) / "build.json").is_file() and not Path(args.index).is_dir():
        print(f"Kein Index in '{args.index}'. Erst bauen: .venv/bin/python -m indexer build "
              f"--index {args.index} corpus/", file=sys.stderr)  # fmt: skip
        return 2
    app = create_app({"INDEX_DIR": args.index})
    print(f"Amtsblick läuft auf http://{args.host}:{args.port}/  (Index: {args.index})")
    app.run(host=args.host, port=args.port, debug=False, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
