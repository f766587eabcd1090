"""Browse pages and exports on a full index, beside the search page measured in the same run.

    .venv/bin/python -m bench.navigation --index /tmp/full-main

Requests go through the app in this process (Flask's test client, body read to the end), so the
figures are server time without the network. URLs are generated from the index: every Land, the
largest Kreise and publishers (page and JSON twin), the three overviews, and exports filtered by
each Land and by the largest publishers. Baseline: the search page and the search API on the
same index (start page and a spread of the committed query mix). Targets (issue 15): browse
and export p95 <= 100 ms; the 10,000-row CSV streamed in < 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from urllib.parse import quote

from bench.queries import load_queries, spread_subset
from bench.stats import latency_summary
from search_web import create_app

TARGET_P95_MS = 100.0
TARGET_FULL_EXPORT_S = 5.0


def timed_get(client, url: str) -> tuple[float, float, int, int]:
    """(ms to the first chunk, ms to the end, status, bytes) of one request, body read to the end."""
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    chunks = iter(response.response)
    size = 0
    first = None
    for chunk in chunks:
        if first is None:
            first = time.perf_counter()
        size += len(chunk)
    done = time.perf_counter()
    response.close()
    first = first or done
    return (first - started) * 1000, (done - started) * 1000, response.status_code, size


def urls(client, units: int) -> dict[str, list[str]]:
    facets = client.get("/api/search").get_json()["facets"]
    states = [e["value"] for e in facets["state"]]
    districts = [e["value"] for e in facets["district"][:units]]
    sources = [e["value"] for e in facets["source"][:units]]
    mix = [query.query_string() for query in spread_subset(load_queries(), units)]

    def unit(segment, names, api=False):
        return [f"{'/api' if api else ''}/{segment}/{quote(name, safe='')}" for name in names]

    return {
        "browse page": unit("land", states) + unit("kreis", districts) + unit("quelle", sources),
        "browse JSON": unit("land", states, True)
        + unit("kreis", districts, True)
        + unit("quelle", sources, True),
        "overview": ["/land", "/kreis", "/quelle", "/api/land", "/api/kreis", "/api/quelle", "/ueber"],
        "export (Kreis, Herausgeber)": [f"/export.csv?place={quote(v)}" for v in districts]
        + [f"/export.jsonl?source={quote(v)}" for v in sources],
        "baseline: search page": ["/"] + [f"/?{params}" for params in mix],
        "baseline: search API": [f"/api/search?{params}" for params in mix],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.navigation")
    parser.add_argument("--index", default="/tmp/full-main")
    parser.add_argument("--units", type=int, default=30, help="Kreise, publishers and queries sampled")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="bench/results/navigation.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("AMTSBLICK_OPERATOR_NAME", "Benchmark")  # no Impressum warning in the output
    app = create_app({"INDEX_DIR": args.index})
    client = app.test_client()
    documents = client.get("/healthz").get_json()["documents"]
    groups = urls(client, args.units)
    for group in groups.values():  # one warm-up pass: caches as a running server has them
        for url in group:
            timed_get(client, url)
    report = {"index": args.index, "documents": documents, "rounds": args.rounds, "groups": {}}
    print(f"{documents:,} documents in {args.index}; {args.rounds} rounds; server time in this process\n")
    print(f"{'pages':32} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'1st byte p95':>13}")
    for name, group in groups.items():
        total_ms, first_ms = [], []
        for _ in range(args.rounds):
            for url in group:
                first, total, status, _size = timed_get(client, url)
                assert status == 200, (url, status)
                total_ms.append(total)
                first_ms.append(first)
        summary = latency_summary(total_ms)
        report["groups"][name] = {"urls": len(group), **summary, "first_byte": latency_summary(first_ms)}
        figures = (summary[key] for key in ("p50_ms", "p95_ms", "max_ms"))
        print(
            f"{name:32} {summary['count']:5} "
            + " ".join(f"{value:8.1f}" for value in figures)
            + f" {report['groups'][name]['first_byte']['p95_ms']:13.1f}"
        )
    full = []
    for url in ("/export.csv", "/export.jsonl"):
        for _ in range(args.rounds):
            first, total, status, size = timed_get(client, url)
            full.append(
                {
                    "url": url,
                    "first_byte_ms": round(first, 1),
                    "total_s": round(total / 1000, 2),
                    "bytes": size,
                }
            )
    rows = client.get("/export.csv").headers["X-Export-Rows"]
    worst = max(entry["total_s"] for entry in full)
    report["full_export"] = {"rows": int(rows), "runs": full, "worst_s": worst}
    print(f"\nfull export ({rows} rows): worst {worst:.2f} s over {len(full)} runs "
          f"(CSV and JSON Lines; first byte {max(e['first_byte_ms'] for e in full):.0f} ms)")  # fmt: skip
    browse_p95 = max(report["groups"][g]["p95_ms"] for g in ("browse page", "browse JSON", "overview"))
    # An export streams: its server time is the time to its first rows; the whole file has its own target.
    export_p95 = report["groups"]["export (Kreis, Herausgeber)"]["first_byte"]["p95_ms"]
    report["targets"] = {
        "browse_p95_ms": browse_p95,
        "export_p95_ms": export_p95,
        "met": browse_p95 <= TARGET_P95_MS and export_p95 <= TARGET_P95_MS and worst < TARGET_FULL_EXPORT_S,
    }
    print(f"targets: browse p95 {browse_p95:.1f} ms, export p95 {export_p95:.1f} ms to the first rows "
          f"(<= {TARGET_P95_MS:.0f}); "
          f"10,000-row export {worst:.2f} s (< {TARGET_FULL_EXPORT_S:.0f}) -> "
          f"{'met' if report['targets']['met'] else 'NOT met'}")  # fmt: skip
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
