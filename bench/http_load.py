"""HTTP throughput and latency: the real server (scripts/serve.sh, gunicorn) under concurrent clients.

The clients are threads in this process, each with its own keep-alive connection,
cycling through the query mix (`/api/search?...`) from its own offset until the
time is up. They share the machine with the server, as a reverse proxy would;
a client costs well under a millisecond of CPU per request. Server-side times
come from gunicorn's access log (%(D)s), worker memory from /proc (VmHWM).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from bench.memory import child_pids, cpu_seconds, status_field_mb
from bench.queries import BenchQuery
from bench.stats import latency_summary

REPO = Path(__file__).resolve().parent.parent
_ACCESS_TIME = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)us')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """scripts/serve.sh on a free port; stopped (SIGTERM to gunicorn's master) on exit."""

    def __init__(
        self, index_dir: Path, access_log: Path, workers: int | None = None, threads: int | None = None
    ):
        self.port = free_port()
        self.access_log = access_log
        env = {
            **os.environ,
            "PORT": str(self.port),
            "AMTSBLICK_INDEX": str(index_dir),
            "ACCESS_LOG": str(access_log),
        }
        if workers:
            env["WORKERS"] = str(workers)
        if threads:
            env["THREADS"] = str(threads)
        self.log = (access_log.parent / "server-errors.log").open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            ["bash", str(REPO / "scripts" / "serve.sh")],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Server beendet (Code {self.process.returncode}); siehe {self.log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"Server auf Port {self.port} nicht bereit nach {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _client(port: int, paths: list[str], start: int, deadline: float, out: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    position = start
    while time.monotonic() < deadline:
        path = paths[position % len(paths)]
        position += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            ms = (time.perf_counter() - started) * 1000
            if response.status == 200:
                out.append(ms)
            else:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{type(error).__name__} {path}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()


def server_times(access_log: Path, since_line: int) -> list[float]:
    """Server-side milliseconds of the search requests logged after `since_line`."""
    lines = access_log.read_text(encoding="utf-8", errors="replace").splitlines()[since_line:]
    return [
        int(m.group(3)) / 1000
        for line in lines
        if (m := _ACCESS_TIME.search(line)) and m.group(1).startswith("/api/search")
    ]


def run_clients(
    port: int, paths: list[str], clients: int, seconds: float
) -> tuple[list[float], list[str], float]:
    """`clients` concurrent clients for `seconds`: (latencies of good responses, errors, elapsed s)."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    began = time.perf_counter()
    threads = [
        threading.Thread(
            target=_client, args=(port, paths, i * len(paths) // clients, deadline, latencies, errors)
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - began


def load_test(
    index_dir: Path,
    queries: list[BenchQuery],
    work_dir: Path,
    clients: int = 16,
    seconds: float = 20.0,
    warmup_seconds: float = 5.0,
    workers: int | None = None,
    threads: int | None = None,
) -> dict:
    """Start the server, warm the workers up, run `clients` clients for `seconds`, stop it."""
    paths = ["/api/search?" + query.query_string() for query in queries]
    access_log = work_dir / "access.log"
    with Server(index_dir, access_log, workers, threads) as server:
        started = time.monotonic()
        server.wait_ready()
        ready_seconds = time.monotonic() - started
        # every worker opens the index and fills its facet caches before the clock starts
        run_clients(server.port, paths, clients, warmup_seconds)
        skip = len(access_log.read_text(encoding="utf-8").splitlines())
        workers = server.worker_pids()
        cpu_before = sum(cpu_seconds(pid) or 0.0 for pid in workers)
        latencies, errors, elapsed = run_clients(server.port, paths, clients, seconds)
        cpu_used = sum(cpu_seconds(pid) or 0.0 for pid in workers) - cpu_before
        worker_peaks = [peak for pid in workers if (peak := status_field_mb(pid, "VmHWM")) is not None]
        worker_private = [mb for pid in workers if (mb := status_field_mb(pid, "RssAnon")) is not None]
        master_peak = status_field_mb(server.process.pid, "VmHWM")
    server_ms = server_times(access_log, skip)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "req_per_s": round(len(latencies) / elapsed, 1),
        # CPU the workers spent per request, and the rate their cores could sustain if the machine
        # were otherwise idle (workers × 1000 / CPU ms): the throughput figure a shared machine hides
        "worker_cpu_ms_per_request": round(1000 * cpu_used / len(latencies), 1) if latencies else None,
        "idle_capacity_req_per_s": (
            round(min(len(workers), os.cpu_count() or 1) * len(latencies) / cpu_used, 1) if cpu_used else None
        ),
        "client": latency_summary(latencies),
        "server": latency_summary(server_ms),
        "ready_seconds": round(ready_seconds, 1),
        "workers": len(workers),
        "threads_per_worker": threads or "serve.sh default",
        "worker_peak_rss_mb": max(worker_peaks) if worker_peaks else None,
        "worker_peaks_rss_mb": worker_peaks,
        # private memory (RssAnon) after the run: the peak without the shared, mapped index files
        "worker_private_mb": max(worker_private) if worker_private else None,
        "master_peak_rss_mb": master_peak,
    }


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.http_load --index DIR`: the HTTP phase alone, against an existing index."""
    import argparse
    import json
    import tempfile

    from bench.queries import DEFAULT_QUERIES, load_queries, spread_subset

    parser = argparse.ArgumentParser(prog="python -m bench.http_load", description=main.__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--max-queries", type=int, default=None)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None, help="Standard: wie scripts/serve.sh")
    parser.add_argument("--threads", type=int, default=None, help="Standard: wie scripts/serve.sh")
    args = parser.parse_args(argv)
    queries = spread_subset(load_queries(args.queries), args.max_queries)
    with tempfile.TemporaryDirectory(prefix="amtsblick-http-") as work_dir:
        result = load_test(
            args.index,
            queries,
            Path(work_dir),
            args.clients,
            args.seconds,
            workers=args.workers,
            threads=args.threads,
        )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
