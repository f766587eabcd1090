"""The result list in a real browser: drill-down that narrows, paging to the last page, oldest first.

Uses the Chromium set-up of test_browser_ui.py (same fixtures, one more browser session).
"""

from __future__ import annotations

import json
import re
from urllib.request import urlopen

import pytest

from tests.test_browser_ui import (  # noqa: F401 - fixtures are found by name
    CHROMEDRIVER,
    CHROMIUM,
    base_url,
    browser,
    facet_link,
    page,
    params,
    result_count,
    serve,
    wait_for_url,
)

pytest.importorskip("selenium", reason="selenium is not installed (test extra of pyproject.toml)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="chromium and chromium-driver are not installed (scripts/test.sh installs them when run as root)",
)


def requests_json(base: str, path: str) -> dict:
    with urlopen(base + path, timeout=10) as response:  # the local test server only
        return json.load(response)


def _chips(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, ".chips a.chip")


def _dates(driver) -> list[str]:
    return [t.get_attribute("datetime") for t in driver.find_elements(By.CSS_SELECTOR, ".hit .meta time")]


def test_choosing_a_town_inside_the_chosen_district_narrows_to_it(page, client):  # noqa: F811
    driver = page("/")
    facet_link(driver, "facet-place", "Trier-Saarburg").click()
    wait_for_url(driver, lambda url: "place=Trier-Saarburg" in url)
    district = client.get("/api/search?place=Trier-Saarburg").get_json()["total"]
    assert result_count(driver) == district
    facet_link(driver, "facet-place", "Hermeskeil").click()
    wait_for_url(driver, lambda url: "place=Hermeskeil" in url)
    town = client.get("/api/search?place=Hermeskeil").get_json()["total"]
    assert result_count(driver) == town < district
    chips = _chips(driver)
    assert len(chips) == 1 and "Trier-Saarburg › Hermeskeil" in chips[0].text
    chips[0].click()  # back up one level
    wait_for_url(driver, lambda url: "place=Hermeskeil" not in url)
    assert params(driver)["place"] == ["Trier-Saarburg"] and result_count(driver) == district
    assert "Trier-Saarburg" in _chips(driver)[0].text


def test_paging_to_the_last_page_shows_the_last_hits(page, client):  # noqa: F811
    driver = page("/?q=Kreis&per_page=5")
    expected = client.get("/api/search?q=Kreis&per_page=5").get_json()
    assert expected["pages"] >= 4, "the demo has a few pages of Kreis"
    numbers = driver.find_elements(By.CSS_SELECTOR, "nav.pages li a:not([rel])")
    numbers[-1].click()
    wait_for_url(driver, lambda url: f"page={expected['pages']}" in url)
    current = driver.find_element(By.CSS_SELECTOR, "nav.pages a[aria-current=page]")
    assert current.text.strip().endswith(str(expected["pages"]))
    last = expected["total"] - (expected["pages"] - 1) * expected["per_page"]
    assert len(driver.find_elements(By.CSS_SELECTOR, ".hit")) == last
    assert not driver.find_elements(By.CSS_SELECTOR, "nav.pages a[rel=next]")


def test_oldest_first_starts_with_the_oldest_announcement(page, client):  # noqa: F811
    driver = page("/?per_page=5")
    driver.find_element(By.LINK_TEXT, "Älteste zuerst").click()
    wait_for_url(driver, lambda url: "sort=date_asc" in url)
    shown = _dates(driver)
    oldest = client.get("/api/search?per_page=100").get_json()["hits"]
    assert shown == sorted(shown) and shown[0] == min(h["date"] for h in oldest if h["date"])
    driver.find_element(By.CSS_SELECTOR, "nav.pages a[rel=next]").click()
    wait_for_url(driver, lambda url: "page=2" in url and "sort=date_asc" in url)
    assert _dates(driver)[0] >= shown[-1]


@pytest.fixture(scope="module")
def shared_url(shared_index):
    """A server on the shared-corpus sample: more organisations than the 50 a facet lists."""
    yield from serve(shared_index)


def test_facet_filter_box_finds_a_value_beyond_the_listed_ones(browser, shared_url):  # noqa: F811
    listed = requests_json(shared_url, "/api/search?per_page=1")["facets"]["org"]
    every = requests_json(shared_url, "/api/facet-values?facet=org&prefix=&limit=100")["values"]
    hidden = [e for e in every if e["value"] not in {v["value"] for v in listed}]
    if not hidden:
        pytest.skip("the shared sample has no more than 50 organisations")
    wanted = hidden[-1]
    word = re.findall(r"\w{3,}", wanted["value"])[-1]
    browser.get(shared_url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "section[data-facet=org] input.facet-filter")
    box.send_keys(word[:4])
    link = WebDriverWait(browser, 10).until(
        lambda d: next(
            (a for a in d.find_elements(By.CSS_SELECTOR, "section[data-facet=org] .remote-values a")
             if a.find_element(By.CSS_SELECTOR, ".name").text == wanted["value"]),
            None,
        )
    )  # fmt: skip
    link.click()
    wait_for_url(browser, lambda url: "org=" in url)
    assert params(browser)["org"] == [wanted["value"]] and result_count(browser) == wanted["count"]
