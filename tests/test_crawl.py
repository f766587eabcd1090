"""Crawling a news archive served by a local HTTP server (127.0.0.1 only).

The archive is built at test time from the real pages in shared/corpus/html
(read at run time, never copied): listing pages with pagination, an RSS feed, a
sitemap named in robots.txt, a path robots.txt disallows, a dead link, and
ETag support for conditional requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indexer.build.cli import make_parser
from indexer.ingest.crawl import CrawlOptions, crawl_archive
from indexer.model import Announcement, InputError
from tests.conftest import REPO, shared_corpus_dir

RATE = 20.0  # requests per second in tests; the default (1/s) is checked separately
PER_PAGE = 5
ONLY_IN_SITEMAP = 2  # announcements no listing links to
ONLY_IN_FEED = 1


def listing_path(number: int) -> str:
    return "/news/" if number == 1 else f"/news/?page={number}"


@dataclass
class Hit:
    at: float
    path: str
    status: int
    user_agent: str
    conditional: bool


class NewsArchive:
    """An in-memory press archive: what a Landkreis's /news/ section looks like."""

    def __init__(self, html_dir: Path) -> None:
        manifest = [json.loads(line) for line in (html_dir / "manifest.jsonl").read_text().splitlines()]
        self.titles = {}
        self.routes: dict[str, tuple[str, bytes]] = {}
        articles = []
        for entry in manifest:
            path = f"/news/2022/{Path(entry['file']).stem.replace('.', '-')}.html"
            self.routes[path] = ("text/html; charset=utf-8", (html_dir / entry["file"]).read_bytes())
            self.titles[path] = entry["title"]
            articles.append(path)
        self.article_paths = articles
        listed = articles[: len(articles) - ONLY_IN_SITEMAP - ONLY_IN_FEED]
        sitemap_only = articles[len(listed) : len(listed) + ONLY_IN_SITEMAP]
        feed_only = articles[len(listed) + ONLY_IN_SITEMAP :]
        self.routes["/news/intern/entwurf.html"] = (
            "text/html",
            b"<html><body><p>Interner Entwurf.</p></body></html>",
        )
        huge = b"<html><body>" + b"<p>Sehr lange Seite.</p>" * (11 * 1024 * 1024 // 24)  # above the 10 MB cap
        self.routes["/news/2022/riesig.html"] = ("text/html", huge)
        pages = [listed[i : i + PER_PAGE] for i in range(0, len(listed), PER_PAGE)]
        for number, chunk in enumerate(pages, start=1):
            path = listing_path(number)
            self.routes[path] = ("text/html; charset=utf-8", self._listing(number, len(pages), chunk))
        self.routes["/news/feed.xml"] = ("application/rss+xml", self._feed(feed_only + listed[:2]))
        self.routes["/sitemap.xml"] = ("application/xml", self._sitemap(sitemap_only + ["/impressum"]))
        self.routes["/robots.txt"] = (
            "text/plain",
            b"User-agent: *\nDisallow: /news/intern/\n\nSitemap: /sitemap.xml\n",
        )
        self.etags = {
            path: '"' + hashlib.sha1(body).hexdigest() + '"' for path, (_, body) in self.routes.items()
        }
        self.moved = {"/presse/": "/news/"}  # the old address of the archive
        self.hits: list[Hit] = []
        self.lock = threading.Lock()

    def _listing(self, number: int, total: int, chunk: list[str]) -> bytes:
        items = "".join(
            f'<li><a href="{path.removeprefix("/news/")}">{self.titles[path]}</a> <span>Mehr</span></li>'
            for path in chunk
        )
        pager = " ".join(
            f'<a href="{listing_path(n)}">{n}</a>' if n != number else f"<b>{n}</b>"
            for n in range(1, total + 1)
        )
        extra = ""
        if number == 1:
            extra = (
                '<li><a href="intern/entwurf.html">Entwurf</a></li><li><a href="2022/fehlt.html">Alt</a></li>'
            )
        if number == 2:
            extra = '<li><a href="2022/riesig.html">Chronik</a></li>'
        next_link = f'<a rel="next" href="/news/?page={number + 1}">Weiter</a>' if number < total else ""
        return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Pressemitteilungen – Seite {number}</title>
<link rel="alternate" type="application/rss+xml" href="/news/feed.xml"></head>
<body><nav><a href="/">Start</a> <a href="/impressum">Impressum</a> <a href="/kontakt">Kontakt</a>
<a href="https://example.invalid/partner">Partner</a></nav>
<main><h1>Pressemitteilungen</h1><ul>{items}{extra}</ul>
<div class="pager">{pager} {next_link}</div>
<p><a href="/news/merkblatt.pdf">Merkblatt (PDF)</a></p></main>
<footer><a href="/datenschutz">Datenschutz</a></footer></body></html>""".encode()

    @staticmethod
    def _feed(paths: list[str]) -> bytes:
        items = "".join(f"<item><title>x</title><link>{path}</link></item>" for path in paths)
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()

    @staticmethod
    def _sitemap(paths: list[str]) -> bytes:
        urls = "".join(f"<url><loc>{path}</loc></url>" for path in paths)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()  # before any work, so the rate-limit check measures the crawler
        if handler.path in self.moved:
            with self.lock:
                self.hits.append(Hit(arrived, handler.path, 301, handler.headers["User-Agent"], False))
            handler.send_response(301)
            handler.send_header("Location", self.moved[handler.path])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        route = self.routes.get(handler.path)
        conditional = handler.headers.get("If-None-Match") is not None
        if route is None:
            status, body, headers = 404, b"nicht gefunden", {"Content-Type": "text/plain"}
        else:
            content_type, body = route
            headers = {"Content-Type": content_type, "ETag": self.etags[handler.path]}
            status = 304 if handler.headers.get("If-None-Match") == headers["ETag"] else 200
        with self.lock:
            self.hits.append(Hit(arrived, handler.path, status, handler.headers["User-Agent"], conditional))
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", "0" if status == 304 else str(len(body)))
        handler.end_headers()
        if status != 304:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler.wfile.write(body)  # the crawler hangs up on a page above its size limit

    def requests_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]


@pytest.fixture(scope="module")
def archive():
    html_dir = shared_corpus_dir() / "html"
    if not (html_dir / "manifest.jsonl").is_file():
        pytest.skip(f"shared HTML pages not found in {html_dir} (set AMTSBLICK_DATA)")
    site = NewsArchive(html_dir)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            site.answer(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}/news/"
    yield site
    server.shutdown()
    server.server_close()


def crawl(
    site: NewsArchive, cache: Path, lines: list[str] | None = None, start: str = "", **settings
) -> list:
    options = CrawlOptions(
        rate=RATE, cache_dir=cache, report=(lines if lines is not None else []).append, **settings
    )
    return list(crawl_archive(start or site.url, options))


@pytest.fixture(scope="module")
def first_crawl(archive, tmp_path_factory):
    """One full crawl into a fresh cache; the tests below read its results and the server log."""
    cache = tmp_path_factory.mktemp("crawl-cache")
    archive.hits.clear()
    lines: list[str] = []
    started = time.monotonic()
    items = crawl(archive, cache, lines)
    return {"items": items, "hits": list(archive.hits), "cache": cache, "lines": lines,
            "seconds": time.monotonic() - started}  # fmt: skip


def announcements(items) -> list[Announcement]:
    return [i for i in items if isinstance(i, Announcement)]


def test_crawl_finds_every_announcement_via_listing_pagination_feed_and_sitemap(archive, first_crawl):
    found = announcements(first_crawl["items"])
    assert sorted(a.title for a in found) == sorted(archive.titles.values())
    assert len({a.id for a in found}) == len(archive.article_paths)
    fetched = {hit.path for hit in first_crawl["hits"]}
    assert {"/news/?page=2", "/news/?page=3", "/news/feed.xml", "/sitemap.xml"} <= fetched


def test_crawl_never_fetches_what_robots_txt_disallows_or_what_lies_outside_the_archive(first_crawl):
    paths = [hit.path for hit in first_crawl["hits"]]
    assert paths[0] == "/robots.txt"
    assert "/news/intern/entwurf.html" not in paths
    outside = [p for p in paths if not p.startswith("/news/") and p not in ("/robots.txt", "/sitemap.xml")]
    assert outside == []  # no /impressum, /kontakt, no PDF, no other host
    assert "/news/merkblatt.pdf" not in paths


def test_crawl_sends_a_clear_user_agent(first_crawl):
    agents = {hit.user_agent for hit in first_crawl["hits"]}
    assert len(agents) == 1
    assert agents.pop().startswith("Amtsblick/0.1 (+https://")


def test_crawl_keeps_to_the_rate_limit(first_crawl):
    times = [hit.at for hit in first_crawl["hits"]]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(gaps) >= 20
    # Server-side clock: a request is stamped when its handler thread runs, which on a busy
    # machine can be some milliseconds late, so one gap may look shorter than the interval.
    # Without a limiter, requests after a listing page follow within a few milliseconds.
    assert min(gaps) >= 0.6 / RATE
    assert (times[-1] - times[0]) / len(gaps) >= 0.98 / RATE


def test_default_rate_is_at_most_one_request_per_second():
    args = make_parser().parse_args(["build", "--index", "x", "https://kreis.example/news/"])
    assert args.rate <= 1.0 and CrawlOptions().rate <= 1.0


def test_dead_link_and_oversized_page_are_one_error_each_and_the_crawl_goes_on(first_crawl):
    errors = {e.file.rsplit("/", 1)[-1]: e.reason for e in first_crawl["items"] if isinstance(e, InputError)}
    assert set(errors) == {"fehlt.html", "riesig.html"}
    assert "HTTP-Fehler 404" in errors["fehlt.html"]
    assert "höchstens 10 MB" in errors["riesig.html"]


def test_second_crawl_revalidates_the_cache_with_conditional_requests(archive, first_crawl):
    archive.hits.clear()
    lines: list[str] = []
    again = crawl(archive, first_crawl["cache"], lines)
    pages = [hit for hit in archive.hits if hit.path != "/robots.txt"]
    assert sorted(a.id for a in announcements(again)) == sorted(
        a.id for a in announcements(first_crawl["items"])
    )
    assert all(hit.conditional for hit in pages if not hit.path.endswith(("fehlt.html", "riesig.html")))
    not_modified = [hit for hit in pages if hit.status == 304]
    assert len(not_modified) == len(pages) - 2  # everything but the dead link and the oversized page
    assert "304" in lines[0] and f"{len(not_modified)} unverändert" in lines[0]


def test_interrupted_crawl_resumes_without_fetching_pages_again(archive, tmp_path):
    archive.hits.clear()
    options = CrawlOptions(rate=RATE, cache_dir=tmp_path)
    interrupted = crawl_archive(archive.url, options)
    first = []
    while len(announcements(first)) < 7:
        first.append(next(interrupted))
    interrupted.close()  # as if the user pressed Ctrl-C during the build
    lines: list[str] = []
    rest = crawl(archive, tmp_path, lines)
    assert "fortgesetzt" in lines[0]
    assert len(announcements(rest)) == len(archive.article_paths)  # the build gets every page again
    for path in archive.article_paths:
        assert len(archive.requests_for(path)) == 1, path


def test_archive_that_moved_is_crawled_at_its_new_address(archive, tmp_path):
    old_address = archive.url.replace("/news/", "/presse/")
    items = crawl(archive, tmp_path, start=old_address)
    assert sorted(a.title for a in announcements(items)) == sorted(archive.titles.values())


def test_crawl_stops_at_max_pages_with_a_note(archive, tmp_path):
    items = crawl(archive, tmp_path, max_pages=3)
    assert len(announcements(items)) == 3
    assert any("--max-pages" in e.reason for e in items if isinstance(e, InputError))


def test_build_command_crawls_an_archive_url_into_the_index(archive, tmp_path):
    index = tmp_path / "idx"
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "build", "--index", str(index), archive.url, "--rate", str(RATE),
         "--quiet"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Dokumente: {len(archive.article_paths)} neu" in result.stdout
    assert "Crawl http://127.0.0.1" in result.stdout
    assert any((index / ".amtsblick-cache").glob("crawl-*.jsonl"))


def test_unreachable_archive_is_one_clear_error_and_other_inputs_go_on(tmp_path):
    import socket

    from indexer.ingest.inputs import expand_inputs, read_inputs

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    good = tmp_path / "gut.jsonl"
    good.write_text('{"id": "a", "title": "T", "body": "Ein Text."}\n', encoding="utf-8")
    options = CrawlOptions(rate=RATE, cache_dir=tmp_path / "cache")
    items = list(read_inputs(expand_inputs([f"http://127.0.0.1:{port}/news/", str(good)]), options))
    [error, announcement] = items
    assert isinstance(error, InputError) and "nicht erreichbar" in error.reason and " — " in error.reason
    assert isinstance(announcement, Announcement) and announcement.id == "a"
