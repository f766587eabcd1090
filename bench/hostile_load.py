"""Hostile load (issue 14): generated attack requests through the production server (scripts/serve.sh).

Two runs against an existing index, both on 127.0.0.1 and bounded in time:

``hostile``: N generated hostile requests (the query grammar of tests/test_fuzz.py: operators, brackets,
quotes, ranges, wildcards, fuzzy terms, field prefixes in any order, plus the cases of the issue: open
ranges, 26 ranges, 26 prefixes, 50 misspellings, odd Host headers) on every search endpoint. Target:
0 answers >= 500, every one under 2 s server-side (gunicorn's access log, %(D)s).

``mixed``: C clients for S seconds, one request in ten an attack query, the rest the ordinary benchmark
queries (bench/data/queries.txt). Target: the ordinary queries' p95 <= 300 ms, 0 errors. Reported both
server-side (the worker's time) and client-side (including the wait for a free worker).

    .venv/bin/python -m bench.hostile_load hostile --index /tmp/full-main --requests 10000
    .venv/bin/python -m bench.hostile_load mixed --index /tmp/full-main --seconds 60 --clients 16
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import socket
import string
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import http_load
from bench.http_load import Server
from bench.queries import load_queries
from bench.stats import latency_summary

WORDS = ["Kreis", "Polizei", "Feuerwehr", "Einbruch", "Unfall", "Schule", "Konz", "Hermeskeil", "Not", "and"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "-", "+", "TO"]
PREFIXES = ["", "", "", "title:", "body:", "exact:", "place:", "id:", "date:", "nosuchfield:", "-"]
SYNTAX = ["(", ")", '"', "[", "]", "{", "}", ":", "^", "~", "*", "?"]
ENDPOINTS = ["/api/search", "/api/search", "/", "/feed.atom", "/api/suggest"]
HOSTS = ["127.0.0.1", "evil.example", "evil.example:8000", "", "a" * 300, "127.0.0.1:1/x"]
_LOG_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)us')
ATTACK_MARK = "bench=attack"  # an unknown parameter, ignored by the app, marks attacks in the access log


def issue_cases(rng: random.Random) -> list[str]:
    letters = string.ascii_lowercase
    misspelt = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(6, 10))) for _ in range(50))
    return [
        "{b TO}",
        "{" + rng.choice(letters) + " TO}",
        " ".join(f"[{c} TO {c}zzz]" for c in letters),
        " ".join(f"{c}*" for c in letters),
        misspelt,
        " ".join(f"{w}~2" for w in WORDS),
        "Kreis NOT NOT Kreis",
        "Kreis NOT OR Konz",
        "Kreis -AND Konz",
        "NOT ANDMAYBE Kreis",
        "Kreis ANDNOT ANDNOT Konz",
        "NOT NOT",
        "ANDMAYBE ANDMAYBE Kreis",
    ]


def grammar_query(rng: random.Random) -> str:
    def atom() -> str:
        word = rng.choice(WORDS)
        return rng.choice(
            [
                word,
                f"{word[: rng.randint(1, 3)]}*",
                f"*{word[2:]}",
                f"{word[:2]}?{word[3:]}",
                f"{word}~{rng.choice(['', '1', '2', '9'])}",
                f"{word}^{rng.choice(['2', '0.5', 'x'])}",
                f'"{word} {rng.choice(WORDS)}"',
                f'"{word}',
                " TO ".join((rng.choice("[{") + rng.choice(["", "a", "2015"]), rng.choice(["", "z", "2016"])))
                + rng.choice("]}"),
            ]
        )

    tokens = []
    for _ in range(rng.randint(1, 14)):
        kind = rng.random()
        if kind < 0.5:
            tokens.append(rng.choice(PREFIXES) + atom())
        elif kind < 0.8:
            tokens.append(rng.choice(OPERATORS))
        else:
            tokens.append(rng.choice(SYNTAX))
    return " ".join(tokens)


def attack_query(rng: random.Random) -> str:
    return rng.choice(issue_cases(rng)) if rng.random() < 0.4 else grammar_query(rng)


def hostile_request(rng: random.Random) -> tuple[str, str]:
    """(path, Host header) of one hostile request."""
    endpoint = rng.choice(ENDPOINTS)
    params = [("q", attack_query(rng))]
    if rng.random() < 0.2:
        params.append(
            (rng.choice(["page", "per_page", "sort", "from", "place"]), rng.choice(["-1", "x", "9999"]))
        )
    path = f"{endpoint}?{urlencode(params)}"
    if rng.random() < 0.05:
        path = rng.choice(
            ["/doc/" + quote("x" * 5000), "/opensearch.xml", "/ort", "/healthz", "/ort/" + "a" * 300]
        )
    return path, rng.choice(HOSTS) if rng.random() < 0.1 else "127.0.0.1"


def _send(port: int, jobs: list, results: list, lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while True:
        with lock:
            if not jobs:
                break
            path, host, kind = jobs.pop()
        started = time.perf_counter()
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host) if host else None
            connection.endheaders()
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException, ValueError) as error:
            status = type(error).__name__
        connection.close()  # sync workers close every connection anyway
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        results.append((kind, status, (time.perf_counter() - started) * 1000))


def access_times(log: Path) -> list[tuple[str, int, float]]:
    """(path, status, server-side ms) of every logged request."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [(m.group(1), int(m.group(2)), int(m.group(3)) / 1000) for m in map(_LOG_LINE.search, lines) if m]


def run_hostile(index: Path, requests: int, clients: int, seed: int) -> dict:
    """Send the generated hostile requests; the statuses and the server- and client-side times."""
    rng = random.Random(seed)
    jobs = [(*hostile_request(rng), "attack") for _ in range(requests)]
    with tempfile.TemporaryDirectory(prefix="amtsblick-hostile-") as tmp:
        log = Path(tmp) / "access.log"
        with Server(index, log) as server:
            server.wait_ready()
            results: list = []
            lock = threading.Lock()
            began = time.perf_counter()
            threads = [
                threading.Thread(target=_send, args=(server.port, jobs, results, lock))
                for _ in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            time.sleep(1)
            logged = access_times(log)
    statuses: dict = {}
    for _kind, status, _ms in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    server_ms = [ms for path, _status, ms in logged if path != "/healthz"]
    return {
        "requests": len(results),
        "seconds": elapsed,
        "clients": clients,
        "seed": seed,
        "statuses": statuses,
        "failures": [r for r in results if not isinstance(r[1], int) or r[1] >= 500],
        "server_ms": server_ms,
        "slowest": sorted(logged, key=lambda entry: -entry[2])[:5],
        "client_ms": [r[2] for r in results],
    }


def print_hostile(report: dict) -> int:
    server_ms = report["server_ms"]
    print(f"hostile: {report['requests']} requests in {report['seconds']:.0f} s with {report['clients']} "
          f"clients (seed {report['seed']})")  # fmt: skip
    print(f"  statuses: {dict(sorted(report['statuses'].items()))}")
    print(f"  5xx or no answer: {len(report['failures'])}")
    print(f"  server-side ms: {latency_summary(server_ms)}; over 2 s: {sum(ms >= 2000 for ms in server_ms)}")
    print(f"  client-side ms: {latency_summary(report['client_ms'])}")
    for path, status, ms in report["slowest"]:
        print(f"  slowest: {ms:8.0f} ms {status} {path[:160]}")
    return 0 if not report["failures"] and max(server_ms) < 2000 else 1


def _mixed_client(port, deadline, ordinary, rng, share, results):
    while time.monotonic() < deadline:
        if rng.random() < share:
            path, kind = f"/api/search?{urlencode({'q': attack_query(rng)})}&{ATTACK_MARK}", "attack"
        else:
            path, kind = f"/api/search?{rng.choice(ordinary)}", "ordinary"
        _send(port, [(path, "127.0.0.1", kind)], results, threading.Lock())


def run_mixed(index: Path, seconds: float, clients: int, share: float, seed: int) -> int:
    ordinary = [q.query_string() for q in load_queries()]
    with tempfile.TemporaryDirectory(prefix="amtsblick-mixed-") as tmp:
        log = Path(tmp) / "access.log"
        with Server(index, log) as server:
            server.wait_ready()
            results: list = []
            deadline = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=_mixed_client,
                    args=(server.port, deadline, ordinary, random.Random(seed + n), share, results),
                )
                for n in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            time.sleep(1)
            logged = access_times(log)
    errors = [r for r in results if r[1] != 200]
    print(
        f"mixed: {len(results)} requests in {seconds:.0f} s, {clients} clients, "
        f"{share:.0%} attacks (seed {seed})"
    )
    print(f"  errors (non-200): {len(errors)} {errors[:5]}")
    for kind in ("ordinary", "attack"):
        server_ms = [
            ms
            for path, _s, ms in logged
            if path.startswith("/api/") and (ATTACK_MARK in path) == (kind == "attack")
        ]
        client_ms = [ms for k, _s, ms in results if k == kind]
        print(f"  {kind:8} server-side ms: {latency_summary(server_ms)}")
        print(f"  {kind:8} client-side ms: {latency_summary(client_ms)}")
    return 0 if not errors else 1


def _port_in(ports: range):
    """A free port of the given range (a shared machine gives each user one)."""

    def free() -> int:
        for port in ports:
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"kein freier Port in {ports.start}-{ports.stop - 1}")

    return free


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["hostile", "mixed"])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=None, help="hostile: 4, mixed: 16")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--attack-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--ports", default="", help="FIRST-LAST: take the server's port from this range")
    args = parser.parse_args(argv)
    if args.ports:
        first, last = (int(n) for n in args.ports.split("-"))
        http_load.free_port = _port_in(range(first, last + 1))
    if args.mode == "hostile":
        return print_hostile(run_hostile(args.index, args.requests, args.clients or 4, args.seed))
    return run_mixed(args.index, min(args.seconds, 3600), args.clients or 16, args.attack_share, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
