"""The printed table (every figure of Amtsblick beside the baselines) and the target check."""

from __future__ import annotations

import math

SYSTEM_LABELS = {"amtsblick": "Amtsblick", "whoosh_stock": "Whoosh-Standard", "sqlite_fts5": "SQLite FTS5"}

# (label, path in a system's results, format); a missing figure prints as "—"
ROWS = [
    ("Aufbau: Dok./s (Ende zu Ende)", "build.docs_per_s", "{:.0f}"),
    ("Aufbau: Dok. je CPU-Sekunde", "build.docs_per_cpu_s", "{:.0f}"),
    ("Aufbau: Sekunden", "build.seconds", "{:.1f}"),
    ("Aufbau: Prozess inkl. Start, s", "build.process_seconds", "{:.1f}"),
    ("Erneuter Lauf (unverändert), s", "rerun.seconds", "{:.2f}"),
    ("Erneuter Lauf / Aufbau", "rerun.ratio_to_build", "{:.1%}"),
    ("Indexgröße, MB", "index_mb", "{:.1f}"),
    ("Suche: erste Anfrage (kalt), ms", "query.cold_ms", "{:.0f}"),
    ("Suche: p50, ms", "query.p50_ms", "{:.1f}"),
    ("Suche: p95, ms", "query.p95_ms", "{:.1f}"),
    ("Suche: p99, ms", "query.p99_ms", "{:.1f}"),
    ("Suche: CPU p50, ms", "query.cpu_p50_ms", "{:.1f}"),
    ("Suche: CPU p95, ms", "query.cpu_p95_ms", "{:.1f}"),
    ("Suche: Anfragen mit Treffern", "query.queries_with_hits", "{:d}"),
    ("Seite / rendern: p50, ms", "render.p50_ms", "{:.1f}"),
    ("Seite / rendern: p95, ms", "render.p95_ms", "{:.1f}"),
    ("HTTP: Anfragen/s", "http.req_per_s", "{:.1f}"),
    ("HTTP: CPU je Anfrage (Worker), ms", "http.worker_cpu_ms_per_request", "{:.1f}"),
    ("HTTP: Kapazität bei freien Kernen, /s", "http.idle_capacity_req_per_s", "{:.0f}"),
    ("HTTP: p50 Client, ms", "http.client.p50_ms", "{:.0f}"),
    ("HTTP: p95 Client, ms", "http.client.p95_ms", "{:.0f}"),
    ("HTTP: p95 Server, ms", "http.server.p95_ms", "{:.0f}"),
    ("HTTP: Fehler", "http.errors", "{:d}"),
    ("RSS Indexer (Spitze), MB", "memory.indexer_peak_rss_mb", "{:.0f}"),
    ("RSS Suchprozess (Spitze), MB", "memory.search_peak_rss_mb", "{:.0f}"),
    ("RSS Web-Worker (Spitze), MB", "memory.web_worker_peak_rss_mb", "{:.0f}"),
    ("  davon privat (RssAnon), MB", "memory.web_worker_private_mb", "{:.0f}"),
    ("Indexer privat (Spitze), MB", "memory.indexer_peak_private_mb", "{:.0f}"),
    ("Suchprozess privat (Spitze), MB", "memory.search_peak_private_mb", "{:.0f}"),
]

# The lead's targets: (label, path in Amtsblick's results, comparison, bound)
TARGETS = [
    ("Aufbau ≥ 250 Dok./s", "build.docs_per_s", ">=", 250),
    ("Erneuter Lauf < 10 % des Aufbaus", "rerun.ratio_to_build", "<", 0.10),
    ("Suche p50 ≤ 30 ms", "query.p50_ms", "<=", 30),
    ("Suche p95 ≤ 100 ms", "query.p95_ms", "<=", 100),
    ("HTTP ≥ 60 Anfragen/s bei 16 Clients", "http.req_per_s", ">=", 60),
    ("HTTP p95 ≤ 300 ms", "http.client.p95_ms", "<=", 300),
    ("HTTP ohne Fehler", "http.errors", "<=", 0),
    ("Web-Worker RSS ≤ 350 MB", "memory.web_worker_peak_rss_mb", "<=", 350),
    ("Indexer RSS ≤ 2,5 GB", "memory.indexer_peak_rss_mb", "<=", 2560),
]


def lookup(data: dict, path: str):
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if fmt == "{:d}":
        return str(int(value))
    return fmt.format(value)


def _ratio(a, b) -> str:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or not b:
        return ""
    return f"×{a / b:.2f}"


def table(systems: dict[str, dict]) -> str:
    names = [name for name in SYSTEM_LABELS if name in systems]
    header = ["Kennzahl", *(SYSTEM_LABELS[n] for n in names)]
    baselines = [n for n in names if n != "amtsblick"]
    if "amtsblick" in names:
        header += [f"A/{SYSTEM_LABELS[n].split()[0]}" for n in baselines]
    rows = [header]
    for label, path, fmt in ROWS:
        values = [lookup(systems[n], path) for n in names]
        if all(v is None for v in values):
            continue
        row = [label, *(_cell(v, fmt) for v in values)]
        if "amtsblick" in names:
            mine = lookup(systems["amtsblick"], path)
            row += [_ratio(mine, lookup(systems[n], path)) if "%" not in fmt else "" for n in baselines]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:])]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def kind_table(systems: dict[str, dict]) -> str:
    """p50/p95 per query kind, one column pair per system."""
    names = [name for name in SYSTEM_LABELS if lookup(systems.get(name, {}), "query.by_kind")]
    if not names:
        return ""
    kinds = list(systems[names[0]]["query"]["by_kind"])
    header = ["Anfrageart (p50/p95 ms)", *(SYSTEM_LABELS[n] for n in names)]
    rows = [header]
    for kind in kinds:
        row = [kind]
        for name in names:
            entry = systems[name]["query"]["by_kind"].get(kind)
            row.append(f"{entry['p50_ms']:.1f} / {entry['p95_ms']:.1f}" if entry else "—")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join([row[0].ljust(widths[0])] + [c.rjust(widths[i + 1]) for i, c in enumerate(row[1:])])
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def check_targets(amtsblick: dict) -> list[dict]:
    checks = []
    for label, path, op, bound in TARGETS:
        value = lookup(amtsblick, path)
        if value is None:
            met = None
        elif op == ">=":
            met = value >= bound
        elif op == "<=":
            met = value <= bound
        else:
            met = value < bound
        checks.append({"target": label, "figure": path, "value": value, "bound": bound, "met": met})
    return checks


def target_lines(checks: list[dict]) -> list[str]:
    marks = {True: "erfüllt", False: "VERFEHLT", None: "nicht gemessen"}
    return [f"  {marks[c['met']]:<14} {c['target']}  (gemessen: {c['value']})" for c in checks]
