"""Load: the production server (gunicorn through scripts/serve.sh) under 32 concurrent connections.

Runs Debian's ``wrk`` (a Python thread pool if wrk is missing) against a fixed mix of search, document
and API URLs on 127.0.0.1 only, for a bounded time, and reports requests, errors, p50/p99 latency and the
server's memory (RSS of the gunicorn master and its workers, summed) after warm-up and at the end.

Short form (CI, through tests/test_stress_short.py): 10 s on the demo index. Long form::

    .venv/bin/python -m tests.stress.load --seconds 600 --index index

(``--index`` defaults to a fresh demo-corpus index in a temporary folder.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer.build.build import build_index

REPO = Path(__file__).resolve().parents[2]
CONNECTIONS = 32
MAX_SECONDS = 3600  # bounded even by hand
URLS = [
    "/?q=Kreis",
    "/?q=Polizei&sort=date",
    "/?place=Trier-Saarburg",
    "/?q=Hermeskeil&page=2",
    "/?q=Jugendhilfe&year=2015",
    "/api/search?q=Sozialraumzentrum",
    "/api/search?q=Schule&place=Konz",
    "/api/search?year=2015&per_page=20",
    "/api/search?q=Landrat&sort=date",
    "/doc/kv-trier-saarburg-2015-049",
    "/api/doc/kv-trier-saarburg-2015-049",
    "/",
]
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "socket_errors": %%d, "status_errors": %%d, '
    .. '"timeouts": %%d, "p50_ms": %%.2f, "p99_ms": %%.2f}\\n', summary.requests,
    e.connect + e.read + e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass
class Report:
    tool: str
    seconds: float
    requests: int
    errors: int  # socket errors, timeouts and non-2xx/3xx answers
    p50_ms: float
    p99_ms: float
    rss_start_mb: float
    rss_end_mb: float

    def summary(self) -> str:
        return (f"{self.tool}, {CONNECTIONS} connections, {self.seconds:.0f} s: {self.requests} requests "
                f"({self.requests / self.seconds:.0f}/s), {self.errors} errors, p50 {self.p50_ms:.0f} ms, "
                f"p99 {self.p99_ms:.0f} ms; server RSS {self.rss_start_mb:.0f} MB after warm-up, "
                f"{self.rss_end_mb:.0f} MB at the end")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_rss_mb(pid: int) -> float:
    """RSS of the gunicorn master and its direct children (the workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(c) for c in (task / "children").read_text().split()]
    total_kb = 0
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def start_server(index_dir: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, AMTSBLICK_INDEX=str(index_dir), PORT=str(port), ACCESS_LOG="/dev/null")
    serve = REPO / "scripts" / "serve.sh"
    if serve.is_file():
        command = ["bash", str(serve)]  # it execs gunicorn, so this pid is the gunicorn master
    else:
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                   "search_web:create_app()"]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server not up after {timeout} s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def warm_up(base: str) -> None:
    """Every URL a few times, so each worker has opened the index and loaded what searches need."""
    for _round in range(3):
        for url in URLS:
            with urllib.request.urlopen(base + url, timeout=60) as response:
                response.read()


def run_wrk(base: str, seconds: int, folder: Path) -> dict:
    script = folder / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(u) for u in URLS), encoding="utf-8")
    output = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
                             "-s", str(script), base], capture_output=True, text=True, check=True,
                            timeout=seconds + 60).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["errors"] = result.pop("socket_errors") + result.pop("status_errors") + result.pop("timeouts")
    return result


def run_threads(base: str, seconds: int) -> dict:
    """The fallback without wrk: 32 threads, one keep-alive connection each."""
    host, port = base.removeprefix("http://").split(":")
    deadline = time.monotonic() + seconds

    def client(number: int) -> tuple[list[float], int]:
        latencies, errors, connection = [], 0, http.client.HTTPConnection(host, int(port), timeout=10)
        n = number
        while time.monotonic() < deadline:
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", URLS[n % len(URLS)])
                response = connection.getresponse()
                response.read()
                errors += response.status >= 400
                if response.will_close:
                    connection.close()
            except OSError:
                errors += 1
                connection.close()
            latencies.append(time.perf_counter() - started)
        connection.close()
        return latencies, errors

    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        results = list(pool.map(client, range(CONNECTIONS)))
    latencies = sorted(x for lats, _ in results for x in lats)
    quantiles = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": sum(e for _, e in results),
            "p50_ms": quantiles[49] * 1000, "p99_ms": quantiles[98] * 1000}  # fmt: skip


def run(seconds: int = 60, index_dir: Path | None = None) -> Report:
    seconds = max(1, min(seconds, MAX_SECONDS))
    with tempfile.TemporaryDirectory(prefix="load-") as tmp:
        folder = Path(tmp)
        if index_dir is None:
            index_dir = folder / "index"
            build_index(index_dir, [str(REPO / "corpus" / "demo.jsonl")], show_progress=False)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(index_dir, port)
        try:
            wait_until_up(base, server)
            warm_up(base)
            rss_start = server_rss_mb(server.pid)
            tool = "wrk" if shutil.which("wrk") else "Python thread pool"
            result = run_wrk(base, seconds, folder) if tool == "wrk" else run_threads(base, seconds)
            rss_end = server_rss_mb(server.pid)
        finally:
            stop_server(server)
    return Report(tool, seconds, result["requests"], result["errors"], result["p50_ms"], result["p99_ms"],
                  rss_start, rss_end)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--index", help="index folder (default: the demo corpus, built into a temp folder)")
    args = parser.parse_args(argv)
    report = run(args.seconds, Path(args.index) if args.index else None)
    print(report.summary())
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
