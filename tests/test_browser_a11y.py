"""Accessibility in a real browser: axe-core on every page type, Tab presses to the first result,
the first result on the first screen of a phone (with and without JavaScript), the filter panel
of small screens and the announcement of the count after a filter change.

axe-core is an npm package that scripts/test.sh installs into the git-ignored test-tools/; it is
injected through Selenium (CDP, so the page's CSP does not apply to it) and never shipped.
Screenshots of each page type at 1280 and 375 px go to test-artifacts/ for review.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_browser_ui import ARTIFACTS, base_url, browser  # noqa: F401 - fixtures, one browser

pytest.importorskip("selenium", reason="selenium is not installed (test extra of pyproject.toml)")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.test_browser_ui import pytestmark  # noqa: E402,F401 - skip without chromium

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "test-tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_TABS = 10
FIRST_SCREEN = 800  # px from the top of the page at 375 px
PHONE, DESKTOP = (375, 812), (1280, 900)
FILTERED = "/?q=Kreis&place=Konz&place=Hermeskeil&year=2015"  # three active filters
PAGE_TYPES = {
    "start": "/",
    "search": "/?q=Kreis",
    "search-filtered": "/?q=Kreis&place=Trier-Saarburg&year=2015",
    "zero-results": "/?q=Kreis&year=1990",
    "document": "/doc/kv-trier-saarburg-2015-049",
    "entity": "/ort/Hermeskeil",
    "browse-land": "/land/Rheinland-Pfalz",
    "browse-kreis": "/kreis/Trier-Saarburg",
    "browse-quelle": "/quelle/Kreisverwaltung%20Trier-Saarburg",
    "browse-index": "/kreis",
    "about": "/ueber",
    "api": "/api",
    "impressum": "/impressum",
    "datenschutz": "/datenschutz",
}
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' '))])),
        e => done([['axe-error', String(e), []]]));
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file() and shutil.which("npm"):  # scripts/test.sh installs it; plain pytest tries too
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--no-save", "--prefix",
             str(AXE.parents[2]), "axe-core@4"],
            capture_output=True, timeout=180, check=False,
        )  # fmt: skip
    if not AXE.is_file():
        pytest.skip(f"axe-core could not be installed with npm into {AXE.parents[2]} (no npm or no network)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def driver(browser, base_url):  # noqa: F811
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    browser.set_window_size(*DESKTOP)
    browser.base = base_url
    yield browser
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def open_page(driver, path: str, size=DESKTOP):
    if tuple(driver.get_window_size().values()) != size:
        driver.set_window_size(*size)
    driver.get(driver.base + path)
    return driver


def axe_violations(driver, source: str) -> list:
    driver.execute_script(source)
    driver.set_script_timeout(30)
    return driver.execute_async_script(AXE_RUN, WCAG_TAGS)


def full_page_screenshot(driver, name: str) -> None:
    width, height = driver.execute_script("return [window.innerWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1},
        },
    )
    import base64

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type_has_no_wcag_violations_at_desktop_and_phone_width(driver, axe_source, kind):
    for size in (DESKTOP, PHONE):
        open_page(driver, PAGE_TYPES[kind], size)
        violations = axe_violations(driver, axe_source)
        assert violations == [], (kind, size, violations)
        full_page_screenshot(driver, f"{kind}-{size[0]}px")


def test_open_filter_panel_on_a_phone_has_no_wcag_violations(driver, axe_source):
    open_page(driver, FILTERED, PHONE)
    driver.find_element(By.CSS_SELECTOR, "button.filter-toggle").click()
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "filter").is_displayed())
    assert axe_violations(driver, axe_source) == []
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "filter-panel-375px.png"))  # the screen, as a user sees it


def tabs_to_first_result(driver) -> int:
    first = driver.find_element(By.CSS_SELECTOR, ".hits .hit h3 a")
    driver.execute_script("document.getElementById('q').focus()")
    for presses in range(1, 60):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element == first:
            return presses
    raise AssertionError("the first result was never reached with Tab")


@pytest.mark.parametrize("path", ["/", "/?q=Kreis", FILTERED])
def test_first_result_is_at_most_ten_tab_presses_from_the_search_box(driver, path):
    for size in (DESKTOP, PHONE):
        open_page(driver, path, size)
        presses = tabs_to_first_result(driver)
        assert presses <= MAX_TABS, (path, size, presses)


FIRST_RESULT_BOTTOM = (
    "const h = document.querySelector('.hits .hit h3');"
    " return h.getBoundingClientRect().bottom + window.scrollY;"
)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_first_result_is_on_the_first_screen_of_a_phone(driver, javascript):
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not javascript})
    for path in ("/", "/?q=Kreis", FILTERED):
        open_page(driver, path, PHONE)
        bottom = driver.execute_script(FIRST_RESULT_BOTTOM)
        assert bottom <= FIRST_SCREEN, (path, javascript, bottom)
    if not javascript:  # the filters are a plain section after the results, with a link to it
        link = driver.find_element(By.CSS_SELECTOR, "a.filter-jump")
        assert link.text == "Filter (3)" and link.get_attribute("href").endswith("#filter")
        assert driver.find_element(By.ID, "filter").is_displayed()
        full_page_screenshot(driver, "search-filtered-375px-no-js")


def test_phone_filter_panel_opens_keeps_open_across_a_filter_and_closes_with_the_count(driver):
    open_page(driver, "/?q=Kreis", PHONE)
    toggle = driver.find_element(By.CSS_SELECTOR, "button.filter-toggle")
    assert toggle.text == "Filter" and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    panel = driver.find_element(By.ID, "filter")
    assert panel.is_displayed() and driver.switch_to.active_element == panel
    link = next(a for a in panel.find_elements(By.CSS_SELECTOR, "a.facet-value") if a.is_displayed())
    name = link.find_element(By.CSS_SELECTOR, ".name").text
    link.click()
    WebDriverWait(driver, 10).until(lambda d: "place=" in d.current_url, f"{name} was not chosen")
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.ID, "filter-status").get_attribute("textContent"), "no announcement"
    )
    count = driver.find_element(By.CSS_SELECTOR, "#result-count strong").text
    assert driver.find_element(By.ID, "filter").is_displayed()  # still open for the next filter
    assert driver.find_element(By.ID, "filter-status").get_attribute("textContent").startswith(count)
    focused = driver.switch_to.active_element
    assert focused.find_element(By.CSS_SELECTOR, ".name").text == name
    show = driver.find_element(By.CSS_SELECTOR, ".panel-foot button")
    assert show.text == f"{count} anzeigen"
    show.click()
    assert not driver.find_element(By.ID, "filter").is_displayed()
    assert driver.switch_to.active_element.get_attribute("id") == "ergebnisse"
    assert driver.find_element(By.CSS_SELECTOR, "button.filter-toggle").text == "Filter (1)"


def test_a_filter_chosen_with_the_keyboard_announces_the_count_and_keeps_the_focus(driver):
    open_page(driver, "/?q=Kreis", DESKTOP)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='facet-topic']")
    link = section.find_element(By.CSS_SELECTOR, "a.facet-value")
    name = link.find_element(By.CSS_SELECTOR, ".name").text
    driver.execute_script("arguments[0].focus()", link)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "topic=" in d.current_url)
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.ID, "filter-status").get_attribute("textContent")
    )
    status = driver.find_element(By.ID, "filter-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("textContent").startswith(
        driver.find_element(By.CSS_SELECTOR, "#result-count strong").text
    )
    assert driver.switch_to.active_element.find_element(By.CSS_SELECTOR, ".name").text == name


def test_place_tree_folds_with_the_arrow_keys_from_the_nodes_one_tab_stop(driver):
    open_page(driver, "/", DESKTOP)
    branch = next(
        d
        for d in driver.find_elements(
            By.CSS_SELECTOR, "section[aria-labelledby='facet-place'] details.branch"
        )
        if d.is_displayed() and not d.get_attribute("open")
    )
    link = branch.find_element(By.XPATH, "preceding-sibling::a[1]")
    driver.execute_script("arguments[0].focus()", link)
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    assert branch.get_attribute("open") is not None
    inner = branch.find_element(By.CSS_SELECTOR, ":scope > ul a.facet-value")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element == inner  # the next node, not a second stop of this one
    driver.execute_script("arguments[0].focus()", link)
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    assert branch.get_attribute("open") is None
