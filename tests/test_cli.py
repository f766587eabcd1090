"""The command line, run as a user runs it."""

import json
import subprocess
import sys

from tests.conftest import DEMO_CORPUS, REPO


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_build_prints_summary_with_counts_rate_and_pipeline(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "body": "Text", "date": "2015-13-45"}\n', encoding="utf-8")
    result = run("build", "--index", str(tmp_path / "idx"), str(DEMO_CORPUS), str(bad), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Pipeline: offline" in result.stdout
    assert "fehlerhaft" in result.stdout and "Dok./s" in result.stdout
    assert f"{bad}:1: Datum '2015-13-45' ist ungültig" in result.stdout
    again = run("build", "--index", str(tmp_path / "idx"), str(DEMO_CORPUS), "--quiet")
    assert "0 neu, 0 geändert" in again.stdout and "unverändert" in again.stdout


def test_build_fails_only_when_nothing_could_be_indexed(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("kein json\n", encoding="utf-8")
    result = run("build", "--index", str(tmp_path / "idx"), str(bad), "--quiet")
    assert result.returncode == 1
    assert "Nichts indexiert" in result.stderr


def test_analyze_prints_one_json_line_per_document():
    records = [
        {
            "id": "1",
            "title": "Sozialraumzentrum Hermeskeil eingeweiht",
            "body": "Mit der Johanniter-Unfall-Hilfe e. V.",
        },
        {"id": "2", "title": "Unfall", "body": "Die Polizei in Konz meldet einen Unfall."},
    ]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    result = run("analyze", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["1", "2"]
    assert set(lines[0]) == {"id", "lemmas", "places", "orgs", "topics", "entities"}
    assert "Hermeskeil" in lines[0]["places"]
    assert "Johanniter-Unfall-Hilfe e. V." in lines[0]["orgs"]
    assert "Konz" in lines[1]["places"] and "Polizei" in lines[1]["orgs"]


def test_info_reports_the_pipeline_in_use():
    result = run("info")
    assert result.returncode == 0 and result.stdout.startswith("Pipeline: ")
