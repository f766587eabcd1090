"""Plain-text page dumps: the real dump in shared/corpus/seed and made-up layouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indexer.ingest.inputs import expand_inputs, read_inputs
from indexer.ingest.sources.text import parse_dump
from indexer.model import Announcement, InputError
from tests.conftest import shared_corpus_dir

SEED_NAME = "trier-saarburg_2015-06-09_sozialraumzentrum-hermeskeil.txt"

# A different layout: breadcrumb and sidebar first, the headline *above* a dateline
# with place and month name, hard-wrapped lines, a bullet list, a subheading,
# and a footer of short links and a copyright line. Stored as Windows-1252.
MUSTERSTADT_DUMP = """\
Startseite > Rathaus > Presse > Pressemitteilungen
Suche
Leichte Sprache
Gebärdensprache

Bürgerservice
Öffnungszeiten
Mo-Fr 8-12 Uhr

Neue Öffnungszeiten im Bürgerbüro ab April
Musterstadt, 14. März 2023 –

Das Bürgerbüro der Stadt Musterstadt ändert zum 1. April seine Öffnungszeiten.
Künftig ist es auch am Donnerstagnachmittag bis 18 Uhr geöffnet, damit
Berufstätige ihre Anliegen nach Feierabend erledigen können.

- Montag bis Freitag: 8 bis 12 Uhr
- Donnerstag zusätzlich: 14 bis 18 Uhr

Termine online buchen

Termine können ab sofort auch über das Online-Portal der Stadt gebucht werden.
Wer keinen Termin hat, wird wie bisher nach Wartenummer bedient.

Seite drucken
Nach oben

© 2023 Stadt Musterstadt
Impressum | Datenschutz | Barrierefreiheit
"""


@pytest.fixture(scope="module")
def seed() -> Path:
    path = shared_corpus_dir() / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip(f"seed dump not found at {path} (set AMTSBLICK_DATA)")
    return path


@pytest.fixture(scope="module")
def seed_announcement(seed) -> Announcement:
    items = list(read_inputs(expand_inputs([str(seed)])))
    assert len(items) == 1 and isinstance(items[0], Announcement), items
    return items[0]


def test_seed_dump_title_is_the_headline_after_the_date_line(seed_announcement):
    assert seed_announcement.title == "Sozialraumzentrum Hermeskeil eingeweiht"


def test_seed_dump_date_comes_from_the_date_line(seed_announcement):
    assert seed_announcement.date == dt.date(2015, 6, 9)


def test_seed_dump_body_starts_with_the_running_text(seed_announcement):
    assert seed_announcement.body.startswith("In Hermeskeil ist")


def test_seed_dump_body_ends_before_the_footer_links(seed_announcement):
    assert seed_announcement.body.endswith("Aufgabe in den nächsten Monaten sein.")
    assert "Breitbandausbau" not in seed_announcement.body
    assert "VRT Beschwerdesystem" not in seed_announcement.body


def test_seed_dump_drops_menus_and_address_box_but_keeps_subheadings(seed_announcement):
    body = seed_announcement.body
    for menu in ("Schriftgröße", "Zur Newsübersicht", "Willy-Brandt-Platz", "Sprechzeiten", "Home"):
        assert menu not in body
    assert "\n\nPassgenaue Hilfsangebote\n\n" in body and "\n\nPräventionsarbeit\n\n" in body


def test_seed_dump_paragraphs_are_separated_by_one_blank_line(seed_announcement):
    paragraphs = seed_announcement.body.split("\n\n")
    assert len(paragraphs) == 9 and all(p.strip() == p and p for p in paragraphs)


def test_other_layout_headline_above_dateline_with_month_name(tmp_path):
    path = tmp_path / "pressemitteilung.txt"
    path.write_bytes(MUSTERSTADT_DUMP.encode("cp1252"))
    [item] = list(read_inputs(expand_inputs([str(tmp_path)])))
    assert item.title == "Neue Öffnungszeiten im Bürgerbüro ab April"
    assert item.date == dt.date(2023, 3, 14)
    assert item.body.startswith("Das Bürgerbüro der Stadt Musterstadt ändert zum 1. April")


def test_other_layout_unwraps_lines_and_keeps_list_and_subheading():
    page = parse_dump(MUSTERSTADT_DUMP)
    paragraphs = page.body.split("\n\n")
    assert paragraphs[0].endswith("nach Feierabend erledigen können.")  # three wrapped lines, one paragraph
    assert "- Montag bis Freitag: 8 bis 12 Uhr - Donnerstag zusätzlich: 14 bis 18 Uhr" in paragraphs
    assert "Termine online buchen" in paragraphs
    assert page.body.endswith("nach Wartenummer bedient.")


def test_other_layout_drops_breadcrumb_sidebar_and_footer():
    body = parse_dump(MUSTERSTADT_DUMP).body
    for chrome in ("Startseite >", "Leichte Sprache", "Öffnungszeiten\n", "Seite drucken", "©", "Impressum"):
        assert chrome not in body


def test_date_headline_and_text_without_blank_lines_between_them():
    dump = (
        "Aktuelles\nPresse\n\n"
        "Datum: 02.11.2021\n"
        "Kreis fördert neue Radwege im Hochwald\n"
        "Der Kreistag hat am Montag beschlossen, drei neue Radwege im Hochwald zu fördern. "
        "Die Arbeiten beginnen im Frühjahr.\n\n"
        "Zurück zur Übersicht\n"
    )
    page = parse_dump(dump)
    assert (page.title, page.date) == ("Kreis fördert neue Radwege im Hochwald", dt.date(2021, 11, 2))
    assert page.body == (
        "Der Kreistag hat am Montag beschlossen, drei neue Radwege im Hochwald zu fördern. "
        "Die Arbeiten beginnen im Frühjahr."
    )


def test_date_from_file_name_when_the_dump_has_no_date_line(tmp_path):
    path = tmp_path / "kreis_2019-04-30_waldbrand.txt"
    path.write_text(
        "Menü\nStart\n\nWaldbrandgefahr im Kreisgebiet steigt\n\n"
        "Wegen der Trockenheit warnt die Kreisverwaltung vor offenem Feuer im Wald.\n",
        encoding="utf-8",
    )
    [item] = list(read_inputs([path]))
    assert item.date == dt.date(2019, 4, 30) and item.title == "Waldbrandgefahr im Kreisgebiet steigt"


def test_dump_with_only_menu_lines_is_one_clear_error(tmp_path):
    path = tmp_path / "menue.txt"
    path.write_text("Start\nAktuelles\nPresse\nKontakt\nImpressum\n", encoding="utf-8")
    [error] = list(read_inputs([path]))
    assert isinstance(error, InputError) and error.file == str(path)
    assert "kein Fließtext" in error.reason
