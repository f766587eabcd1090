"""The committed query mix: one query per line, grouped under `# kind: NAME` headers.

A line is either what a person types into the search box (`einbruch kita`,
`"versuchter totschlag"`, `brand*`) or URL-style parameters as the web page
sends them (`q=einbruch&place=Neukölln`, `source=Polizei Berlin&year=2021`,
`q=unfall&page=50`). Other lines starting with `#` are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode

DEFAULT_QUERIES = Path(__file__).resolve().parent / "data" / "queries.txt"
_KIND_HEADER = re.compile(r"#\s*kind:\s*(\S+)")
_PARAMS_LINE = re.compile(r"^[a-z_]+=")


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    line: str
    params: dict[str, list[str]]

    def query_string(self) -> str:
        """The parameters as the browser sends them (for HTTP requests)."""
        return urlencode(self.params, doseq=True)


def parse_line(line: str) -> dict[str, list[str]]:
    if _PARAMS_LINE.match(line):
        return parse_qs(line, keep_blank_values=False)
    return {"q": [line]}


def load_queries(path: Path = DEFAULT_QUERIES) -> list[BenchQuery]:
    queries, kind = [], "unsorted"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = _KIND_HEADER.match(line)
            kind = header.group(1) if header else kind
            continue
        params = parse_line(line)
        if not params:
            raise ValueError(f"{path}:{number}: keine Parameter in '{line}'")
        queries.append(BenchQuery(kind, line, params))
    return queries


def spread_subset(queries: list[BenchQuery], limit: int | None) -> list[BenchQuery]:
    """At most `limit` queries, taken round-robin over the kinds so every kind stays in."""
    if limit is None or limit >= len(queries):
        return list(queries)
    groups: dict[str, list[BenchQuery]] = {}
    for query in queries:
        groups.setdefault(query.kind, []).append(query)
    chosen: list[BenchQuery] = []
    depth = 0
    while len(chosen) < limit:
        for group in groups.values():
            if depth < len(group) and len(chosen) < limit:
                chosen.append(group[depth])
        depth += 1
    return chosen
