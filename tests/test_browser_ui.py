"""The UI in a real browser: Debian's Chromium, driven by Selenium, against a live server.

A werkzeug server on 127.0.0.1 serves the demo-corpus index; Chromium runs headless.
Screenshots of the results page (1280 px and 375 px wide) go to test-artifacts/.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from search_web import create_app

selenium = pytest.importorskip("selenium", reason="selenium is not installed (test extra of pyproject.toml)")
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="chromium and chromium-driver are not installed (scripts/test.sh installs them when run as root)",
)


def serve(index_dir):
    """The app on an index, served on a free local port for the browser; yields its base URL."""
    app = create_app({"INDEX_DIR": str(index_dir)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(demo_index):
    yield from serve(demo_index)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="amtsblick-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except WebDriverException as error:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"Chromium could not be started: {error.msg}")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, base_url):
    """Open a path and return the driver; the window is reset to desktop size."""
    browser.set_window_size(1280, 900)

    def open_path(path: str):
        browser.get(base_url + path)
        return browser

    return open_path


def params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).query)


def result_count(driver) -> int:
    text = driver.find_element(By.ID, "result-count").text
    return int(text.split()[0].replace(".", ""))


def wait_for_url(driver, predicate, timeout: float = 10):
    WebDriverWait(driver, timeout).until(lambda d: predicate(d.current_url))


def facet_link(driver, section_id: str, value: str):
    """The link of a facet value; folded branches of the place tree are unfolded as a user would."""
    section = driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='{section_id}']")
    for link in section.find_elements(By.CSS_SELECTOR, "a.facet-value"):
        if link.find_element(By.CSS_SELECTOR, ".name").get_attribute("textContent") == value:
            unfold(driver, link)
            return link
    raise AssertionError(f"no facet value {value!r} in {section_id}")


def unfold(driver, element) -> None:
    """Open every closed <details> around the element with the keyboard (Space on its summary)."""
    closed = driver.execute_script(
        "const out = [];"
        " for (let d = arguments[0].closest('details'); d; d = d.parentElement.closest('details'))"
        " { if (!d.open) out.unshift(d.querySelector(':scope > summary')); } return out;",
        element,
    )
    for summary in closed:
        driver.execute_script("arguments[0].focus()", summary)
        summary.send_keys(Keys.SPACE)
    WebDriverWait(driver, 5).until(lambda d: element.is_displayed())


def severe_console_messages(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_search_then_select_a_place_facet_and_remove_its_chip(page):
    driver = page("/?q=Kreis")
    everything = result_count(driver)
    facet_link(driver, "facet-place", "Hermeskeil").click()
    wait_for_url(driver, lambda url: "place=Hermeskeil" in url)
    assert params(driver)["q"] == ["Kreis"]
    filtered = result_count(driver)
    assert 0 < filtered < everything
    chip = driver.find_element(By.CSS_SELECTOR, ".chips a.chip")
    assert "Hermeskeil" in chip.text
    chip.click()
    wait_for_url(driver, lambda url: "place=" not in url)
    assert result_count(driver) == everything
    assert not driver.find_elements(By.CSS_SELECTOR, ".chips a.chip")


def test_two_places_show_announcements_from_either(page, client):
    driver = page("/")
    facet_link(driver, "facet-place", "Konz").click()
    wait_for_url(driver, lambda url: "place=Konz" in url)
    facet_link(driver, "facet-place", "Hermeskeil").click()
    wait_for_url(driver, lambda url: "place=Hermeskeil" in url)
    assert params(driver)["place"] == ["Konz", "Hermeskeil"]
    either = client.get("/api/search?place=Konz&place=Hermeskeil").get_json()["total"]
    assert result_count(driver) == either
    assert len(driver.find_elements(By.CSS_SELECTOR, ".chips a.chip")) == 2
    driver.find_element(By.LINK_TEXT, "alle Filter entfernen").click()
    wait_for_url(driver, lambda url: "place=" not in url)


def test_pagination_moves_to_the_next_page(page):
    driver = page("/?per_page=5")
    first = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".hit h3 a")]
    driver.find_element(By.CSS_SELECTOR, "nav.pages a[rel=next]").click()
    wait_for_url(driver, lambda url: "page=2" in url)
    second = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".hit h3 a")]
    assert len(first) == len(second) == 5 and not set(first) & set(second)
    current = driver.find_element(By.CSS_SELECTOR, "nav.pages a[aria-current=page]")
    assert current.text.strip().endswith("2")


def test_open_a_document_then_follow_an_entity_link(page):
    driver = page("/?q=Sozialraumzentrum")
    driver.find_element(By.LINK_TEXT, "Sozialraumzentrum Hermeskeil eingeweiht").click()
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "doc-title")))
    assert driver.find_element(By.ID, "doc-title").text == "Sozialraumzentrum Hermeskeil eingeweiht"
    similar = driver.find_elements(By.CSS_SELECTOR, ".similar .card h3 a")
    assert 1 <= len(similar) <= 5
    driver.find_element(By.CSS_SELECTOR, ".entities a.entity[href='/ort/Hermeskeil']").click()
    wait_for_url(driver, lambda url: url.endswith("/ort/Hermeskeil"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Hermeskeil"
    assert driver.find_elements(By.CSS_SELECTOR, ".entity-main .hit")
    assert "Trier-Saarburg" in driver.find_element(By.CSS_SELECTOR, ".within").text


def test_keyboard_only_search(page):
    driver = page("/")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(12):  # skip link, brand, navigation … then the query box
        if driver.switch_to.active_element.get_attribute("id") == "q":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    field = driver.switch_to.active_element
    assert field.get_attribute("id") == "q"
    field.send_keys("Sozialraumzentrum", Keys.ENTER)
    wait_for_url(driver, lambda url: "q=Sozialraumzentrum" in url)
    titles = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".hit h3 a")]
    assert "Sozialraumzentrum Hermeskeil eingeweiht" in titles
    # the focus ring is visible: an outline is drawn on the focused element
    driver.switch_to.active_element.send_keys(Keys.TAB)
    outline = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_suggestions_complete_a_place_with_the_keyboard(page):
    driver = page("/")
    field = driver.find_element(By.ID, "q")
    field.send_keys("Hermes")
    listbox = WebDriverWait(driver, 10).until(EC.visibility_of_element_located((By.ID, "q-listbox")))
    options = listbox.find_elements(By.CSS_SELECTOR, "[role=option]")
    assert any(option.text.startswith("Hermeskeil") for option in options)
    assert field.get_attribute("aria-expanded") == "true"
    field.send_keys(Keys.ARROW_DOWN)
    assert field.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    field.send_keys(Keys.ENTER)
    wait_for_url(driver, lambda url: "place=" in url or "/doc/" in url)
    assert params(driver).get("place") == ["Hermeskeil"]


def test_facet_filter_box_narrows_a_long_list(page):
    driver = page("/")
    box = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='facet-place'] input.facet-filter")
    box.send_keys("kell")
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='facet-place']")
    visible = [
        v.text for v in section.find_elements(By.CSS_SELECTOR, "a.facet-value .name") if v.is_displayed()
    ]
    assert "Kell am See" in visible
    assert "Konz" not in visible


def test_year_bar_filters_and_shows_months(page):
    driver = page("/")
    driver.find_element(By.CSS_SELECTOR, "figure[aria-labelledby='hist-years'] a[title^='2015:']").click()
    wait_for_url(driver, lambda url: "year=2015" in url)
    months = driver.find_element(By.CSS_SELECTOR, "figure[aria-labelledby='hist-months']")
    labels = months.find_elements(By.CSS_SELECTOR, "li")
    assert len(labels) == 12
    assert result_count(driver) == sum(
        int(a.get_attribute("title").split(": ")[1].split()[0])
        for a in months.find_elements(By.CSS_SELECTOR, "a")
    )


def test_pages_raise_no_console_errors(page):
    """No CSP violation (inline script or style) and no script error on the main pages."""
    driver = page("/?q=Kreis")
    driver.get_log("browser")  # drop earlier messages
    for path in ("/?q=Kreis&year=2015", "/doc/kv-trier-saarburg-2015-049", "/ort/Trier-Saarburg", "/ueber"):
        driver = page(path)
        time.sleep(0.2)
    assert severe_console_messages(driver) == []


@pytest.mark.parametrize("width,height", [(1280, 900), (375, 812)])
def test_results_page_fits_the_screen_and_is_saved_as_screenshot(page, width, height):
    driver = page("/")
    driver.set_window_size(width, height)
    driver.get(driver.current_url.split("?")[0] + "?q=Kreis&place=Trier-Saarburg")
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a {width}px screen"
    ARTIFACTS.mkdir(exist_ok=True)
    full_height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, full_height), 4000))
    assert driver.save_screenshot(str(ARTIFACTS / f"results-{width}px.png"))
    if width < 600:  # on a phone the filters are a closed panel behind the "Filter (n)" button
        assert not driver.find_element(By.ID, "filter").is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, "button.filter-toggle").text == "Filter (1)"


@pytest.mark.parametrize(
    "path",
    [
        "/?q=Kreis&place=Trier-Saarburg&year=2015",
        "/doc/kv-trier-saarburg-2015-049",
        "/ort/Hermeskeil",
        "/ueber",
    ],
)
def test_pages_fit_a_360_px_screen(page, path):
    driver = page("/")
    driver.set_window_size(360, 740)
    driver.get(driver.current_url.split("?")[0].rstrip("/") + path)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 360px screen"


CONTRAST_SCRIPT = """
function rgb(text) { return text.match(/[\\d.]+/g).map(Number); }
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function background(el) {
  for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c;
  }
  return [255, 255, 255];
}
const out = [];
for (const el of document.querySelectorAll(arguments[0])) {
  if (!el.offsetParent || !el.textContent.trim()) continue;
  const fg = luminance(rgb(getComputedStyle(el).color)), bg = luminance(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  out.push([el.tagName + '.' + el.className + ' ' + el.textContent.trim().slice(0, 30), ratio]);
}
return out;
"""
TEXT_SELECTORS = (
    "p, li, a, h1, h2, h3, label, summary, .meta, .hint, .facet-hint, .count, .kind, .chip, .tag, "
    ".label, mark, button, header.site a, header.site span, .why, .s-kind"
)


@pytest.mark.parametrize(
    "path", ["/?q=Kreis&place=Trier-Saarburg&year=2015", "/doc/kv-trier-saarburg-2015-049"]
)
def test_text_contrast_meets_wcag_aa(page, path):
    driver = page(path)
    ratios = driver.execute_script(CONTRAST_SCRIPT, TEXT_SELECTORS)
    assert len(ratios) > 50
    too_low = [(what, round(ratio, 2)) for what, ratio in ratios if ratio < 4.5]
    assert not too_low, too_low[:5]


def test_correction_link_searches_the_words_as_typed_and_back(page):
    driver = page("/?q=Sozialraumzentrum+Hermeskiel")
    note = driver.find_element(By.CSS_SELECTOR, "p.spelling")
    assert "Gezeigt werden Treffer für „Sozialraumzentrum Hermeskeil“" in note.text  # as written
    assert "Stattdessen nach „Sozialraumzentrum Hermeskiel“ suchen" in note.text
    corrected = result_count(driver)
    assert corrected > 0
    driver.find_element(By.CSS_SELECTOR, "a.as-typed").click()
    wait_for_url(driver, lambda url: "as_typed=1" in url)
    assert params(driver)["q"] == ["Sozialraumzentrum Hermeskiel"]
    # As typed, no announcement has both words: the partial set says which word it lacks.
    assert "ohne „Hermeskiel“" in driver.find_element(By.CSS_SELECTOR, "p.dropped").text
    driver.find_element(By.CSS_SELECTOR, "a.did-you-mean").click()
    wait_for_url(driver, lambda url: "as_typed" not in url)
    assert params(driver)["q"] == ["Sozialraumzentrum Hermeskeil"]
    assert result_count(driver) == corrected


def test_partial_result_links_a_search_for_all_words(page):
    driver = page("/?q=Sozialraumzentrum+Quarkstrudelfabrik")
    assert "ohne „Quarkstrudelfabrik“" in driver.find_element(By.CSS_SELECTOR, "p.dropped").text
    assert result_count(driver) > 0
    driver.find_element(By.CSS_SELECTOR, "a.all-words").click()
    wait_for_url(driver, lambda url: "match=all" in url)
    assert driver.find_elements(By.CSS_SELECTOR, "ol.hits li.hit") == []
    assert "Keine Meldung enthält alle Wörter" in driver.find_element(By.CSS_SELECTOR, "p.dropped").text
