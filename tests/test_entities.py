"""Places and organisations from the offline pipeline, on German examples."""

import pytest

from indexer.build.build import analyse_records, place_hierarchy
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
    record = {"id": "x", "title": "Sozialraumzentrum Hermeskeil eingeweiht",
              "body": "Die Polizeiinspektion Saarburg in Konz."}  # fmt: skip
    result = next(analyse_records(iter([record])))
    text = record["title"] + "\n\n" + record["body"]
    assert result["entities"]
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    labels = {(e["text"], e["label"]) for e in result["entities"]}
    assert {("Hermeskeil", "LOC"), ("Konz", "LOC"), ("Polizeiinspektion Saarburg", "ORG")} <= labels


def test_generic_bodies_are_facet_values_but_not_named_entities():
    # "die Polizei" is what users filter by, but no proper name (spaCy's and GermEval's convention)
    result = analyse("Die Polizei und Freiwillige der Feuerwehr halfen. Die Wülfrather Polizei ermittelt.")
    assert {"Polizei", "Feuerwehr", "Polizei Wülfrath"} <= set(result["orgs"])
    assert not [e for e in result["entities"] if e["label"] == "ORG"]


def test_publisher_resolves_a_stadtteil_that_shares_a_town_name():
    record = {"id": "f", "title": "Einbruch", "body": "In Bornheim wurde eingebrochen.",
              "source": "Polizeipräsidium Frankfurt am Main"}  # fmt: skip
    places = next(analyse_records(iter([record])))["places"]
    assert places == ["Bornheim (Frankfurt am Main)"]
    place = default_gazetteer().by_key[places[0]]
    assert place.kind == "Stadtteil" and place.district == "Frankfurt am Main"


def test_countries_and_foreign_cities_are_places_when_no_model_is_installed():
    result = analyse("Der Mann stammt aus Polen und reiste über Wien nach Deutschland.")
    assert {"Wien", "Deutschland"} <= set(result["places"])


def test_derived_adjectives_are_places_but_not_loc_entities():
    result = analyse("Die Saarburger Innenstadt wird gesperrt.")
    assert "Saarburg" in result["places"]
    assert not any(e["text"] == "Saarburger" for e in result["entities"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beamte des Polizeiabschnitts 32 nahmen ihn fest.", "Polizeiabschnitt 32"),
        ("Hinweise nimmt das 5. Polizeirevier entgegen.", "5. Polizeirevier"),
        ("Die Frankfurter Kriminalpolizei ermittelt.", "Kriminalpolizei Frankfurt am Main"),
        ("Die Feuerwehr Ottendorf rückte aus.", "Freiwillige Feuerwehr Ottendorf"),
        ("Die FF Wenns wurde alarmiert.", "Freiwillige Feuerwehr Wenns"),
        ("Der 1. FC Köln spielte.", "1. FC Köln"),
        ("Das Bundesamt für Gesundheit warnt.", "Bundesamt für Gesundheit"),
    ],
)
def test_named_units_and_institutions(text, expected):
    assert expected in analyse(text)["orgs"]


def test_press_wire_trailer_is_not_an_entity_source():
    result = analyse("Ein Unfall. ots Originaltext: Polizeipräsidium Frankfurt am Main Digitale Pressemappe")
    assert "Polizeipräsidium Frankfurt am Main" not in result["orgs"]


def entity_texts(result: dict, label: str) -> set[str]:
    return {e["text"] for e in result["entities"] if e["label"] == label}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Bericht erschien in der Mittelbayerischen Zeitung.", "Mittelbayerischen Zeitung"),
        ("Das Buch erschien 1950 im Hirzel Verlag.", "Hirzel Verlag"),
        ("Die Schüler am Otto-Hahn-Gymnasium sammelten Spenden.", "Otto-Hahn-Gymnasium"),
        ("Preußen Münster gewann am Samstag.", "Preußen Münster"),
        ("Er wechselte zu den Chicago Bulls.", "Chicago Bulls"),
        ("Die Firma Müller Haustechnik reparierte die Leitung.", "Müller Haustechnik"),
        ("Vorstandsvorsitzender der Hays AG ist er seit 2010.", "Hays AG"),
        ("Die Kriminalpolizei Weinheim ermittelt.", "Kriminalpolizei Weinheim"),
    ],
)
def test_organisations_known_by_their_shape(text, expected):
    result = analyse(text)
    assert expected in result["orgs"]
    assert expected in entity_texts(result, "ORG")


def test_clubs_and_teams_keep_their_town_inside_the_name():
    result = analyse("Preußen Münster verlor gegen die Chicago Bulls.")
    assert not entity_texts(result, "LOC") & {"Münster", "Chicago"}


def test_parties_by_their_short_names_but_not_the_countryside():
    result = analyse("Im Landtag stimmten die Grünen und die Linken dagegen.")
    assert {"Bündnis 90/Die Grünen", "Die Linke"} <= set(result["orgs"])
    assert analyse("Am Sonntag picknicken wir im Grünen.")["orgs"] == []
    assert analyse("Ein Unfall in der Straße Am Grünen Graben.")["orgs"] == []


def test_brands_are_companies_only_where_the_text_speaks_of_the_company():
    car = analyse("Ein schwarzer BMW wurde gestohlen. Der Audi wurde sichergestellt.")
    assert not entity_texts(car, "ORG")
    company = analyse("Der Zulieferer arbeitet für BMW und Audi.")
    assert {"BMW", "Audi"} <= entity_texts(company, "ORG")
    assert company["orgs"] == []  # a guess: an entity span, not a facet value


def test_acronyms_are_org_spans_but_codes_and_units_are_not():
    result = analyse("Die Studie der IKB erschien am Montag.")
    assert "IKB" in entity_texts(result, "ORG") and result["orgs"] == []
    codes = analyse("Im PKW fand die Polizei 500 EUR, eine DVD und eine DNA-Probe.")
    assert not entity_texts(codes, "ORG")


def test_legal_form_does_not_take_a_common_noun_as_name():
    assert analyse("Die Arbeit der AG ruht bis Mai.")["orgs"] == []


def test_signature_of_the_publishing_brigade_is_no_organisation():
    result = analyse("Wir danken allen Helfern. Eure Feuerwehr Kronshagen")
    assert result["orgs"] == [] and result["places"] == []


def test_town_and_part_of_town_in_one_word_is_a_loc_entity():
    result = analyse("Ein Unfall in Berlin-Mitte. Der Taiwan-Dollar fiel.")
    assert "Berlin-Mitte" in entity_texts(result, "LOC")
    assert "Taiwan-Dollar" not in entity_texts(result, "LOC")


def test_towns_in_capitals_and_places_in_a_list():
    result = analyse(
        "BOCHUM - Fans aus Deutschland, Polen und Ungarn feierten. Später wanderten sie im Harz."
    )
    # the mountains, not the Landkreis Harz, whose key is "Harz"
    assert {"Bochum", "Deutschland", "Polen", "Ungarn", "Harz (Gebirge)"} <= set(result["places"])


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("Die Arbeiten dauern bis Mitte Mai.", "Mitte"),
        ("Mann nach Brand in Mehrfamilienhaus verstorben.", "Brand"),
        ("Der Unfall geschah an der Anschlussstelle Kelsterbach.", "Kelsterbach"),
        ("Zwei Frankfurter im Alter von 17 und 18 Jahren wurden festgenommen.", "Frankfurt am Main"),
    ],
)
def test_words_that_only_look_like_places(text, not_a_place):
    assert not_a_place not in analyse(text)["places"]


def test_derived_adjective_before_a_part_of_town_is_the_town():
    record = {"id": "r", "title": "Einbruch", "body": "Ein Einbruch im Reinickendorfer Ortsteil Borsigwalde.",
              "source": "Polizei Berlin"}  # fmt: skip
    keys = next(analyse_records(iter([record])))["places"]
    assert {"Reinickendorf", "Borsigwalde"} <= {default_gazetteer().by_key[key].name for key in keys}


def test_publisher_prefers_its_own_stadtteil_over_a_town_elsewhere():
    record = {"id": "g", "title": "Griesheim: Einbruch", "body": "Ein Einbrecher wurde festgenommen.",
              "source": "Polizeipräsidium Frankfurt am Main"}  # fmt: skip
    places = next(analyse_records(iter([record])))["places"]
    assert len(places) == 1 and default_gazetteer().by_key[places[0]].kind == "Stadtteil"


def test_streets_roads_and_junctions_are_loc_entities_but_no_places():
    result = analyse("Auf der A 5 zwischen Kreuz Walldorf und der Schulstraße staute es sich.")
    assert {"A 5", "Kreuz Walldorf", "Schulstraße"} <= entity_texts(result, "LOC")
    assert "Walldorf" not in result["places"]


def test_an_acronym_takes_the_name_after_it_but_not_a_number():
    result = analyse("Die Aktien von PKN Orlen stiegen. Siehe PMID 17117481.")
    assert "PKN Orlen" in entity_texts(result, "ORG")
    assert not {"PMID", "PMID 17117481"} & entity_texts(result, "ORG")


def test_schools_named_after_their_town():
    assert "Realschule Saarburg" in analyse("Die Schüler der Realschule Saarburg sammelten Geld.")["orgs"]
