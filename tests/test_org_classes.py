"""Organisation values, class by class (issue 12), generated from the rules' own data:
no fragments ("Dieser Gruppe", "Kriminalpolizei K", "Trier e. V."), one value per body."""

import json
import string
import tomllib

import pytest

from indexer.config import PACKAGE_DATA, REPO_ROOT
from indexer.enrich.org_shapes import common_noun, compound
from indexer.enrich.pipeline import build_pipeline, make_doc
from indexer.enrich.places import is_facility, known_word
from indexer.enrich.streets import STREET_ENDINGS
from indexer.gazetteer import default_gazetteer
from indexer.text.stop_words import STOP_WORDS

ORGS = tomllib.loads((PACKAGE_DATA / "organisations.toml").read_text(encoding="utf-8"))
PATTERNS = tomllib.loads((PACKAGE_DATA / "org_patterns.toml").read_text(encoding="utf-8"))
GERMAN_SUFFIXES = [s for s in PATTERNS["name_suffixes"] if known_word(s)] + ["Verein"]
ADJECTIVE_ENDINGS = ("e", "en", "er", "es")  # "Mittelbayerische Zeitung" is a name
LEGAL_FORM_ENDINGS = tuple(" ".join(form) for form in ORGS["legal_forms"]) + ("e. V.",)


@pytest.fixture(scope="module")
def nlp():
    return NLP


def orgs_of(nlp, body: str, source: str = "") -> tuple[list[str], list[str]]:
    """The organisation facet values and the ORG span texts of one announcement."""
    doc = make_doc(nlp, "Meldung", body, source)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc._.orgs, [e.text for e in doc.ents if e.label_ == "ORG"]


def _demo_compounds() -> list[str]:
    """Capitalised compounds of ordinary words with a noun head in the demo corpus
    ("Sozialraumzentrum", "Einsatzübung"): common nouns, no names."""
    words = set()
    for line in (REPO_ROOT / "corpus" / "demo.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for word in f"{record['title']} {record['body']}".split():
            word = word.strip(".,;:!?()„“\"'")
            long_noun = len(word) >= 9 and not word.endswith(ADJECTIVE_ENDINGS)
            if word[:1].isupper() and word.isalpha() and long_noun:
                words.add(word)
    return sorted(w for w in words if compound(w))


DEMO_COMPOUNDS = _demo_compounds()


def test_demo_corpus_yields_enough_compounds_to_test():
    assert len(DEMO_COMPOUNDS) >= 50


@pytest.mark.parametrize("stop_word", sorted({w.capitalize() for w in STOP_WORDS if w.isalpha()}))
def test_determiner_or_pronoun_before_a_name_noun_is_no_organisation(nlp, stop_word):
    body = " ".join(f"Gestern hieß es, {stop_word} {suffix} sei bekannt." for suffix in GERMAN_SUFFIXES)
    values, spans = orgs_of(nlp, body)
    assert not [v for v in values + spans if v.startswith(f"{stop_word} ")]


def test_common_noun_compound_before_gruppe_is_no_organisation(nlp):
    body = " ".join(f"Monatliche {word} Gruppe 2 am Dienstag." for word in DEMO_COMPOUNDS)
    values, spans = orgs_of(nlp, body)
    assert not [v for v in values + spans if v.endswith("Gruppe")]


def test_volunteer_adjective_without_fire_brigade_is_no_organisation(nlp):
    body = " ".join(f"Freiwillige {word} ergaben einen Wert." for word in DEMO_COMPOUNDS)
    values, spans = orgs_of(nlp, body)
    assert not [v for v in values + spans if "Freiwillige" in v]


@pytest.mark.parametrize("noun", sorted(set(ORGS["authority_nouns"]) | set(ORGS["generic"])))
def test_single_letter_after_a_body_is_no_part_of_its_name(nlp, noun):
    body = " ".join(f"Die {noun} {letter} 24 ermittelt." for letter in string.ascii_uppercase)
    values, _spans = orgs_of(nlp, body)
    assert not [v for v in values if v.split()[-1] in string.ascii_uppercase]


@pytest.mark.parametrize("noun", sorted(set(ORGS["authority_nouns"]) & set(ORGS["generic"])))
def test_street_after_a_body_is_no_part_of_its_name(nlp, noun):
    endings = sorted({e for e in STREET_ENDINGS if e.islower() and e.isalpha()})
    body = " ".join(f"Treffpunkt ist die {noun} Adickes{ending} 70 am Morgen." for ending in endings)
    values, _spans = orgs_of(nlp, body)
    assert not [v for v in values if "Adickes" in v]


def test_first_name_after_a_title_is_no_place_of_a_body(nlp):
    values, _spans = orgs_of(nlp, "Stadtrat Edwin Schwarz und Polizeipräsident Harald Meier sprachen.")
    assert not [v for v in values if "Edwin" in v or "Harald" in v]


def test_place_before_a_full_name_stays_the_place_of_a_body(nlp):
    values, _spans = orgs_of(nlp, "Teilnehmer von der Feuerwehr Eisolzried Michael Mayr und andere.")
    assert "Freiwillige Feuerwehr Eisolzried" in values


ALIASES_WITHOUT_LEGAL_FORM = sorted(
    {
        alias
        for org in ORGS["organisation"]
        for alias in [org["name"], *org.get("aliases", [])]
        if alias[:1].isupper()
        and not org["name"].endswith(LEGAL_FORM_ENDINGS)
        and not alias.endswith(".")  # "Warner Bros. Trier": the tokenizer reads a sentence end
    }
)


def test_legal_form_after_a_known_name_and_place_keeps_the_whole_name(nlp):
    """ "Caritasverband Trier e. V." is one organisation, not "Caritasverband" and "Trier e. V."."""
    split_off = []
    for alias in ALIASES_WITHOUT_LEGAL_FORM:
        values, _spans = orgs_of(nlp, f"Beteiligt ist unter anderem der {alias} Trier e. V. und andere.")
        if "Trier e. V." in values or not any(" Trier" in v for v in values):
            split_off.append((alias, values))
    assert split_off == []


def test_lone_common_noun_before_a_legal_form_is_no_organisation(nlp):
    values, _spans = orgs_of(nlp, "Die Gesellschaft - Bürger und Polizei für mehr Sicherheit e. V. lädt ein.")
    assert "Sicherheit e. V." not in values


PUBLISHER_BODIES = sorted(
    (head, short) for head, shorts in ORGS["publisher_bodies"].items() for short in shorts
)


def test_every_resolvable_short_form_is_a_generic_value():
    shorts = set(ORGS["resolvable"]) | {short for _head, short in PUBLISHER_BODIES}
    assert shorts <= set(ORGS["generic"])
    stays_generic = {"Polizei", "Feuerwehr", "Kriminalpolizei", "Rettungsdienst", "Staatsanwaltschaft"}
    assert set(ORGS["resolvable"]).isdisjoint(stays_generic)


@pytest.mark.parametrize(("head", "short"), PUBLISHER_BODIES)
def test_short_form_in_a_release_of_its_publisher_is_that_body(nlp, head, short):
    publisher = f"{head} Trier-Saarburg"
    values, _spans = orgs_of(nlp, f"Mitteilung: Heute informiert {short} über die Lage.", publisher)
    assert f"{short} Trier-Saarburg" in values and short not in values


@pytest.mark.parametrize("short", sorted({short for _head, short in PUBLISHER_BODIES}))
def test_short_form_without_its_publisher_stays_generic(nlp, short):
    values, _spans = orgs_of(nlp, f"Mitteilung: Heute informiert {short} über die Lage.", "Polizei Berlin")
    assert values == [short]


FULL_NAMES = sorted(
    (org["name"], short)
    for org in ORGS["organisation"]
    for short in ORGS["resolvable"]
    if short in org["name"].split() and org["name"] != short
)


def test_data_has_full_names_of_resolvable_bodies():
    assert len(FULL_NAMES) >= 5


@pytest.mark.parametrize(("name", "short"), FULL_NAMES)
def test_short_form_takes_the_full_name_the_document_gives(nlp, name, short):
    values, _spans = orgs_of(nlp, f"Die Meldung kommt vom {name}. Auch {short} bittet um Hinweise.")
    assert name in values and short not in values


def test_generic_bodies_stay_generic_beside_a_named_unit(nlp):
    values, _spans = orgs_of(
        nlp, "Die Polizei Berlin teilt mit: Die Polizei und die Feuerwehr waren im Einsatz.", "Polizei Berlin"
    )
    assert {"Polizei", "Feuerwehr", "Polizei Berlin"} <= set(values)


def test_two_named_bodies_leave_the_short_form_generic(nlp):
    values, _spans = orgs_of(
        nlp,
        "Beteiligt: Polizeipräsidium Westhessen, Polizeipräsidium Mittelhessen. Das Polizeipräsidium lädt.",
    )
    assert "Polizeipräsidium" in values


@pytest.mark.parametrize(
    "noun", sorted(n for n in {*ORGS["authority_nouns"], *ORGS["generic"]} if " " not in n)
)
def test_coordinated_body_is_not_part_of_an_institution_name(nlp, noun):
    values, _spans = orgs_of(nlp, f"Gemeinsame Meldung der Senatsverwaltung für Justiz und {noun} heute.")
    assert "Senatsverwaltung für Justiz" in values and not [v for v in values if f"und {noun}" in v]


def _plural(noun: str) -> str | None:
    """The German plural by the noun's ending (independent of the rule under test)."""
    for ending, plural in (("amt", "ämter"), ("ium", "ien")):
        if noun.endswith(ending):
            return noun[: -len(ending)] + plural
    if noun.endswith(("ei", "ung", "schaft", "wehr", "tion")):
        return noun + "en"
    if noun.endswith(("dienst", "rat", "tag", "schutz")):
        return noun + "e"
    return None


PLURALS = sorted((noun, _plural(noun)) for noun in ORGS["generic"] if _plural(noun))


@pytest.mark.parametrize(("noun", "plural"), PLURALS)
def test_plural_of_a_generic_body_is_no_organisation(nlp, noun, plural):
    values, _spans = orgs_of(nlp, f"Mitteilung: Die {plural} arbeiten eng zusammen.")
    assert noun not in values


# --- Land-level bodies and publisher-determined names (issue 12) ---------------------------

NLP = build_pipeline()
GAZETTEER = default_gazetteer()
PLACES = NLP.get_pipe("amtsblick_entities").places
LANDS = sorted(p.name for p in GAZETTEER.places if p.level == "state")
LAND_BODIES = {body["short"]: body for body in ORGS["land_body"]}
LAND_ADJECTIVES = tomllib.loads((PACKAGE_DATA / "org_words.toml").read_text(encoding="utf-8"))[
    "land_adjectives"
]


def _land_name(short: str, land: str) -> str:
    """The value of a Land's body: the one the text's own "<short> <Land>" gives."""
    return orgs_of(NLP, f"Meldung: Das {short} {land} ermittelt.")[0][0]


def _biggest_town(land: str) -> str:
    """The most populous municipality of a Land that is not itself the Land (no city-state)."""
    towns = [p for p in GAZETTEER.places if p.level == "municipality" and p.state == land and p.name != land]
    return max(towns, key=lambda p: p.population).name if towns else ""


def test_gazetteer_has_the_16_laender_and_each_an_adjective():
    assert len(LANDS) == 16
    assert set(LAND_ADJECTIVES.values()) == set(LANDS)


PUBLISHED_LAND_BODIES = sorted(short for short, body in LAND_BODIES.items() if body["publisher"])


@pytest.mark.parametrize("land", LANDS)
def test_bare_land_body_in_a_release_of_the_land_is_the_lands(nlp, land):
    for short in PUBLISHED_LAND_BODIES:
        values, _spans = orgs_of(nlp, f"Mitteilung: Das {short} ermittelt.", f"Polizei {land}")
        assert values == [_land_name(short, land)]


@pytest.mark.parametrize("land", [land for land in LANDS if _biggest_town(land)])
def test_bare_land_body_of_a_town_police_is_its_lands_never_its_towns(nlp, land):
    town = _biggest_town(land)
    for short in PUBLISHED_LAND_BODIES:
        values, _spans = orgs_of(nlp, f"Mitteilung: Das {short} ermittelt.", f"Polizeipräsidium {town}")
        assert values == [_land_name(short, land)], town
        other, _spans = orgs_of(nlp, f"Mitteilung: Das {short} ermittelt.", f"Kreisverwaltung {town}")
        assert other == [short]  # no police: the publisher does not decide


def _names_the_land(value: str, land: str) -> bool:
    stems = {stem for stem, name in LAND_ADJECTIVES.items() if name == land}
    return value.endswith(f" {land}") or any(value.lower().startswith(stem) for stem in stems)


@pytest.mark.parametrize("short", sorted(LAND_BODIES))
def test_land_adjective_and_land_name_give_one_value(nlp, short):
    for stem, land in sorted(LAND_ADJECTIVES.items()):
        capitalised = "-".join(part.capitalize() for part in stem.split("-"))
        body = f"Beteiligt waren die {stem}en {short}, die {capitalised}e {short} und {short} {land} gestern."
        values, _spans = orgs_of(nlp, body)
        assert len(values) == 1 and _names_the_land(values[0], land), (stem, values)


def test_generic_land_bodies_stay_generic_in_a_release_of_the_land(nlp):
    for short in sorted(s for s, body in LAND_BODIES.items() if not body["publisher"]):
        for land in LANDS:
            values, _spans = orgs_of(nlp, f"Mitteilung: Die {short} bittet um Hinweise.", f"Polizei {land}")
            assert values == [short]


COORDINATED = sorted(n for n in set(ORGS["authority_nouns"]) & set(ORGS["generic"]) if n != "Feuerwehr")


@pytest.mark.parametrize("land", LANDS)
def test_elliptic_coordination_gives_each_body_the_place(nlp, land):
    for first, second in zip(COORDINATED, COORDINATED[1:], strict=False):
        values, _spans = orgs_of(nlp, f"Gemeinsame Meldung {first} und {second} {land} Nr. 12")
        expected = {orgs_of(nlp, f"Meldung der {noun} {land} heute.")[0][0] for noun in (first, second)}
        assert set(values) == expected


def test_list_of_laender_after_a_land_body_names_each_lands_body(nlp):
    for i in range(len(LANDS) - 2):
        first, second, third = LANDS[i : i + 3]
        values, _spans = orgs_of(nlp, f"Einsatzkräfte der Polizei {first}, {second} und {third} halfen.")
        assert {f"Polizei {land}" for land in (first, second, third)} <= set(values), values


@pytest.mark.parametrize("land", [land for land in LANDS if _biggest_town(land)])
def test_numbered_unit_takes_the_town_of_its_police_publisher(nlp, land):
    town = _biggest_town(land)
    for unit in ORGS["numbered_units"]:
        body = f"Beamte des 3. {unit}s und das {unit} 14 kamen."
        values, _spans = orgs_of(nlp, body, f"Polizeipräsidium {town}")
        assert values == [f"14. {unit} {town}", f"3. {unit} {town}"]
        values, _spans = orgs_of(nlp, body, f"Freiwillige Feuerwehr {town}")
        assert f"3. {unit}" in values and not [v for v in values if town in v]


# --- Credits, platforms, institution names, region words, signatures -----------------------

ORG_WORDS = tomllib.loads((PACKAGE_DATA / "org_words.toml").read_text(encoding="utf-8"))
# every 20th curated name of several words (a comma inside a name is tokenised apart: not matched)
CURATED = sorted(
    {org["name"] for org in ORGS["organisation"] if " " in org["name"] and "," not in org["name"]}
)[::20]


def test_enough_curated_names_to_test_credits():
    assert len(CURATED) >= 30


@pytest.mark.parametrize("credit", ORG_WORDS["credit_words"])
def test_organisation_in_a_credit_line_is_no_facet_value(nlp, credit):
    marker = credit if credit == "©" else f"{credit}:"
    for name in CURATED:
        values, spans = orgs_of(
            nlp, f"Die Feuerwehr löschte den Brand.\n\n{marker} {name}\n\nDanach fuhr sie heim."
        )
        assert values == ["Feuerwehr"], (name, values)
        plain, _spans = orgs_of(nlp, f"Die Feuerwehr löschte den Brand. Danach half die {name} gern.")
        assert len(plain) == 2, (name, plain)  # the same name outside a credit is a value


def test_platform_named_as_a_medium_is_no_facet_value(nlp):
    for platform in ORG_WORDS["platforms"]:
        values, _spans = orgs_of(nlp, f"Die Polizei warnt auf {platform} vor Betrügern.")
        assert values == ["Polizei"], platform


INSTITUTIONS = sorted(PATTERNS["institution_nouns"])


@pytest.mark.parametrize("noun", INSTITUTIONS)
def test_land_adjective_before_an_institution_belongs_to_its_name(nlp, noun):
    for stem in sorted(LAND_ADJECTIVES)[::3]:
        adjective = "-".join(part.capitalize() for part in stem.split("-")) + "en"
        _values, spans = orgs_of(
            nlp, f"Er arbeitete im {adjective} {noun} für Umwelt und Verbraucherschutz seit 1990."
        )
        assert f"{adjective} {noun} für Umwelt und Verbraucherschutz" in spans, (adjective, spans)


@pytest.mark.parametrize("land", LANDS)
def test_institution_name_with_a_list_and_its_land_is_one_name(nlp, land):
    body = f"Das Ministerium für Landwirtschaft, Umwelt und Klimaschutz des Landes {land} teilt mit."
    values, _spans = orgs_of(nlp, body)
    assert values == [f"Ministerium für Landwirtschaft, Umwelt und Klimaschutz des Landes {land}"]


def test_lower_case_adjective_inside_an_institution_name_and_a_list_that_no_und_closes(nlp):
    for noun in INSTITUTIONS:
        _values, spans = orgs_of(nlp, f"Das {noun} für wirtschaftliche Zusammenarbeit und Entwicklung hilft.")
        assert f"{noun} für wirtschaftliche Zusammenarbeit und Entwicklung" in spans, spans
        values, _spans = orgs_of(nlp, f"Das {noun} für Gesundheit, Frau Müller und die Polizei.")
        assert not [v for v in values if "Müller" in v], values


UNIT_NOUNS = sorted(n for n in ORGS["authority_nouns"] if n not in ORGS["generic"] and " " not in n)


@pytest.mark.parametrize("region", ORG_WORDS["region_words"])
def test_region_word_after_a_unit_noun_names_the_unit(nlp, region):
    for noun in UNIT_NOUNS:
        values, _spans = orgs_of(nlp, f"Mitteilung: Die {noun} {region} ermittelt.")
        assert f"{noun} {region}" in values, (noun, values)


def test_signature_in_any_case_is_no_actor(nlp):
    for word in ORG_WORDS["signature"]:
        for written in (word, word.lower()):
            values, _spans = orgs_of(
                nlp, f"Gute Fahrt!\n\nIhre und {written} Feuerwehr KronshagenZuverlässig."
            )
            assert values == [], (written, values)


# --- Datelines, kinds of bodies, genitive names, place adjectives, local branches ----------

SYLLABLES = ["zan", "dur", "quo", "xel", "bri", "mok", "tav", "ulf", "pe", "ron"]
# invented names, no dictionary word: "Zandura", "Quoxel" …
INVENTED = [
    (a + b + c).capitalize() for a, b, c in zip(SYLLABLES, SYLLABLES[3:], SYLLABLES[6:], strict=False)
]
BIG_TOWNS = sorted(
    p.name
    for p in GAZETTEER.places
    if p.level == "municipality" and p.population >= 200_000 and p.name.isalpha() and not p.name.endswith("e")
)


def test_invented_names_are_no_words_and_towns_enough():
    assert len(INVENTED) >= 4 and not [n for n in INVENTED if known_word(n) or known_word(n.lower())]
    assert len(BIG_TOWNS) >= 10


@pytest.mark.parametrize("agency", ORG_WORDS["news_agencies"])
def test_agency_in_a_dateline_is_a_span_but_no_facet_value(nlp, agency):
    values, spans = orgs_of(nlp, f"Berlin ( {agency} ) - Die Polizei ermittelt.")
    assert agency in spans and values == ["Polizei"]


@pytest.mark.parametrize("head", ORG_WORDS["descriptor_heads"])
def test_name_after_a_kind_of_body(nlp, head):
    kind = head if head[:1].isupper() else f"Musik{head}"
    for name in INVENTED:
        values, _spans = orgs_of(nlp, f"Gestern trat die {kind} {name} Quoxeltam in der Halle auf.")
        assert f"{name} Quoxeltam" in values, (kind, values)
    for town in BIG_TOWNS[:5]:  # "Musikverein Wenns": the place is no name of its own
        values, _spans = orgs_of(nlp, f"Gestern trat die {kind} {town} in der Halle auf.")
        assert town not in values


@pytest.mark.parametrize("noun", INSTITUTIONS)
def test_genitive_adjective_name_after_an_institution(nlp, noun):
    for adjective in ("Deutscher", "Evangelischer", "Norddeutscher"):
        _values, spans = orgs_of(nlp, f"Die Tagung des {noun} {adjective} Ingenieure begann.")
        assert f"{noun} {adjective} Ingenieure" in spans, spans


def test_place_adjective_and_an_organisation_compound_is_one_name(nlp):
    """Where the place rules read "Kölner" as the town (not before every head: "-bank",
    "-werke" are theirs to decide), the adjective and the compound are one organisation."""
    heads_read = set()
    for town in BIG_TOWNS:
        for head in ORG_WORDS["org_compound_heads"]:
            body = f"Sprecherin beim {town}er Bürger{head} sagte das ."
            if PLACES.find(body.split()):
                heads_read.add(head)
                values, _spans = orgs_of(nlp, body)
                assert f"{town}er Bürger{head}" in values, (town, head, values)
    assert len(heads_read) >= 9


BODY_NOUNS = set(ORGS["authority_nouns"]) | set(ORGS["generic"]) | set(PATTERNS["institution_nouns"])
CURATED_PLAIN = [  # every 25th known body without a place or body noun in its name
    org["name"]
    for org in ORGS["organisation"][::25]
    if not BODY_NOUNS & set(org["name"].split())
    and not any(t in GAZETTEER.by_name or t[:-2] in GAZETTEER.by_name for t in org["name"].split())
    and org["name"].split()[-1] not in LEGAL_FORM_ENDINGS
    if org["name"].replace(" ", "").isalpha()
    and org["name"] not in ORG_WORDS["platforms"]  # no "Rhein-Main-…"
]


def test_known_body_and_a_town_after_it_is_its_local_branch(nlp):
    assert len(CURATED_PLAIN) >= 20
    for name in CURATED_PLAIN:
        for town in BIG_TOWNS[:3]:
            values, _spans = orgs_of(nlp, f"Beteiligt waren Helfer der {name} {town} am Morgen.")
            assert not [v for v in values if v == name], (name, town, values)  # never the bare name


@pytest.mark.parametrize("word", ORG_WORDS["company_words"])
def test_company_word_is_no_part_of_the_name_before_a_legal_form(nlp, word):
    kind = word if word[:1].isupper() else f"Formenbau-{word}"
    for name in INVENTED:
        values, _spans = orgs_of(nlp, f"Das heute ansässige {kind} {name} GmbH wurde 1919 gegründet.")
        assert f"{name} GmbH" in values, values


@pytest.mark.parametrize("noun", INSTITUTIONS)
def test_abbreviation_in_brackets_after_a_name_is_the_same_body(nlp, noun):
    for field in [f"{name}forschung" for name in INVENTED[:3]]:  # no curated name ("Gesundheit")
        abbreviation = f"{noun[0]}f{field[0]}".upper()  # "BFG": initials, as bodies abbreviate
        values, spans = orgs_of(nlp, f"Das {noun} für {field} ( {abbreviation} ) teilt mit.")
        assert values == [f"{noun} für {field}"] and abbreviation in spans, (values, spans)


# --- Institution compounds, plural lists, truncated names, -isch adjectives (issue 12) -----

UNIT_HEADS = tuple(ORG_WORDS["unit_heads"])
INSTITUTION_HEADS = sorted(
    {n.lower() for n in INSTITUTIONS if " " not in n and not n.lower().endswith(UNIT_HEADS)}
)
TOWNS = BIG_TOWNS[:4]


def test_enough_institution_heads_and_towns():
    assert len(INSTITUTION_HEADS) >= 30 and len(TOWNS) == 4


@pytest.mark.parametrize("head", INSTITUTION_HEADS)
def test_institution_compound_and_its_place_is_one_name(nlp, head):
    """ "Maximilianmuseum Augsburg", "Grundschule Kronshagen": any compound of an institution
    noun, in the nominative and the genitive, with the town after it."""
    for name in INVENTED[:2]:
        compound_noun = f"{name}{head}"
        genitive = compound_noun + ("es" if compound_noun.endswith(("s", "ß")) else "s")
        for town in TOWNS:
            for body in (
                f"Gestern lud das {compound_noun} {town} ein.",
                f"Besucher des {genitive} {town} kamen.",
            ):
                values, _spans = orgs_of(nlp, body)
                if head[-1] in "ei" and body.startswith("Besucher"):
                    continue  # "-ei", "-ie" take no genitive -s in every form
                assert f"{compound_noun} {town}" in values, (body, values)


@pytest.mark.parametrize("head", UNIT_HEADS)
def test_functional_unit_compound_and_a_place_is_no_organisation(nlp, head):
    for town in TOWNS:
        values, _spans = orgs_of(nlp, f"Die Mord{head} {town} ermittelt.")
        assert not [v for v in values if town in v], values


BODY_PLURALS = sorted(
    (noun, _plural(noun))
    for noun in {*ORGS["authority_nouns"], *INSTITUTIONS}
    if " " not in noun
    and _plural(noun)
    and noun not in ("Feuerwehr", "Polizei")
    and not noun.endswith(UNIT_HEADS)
)


def test_enough_plurals_of_bodies():
    assert len(BODY_PLURALS) >= 20


@pytest.mark.parametrize(("noun", "plural"), BODY_PLURALS)
def test_plural_of_a_body_before_a_list_of_places_names_one_body_each(nlp, noun, plural):
    """ "die Spitäler Burgdorf, Langnau und Moutier": towns of the directory (the same value
    each as the body named alone) and names no dictionary knows alike."""
    for towns in (TOWNS[:3], INVENTED[:3]):
        values, _spans = orgs_of(
            nlp, f"Beteiligt sind die {plural} {towns[0]}, {towns[1]} und {towns[2]} heute."
        )
        if towns[0] in INVENTED:
            expected = {f"{noun} {town}" for town in towns}
        else:
            expected = {orgs_of(nlp, f"Meldung: Das {noun} {town} lädt ein.")[0][0] for town in towns}
        assert expected <= set(values) and len(expected) == 3, (expected, values)
    alone, _spans = orgs_of(nlp, f"Beteiligt sind die {plural} im ganzen Land heute.")
    assert not [v for v in alone if noun in v], alone


# truncated parts from the data's own compounds: "Gesundheitsamt" -> "Gesundheits-"
TRUNCATED = sorted(
    {
        n[: -len("amt")] + "-"
        for n in {*ORGS["authority_nouns"], *ORGS["generic"]}
        if n.endswith("amt") and len(n) > 6
    }
    - set(ORG_WORDS["level_parts"])  # "Bezirks-", "Landes-": levels, tested below
)


ALIASES = {alias for org in ORGS["organisation"] for alias in org.get("aliases", [])}


def test_enough_truncated_parts():
    assert len(TRUNCATED) >= 4


@pytest.mark.parametrize("head", ORG_WORDS["coordinated_heads"])
def test_name_with_truncated_parts_is_one_body_with_its_abbreviation(nlp, head):
    """ "Gesundheits-, Sozial- und Integrationsdirektion (GSI)"."""
    for first, second, third in zip(TRUNCATED, TRUNCATED[1:], TRUNCATED[2:], strict=False):
        name = f"{first}, {second} und {third[:-1]}{head}"
        abbreviation = f"{first[0]}{second[0]}{third[0]}".upper()
        if abbreviation in ALIASES:
            continue  # "BGH": a known body's own abbreviation
        values, spans = orgs_of(nlp, f"Die {name} ( {abbreviation} ) teilt mit.")
        assert values == [name] and abbreviation in spans, (values, spans)


@pytest.mark.parametrize("level", ORG_WORDS["level_parts"])
def test_truncated_levels_of_administration_name_no_one_body(nlp, level):
    """ "Landes- und Kreisfeuerwehrverband": bodies of two levels."""
    for head in ORG_WORDS["coordinated_heads"]:
        values, _spans = orgs_of(nlp, f"Vertreter der {level} und Kreisfeuerwehr{head} kamen.")
        assert not [v for v in values if v.startswith(level)], values


ADJECTIVE_STEMS = sorted(
    {s for s in LAND_ADJECTIVES if s.endswith("isch")} | {"deutsch", "jüdisch", "europäisch"}
)
FEMININE_HEADS = ("vereinigung", "kammer", "stiftung", "gewerkschaft", "akademie", "gesellschaft")


@pytest.mark.parametrize("head", ORG_WORDS["adjective_name_heads"])
def test_isch_adjective_and_a_body_compound_is_one_name_in_the_nominative(nlp, head):
    """ "des Jüdischen Weltkongresses" is "Jüdischer Weltkongress"; "dem Österreichischem
    Nationalrat" "Österreichischer Nationalrat"."""
    feminine = head in FEMININE_HEADS
    noun = f"Welt{head}"
    genitive = noun if feminine else noun + ("es" if noun.endswith(("s", "ß")) else "s")
    for stem in ADJECTIVE_STEMS:
        adjective = "-".join(part.capitalize() for part in stem.split("-"))
        nominative = f"{adjective}{'e' if feminine else 'er'} {noun}"
        article = "die" if feminine else "der"
        for body in (
            f"Heute tagte {article} {adjective}e {noun} lange.",
            f"Eine Kampagne des {adjective}en {genitive} begann."
            if not feminine
            else f"Eine Kampagne der {adjective}en {noun} begann.",
            f"Die Präsidenten von {adjective}em {noun} sprachen." if not feminine else "",
        ):
            if body:
                values, _spans = orgs_of(nlp, body)
                assert nominative in values, (body, values)


WORDLIKE_TOWNS = sorted(
    p.name
    for p in GAZETTEER.places
    if p.level == "municipality"
    and p.population < 100_000
    and p.name.isalpha()
    and known_word(p.name.lower())
    and len(GAZETTEER.by_name.get(p.name, [])) == 1
)[::40]


def test_enough_wordlike_towns():
    assert len(WORDLIKE_TOWNS) >= 10


@pytest.mark.parametrize("noun", ["Universität", "Hochschule", "Gymnasium", "Museum", "Klinikum", "Spital"])
def test_town_that_is_also_a_word_after_an_institution_is_its_place(nlp, noun):
    """ "an der Universität Gießen": the capitalised noun is evidence as its compounds are."""
    for town in WORDLIKE_TOWNS:
        values, _spans = orgs_of(nlp, f"Er lehrte am {noun} {town} lange.")
        assert f"{noun} {town}" in values, (town, values)


ENGLISH_SUFFIXES = PATTERNS["english_suffixes"]
MODIFIERS = [("Jet", "Propulsion"), ("Pacific", "National"), ("Northern", "Solar"), ("Royal", "Music")]


def test_english_suffixes_are_name_suffixes():
    assert set(ENGLISH_SUFFIXES) <= set(PATTERNS["name_suffixes"]) and len(ENGLISH_SUFFIXES) >= 20


@pytest.mark.parametrize("suffix", ENGLISH_SUFFIXES)
def test_english_name_before_its_head_and_its_of_tail(nlp, suffix):
    """ "Jet Propulsion Laboratory", "California Institute of Technology", "TÜV NORD GROUP":
    English words before an English head, though the German dictionary knows them."""
    for first, second in MODIFIERS:
        values, _spans = orgs_of(nlp, f"Gestern teilte das {first} {second} {suffix} mit, es sei bereit.")
        assert f"{first} {second} {suffix}" in values, values
        tail = f"{first} {suffix} of {second} and Regional Development"
        values, _spans = orgs_of(nlp, f"Ein Bericht des {tail} ( XYZ ) erschien.")
        assert tail in values, values
        values, _spans = orgs_of(nlp, f"Prüfer der {first.upper()} {suffix.upper()} kamen.")
        assert f"{first.upper()} {suffix.upper()}" in values, values


def test_german_noun_before_an_english_head_is_no_part_of_the_name(nlp):
    for suffix in ENGLISH_SUFFIXES:
        body = " ".join(f"Die {word} {suffix} kam." for word in DEMO_COMPOUNDS[:20])
        values, spans = orgs_of(nlp, body)
        assert not [v for v in values + spans if v.split()[0] in DEMO_COMPOUNDS], (suffix, values)


LEGAL_FORMS = sorted({" ".join(form) for form in ORGS["legal_forms"]} - {"e. V", "eV", "e.V."})


@pytest.mark.parametrize("form", LEGAL_FORMS)
def test_name_and_every_legal_form_is_one_company(nlp, form):
    """ "Zandura Inc.", "Quoxel N.V.", "Zandura GmbH": the legal form as written (a sentence's
    period after "GmbH" dropped)."""
    written = form.rstrip(".") if form.rstrip(".") in ("GmbH", "gGmbH", "mbH") else form
    for name in INVENTED:
        values, _spans = orgs_of(nlp, f"Gestern meldete die {name} {form} einen Gewinn.")
        assert f"{name} {written}" in values, values


@pytest.mark.parametrize(  # not "KSC": a known club's own name
    "prefix", [p for p in PATTERNS["club_prefixes"] if p != "1." and p not in ALIASES]
)
def test_club_prefix_and_its_town_is_one_club_that_ends_before_a_preposition(nlp, prefix):
    """ "ESV Lok Zwickau", "der Sportverein ESV Lokomotive Zwickau"; "In" after it starts a sentence."""
    for town in TOWNS:
        for body in (
            f"Logo vom {prefix} {town} In Marienthal spielt er.",
            f"Hier spielt der Sportverein {prefix} Lokomotive {town} seit Jahren.",
        ):
            values, _spans = orgs_of(nlp, body)
            club = f"{prefix} {town}" if "Logo" in body else f"{prefix} Lokomotive {town}"
            assert club in values and not [v for v in values if v.endswith(" In")], (body, values)


AUTHORITY_NAMES = [
    line
    for line in (REPO_ROOT / "tests" / "data" / "authority_names.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]
AUTHORITY_FRAMES = [
    "Gestern teilte das {} mit, dass es regnet.",
    "Laut {} fehlen Mittel.",
    "Zuständig ist {}.",
    "Wie {} am Montag mitteilte, regnet es.",
    "Das {} und die Polizei ermitteln.",
]


def _spans_in_frames(nlp, names: list[str], frames: list[str]) -> list[tuple[str, list[str]]]:
    """(name, ORG spans) of every name in every frame, one document per frame."""
    result = []
    for frame in frames:
        doc = make_doc(nlp, "Meldung", "\n".join(frame.format(name) for name in names), "")
        for _name, component in nlp.pipeline:
            doc = component(doc)
        spans = [e.text for e in doc.ents if e.label_ == "ORG"]
        result.extend((name, spans) for name in names)
    return result


def test_official_authority_names_with_a_complement_are_one_span_in_every_frame(nlp):
    """Every official name of tests/data/authority_names.txt ("Bundesministerium für Umwelt,
    Naturschutz, nukleare Sicherheit und Verbraucherschutz", "… des Innern, für Sicherheit und
    Heimatschutz") is one ORG span, whatever follows it (a verb, "am", "und die Polizei")."""
    assert len(AUTHORITY_NAMES) >= 70
    missed = [
        (name, spans)
        for name, spans in _spans_in_frames(nlp, AUTHORITY_NAMES, AUTHORITY_FRAMES)
        if name not in spans
    ]
    assert not missed, missed[:5]


def _complement_items() -> list[str]:
    """The items of the reference names' "für" lists: "Umwelt", "nukleare Sicherheit" …"""
    items = set()
    for name in AUTHORITY_NAMES:
        if " für " not in name:
            continue
        tail = name.split(" für ", 1)[1].split(" des Landes ")[0]
        for item in tail.replace(" und ", ", ").split(", "):
            last = item.split()[-1] if item else ""
            if last[:1].isupper() and not item.endswith("-") and " der " not in item and last not in LANDS:
                items.add(item)  # not "europäische" (of a pair), "Land-", "Umwelt Sachsen-Anhalt"
    bodies = {*ORGS["authority_nouns"], *ORGS["generic"], *PATTERNS["institution_nouns"]}
    return sorted(items - bodies)  # "Verfassungsschutz" is a body: it starts a name of its own


COMPLEMENT_ITEMS = _complement_items()
GENERATED_HEADS = [
    "Bundesamt",
    "Landesamt",
    "Bundesanstalt",
    "Landeszentrale",
    "Ministerium",
    "Senatsverwaltung",
]


def _generated_authorities(count: int) -> list[str]:
    import random

    rng = random.Random(12)
    names = []
    for k in range(count):
        items = rng.sample(COMPLEMENT_ITEMS, 1 + k % 6)
        complement = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} und {items[-1]}"
        names.append(f"{GENERATED_HEADS[k % len(GENERATED_HEADS)]} für {complement}")
    return names


def test_generated_authorities_with_lists_and_adjectives_are_one_span(nlp):
    """Institution nouns with generated "für" lists of 1-6 items of the reference names, lower-case
    adjectives anywhere in the list ("Landesamt für Sport, digitale Infrastruktur und Pflege")."""
    assert len(COMPLEMENT_ITEMS) >= 40 and any(i[:1].islower() for i in COMPLEMENT_ITEMS)
    names = _generated_authorities(120)
    missed = [
        (name, spans)
        for name, spans in _spans_in_frames(nlp, names, AUTHORITY_FRAMES[:3])
        if name not in spans
    ]
    assert not missed, missed[:5]


def test_a_list_the_complement_does_not_close_or_another_body_is_no_part_of_the_name(nlp):
    """Negatives of the same shapes: a comma list without "und" ("für Justiz, neue Regeln seien
    nötig"), a list of bodies ("…, zuständige Behörden und Gerichte"), "und die Polizei", a verb
    after the name ("… fehlen Mittel"): the name ends with its own complement."""
    names = _generated_authorities(60)
    frames = [
        "Das {}, neue Regeln seien nötig.",
        "Das {}, zuständige Behörden und Gerichte prüfen.",
        "Das {} und die Feuerwehr ermitteln.",
        "Beim {} fehlen Mittel.",
    ]
    wrong = [
        (name, spans)
        for name, spans in _spans_in_frames(nlp, names, frames)
        if name not in spans or any(s.startswith(name) and s != name for s in spans)
    ]
    assert not wrong, wrong[:5]


LEVEL_HEADS = sorted(
    {
        noun.lower()
        for noun in PATTERNS["institution_nouns"]
        if not noun.startswith(("Bundes", "Landes", "Staats")) and not noun.lower().endswith("kommission")
    }
)


@pytest.mark.parametrize("level", ["Landes", "Bundes"])
def test_bare_compound_of_a_level_and_an_institution_noun_is_one_body(nlp, level):
    """ "Lehrgang an der Landesfeuerwehrschule", "des Bundesmusikmuseums": a compound of
    Landes-/Bundes- and an institution noun names the one body of its level, also bare and in the
    genitive; its plural names many ("die Landesfeuerwehrschulen")."""
    for modifier in ("feuerwehr", "musik", "verwaltungs", "jugend"):
        for head in LEVEL_HEADS:
            name = f"{level}{modifier}{head}"
            values, _spans = orgs_of(nlp, f"Der Lehrgang fand an der {name} statt.")
            assert name in values, (name, values)
            values, _spans = orgs_of(nlp, f"Die Leiterin des {name}s sprach.")
            assert name in values, (name, values)


def test_level_compound_without_an_institution_head_or_plural_is_no_body(nlp):
    """Negatives of the same shape: a level and a head that names no institution ("Landesstraße",
    "Bundesliga", "Landesgruppe"), the institution's plural, an institution without a level."""
    words = [
        f"{level}{w}"
        for level in ("Landes", "Bundes")
        for w in ("straße", "gruppe", "mittel", "ebene", "grenze")
    ]
    words += [f"Landesfeuerwehr{plural}" for plural in ("schulen", "akademien", "institute")]
    words += [f"Feuerwehr{head}" for head in LEVEL_HEADS]
    body = " ".join(f"Sie sprach über die {word} im Land." for word in words)
    values, spans = orgs_of(nlp, body)
    assert not [v for v in values + spans if v in words], values


def test_bare_level_compound_beside_its_full_name_is_that_body(nlp):
    """One value per body: "die Landesfeuerwehrschule" in a text that names the "Landesfeuerwehrschule
    Tirol" is that school."""
    for head in LEVEL_HEADS:
        name = f"Landesfeuerwehr{head}"
        values, _spans = orgs_of(nlp, f"Kurse an der {name} Tirol. Die {name} lobte die Teilnehmer.")
        assert values == [f"{name} Tirol"], (name, values)


def test_adjective_in_isch_before_a_level_compound_is_part_of_its_name(nlp):
    """ "des Österreichischen Bundesfeuerwehrverbandes" is "Österreichischer Bundesfeuerwehrverband",
    not the fragment "Bundesfeuerwehrverband"."""
    for head in ("verband", "akademie", "institut"):
        name = f"Bundesfeuerwehr{head}"
        values, _spans = orgs_of(nlp, f"Die Satzung des Österreichischen {name}s gilt.")
        assert len(values) == 1 and values[0].startswith("Österreichische") and values[0].endswith(name), (
            values
        )


def _towns_with_adjectives(count: int) -> list[tuple[str, str]]:
    """(town, its -er adjective) for single-word municipalities whose name is unique in the directory."""
    gazetteer = default_gazetteer()
    towns = sorted(
        name
        for name, rows in gazetteer.by_name.items()
        if len(rows) == 1 and name.isalpha() and name[-1] in "dgkmnrtz" and not known_word(name.lower())
    )
    step = max(1, len(towns) // count)
    return [(town, f"{town}er") for town in towns[::step][:count]]


def german_plurals(noun: str) -> list[str]:
    """The plural of a body's noun by German morphology (not by the matcher's own rule); none where
    it equals the singular ("Polizeiposten") or is rare ("Zölle")."""
    for ending, plural in (("amt", "ämter"), ("ium", "ien"), ("rat", "räte"), ("kammer", "kammern")):
        if noun.endswith(ending):
            return [noun[: -len(ending)] + plural]  # "Ordnungsämter", "Polizeipräsidien"
    if noun.endswith("e"):
        return [noun + "n"]  # "Leitstellen", "Volkshochschulen"
    if noun.endswith(("ion", "ung", "schaft", "ei", "tur", "wehr")):
        return [noun + "en"]  # "Polizeidirektionen", "Feuerwehren", "Agenturen"
    if noun.endswith(("gericht", "dienst", "revier", "tag", "abschnitt")):
        return [noun + "e"]  # "Landgerichte", "Rettungsdienste"
    return []


def test_a_place_adjective_before_a_bodys_plural_names_several_bodies_and_no_value(nlp):
    """ "Die Pitztaler Feuerwehren", "die Berliner Polizeidirektionen": the bodies of a region, not one.
    Generated over towns of the directory and every body noun with its plurals; the singular in the
    same frame is the positive control (only pairs whose singular gives the town's body are counted)."""
    nouns = sorted(set(ORGS["authority_nouns"]) | set(ORGS["generic"]))
    nouns = [noun for noun in nouns if " " not in noun and noun != "Stadtwerke"]  # already a plural
    checked, wrong = 0, []
    for k, (town, adjective) in enumerate(_towns_with_adjectives(30)):
        for noun in nouns[k % 3 :: 3]:  # every noun, over a third of the towns each
            singular, _spans = orgs_of(nlp, f"Gestern half die {adjective} {noun} sofort.")
            if not any(town in value for value in singular):
                continue
            for plural in german_plurals(noun):
                values, _spans = orgs_of(nlp, f"Gestern halfen die {adjective} {plural} sofort.")
                checked += 1
                if any(town in value for value in values):
                    wrong.append((adjective, plural, values))
    assert checked >= 100 and not wrong, (checked, wrong[:5])


def _name_starts_of_longer_names() -> list[str]:
    """First words of listed multi-word names that are names on their own ("ZF" of "ZF
    Friedrichshafen"): no dictionary word or compound of such, no adjective, no place, no
    listed name by itself, no word with a rule of its own (a club's "FC", a body's noun)."""
    whole = {alias for org in ORGS["organisation"] for alias in [org["name"], *org.get("aliases", [])]}
    firsts = {alias.split()[0] for alias in whole if " " in alias}
    own_rules = {*PATTERNS["club_prefixes"], *PATTERNS["institution_nouns"], *ORGS["authority_nouns"]}
    return sorted(
        word
        for word in firsts - whole - own_rules
        if word.isalpha()
        and word[:1].isupper()
        and (len(word) >= 3 or word.isupper())
        and not known_word(word.lower())
        and not common_noun(word)
        and not word.endswith(ADJECTIVE_ENDINGS)
        and word not in GAZETTEER.by_name
    )


NAME_STARTS = _name_starts_of_longer_names()


def test_enough_name_starts_to_test_descriptors():
    assert len(NAME_STARTS) >= 30


@pytest.mark.parametrize("descriptor", ["Technologieunternehmen", "Konzern", "Verein"])
def test_name_after_a_descriptor_is_a_value_though_a_longer_listed_name_starts_with_it(nlp, descriptor):
    """ "das Technologieunternehmen ZF": the name, though "ZF Friedrichshafen" is listed."""
    lost = []
    for word in NAME_STARTS:
        values, _spans = orgs_of(nlp, f"Gestern hat der {descriptor} {word} ein Projekt gestartet.")
        if word not in values:
            lost.append((word, values))
    assert lost == []


FACILITY_LAST = sorted(  # listed bodies whose last word also ends a facility ("Rotes Kreuz")
    org["name"]
    for org in ORGS["organisation"]
    if " " in org["name"] and is_facility(org["name"].split()[-1]) and org["name"][-1:].isalpha()
)
FOREIGN_TOWNS = sorted(  # towns of the world list, where fire brigades of Tyrol name their Red Cross
    p.name
    for p in GAZETTEER.places
    if p.level == "world"
    and p.kind in ("Stadt", "Gemeinde")
    and p.name.isalpha()
    and not known_word(p.name.lower())  # "Rom", "Porto" after a body need more evidence of a place
)[::10]


def test_enough_facility_named_bodies_and_foreign_towns_to_test():
    assert len(FACILITY_LAST) >= 5 and len(FOREIGN_TOWNS) >= 20


def test_town_after_a_body_named_like_a_facility_is_its_local_branch(nlp):
    """ "Rotes Kreuz Imst" is the Red Cross of Imst, though "Autobahnkreuz Imst" names no place."""
    lost = []
    for name in FACILITY_LAST:
        for town in FOREIGN_TOWNS:
            values, _spans = orgs_of(nlp, f"Im Einsatz waren auch {name} {town} mit zwei Fahrzeugen.")
            if f"{name} {town}" not in values:
                lost.append((name, town, values))
    assert lost == []


def test_town_after_a_facility_stays_no_place(nlp):
    for town in FOREIGN_TOWNS:
        doc = nlp(make_doc(nlp, "Meldung", f"Der Unfall geschah am Autobahnkreuz {town} gestern.", ""))
        assert doc._.places == [], (town, doc._.places)
