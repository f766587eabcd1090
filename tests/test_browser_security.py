"""Hostile documents in a real browser: Debian's chromium, driven by Selenium, loads every page that shows
hostile text from a real server on 127.0.0.1 and proves that no injected script ran.

Each payload would set ``window.__pwned`` and the page title. The pages are loaded twice: as served
(with the Content-Security-Policy) and with the CSP header removed, so that escaping alone is shown to
hold. A control page that embeds the payloads unescaped proves the detector sees a script that runs, and
that the app's CSP alone would stop it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from werkzeug.serving import make_server

from search_web import create_app
from tests.test_hostile_documents import IMG, SCRIPT, build_hostile_index, hostile_pages

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]  # fmt: skip
CONTROL_PATH = "/__kontrolle"
API_PAGES = ["/api/search?q=Einbruch+script", "/api/doc/boese-script"]

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="chromium/chromedriver not installed; scripts/test.sh installs them as root "
    "(apt-get install chromium chromium-driver)",
)


def with_test_routes(app, strip_csp: bool):
    """The app as a WSGI callable, optionally without its CSP, plus the unescaped control page."""
    csp = app.test_client().get("/ueber").headers["Content-Security-Policy"]

    def wsgi(environ, start_response):
        if environ["PATH_INFO"] == CONTROL_PATH:
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if parse_qs(environ.get("QUERY_STRING", "")).get("csp"):
                headers.append(("Content-Security-Policy", csp))
            start_response("200 OK", headers)
            return [f"<!doctype html><title>Kontrolle</title><p>{SCRIPT}{IMG}</p>".encode()]

        def start(status, headers, exc_info=None):
            if strip_csp:
                headers = [(k, v) for k, v in headers if k.lower() != "content-security-policy"]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wsgi


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    return create_app({"INDEX_DIR": str(build_hostile_index(tmp_path_factory.mktemp("browser")))})


def _serve(wsgi) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module", params=["mit CSP", "ohne CSP"])
def base_url(request, hostile_app) -> Iterator[str]:
    yield from _serve(with_test_routes(hostile_app, strip_csp=request.param == "ohne CSP"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def load(browser, url: str) -> dict:
    """Load a page, give async handlers (img onerror) time to fire, report what a payload would change."""
    browser.get(url)
    browser.execute_async_script("const done = arguments[0]; setTimeout(done, 300);")
    return browser.execute_script(
        "return {pwned: window.__pwned === undefined ? null : window.__pwned, title: document.title,"
        " scripts: Array.from(document.scripts).map(s => s.src || 'inline')};"
    )


def test_control_page_shows_the_detector_sees_a_script_that_runs(browser, base_url):
    state = load(browser, base_url + CONTROL_PATH)
    assert state["pwned"] == 1 and state["title"] == "PWNED"


def test_the_apps_csp_alone_would_block_an_injected_script(browser, base_url):
    state = load(browser, base_url + CONTROL_PATH + "?csp=1")
    assert state["pwned"] is None and state["title"] == "Kontrolle"


@pytest.mark.parametrize("page", hostile_pages() + API_PAGES)
def test_no_injected_script_runs(browser, base_url, page):
    state = load(browser, base_url + page)
    assert state["pwned"] is None, (page, state)
    assert state["title"] != "PWNED", (page, state)  # the payload would set exactly this
    assert all(src.startswith(base_url + "/static/") for src in state["scripts"]), (page, state)
