"""Keyboard, phone layout and axe-core on a full index, in Chromium (issue 15's targets at scale).

    .venv/bin/python -m bench.browser_nav --index /tmp/full-b1f --queries 20

The browser tests (tests/test_browser_a11y.py) prove the rules on the demo index; this runs the same
measurements on real releases, where facets are long and the place tree deep: Tab presses from the
search box to the first result (desktop and 375 px), the bottom of the first result's heading at
375 px with and without JavaScript, and axe-core's WCAG 2.1 A/AA violations per page. Pages: the
start page, a spread of the committed query mix, the same queries under the largest place and
publisher (some also under the largest organisation), and the browse pages of every Land. Needs
chromium, chromium-driver and axe-core (scripts/test.sh installs them).
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
from pathlib import Path
from urllib.parse import quote, urlencode
from urllib.request import urlopen

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from werkzeug.serving import make_server

from bench.queries import load_queries, spread_subset
from search_web import create_app
from tests.test_browser_a11y import (
    AXE,
    AXE_RUN,
    DESKTOP,
    FIRST_RESULT_BOTTOM,
    FIRST_SCREEN,
    MAX_TABS,
    PHONE,
    WCAG_TAGS,
    tabs_to_first_result,
)
from tests.test_browser_ui import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS


def start_server(index_dir: Path) -> tuple[str, object]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines between the figures
    server = make_server("127.0.0.1", 0, create_app({"INDEX_DIR": str(index_dir)}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def start_browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def search_paths(base: str, queries: int) -> tuple[list[str], list[str]]:
    """Searches (plain, and under the largest place and publisher) and the browse page of every Land."""
    facets = json.load(urlopen(base + "/api/search"))["facets"]
    place, source, org = (facets[name][0]["value"] for name in ("place", "source", "org"))
    mix = [query.params for query in spread_subset(load_queries(), queries)]
    paths = ["/"] + [f"/?{urlencode(params, doseq=True)}" for params in mix]
    scoped = [{**params, "place": [place], "source": [source]} for params in mix[: queries // 2]]
    scoped += [{**params, "place": [place], "source": [source], "org": [org]} for params in mix[:5]]
    paths += [f"/?{urlencode(params, doseq=True)}" for params in scoped]
    return paths, [f"/land/{quote(entry['value'], safe='')}" for entry in facets["state"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    base, server = start_server(args.index)
    driver = start_browser()
    axe = AXE.read_text(encoding="utf-8")
    searches, browse = search_paths(base, args.queries)
    tabs = {DESKTOP: [], PHONE: []}
    bottoms = {True: [], False: []}
    violations: dict[str, int] = {}
    try:
        for path in searches:
            for size in (DESKTOP, PHONE):
                driver.set_window_size(*size)
                driver.get(base + path)
                if driver.find_elements(By.CSS_SELECTOR, ".hits .hit h3 a"):
                    tabs[size].append((tabs_to_first_result(driver), path))
            for javascript in (True, False):
                driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not javascript})
                driver.set_window_size(*PHONE)
                driver.get(base + path)
                if driver.find_elements(By.CSS_SELECTOR, ".hits .hit h3"):
                    bottoms[javascript].append((driver.execute_script(FIRST_RESULT_BOTTOM), path))
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        for path in searches[:6] + browse:
            for size in (DESKTOP, PHONE):
                driver.set_window_size(*size)
                driver.get(base + path)
                driver.execute_script(axe)
                driver.set_script_timeout(60)
                for rule, _impact, _nodes in driver.execute_async_script(AXE_RUN, WCAG_TAGS):
                    violations[rule] = violations.get(rule, 0) + 1
    finally:
        driver.quit()
        server.shutdown()
    print(f"{len(searches)} search pages, {len(browse)} browse pages on {args.index}")
    for size, label in ((DESKTOP, "desktop 1280 px"), (PHONE, "phone 375 px")):
        worst = max(tabs[size])
        print(f"Tab presses to the first result, {label}: max {worst[0]} ({worst[1]}), target <= {MAX_TABS}")
    for javascript, label in ((True, "with JavaScript"), (False, "without JavaScript")):
        worst = max(bottoms[javascript])
        print(
            f"first result bottom at 375 px {label}: max {worst[0]:.0f} px ({worst[1]}),"
            f" target <= {FIRST_SCREEN}"
        )
    pages = (min(6, len(searches)) + len(browse)) * 2
    print(f"axe-core WCAG 2.1 A/AA on {pages} page views: {sum(violations.values())} violations {violations}")


if __name__ == "__main__":
    main()
