"""The short form of bench/hostile_load.py: generated attack requests (the query grammar and the cases
of issue 14) through the production server (scripts/serve.sh, 2 sync workers) on the demo index.
The full runs (10,000 requests and the 60 s mixed load on the shared corpus) are benchmarks:
docs/serving.md, "Hostile load"."""

from __future__ import annotations

from bench.hostile_load import run_hostile

MAX_SERVER_MS = 2000


def test_hostile_requests_through_gunicorn_never_give_5xx_and_stay_under_2_s(demo_index):
    report = run_hostile(demo_index, requests=120, clients=4, seed=1)
    assert report["requests"] == 120
    assert report["failures"] == [], report["failures"][:5]
    assert report["server_ms"] and max(report["server_ms"]) < MAX_SERVER_MS, report["slowest"]
    assert report["statuses"].get("400", 0) > 0  # the untrusted Host headers were refused, not served
