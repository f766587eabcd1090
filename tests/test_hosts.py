"""Absolute URLs come from configuration, never from an unchecked Host header (search_web/hosts.py)."""

from __future__ import annotations

import re

import pytest

from search_web import create_app

BASE = "https://amtsblick.example"
EVIL = "evil.example"


def _client(demo_index, **config):
    return create_app({"INDEX_DIR": str(demo_index), **config}).test_client()


def _absolute_urls(text: str) -> list[str]:
    return re.findall(r"""https?://[^\s"'<>]+""", text)


ABSOLUTE_PAGES = ["/opensearch.xml", "/?q=Kreis", "/feed.atom?q=Kreis", "/api/suggest?format=opensearch&q=Ko"]


@pytest.mark.parametrize("path", [*ABSOLUTE_PAGES, "/", "/api/search?q=Kreis", "/healthz"])
def test_an_untrusted_host_gets_a_german_400(demo_index, path):
    response = _client(demo_index).get(path, headers={"Host": EVIL})
    assert response.status_code == 400
    assert "Unbekannter Host" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["a" * 300, "127.0.0.1:1/x", "evil.example:8000"])
def test_malformed_hosts_get_a_400_not_a_500(demo_index, host):
    assert _client(demo_index).get("/", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("path", ABSOLUTE_PAGES)
def test_with_a_base_url_every_absolute_url_is_the_configured_one(demo_index, path):
    response = _client(demo_index, BASE_URL=BASE).get(path, headers={"Host": EVIL})
    assert response.status_code == 200
    urls = _absolute_urls(response.get_data(as_text=True))
    assert any(url.startswith(BASE + "/") for url in urls) and not any(EVIL in url for url in urls), urls[:5]


def test_with_a_base_url_a_redirect_points_to_the_configured_address(demo_index):
    response = _client(demo_index, BASE_URL=BASE).get("/api//search?q=Kreis", headers={"Host": EVIL})
    assert response.status_code in (301, 308)
    assert EVIL not in response.headers["Location"]
    assert response.headers["Location"].startswith(("/", BASE))


def test_a_trusted_host_name_is_served_under_its_own_name(demo_index):
    client = _client(demo_index, HOSTS="amtsblick.example, www.amtsblick.example")
    response = client.get("/opensearch.xml", headers={"Host": "www.amtsblick.example"})
    assert response.status_code == 200
    assert "http://www.amtsblick.example/?q=" in response.get_data(as_text=True)
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400  # the list replaces the default


def test_opensearch_description_is_kept_apart_per_host_and_not_for_a_day(demo_index):
    response = _client(demo_index).get("/opensearch.xml")
    assert response.headers["Vary"] == "Host"
    max_age = int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))
    assert max_age <= 3600


def test_a_base_url_that_is_no_address_stops_the_start(demo_index):
    with pytest.raises(ValueError, match="AMTSBLICK_BASE_URL"):
        create_app({"INDEX_DIR": str(demo_index), "BASE_URL": "amtsblick.example"})
