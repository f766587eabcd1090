"""indexer/data/subdivisions_cities.tsv, checked against the directory it hangs from: every
city of at least 100,000 inhabitants has its parts, every part lies under its city, and the
parts become facet values in their city's releases without turning ordinary words into places."""

import csv
import re
from collections import defaultdict
from functools import lru_cache

from indexer.config import PACKAGE_DATA, gazetteer_dir
from indexer.gazetteer import default_gazetteer, everyday_names

BIG_CITY = 100_000
OWN_FILES = {"Berlin", "Frankfurt am Main"}  # subdivisions_de.tsv and subdivisions_frankfurt.tsv
SOURCE_NOTE = "Eigene Zusammenstellung aus allgemeinem Wissen"


def _read(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    return tuple(_read(PACKAGE_DATA / "subdivisions_cities.tsv"))


def _big_cities() -> list[dict]:
    rows = _read(gazetteer_dir() / "municipalities_de.tsv")
    return [r for r in rows if r["kind"] != "Land" and r["population"] and int(r["population"]) >= BIG_CITY]


def _publisher(city: str) -> str:
    return f"Polizeipräsidium {city}"


def test_every_city_of_100000_inhabitants_has_its_parts_with_its_district_and_state():
    cities = _big_cities()
    assert len(cities) >= 80
    by_parent = defaultdict(list)
    for row in _rows():
        by_parent[row["parent"]].append(row)
    for city in cities:
        if city["name"] in OWN_FILES:
            continue
        parts = by_parent.get(city["name"], [])
        assert len(parts) >= 5, (city["name"], len(parts))
        wrong = [p["name"] for p in parts if (p["district"], p["state"]) != (city["district"], city["state"])]
        assert not wrong, (city["name"], city["district"], city["state"], wrong)
    assert set(by_parent) <= {c["name"] for c in cities}


def test_every_row_is_well_formed_and_unique_in_its_city():
    seen = set()
    for row in _rows():
        assert row["kind"] in ("Stadtteil", "Stadtbezirk", "Ortsbezirk", "Stadtteil (Sammelname)"), row
        assert row["source"].startswith(SOURCE_NOTE), row
        assert row["name"] == row["name"].strip() and row["name"][:1].isupper(), row
        assert (row["name"], row["parent"]) not in seen, row
        seen.add((row["name"], row["parent"]))


def test_no_two_parts_of_a_city_share_an_everyday_name():
    """ "Ruwer/Eitelsbach" is also "Ruwer": a second row "Ruwer" would make the name name two
    parts of Trier, and neither would become a value."""
    names = defaultdict(set)
    for row in _rows():
        for name in everyday_names(row["name"], "ortsteil") | {row["name"]}:
            names[(row["parent"], name)].add(row["name"])
    assert not {key: rows for key, rows in names.items() if len(rows) > 1}


def test_every_city_subdivision_lies_under_its_municipality():
    gazetteer = default_gazetteer()
    for row in _rows():
        (city,) = [
            c
            for c in gazetteer.candidates(row["parent"])
            if c.level == "municipality" and c.state == row["state"] and c.name == row["parent"]
        ]
        assert city.population >= BIG_CITY, row
        name = _one_part_short_forms().get((row["name"], row["parent"]), row["name"])
        parts = [p for p in gazetteer.candidates(row["name"]) if p.level == "ortsteil" and p.name == name]
        # a kreisfreie city is its parts' district; a city in a Kreis (Paderborn, Hannover) their verband
        assert any(city.key in (p.district, p.verband) for p in parts), row


def _derived_from_another_place(name: str, gazetteer) -> bool:
    """ "Hassels" reads as the genitive of Hassel, "Sieker" as the adjective of Siek: the
    matcher's reading of inflected forms, not this file's business."""
    stems = {name[:-1]} if name.endswith("s") else set()
    stems |= {name[:-2], name[:-1]} if name.endswith("er") else set()
    return any(gazetteer.candidates(stem) for stem in stems)


def test_every_one_word_part_becomes_a_value_of_its_city_in_its_citys_releases():
    from indexer.build.build import analyse_records, place_hierarchy
    from indexer.enrich.places import known_word

    gazetteer = default_gazetteer()
    rows = [
        r
        for r in _rows()
        if " " not in r["name"]
        and not known_word(r["name"])
        and not _derived_from_another_place(r["name"], gazetteer)
    ]
    assert len(rows) > 1_500
    records = [
        {
            "id": str(n),
            "title": "Meldung",
            "body": f"In {r['name']} brannte ein Auto.",
            "source": _publisher(r["parent"]),
        }
        for n, r in enumerate(rows)
    ]
    missed = []
    for result in analyse_records(iter(records)):
        row = rows[int(result["id"])]
        name = _one_part_short_forms().get((row["name"], row["parent"]), row["name"])
        places, hierarchy = place_hierarchy(result["places"], gazetteer)
        parts = [gazetteer.by_key.get(v) for v in places]
        cities = {gazetteer.by_key[k].name for k in hierarchy["district"] + hierarchy["verband"]}
        if not any(p and p.name == name and p.level == "ortsteil" for p in parts) or (
            row["parent"] not in cities
        ):
            missed.append((row["name"], row["parent"], places))
    assert not missed, missed[:20]


def test_ordinary_words_among_the_parts_stay_words_in_their_citys_releases():
    """The lexicon's homonyms among the one-word names (bench.place_traps: simplemma knows the
    word and the corpus uses it as one: "in Brand geraten", "darum", "euren") in the frames of
    their word sense, published by their own city. Only words for a part of a town may become
    that city's part there: the town-part nouns of place_words.toml ("Altstadt", "Innenstadt")
    and names several cities give a part ("Westend", "Neustadt")."""
    from bench.place_traps import homonym_traps
    from indexer.enrich.pipeline import build_pipeline, make_doc
    from indexer.enrich.places import PART_OF_TOWN

    cities = defaultdict(set)
    for row in _rows():
        if re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+", row["name"]):
            cities[row["name"]].add(row["parent"])
    town_part_words = PART_OF_TOWN | {name for name, parents in cities.items() if len(parents) > 1}
    every_trap = homonym_traps(set(cities), limit=4000)
    assert len({t.word for t in every_trap}) >= 3  # the lexicon finds them; nobody listed them
    traps = [t for t in every_trap if t.word not in town_part_words]
    nlp = build_pipeline()
    cases = [(trap, city) for trap in traps for city in sorted(cities[trap.word])]
    docs = (make_doc(nlp, trap.title, trap.body, _publisher(city)) for trap, city in cases)
    became = []
    with nlp.select_pipes(disable=["amtsblick_topics"]):
        for (trap, city), doc in zip(cases, nlp.pipe(docs, batch_size=256), strict=True):
            values = [v for v in doc._.places or [] if v.split(" (")[0] == trap.word]
            if values:
                became.append((trap.word, city, trap.body, values))
    assert not became, (sorted({b[:2] for b in became}), became[:5])


@lru_cache(maxsize=1)
def _one_part_short_forms() -> dict[tuple[str, str], str]:
    """(short form, city) -> the one official part with its stem, "-viertel" added or dropped."""
    official = _read(PACKAGE_DATA / "subdivisions_frankfurt.tsv") + [
        r for r in _rows() if r["kind"] != "Stadtteil (Sammelname)"
    ]
    stems = defaultdict(list)
    for row in official:
        stems[(re.sub(r"[- ]?viertel$", "", row["name"], flags=re.I), row["parent"])].append(row["name"])
    found = {}
    for row in _rows():
        if row["kind"] == "Stadtteil (Sammelname)":
            named = stems.get((re.sub(r"[- ]?viertel$", "", row["name"], flags=re.I), row["parent"]), [])
            if len(named) == 1:
                found[(row["name"], row["parent"])] = named[0]
    return found


def test_a_short_form_of_one_part_is_that_parts_name_and_no_value_of_its_own():
    from indexer.build.build import analyse_records

    gazetteer = default_gazetteer()
    pairs = _one_part_short_forms()
    assert pairs  # Gallusviertel/Gallus and Gutleut/Gutleutviertel today
    records = [
        {
            "id": str(n),
            "title": "Meldung",
            "body": f"Im {short} brannte ein Auto.",
            "source": _publisher(city),
        }
        for n, (short, city) in enumerate(pairs)
    ]
    for (short, city), result in zip(pairs, analyse_records(iter(records)), strict=True):
        assert short not in gazetteer.by_key, short
        values = [gazetteer.by_key[v] for v in result["places"] if v in gazetteer.by_key]
        assert any(p.name == pairs[(short, city)] and p.level == "ortsteil" for p in values), (short, values)
    # a short form over several parts stays a value of its own ("Sachsenhausen": Nord and Süd)
    several = [
        r for r in _rows() if r["kind"] == "Stadtteil (Sammelname)" and (r["name"], r["parent"]) not in pairs
    ]
    assert several and all(any(p.level == "ortsteil" for p in gazetteer.by_name[r["name"]]) for r in several)


def test_a_part_named_like_a_town_is_the_part_after_an_article_and_never_the_town():
    from indexer.build.build import analyse_records

    gazetteer = default_gazetteer()
    rows = [
        r
        for r in _rows()
        if any(p.level in ("municipality", "verband", "district") for p in gazetteer.candidates(r["name"]))
    ]
    assert len(rows) > 200  # Harburg, Kirchheim, Brühl, Altenburg … (Berlin's Bezirk Mitte is a part too)
    records = [
        {"id": str(n), "title": "Meldung", "body": f"Auf dem {r['name']} brannte ein Auto.", "source": source}
        for n, r in enumerate(rows)
        for source in (_publisher(r["parent"]), "Polizei Berlin")
    ]
    wrong, missed = [], []  # a town's value anywhere; the part missing in its own city's release
    for record, result in zip(records, analyse_records(iter(records)), strict=True):
        row = rows[int(record["id"])]
        values = [gazetteer.by_key[v] for v in result["places"] if v in gazetteer.by_key]
        if any(p.name == row["name"] and p.level != "ortsteil" and p.kind != "Bezirk" for p in values):
            wrong.append((row["name"], record["source"], result["places"]))
        own = _publisher(row["parent"]) == record["source"]
        if own and not any(p.name == row["name"] and p.level == "ortsteil" for p in values):
            missed.append((row["name"], row["parent"], result["places"]))
    assert not wrong, wrong[:20]
    assert not missed, missed[:20]


def test_every_name_after_an_article_is_read_without_failing_the_build():
    """The article rule keeps the candidates that may take an article; where none may (an Amt or
    Verband named unlike any town: "an der Eider"), the name is read as before, never with no
    candidate at all (that failed a whole build in a worker)."""
    from indexer.build.build import analyse_records

    gazetteer = default_gazetteer()
    names = sorted(
        n for n, places in gazetteer.by_name.items()
        if places and all(p.level in ("municipality", "verband") and p.kind != "Bezirk" for p in places)
        and not any(p.level == "municipality" for p in places)
    )  # fmt: skip
    assert len(names) > 100
    records = [
        {"id": str(n), "title": "Meldung", "body": f"An der {name} brannte ein Auto."}
        for n, name in enumerate(names)
    ]
    assert len(list(analyse_records(iter(records)))) == len(names)
