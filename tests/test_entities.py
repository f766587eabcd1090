"""Places and organisations from the offline pipeline, on German examples."""

import pytest

from indexer.build import analyse_records, place_hierarchy
from indexer.gazetteer import default_gazetteer


def analyse(body: str, title: str = "Meldung") -> dict:
    return next(analyse_records(iter([{"id": "x", "title": title, "body": body}])))


def test_places_and_inflected_forms_are_found():
    result = analyse(
        "In Hermeskeils Innenstadt und in der Saarburger Altstadt, in Kell am See und Heddert "
        "sowie im Landkreis Trier-Saarburg und in der VG Saarburg-Kell."
    )
    assert {"Hermeskeil", "Saarburg", "Kell am See", "Heddert", "Trier-Saarburg", "Saarburg-Kell"} <= set(
        result["places"]
    )


def test_entity_names_keep_their_form():
    result = analyse("Die Ortsgemeinde Schillingen lädt ein.")
    assert "Schillingen" in result["places"]
    assert "Schilling" not in result["lemmas"]


def test_common_words_need_evidence_to_be_places():
    result = analyse("Ein Auto wurde in Brand gesetzt. Am Berg brannte es.")
    assert "Brand" not in result["places"]
    assert "Berg" not in result["places"]


def test_ambiguous_name_without_context_is_not_guessed():
    result = analyse("Der Unfall ereignete sich in Neuenkirchen.")
    assert result["places"] == ["Neuenkirchen"]  # bare name: none of the 11 towns is guessed
    places, hierarchy = place_hierarchy(result["places"], default_gazetteer())
    assert places == ["Neuenkirchen"] and hierarchy["district"] == []


def test_place_keeps_verband_district_and_state():
    places, hierarchy = place_hierarchy(["Heddert"], default_gazetteer())
    assert places == ["Heddert"]
    assert hierarchy == {
        "verband": ["Saarburg-Kell"],
        "district": ["Trier-Saarburg"],
        "state": ["Rheinland-Pfalz"],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "mit der Johanniter-Unfall-Hilfe e. V. und der Jugendhilfe St. Maria",
            "Johanniter-Unfall-Hilfe e. V.",
        ),
        ("Die JUH betreibt das Zentrum.", "Johanniter-Unfall-Hilfe e. V."),
        ("Die Johanniter betreiben das Zentrum.", "Johanniter-Unfall-Hilfe e. V."),
        ("Die Kreisverwaltung Trier-Saarburg teilt mit.", "Kreisverwaltung Trier-Saarburg"),
        ("Das Polizeipräsidium Frankfurt meldet.", "Polizeipräsidium Frankfurt am Main"),
        ("Die Polizei nahm den Mann fest.", "Polizei"),
        ("Der Rettungsdienst brachte ihn ins Krankenhaus.", "Rettungsdienst"),
        ("Den Auftrag erhielt die inexio GmbH.", "inexio GmbH"),
        ("Das Kreisjugendamt ist zuständig.", "Kreisjugendamt"),
    ],
)
def test_organisations_get_one_canonical_name(text, expected):
    assert expected in analyse(text)["orgs"]


def test_entity_offsets_point_into_title_and_body():
    record = {"id": "x", "title": "Sozialraumzentrum Hermeskeil eingeweiht", "body": "Die Polizei in Konz."}
    result = next(analyse_records(iter([record])))
    text = record["title"] + "\n\n" + record["body"]
    assert result["entities"]
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    labels = {(e["text"], e["label"]) for e in result["entities"]}
    assert {("Hermeskeil", "LOC"), ("Konz", "LOC"), ("Polizei", "ORG")} <= labels
