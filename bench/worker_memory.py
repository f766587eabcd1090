"""`python -m bench.worker_memory --index DIR`: memory of the production server's workers.

Starts scripts/serve.sh (gunicorn, --preload), sends a realistic mix from 16 clients (every
benchmark query as `/api/search`, and beside them HTML result pages with the place tree,
autocomplete prefixes, document pages with similar announcements, entity pages and feeds),
then reads each worker's memory from the kernel: RSS (the target), its peak, and from
/proc/<pid>/smaps_rollup PSS (shared pages divided among the processes sharing them) and USS
(pages no other process has). Memory is read after a warm-up and again after the load phase,
so growth under load shows.
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.http_load import Server, run_clients
from bench.memory import status_field_mb
from bench.queries import DEFAULT_QUERIES, load_queries


def smaps_rollup_mb(pid: int) -> dict[str, float]:
    """Rss, Pss and Uss (private clean + dirty) of a process in MB, from smaps_rollup."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            values[name] = int(rest.split()[0])
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return {
        "rss": round(values.get("Rss", 0) / 1024, 1),
        "pss": round(values.get("Pss", 0) / 1024, 1),
        "uss": round(uss / 1024, 1),
        "anon": round(values.get("Anonymous", 0) / 1024, 1),
        "file_rss": round((values.get("Rss", 0) - values.get("Anonymous", 0)) / 1024, 1),
    }


def worker_memory(server: Server) -> list[dict]:
    return [
        {"pid": pid, **smaps_rollup_mb(pid), "peak_rss": status_field_mb(pid, "VmHWM")}
        for pid in server.worker_pids()
    ]


def _get_json(port: int, path: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return json.loads(body)


def request_mix(port: int, query_strings: list[str]) -> list[str]:
    """The benchmark queries as API searches, with pages, autocomplete, documents, entities, feeds."""
    paths = []
    for number, query_string in enumerate(query_strings):
        paths.append("/api/search?" + query_string)
        if number % 3 == 0:
            paths.append("/?" + query_string)  # HTML: place tree, histogram, snippets
        if number % 5 == 0:
            paths.append("/feed.atom?" + query_string)
        params = urllib.parse.parse_qs(query_string)
        word = (params.get("q") or [""])[0].split(" ")[0].strip('"*-')
        if len(word) >= 3:
            for length in (2, 3, len(word)):  # typing the word
                paths.append("/api/suggest?" + urllib.parse.urlencode({"q": word[:length]}))
    for query_string in query_strings[::4]:  # documents and entities that searches lead to
        result = _get_json(port, "/api/search?" + query_string)
        for hit in result["hits"][:2]:
            paths.append("/doc/" + urllib.parse.quote(hit["id"]))
            paths.append("/api/doc/" + urllib.parse.quote(hit["id"]) + "/similar")
        for kind, route in (("place", "ort"), ("org", "organisation"), ("topic", "thema")):
            for value in result["facets"][kind][:1]:
                paths.append(f"/{route}/" + urllib.parse.quote(value["value"]))
    return paths


def measure(index_dir: Path, clients: int = 16, warmup_seconds: float = 20, load_seconds: float = 60) -> dict:
    query_strings = [query.query_string() for query in load_queries(DEFAULT_QUERIES)]
    with (
        tempfile.TemporaryDirectory(prefix="amtsblick-mem-") as work_dir,
        Server(index_dir, Path(work_dir) / "access.log") as server,
    ):
        server.wait_ready()
        master = {"pid": server.process.pid, **smaps_rollup_mb(server.process.pid)}
        ready = worker_memory(server)
        paths = request_mix(server.port, query_strings)
        _lat, warm_errors, _s = run_clients(server.port, paths, clients, warmup_seconds)
        warm = worker_memory(server)
        latencies, errors, elapsed = run_clients(server.port, paths, clients, load_seconds)
        end = worker_memory(server)
    return {
        "index": str(index_dir),
        "mix_paths": len(paths),
        "requests": len(latencies),
        "req_per_s": round(len(latencies) / elapsed, 1),
        "errors": len(errors) + len(warm_errors),
        "error_samples": (warm_errors + errors)[:5],
        "master": master,
        "workers_ready": ready,
        "workers_after_warmup": warm,
        "workers_after_load": end,
        "max_worker_rss_mb": max(w["rss"] for w in end),
        "max_worker_peak_rss_mb": max(w["peak_rss"] or 0 for w in end),
    }


def main(argv: list[str] | None = None) -> int:
    description = __doc__.split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.worker_memory", description=description)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    started = time.time()
    result = measure(args.index, args.clients, args.warmup, args.seconds)
    result["wall_seconds"] = round(time.time() - started, 1)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
