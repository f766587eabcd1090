"""The benchmark suite, run as a user runs it, on a small slice of the shared corpus.

`python -m bench.run` on 200 documents and 20 queries (every query kind), with a short HTTP
phase against the real gunicorn server: every figure must be there for Amtsblick and both
baselines, and the figures must describe the same work (same documents, same queries).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from bench.baselines import sqlite_fts, whoosh_stock
from bench.baselines.sqlite_fts import match_expression
from bench.corpus import enlarged_records, interleaved_lines, shared_corpus_files, write_sample
from bench.queries import load_queries, spread_subset
from indexer.engine.duplicates import body_fingerprint
from tests.conftest import REPO

DOCS = 200
QUERIES = 20
SYSTEMS = ("amtsblick", "whoosh_stock", "sqlite_fts5")


def _number(value) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)


@pytest.fixture(scope="module")
def bench_report(tmp_path_factory) -> tuple[dict, str]:
    if not shared_corpus_files():
        pytest.skip("shared corpus not found (set AMTSBLICK_DATA to the folder that holds corpus/)")
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--docs",
            str(DOCS),
            "--max-queries",
            str(QUERIES),
            "--http-seconds",
            "3",
            "--out",
            str(out),
            "--quiet",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def test_every_system_indexes_the_same_documents(bench_report):
    report, _ = bench_report
    assert report["meta"]["docs"] == DOCS
    for system in SYSTEMS:
        build = report["systems"][system]["build"]
        assert build["indexed"] + build.get("duplicates", 0) == DOCS, system  # Amtsblick skips duplicates
        assert build["docs_per_s"] > 0 and build["seconds"] > 0, system
        assert build["docs_per_cpu_s"] > 0 and build["cpu_seconds"] > 0, system
        assert report["systems"][system]["index_mb"] > 0, system


def test_every_system_answers_the_same_queries_with_latency_percentiles(bench_report):
    report, _ = bench_report
    for system in SYSTEMS:
        query = report["systems"][system]["query"]
        assert query["count"] == QUERIES, system
        assert len(query["totals"]) == QUERIES, system
        assert 0 < query["p50_ms"] <= query["p95_ms"] <= query["p99_ms"] <= query["max_ms"], system
        assert _number(query["cold_ms"]), system
        assert 0 <= query["cpu_p50_ms"] <= query["cpu_p95_ms"] <= query["cpu_p99_ms"], system
        assert query["queries_with_hits"] > QUERIES // 2, system  # a broken search would find nothing
        assert set(query["by_kind"]) == {q.kind for q in load_queries()}, system


def test_every_system_reports_its_peak_memory(bench_report):
    report, _ = bench_report
    for system in SYSTEMS:
        memory = report["systems"][system]["memory"]
        assert memory["indexer_peak_rss_mb"] > 0 and memory["search_peak_rss_mb"] > 0, system
        assert 0 < memory["search_peak_private_mb"] <= memory["search_peak_rss_mb"], system
    worker = report["systems"]["amtsblick"]["memory"]
    assert 0 < worker["web_worker_private_mb"] <= worker["web_worker_peak_rss_mb"]


def test_amtsblick_build_reports_its_stages_and_an_unchanged_rerun(bench_report):
    report, _ = bench_report
    amtsblick = report["systems"]["amtsblick"]
    assert {"Lesen", "Commit"} <= set(amtsblick["build"]["stage_seconds"])
    rerun = amtsblick["rerun"]
    assert rerun["indexed"] == 0 and rerun["unchanged"] + rerun["duplicates"] == DOCS
    assert amtsblick["build"]["from_cache"] == 0  # a fresh index: every document went through NLP
    assert _number(rerun["ratio_to_build"]) and rerun["seconds"] < amtsblick["build"]["seconds"]


def test_amtsblick_pages_and_http_answer_without_errors(bench_report):
    report, _ = bench_report
    amtsblick = report["systems"]["amtsblick"]
    assert amtsblick["render"]["count"] == QUERIES and amtsblick["render"]["failures"] == 0
    http = amtsblick["http"]
    assert http["clients"] == 16 and http["requests"] > 0 and http["errors"] == 0
    assert http["req_per_s"] > 0 and http["workers"] >= 1
    assert http["worker_cpu_ms_per_request"] > 0 and http["idle_capacity_req_per_s"] > 0
    assert 0 < http["client"]["p50_ms"] <= http["client"]["p95_ms"]
    assert http["server"]["count"] > 0  # server-side times parsed from gunicorn's access log


def test_report_prints_amtsblick_beside_both_baselines_and_the_targets(bench_report):
    report, stdout = bench_report
    header = next(line for line in stdout.splitlines() if line.startswith("Kennzahl"))
    assert "Amtsblick" in header and "Whoosh-Standard" in header and "SQLite FTS5" in header
    assert "Suche: p95, ms" in stdout
    assert len(report["targets"]) >= 9
    assert all(target["met"] is not None for target in report["targets"])


def test_small_samples_mix_every_publisher_of_the_police_corpus():
    if not shared_corpus_files():
        pytest.skip("shared corpus not found (set AMTSBLICK_DATA to the folder that holds corpus/)")
    first = [json.loads(line) for line in interleaved_lines(shared_corpus_files())[:DOCS]]
    sources = {record["source"] for record in first}
    assert {"Polizei Berlin", "Polizeipräsidium Frankfurt am Main"} <= sources
    years = {
        record["date"][:4] for record in first if record["source"] == "Polizeipräsidium Frankfurt am Main"
    }
    assert len(years) >= 10  # spread over the file's two decades, not its first weeks


def test_query_subset_keeps_every_kind():
    queries = load_queries()
    assert len(queries) >= 200
    assert {q.kind for q in spread_subset(queries, QUERIES)} == {q.kind for q in queries}


def test_fts_query_keeps_phrases_and_prefixes_and_ors_the_words():
    assert match_expression('einbruch "schwerer raub" einbr*') == '"einbruch" OR "schwerer raub" OR "einbr"*'
    assert match_expression('"" * -') == ""


def test_enlarged_copies_are_new_documents_with_dates_shifted_by_whole_years():
    original = {
        "id": "p-1",
        "title": "Brand",
        "body": "Ein Brand im Keller.",
        "date": "2020-02-29",
        "url": "https://example.org/1",
        "source": "Polizei",
    }
    records = list(enlarged_records([json.dumps(original)], 3))
    assert [r["id"] for r in records] == ["p-1", "p-1~1", "p-1~2"]
    assert [r["date"] for r in records] == ["2020-02-29", "2019-02-28", "2018-02-28"]
    # the product indexes a release published twice once: copies must not look like that
    assert len({body_fingerprint(r["body"]) for r in records}) == 3
    assert len({r["url"] for r in records}) == 3


@pytest.mark.parametrize("system", ["whoosh_stock", "sqlite_fts5"])
def test_baseline_totals_under_a_filter_match_their_facet_counts(system, tmp_path):
    if not shared_corpus_files():
        pytest.skip("shared corpus not found (set AMTSBLICK_DATA to the folder that holds corpus/)")
    sample = tmp_path / "sample.jsonl"
    write_sample(sample, 300)
    module = whoosh_stock if system == "whoosh_stock" else sqlite_fts
    module.build(tmp_path / "index", [sample])
    search = module.search_function(tmp_path / "index")
    everything = search({"q": ["polizei"]})
    year, count = max(everything["facets"]["year"].items(), key=lambda item: item[1])
    filtered = search({"q": ["polizei"], "year": [year]})
    assert filtered["total"] == count < everything["total"]
    assert filtered["facets"]["year"] == {year: count}
