"""Directory-wide place frames: every gazetteer row, in the positions texts use.

    .venv/bin/python -m bench.place_frames [--sample N] [--seed S] [--errors K] [--out FILE]

For every row of the shared directory (municipalities, Verbandsgemeinden/Ämter,
districts, states; not Berlin's Ortsteile, not our world list) the everyday
names are derived BY RULE, independently of the indexer's own alias code:
the part before "/", the name without its qualifier where that is unique, the
whole "Halle (Saale)", "Landkreis X"/"Kreis X", "VG X"/"Amt X"/... for
associations. Each name is put into the frames below and run through the real
pipeline (title + body, no publisher). Per frame and per state it reports:

- recall: the row's key is a place value, or, where several rows share the
  name at the same level, the bare name is kept unresolved;
- correct: the row's own key is a value;
- wrong: another directory row of that name (or an unrelated row made from a
  piece of the name, "Saale" from "Halle (Saale)") is a value.

Targets (issue 12): recall >= 0.98 in every frame, wrong <= 0.5 %.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import simplemma

from indexer.enrich.pipeline import build_pipeline, make_doc
from indexer.gazetteer import Place, default_gazetteer

DIRECTORY_LEVELS = ("municipality", "verband", "district", "state")
LEVEL_ORDER = {"municipality": 0, "verband": 1, "district": 2, "state": 3}
# Qualifiers after the name: "am Main", "v. d. Höhe", "a.d.Alz", "b. Rendsburg", "i. Odw.", "(Oder)"
QUALIFIER = re.compile(
    r"^(?P<base>.+?)(?: \(.+\)| (?:am|an der|in der|im|ob der|bei|vor der|auf der) .+"
    r"| (?:[a-zäöü]{1,3}\.\s?){1,3}\S.*)$"
)
VERBAND_PREFIXES = {
    "Verbandsgemeinde": ("VG", "Verbandsgemeinde"),
    "Amt": ("Amt",),
    "Samtgemeinde": ("Samtgemeinde",),
    "Verwaltungsgemeinschaft": ("Verwaltungsgemeinschaft",),
    "Verwaltungsverband": ("Verwaltungsverband",),
}
DISTRICT_PREFIXES = {"Landkreis": ("Landkreis",), "Kreis": ("Kreis",)}
# An invented village name (not in the directory) for the police labels.
INVENTED_ORTSTEIL = "Tannwiesel"
FRAMES = (
    "start",
    "in",
    "aus",
    "bei",
    "nach",
    "zwischen",
    "title_paren",
    "title_start",
    "label_dash",
    "label_ortsteil",
    "adjective",
    "genitive",
    "list",
)


@dataclass
class Case:
    row: Place
    name: str  # the everyday name put into the frame
    frame: str
    title: str
    body: str
    accept_unresolved: bool  # several rows share the name: keeping it unresolved is right
    co_keys: frozenset = frozenset()  # other places the frame names on purpose
    ambiguous_form: bool = False  # "Altenberger" is Altenberg's and Altenberge's: no value is right too


@dataclass
class Tally:
    cases: int = 0
    found: int = 0
    correct: int = 0
    wrong: int = 0
    unresolved: int = 0

    def add(self, found: bool, correct: bool, wrong: bool, unresolved: bool) -> None:
        self.cases += 1
        self.found += found
        self.correct += correct
        self.wrong += wrong
        self.unresolved += unresolved

    def figures(self) -> dict:
        n = self.cases or 1
        return {
            "cases": self.cases,
            "recall": round(self.found / n, 4),
            "correct": round(self.correct / n, 4),
            "wrong": round(self.wrong / n, 4),
            "unresolved": self.unresolved,
        }


@dataclass
class Report:
    by_frame: dict = field(default_factory=lambda: defaultdict(Tally))
    by_state: dict = field(default_factory=lambda: defaultdict(Tally))
    total: Tally = field(default_factory=Tally)
    errors: list = field(default_factory=list)


def directory_rows() -> list[Place]:
    return [p for p in default_gazetteer().places if p.level in DIRECTORY_LEVELS and p.kind != "Bezirk"]


def _stripped(name: str) -> str:
    name = name.split("/", 1)[0].strip()
    match = QUALIFIER.match(name)
    return match.group("base") if match else name


def name_proposals(rows: list[Place]) -> dict[str, set[str]]:
    """Row key -> every name the rule proposes for it, before names shared by several rows are
    sorted out (everyday_names): "Coswig" for Coswig (Anhalt) too."""
    proposals: dict[str, set[str]] = {}
    for row in rows:
        names = set()
        before_slash = row.name.split("/", 1)[0].strip()
        if not row.name.startswith(("GVV ", "VVG ", "vgvv ")):
            names.add(before_slash)  # "Cottbus/Chóśebuz" -> "Cottbus"; "Halle (Saale)" stays whole
            names.add(_stripped(row.name))  # "Bad Homburg v. d. Höhe" -> "Bad Homburg"
        if row.level == "verband":
            base = re.sub(r" \((?:VGem|VG|Amt)\)$", "", before_slash)  # "Bad Birnbach (VGem)"
            if base != before_slash:
                names.discard(before_slash)
                names.discard(_stripped(row.name))
            for prefix in VERBAND_PREFIXES.get(row.kind.split(" (")[0], ()):
                names.add(f"{prefix} {base}")
        if row.level == "district":
            for prefix in DISTRICT_PREFIXES.get(row.kind, ()):
                names.add(f"{prefix} {before_slash}")
        proposals[row.key] = {n for n in names if n}
    return proposals


def everyday_names(rows: list[Place]) -> dict[str, list[tuple[str, bool]]]:
    """Row key -> [(everyday name, unique)]: derived by rule from the official name.
    unique is False where another row of the same level yields the same name."""
    proposals = name_proposals(rows)
    # "Sachsen" is the Land, not Sachsen b.Ansbach; "Brandenburg" not Brandenburg an der Havel
    state_names = {r.name for r in rows if r.level == "state"}
    for row in rows:
        proposals[row.key] = {n for n in proposals[row.key] if n == row.name or n not in state_names}
    # a bare name means the municipality first: a district or association of a town's name only prefixed
    town_names = Counter(n for r in rows if r.level == "municipality" for n in proposals[r.key])
    same_level = Counter((r.level, n) for r in rows for n in proposals[r.key])
    out = {}
    for row in rows:
        names = []
        for name in sorted(proposals[row.key]):
            prefixed = name != _stripped(name) and name.split(" ", 1)[0] in {
                p for ps in (*VERBAND_PREFIXES.values(), *DISTRICT_PREFIXES.values()) for p in ps
            }
            if row.level != "municipality" and not prefixed and town_names[name]:
                continue  # "Kassel" is the city; the Landkreis is "Landkreis Kassel"
            is_qualified_variant = name != row.name.split("/", 1)[0].strip()
            unique = same_level[(row.level, name)] == 1
            if is_qualified_variant and not unique and not prefixed:
                continue  # "Neustadt" for fifteen Neustadts: no everyday name of any one of them
            names.append((name, unique))
        out[row.key] = names
    return out


def _adjective(name: str) -> str | None:
    """ "Saarburger", "Jenaer", "Bad Homburger"; irregular classes (-en: "Bremer", "Essener") are left out."""
    if not name[-1:].isalpha() or name.endswith("en"):
        return None
    if " " in name and not re.fullmatch(r"(?:Bad|St\.) [A-ZÄÖÜ][\w-]+", name):
        return None  # "Kell am See", "Am Salzhaff" make no adjective
    return name + ("r" if name.endswith("e") else "er")


def _genitive(name: str, row: Place) -> str:
    if not name[-1:].isalpha():
        return f"Der Bürgermeister von {name} äußerte sich."
    if row.level == "district" and name.startswith(("Landkreis ", "Kreis ")):
        kind, rest = name.split(" ", 1)
        return f"Der Landrat des {kind}es {rest} äußerte sich."
    if name.endswith(("s", "x", "z", "ß")):
        return f"Der Bürgermeister von {name} äußerte sich."
    return f"{name}s Bürgermeister äußerte sich am Montag."


def build_cases(rows: list[Place], names: dict, partners: list[Place], rng: random.Random) -> list[Case]:
    """Lists and "zwischen" name neighbours: towns of the row's own district where it has two
    (as texts do), else towns anywhere. A bare name several rows share is tested only where a
    neighbour decides it, unless the row is the one big city of that name ("Frankfurt")."""
    by_district = defaultdict(list)
    for partner in _partners(directory_rows(), min_population=0):
        by_district[partner.district].append(partner)
    dominant = _dominant_rows(directory_rows())
    adjective_names = defaultdict(set)
    for other in directory_rows():
        if other.level == "municipality":
            for other_name, _u in names[other.key]:
                adjective_names[_adjective(other_name)].add(other_name)
    cases = []
    for row in rows:
        neighbours = [p for p in by_district.get(row.district, []) if p.key != row.key]
        pool = neighbours if len(neighbours) >= 2 and row.level == "municipality" else partners
        for name, unique in names[row.key]:
            a, b = rng.sample(pool, 2)
            while row.key in (a.key, b.key):
                a, b = rng.sample(pool, 2)
            co = frozenset({a.key, b.key})
            position = rng.randrange(3)
            listed = [a.name, b.name]
            listed.insert(position, name)
            texts = {
                "start": ("Polizeimeldung", f"In {name} wurde am Montag ein Radfahrer verletzt."),
                "in": ("Polizeimeldung", f"Am Montag wurde in {name} ein Radfahrer verletzt."),
                "aus": ("Polizeimeldung", f"Ein Mann aus {name} wurde am Montag festgenommen."),
                "bei": ("Polizeimeldung", f"Am Montag kam es bei {name} zu einem Unfall."),
                "nach": ("Polizeimeldung", f"Der Fahrer war am Montag nach {name} unterwegs."),
                "zwischen": (
                    "Polizeimeldung",
                    f"Auf der Straße zwischen {name} und {a.name} kam es zu einem Unfall.",
                ),
                "title_paren": (f"Auffahrunfall auf der Landstraße ({name})", "Zwei Autos stießen zusammen."),
                "title_start": (f"{name}: Radfahrer bei Unfall verletzt", "Ein Radfahrer stürzte."),
                "label_dash": (
                    f"{INVENTED_ORTSTEIL}-{name}: Einbruch in Gartenlaube",
                    "Unbekannte brachen ein.",
                ),
                "label_ortsteil": (
                    f"{name}, Ortsteil {INVENTED_ORTSTEIL}: Einbruch in Gartenlaube",
                    "Unbekannte brachen ein.",
                ),
                "genitive": ("Polizeimeldung", _genitive(name, row)),
                "list": (
                    "Polizeimeldung",
                    f"Betroffen waren Orte in {listed[0]}, {listed[1]} und {listed[2]}.",
                ),
            }
            adjective = _adjective(name) if row.level == "municipality" else None
            if adjective:
                texts["adjective"] = ("Polizeimeldung", f"In der {adjective} Innenstadt brannte ein Auto.")
            if row.level != "municipality" or " " in name:
                del texts["label_dash"]  # police labels name a village and its (one-word) town
            if not unique and dominant.get((row.level, name), row.key) != row.key:
                # "Fürth" alone is the city of 128,000; the village is "Fürth" beside its neighbours
                texts = (
                    {k: v for k, v in texts.items() if k in ("zwischen", "list")}
                    if pool is not partners
                    else {}
                )
            for frame, (title, body) in texts.items():
                co_keys = co if frame in ("zwischen", "list") else frozenset()
                decided = bool(co_keys) and pool is not partners  # the neighbours decide the name
                ambiguous = frame == "adjective" and len(adjective_names[adjective]) > 1
                case = Case(row, name, frame, title, body, not unique and not decided, co_keys, ambiguous)
                cases.append(case)
    return cases


def _dominant_rows(rows: list[Place]) -> dict[tuple[str, str], str]:
    """(level, shared name) -> the row a bare mention means: a city of >= 100,000 more than ten
    times the size of every other row that name may mean ("Halle" is Halle (Saale), whose
    qualified name is no everyday name of its own)."""
    sharing = defaultdict(list)
    proposals = name_proposals(rows)
    for row in rows:
        for name in proposals[row.key]:
            sharing[(row.level, name)].append(row)
    dominant = {}
    for key, group in sharing.items():
        group = sorted(group, key=lambda r: -r.population)
        if (
            len(group) > 1
            and group[0].population >= 100_000
            and group[0].population > 10 * group[1].population
        ):
            dominant[key] = group[0].key
    return dominant


def _partners(rows: list[Place], min_population: int = 20_000) -> list[Place]:
    """Unambiguous towns for the lists: a unique name that is no ordinary word and no name
    another row may go by ("Coswig", "Petershagen": also Coswig (Anhalt), Petershagen/Eggersdorf)."""
    counts = Counter(r.name for r in default_gazetteer().places)
    counts.update(n for names in name_proposals(directory_rows()).values() for n in names)
    return [
        r
        for r in rows
        if r.level == "municipality"
        and r.population >= min_population
        and counts[r.name] == 2  # its own official name and its own proposal
        and r.name.isalpha()
        and not simplemma.is_known(r.name, lang="de")
    ]


def _names_of(rows: list[Place], names: dict) -> dict[str, set[str]]:
    """Every directory key an everyday name (or a piece of it) can stand for."""
    index = defaultdict(set)
    for row in rows:
        for name, _unique in names[row.key]:
            index[name].add(row.key)
        index[row.name].add(row.key)
    return index


def evaluate(
    cases: list[Case], rows: list[Place], names: dict, keep_errors: int = 0, only_wrong: bool = False
) -> Report:
    nlp = build_pipeline()
    gazetteer = default_gazetteer()
    directory_keys = {r.key for r in rows}
    report = Report()
    docs = (make_doc(nlp, c.title, c.body) for c in cases)
    with nlp.select_pipes(disable=["amtsblick_topics"]):
        for case, doc in zip(cases, nlp.pipe(docs, batch_size=256), strict=True):
            values = set(doc._.places or [])
            correct = case.row.key in values
            bare = case.name.split(" ", 1)[-1] if case.row.level != "municipality" else case.name
            unresolved = (
                not correct
                and case.accept_unresolved
                and not case.co_keys
                and bool(values & {case.name, bare})
            )
            own = set(case.row.ancestors().values())  # "Landkreis X" may add its state; that is right
            wrong_values = {
                v for v in values if v in directory_keys and v not in own and v not in case.co_keys
            } - ({case.row.key} if correct else set())
            wrong = bool(wrong_values)
            found = correct or unresolved or (case.ambiguous_form and not wrong)
            for tally in (report.by_frame[case.frame], report.by_state[case.row.state], report.total):
                tally.add(found, correct, wrong, unresolved)
            if (wrong or (not found and not only_wrong)) and len(report.errors) < keep_errors:
                report.errors.append(
                    {
                        "frame": case.frame,
                        "row": case.row.key,
                        "name": case.name,
                        "title": case.title,
                        "body": case.body,
                        "values": sorted(values),
                        "wrong": sorted(wrong_values),
                    }
                )
    del gazetteer
    return report


def run(sample: int | None = None, seed: int = 12, keep_errors: int = 0, only_wrong: bool = False) -> Report:
    rng = random.Random(seed)
    rows = directory_rows()
    names = everyday_names(rows)
    partners = _partners(rows)
    chosen = sorted(rng.sample(rows, sample), key=lambda r: r.key) if sample else rows
    return evaluate(build_cases(chosen, names, partners, rng), rows, names, keep_errors, only_wrong)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, help="only N rows (seeded), default all")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--errors", type=int, default=0, help="print the first K failures")
    parser.add_argument("--wrong", action="store_true", help="print only wrong resolutions")
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = run(args.sample, args.seed, args.errors, args.wrong)
    seconds = time.perf_counter() - started
    print(
        f"Directory frames: {report.total.cases} cases in {seconds:.0f} s "
        "(targets: recall >= 0.98 per frame, wrong <= 0.005)"
    )
    print(f"{'frame':16} {'cases':>7} {'recall':>7} {'correct':>8} {'wrong':>7} {'unresolved':>10}")
    for name in (*FRAMES, "ALL"):
        tally = report.total if name == "ALL" else report.by_frame.get(name)
        if tally:
            f = tally.figures()
            figures = f"{f['cases']:7} {f['recall']:7.4f} {f['correct']:8.4f} {f['wrong']:7.4f}"
            print(f"{name:16} {figures} {f['unresolved']:10}")
    print(f"\n{'state':26} {'cases':>7} {'recall':>7} {'correct':>8} {'wrong':>7}")
    for state in sorted(report.by_state):
        f = report.by_state[state].figures()
        print(f"{state:26} {f['cases']:7} {f['recall']:7.4f} {f['correct']:8.4f} {f['wrong']:7.4f}")
    for error in report.errors:
        print(json.dumps(error, ensure_ascii=False))
    if args.out:
        figures = {
            "total": report.total.figures(),
            "frames": {k: v.figures() for k, v in report.by_frame.items()},
            "states": {k: v.figures() for k, v in report.by_state.items()},
        }
        Path(args.out).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
