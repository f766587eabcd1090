"""The official place directory: German municipalities with their hierarchy.

Loads ``municipalities_de.tsv`` (Destatis GV100AD) and ``subdivisions_de.tsv``
(Berlin Bezirke and Ortsteile) from the reference-data folder. Every place
keeps its Verbandsgemeinde/Amt, district and state so that search can offer a
facet at each level.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from indexer.config import PACKAGE_DATA, gazetteer_dir

MUNICIPALITY_KINDS = {
    "Gemeinde",
    "Ortsgemeinde",
    "Stadt",
    "Markt",
    "Große Kreisstadt",
    "Kreisfreie Stadt",
    "Stadtkreis",
}
DISTRICT_KINDS = {"Landkreis", "Kreis", "Regionalverband"}
STATE_KINDS = {"Land"}
# World places have no population figure; this makes them win over a German village of
# the same name ("Rom", "Salzburg") but not over a German town.
WORLD_PLACE_WEIGHT = 20_000

SOURCE_NOTES = (
    "Datenquelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
    "Gebietsstand 30.11.2023; Datenlizenz Deutschland – Namensnennung – Version 2.0 "
    "(dl-de/by-2-0, https://www.govdata.de/dl-de/by-2-0); Daten umformatiert (eigene Darstellung).",
    "Datenquelle: Amt für Statistik Berlin-Brandenburg, Regionales Bezugssystem, Bezirke und "
    "Ortsteile von Berlin, Stand 31.12.2014, CC BY 3.0 DE; umformatiert (eigene Darstellung).",
)


# The qualifier after an official name: "am Main", "(Oder)", "v. d. Höhe", "a.d.Alz", "b. Rendsburg"
_QUALIFIER = re.compile(
    r"^(?P<base>.+?)(?: \(.+\)| (?:am|an der|in der|im|ob der|bei|vor der|auf der|unter der) .+"
    r"| (?:[a-zäöü]{1,3}\.\s?){1,3}\S.*)$"
)
# A district's official name that opens with its kind ("Landkreis Rostock"); texts put the kind
# in any case before the rest ("des Landkreises Rostock")
_DISTRICT_WORDS = ("Landkreis ", "Kreis ", "Regionalverband ", "Städteregion ", "Region ")
_ASSOCIATION_TAG = re.compile(r" \((?:VGem|VG|Amt)\)$")  # "Bad Birnbach (VGem)"


def everyday_names(name: str, level: str) -> set[str]:
    """The names texts use for an official directory name, derived by rule: the part before
    "/" ("Cottbus/Chóśebuz" -> "Cottbus"), the name without its qualifier ("Bad Homburg v. d.
    Höhe" -> "Bad Homburg", "Frankfurt (Oder)" -> "Frankfurt"), a hyphenated name with a space for
    the hyphen ("Schleswig Holstein"). The whole "Halle (Saale)" is kept."""
    if name.startswith(("GVV ", "VVG ")):
        return set()  # Baden-Württemberg's associations are named by their members
    before_slash = name.split("/", 1)[0].strip()
    names = {before_slash}
    if before_slash.startswith("Markt ") and level == "municipality":
        names.add(before_slash.removeprefix("Markt "))  # "Markt Indersdorf" is "Indersdorf"
    if level == "verband":
        names.add(_ASSOCIATION_TAG.sub("", before_slash))
    if "-" in before_slash and all(part[:1].isupper() for part in before_slash.split("-")):
        # "Land Schleswig Holstein", "Mecklenburg- Vorpommern" (a line broken at the hyphen)
        names.add(before_slash.replace("-", " "))
        names.add(before_slash.replace("-", "- "))
    if level == "district" and before_slash.startswith(_DISTRICT_WORDS):
        names.add(before_slash.split(" ", 1)[1])  # "des Landkreises Rostock", "Region Hannover"
    match = _QUALIFIER.match(before_slash)
    if match:
        names.add(match.group("base"))
    names.discard(name)
    return {n for n in names if n}


def unlisted_key(name: str, parent_key: str) -> str:
    """The facet value of a locality the directory lacks, under its municipality:
    "Sedlitz (Senftenberg)"."""
    return f"{name} ({parent_key})"


_UNLISTED = re.compile(r"(?P<name>[^(]+?) \((?P<parent>.+)\)")


@dataclass(frozen=True)
class Place:
    """One administrative unit. ``level`` orders the hierarchy."""

    key: str  # unique facet value, see _assign_keys
    name: str
    kind: str
    level: str  # "state", "district", "verband", "municipality", "ortsteil"
    verband: str
    district: str
    state: str
    population: int
    ars: str = ""  # official key: ARS of the Destatis row, "RBS:<code>" for Berlin's subdivisions
    plz: str = ""  # the municipality's main postcode (Destatis), which an address names with it

    def ancestors(self) -> dict[str, str]:
        """The facet values this place contributes at each level, itself included."""
        levels = {
            "state": self.state,
            "district": self.district,
            "verband": self.verband,
        }
        levels = {level: value for level, value in levels.items() if value}
        levels[self.level] = self.key
        return levels


class Gazetteer:
    """Places by name, for matching, and by key, for facets."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.by_key = {place.key: place for place in places}
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self.by_name[place.name].append(place)
        self.ambiguous: frozenset[str] = frozenset()  # names that are also ordinary words
        # everyday names shared by places of different official names ("Frankfurt", "Halle")
        self.shared_aliases: frozenset[str] = frozenset()

    def candidates(self, name: str, levels: set[str] | None = None) -> list[Place]:
        found = self.by_name.get(name, [])
        return [p for p in found if levels is None or p.level in levels]

    def __len__(self) -> int:
        return len(self.places)

    def parent_of_unlisted(self, key: str) -> Place | None:
        """The municipality of a locality found by context ("Sedlitz (Senftenberg)"), None for
        the directory's own keys and for names kept unresolved."""
        if key in self.by_key:
            return None
        match = _UNLISTED.fullmatch(key)
        return self.by_key.get(match.group("parent")) if match else None


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _level_of(kind: str) -> str:
    if kind in MUNICIPALITY_KINDS:
        return "municipality"
    if kind in DISTRICT_KINDS:
        return "district"
    if kind in STATE_KINDS:
        return "state"
    return "verband"


def _municipality_places(rows: list[dict[str, str]]) -> list[Place]:
    places = []
    for row in rows:
        if row["kind"] == "Gemeindefreies Gebiet":
            continue  # uninhabited forests and lakes; their names cause false matches
        level = _level_of(row["kind"])
        places.append(
            Place(
                key=row["name"],
                name=row["name"],
                kind=row["kind"],
                level=level,
                verband=row["verband"] if level == "municipality" else "",
                district=_district_ref(row) if level != "state" else "",
                state=row["state"],
                population=int(row["population"] or 0),
                ars=row.get("ars") or "",
                plz=row.get("plz") or "",
            )
        )
    return places


def _district_ref(row: dict[str, str]) -> str:
    """A kreisfreie Stadt is its own district; other rows name their Kreis."""
    if row.get("district_kind") in MUNICIPALITY_KINDS or row["kind"] in ("Kreisfreie Stadt", "Stadtkreis"):
        return f"city:{row['district']}"
    return f"kreis:{row['district']}"


# Kinds of our own subdivision files (indexer/data): no official directory holds them
SHORT_FORM_KIND = "Stadtteil (Sammelname)"  # a short form of a city's part or parts
OWN_SUBDIVISION_KINDS = frozenset({"Stadtteil", "Stadtbezirk", "Ortsbezirk", SHORT_FORM_KIND})


def _subdivision_places(rows: list[dict[str, str]], cities: frozenset[str] = frozenset()) -> list[Place]:
    """`cities`: the kreisfreie cities, their own district; any other parent lies in a Kreis,
    even one of its own name (Paderborn in the Kreis Paderborn)."""
    places = []
    for row in rows:
        is_bezirk = row["kind"] == "Bezirk"
        bezirk = row["bezirk"] if row["bezirk"] and not row["bezirk"].isdigit() else ""
        parent = row.get("parent") or row["district"]
        # Hannover's Stadtteile: the city lies in the Region Hannover
        in_kreis = parent != row["district"] or (bool(cities) and parent not in cities)
        places.append(
            Place(
                key=row["name"],
                name=row["name"],
                kind=row["kind"],
                level="verband" if is_bezirk else "ortsteil",
                verband=parent if in_kreis else ("" if is_bezirk else bezirk),
                district=f"kreis:{row['district']}" if in_kreis else f"city:{row['district']}",
                state=row["state"],
                population=0,
                ars=f"RBS:{row['code']}" if row.get("code") else "",
            )
        )
    return places


def _assign_keys(places: list[Place]) -> list[Place]:
    """Unique facet keys: "Verbandsgemeinde Hermeskeil" beside the town Hermeskeil,
    "Landkreis Kassel" beside the city, "Neuenkirchen (Diepholz)" among eleven."""
    town_names = {p.name for p in places if p.level in ("municipality", "ortsteil")}
    keyed = []
    for place in places:
        key = place.name
        if place.level in ("verband", "district") and place.name in town_names:
            key = f"{place.kind} {place.name}"
        keyed.append(replace(place, key=key))
    count = defaultdict(int)
    for place in keyed:
        if place.level != "state":  # the city-state Berlin may share its state's key
            count[place.key] += 1
    district_names = {p.district: p.district.split(":", 1)[1] for p in keyed if p.district}
    unique = []
    for place in keyed:
        if count[place.key] > 1 and place.level != "state":
            qualifier = district_names.get(place.district, "") if place.level != "district" else place.state
            if place.level == "ortsteil" or not qualifier or qualifier == place.name:
                qualifier = qualifier if place.level == "ortsteil" else place.state
            place = replace(place, key=f"{place.key} ({qualifier})")
        unique.append(place)
    seen = defaultdict(int)
    for place in unique:
        seen[place.key] += place.level != "state"
    return [
        replace(p, key=f"{p.key} – {p.kind}") if seen[p.key] > 1 and p.level != "state" else p for p in unique
    ]


def _link_ancestors(places: list[Place]) -> list[Place]:
    """Point each place's verband and district at the keys of those places."""
    verband_keys = {(p.name, p.district): p.key for p in places if p.level == "verband"}
    town_keys = {(p.name, p.district): p.key for p in places if p.level == "municipality"}
    district_keys = {(f"kreis:{p.name}", p.state): p.key for p in places if p.level == "district"}
    city_keys = {
        (f"city:{p.name}", p.state): p.key
        for p in places
        if p.kind in ("Kreisfreie Stadt", "Stadtkreis") or (p.level == "municipality" and p.name == "Berlin")
    }
    linked = []
    for place in places:
        district = place.district
        if place.level == "district":
            district = place.key
        elif district:
            district = district_keys.get((district, place.state)) or city_keys.get(
                (district, place.state), ""
            )
        verband = (
            verband_keys.get((place.verband, place.district))
            or town_keys.get((place.verband, place.district))  # an Ortsteil under its town
            or place.verband
            if place.verband
            else ""
        )
        if place.level == "verband" and place.kind == "Bezirk":
            verband = ""
        linked.append(replace(place, district=district, verband=verband))
    return linked


def world_key(row: dict[str, str], taken: set[str]) -> str:
    """A world place's facet key: its name, unless a directory row holds that key ("Fulda" is the
    town, the river is "Fulda (Fluss)"; "Rom" is a village, the city "Rom (Italien)"), so that each
    value means one place and keeps its own hierarchy."""
    name = row["name"]
    if name not in taken:
        return name
    country = row.get("country") or ""
    qualifier = country if country and country not in (name, "Deutschland") else row["kind"]
    return f"{name} ({qualifier})"


def _world_places(
    rows: list[dict[str, str]], taken: set[str] = frozenset()
) -> tuple[list[Place], dict[str, Place], set[str]]:
    """Countries, foreign cities, regions, rivers (our own list in indexer/data); taken: the
    directory's keys."""
    places, aliases, ambiguous = [], {}, set()
    for row in rows:
        place = Place(
            key=world_key(row, taken),
            name=row["name"],
            kind=row["kind"],
            level="world",
            verband="",
            district="",
            state="",
            population=WORLD_PLACE_WEIGHT,
        )
        places.append(place)
        for alias in filter(None, row["aliases"].split("|")):
            aliases[alias] = place
        if row.get("ambiguous"):
            ambiguous |= {row["name"], *filter(None, row["aliases"].split("|"))}
    return places, aliases, ambiguous


def load_gazetteer(folder: Path | None = None) -> Gazetteer:
    folder = folder or gazetteer_dir()
    places = _municipality_places(_read_tsv(folder / "municipalities_de.tsv"))
    cities = frozenset(p.name for p in places if p.kind in ("Kreisfreie Stadt", "Stadtkreis"))
    rows = [
        row
        for subdivisions in (
            folder / "subdivisions_de.tsv",
            PACKAGE_DATA / "subdivisions_frankfurt.tsv",
            PACKAGE_DATA / "subdivisions_cities.tsv",
            folder / "ortsteile_de.tsv",  # written by `python -m indexer import-places` (GeoNames)
        )
        if subdivisions.is_file()
        for row in _read_tsv(subdivisions)
    ]
    parts, short_forms = _split_short_forms(rows)
    places = _link_ancestors(_assign_keys(places + _subdivision_places(parts, cities)))
    world, aliases, ambiguous = _world_places(
        _read_tsv(PACKAGE_DATA / "world_places.tsv"), {p.key for p in places}
    )
    gazetteer = Gazetteer(places + world)
    _add_everyday_names(gazetteer)
    for alias, place in aliases.items():
        gazetteer.by_name[alias].append(place)
    gazetteer.ambiguous = frozenset(ambiguous)
    for row, part in short_forms:
        gazetteer.by_name[row["name"]].extend(
            p for p in gazetteer.by_name[part["name"]] if p.level == "ortsteil" and p.kind == part["kind"]
            and p.district.rsplit(":", 1)[-1] == part["district"]
        )  # fmt: skip
    return gazetteer


_PART_SUFFIX = re.compile(r"[- ]?viertel$", re.IGNORECASE)


def _split_short_forms(rows: list[dict[str, str]]) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """A short form that names exactly one part of its city ("Gallusviertel" for Gallus,
    "Gutleut" for Gutleutviertel: the same stem with or without "-viertel") is that part's
    name, not a place of its own; a short form over several parts ("Sachsenhausen") stays one."""

    def city_and_stem(row: dict[str, str]) -> tuple[str, str]:
        return row.get("parent") or row["district"], _PART_SUFFIX.sub("", row["name"])

    by_stem = defaultdict(list)
    for row in rows:
        by_stem[city_and_stem(row)].append(row)
    parts, short_forms = [], []
    for row in rows:
        if row["kind"] == SHORT_FORM_KIND:
            named = [other for other in by_stem[city_and_stem(row)] if other["kind"] != SHORT_FORM_KIND]
            if len(named) == 1:
                short_forms.append((row, named[0]))
                continue
        parts.append(row)
    return parts, short_forms


def _add_everyday_names(gazetteer: Gazetteer) -> None:
    """Every directory row also under its everyday names. A name several official names share
    ("Frankfurt" for Frankfurt am Main and Frankfurt (Oder)) is marked: the matcher chooses by
    context and size, or keeps it unresolved."""
    # "Brandenburg" is the Land, not Brandenburg an der Havel; "Sachsen" not Sachsen b.Ansbach
    regions = {p.name for p in gazetteer.places if p.level in ("state", "world")}
    added: dict[str, list[Place]] = defaultdict(list)
    for place in gazetteer.places:
        if place.level == "world":
            continue
        for alias in everyday_names(place.name, place.level) - regions:
            added[alias].append(place)
    shared = set()
    for alias, places in added.items():
        gazetteer.by_name[alias].extend(p for p in places if p not in gazetteer.by_name[alias])
        names_by_level = defaultdict(set)  # "Effeltrich (VGem)" beside Effeltrich is no second place
        for place in gazetteer.by_name[alias]:
            names_by_level[place.level].add(place.name)
        if any(len(names) > 1 for names in names_by_level.values()):
            shared.add(alias)
    gazetteer.shared_aliases = frozenset(shared)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()
