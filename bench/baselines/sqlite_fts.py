"""Baseline (b): SQLite FTS5 out of the box (the sqlite3 module of the standard library).

One FTS5 table with title and body (`unicode61 remove_diacritics 2`: lower-case,
diacritics folded, no stemming, no stop words) beside a plain table with id,
source, year and date under the same rowid. Ranking is `bm25` with the title
weighted like Amtsblick's (2:1), snippets come from `snippet()`, facet counts
from GROUP BY over the matching rowids.

The query is translated the way a stock set-up would: every word an OR term,
quoted phrases stay phrases, `term*` stays a prefix query. Filters without a
column (place, org, topic) must occur in the text (AND), as in baseline (a).
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from bench.baselines import build_figures
from bench.corpus import read_records

TITLE_WEIGHT = 2.0
TEXT_FILTERS = ("place", "org", "topic")
_TOKEN = re.compile(r'"[^"]*"|\S+')
DB_NAME = "fts.sqlite3"

SCHEMA = """
CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, source TEXT, year TEXT, date TEXT, url TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE INDEX docs_date ON docs(date);
"""


def build(index_dir: Path, inputs: list[Path]) -> dict:
    started, cpu_started = time.perf_counter(), time.process_time()
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / DB_NAME
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    count = 0
    with db:  # one transaction
        for rowid, record in enumerate(read_records(inputs), start=1):
            date = record.get("date") or None
            db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                (
                    rowid,
                    record["id"],
                    record.get("source") or "",
                    date[:4] if date else None,
                    date,
                    record.get("url") or "",
                ),
            )
            db.execute(
                "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                (rowid, record.get("title") or "", record.get("body") or ""),
            )
            count = rowid
    commit_started = time.perf_counter()
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")  # merge the b-trees, like a commit
    db.commit()
    db.close()
    return build_figures(count, started, cpu_started, commit_started, "Optimize")


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(text: str) -> str:
    """The user's words as an FTS5 OR query; phrases and prefixes kept."""
    terms = []
    for token in _TOKEN.findall(text):
        if token.startswith('"'):
            inner = token.strip('"').strip()
            if re.search(r"\w", inner):
                terms.append(_phrase(inner))
            continue
        word = " ".join(re.findall(r"\w+", token))
        if word:
            terms.append(_phrase(word) + ("*" if token.endswith("*") else ""))
    return " OR ".join(terms)


class FtsSearcher:
    def __init__(self, index_dir: Path):
        # check_same_thread=False is unused here (one thread), but keeps the searcher usable from a pool
        self.db = sqlite3.connect(index_dir / DB_NAME, check_same_thread=False)

    def _match(self, params: dict[str, list[str]]) -> str:
        text = (params.get("q") or [""])[0].strip()
        parts = [f"({match_expression(text)})"] if match_expression(text) else []
        for name in TEXT_FILTERS:
            parts += [_phrase(value) for value in params.get(name, []) if re.search(r"\w", value)]
        return " AND ".join(parts)

    @staticmethod
    def _where(params: dict[str, list[str]]) -> tuple[list[str], list[str]]:
        clauses, args = [], []
        for name in ("source", "year"):
            values = params.get(name) or []
            if values:
                clauses.append(f"d.{name} IN ({', '.join('?' * len(values))})")
                args += values
        for name, op in (("from", ">="), ("to", "<=")):
            value = (params.get(name) or [""])[0]
            if value:
                clauses.append(f"d.date {op} ?")
                args.append(value)
        return clauses, args

    def search(self, params: dict[str, list[str]]) -> dict:
        match = self._match(params)
        clauses, args = self._where(params)
        page = int((params.get("page") or ["1"])[0])
        per_page = int((params.get("per_page") or ["10"])[0])
        has_text = bool((params.get("q") or [""])[0].strip())
        by_date = (params.get("sort") or [""])[0] == "date" or not has_text
        if match:
            where = " AND ".join(["fts MATCH ?", *clauses])
            where_args = [match, *args]
            snippet = "snippet(fts, 1, '<mark>', '</mark>', ' … ', 24)"
            order = "d.date DESC" if by_date else f"bm25(fts, {TITLE_WEIGHT}, 1.0)"
            matching = "d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
        else:
            where = " AND ".join(clauses) or "1"
            where_args = list(args)
            snippet, order, matching = "substr(fts.body, 1, 240)", "d.date DESC", "1"
        rows = self.db.execute(
            f"SELECT d.id, fts.title, {snippet} FROM fts JOIN docs d ON d.rowid = fts.rowid "
            f"WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*where_args, per_page, (page - 1) * per_page],
        ).fetchall()
        total = self.db.execute(
            f"SELECT count(*) FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE {where}", where_args
        ).fetchone()[0]
        facet_where = " AND ".join([matching, *clauses])
        facet_args = ([match] if match else []) + args
        facets = {
            name: dict(
                self.db.execute(
                    f"SELECT d.{name}, count(*) FROM docs d WHERE {facet_where} GROUP BY d.{name}",
                    facet_args,
                ).fetchall()
            )
            for name in ("source", "year")
        }
        return {
            "total": total,
            "hits": [{"id": i, "title": t, "snippet": s} for i, t, s in rows],
            "facets": facets,
        }


def search_function(index_dir: Path):
    return FtsSearcher(index_dir).search
