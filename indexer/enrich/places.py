"""Find places of the gazetteer in a token sequence.

Plain dictionary look-ups over token texts, so it runs without a statistical
model. Handles the forms German press releases use: "Kell am See",
"Hermeskeils" (genitive), "Saarburger Innenstadt" (derived adjective),
"Landkreis Trier-Saarburg", "VG Saarburg-Kell", "Frankfurt" for "Frankfurt am
Main". Names that are also ordinary words (Brand, Berg, Mitte) need evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from indexer.enrich.localities import ORTSTEIL_WORDS, context_place_spans, is_locality_name, ortsteil_mentions
from indexer.enrich.word_lists import PLACE_WORDS_FILE, read_word_lists
from indexer.gazetteer import WORLD_PLACE_WEIGHT, Gazetteer, Place, unlisted_key

_WORDS = read_word_lists(PLACE_WORDS_FILE)  # the word lists of the rules below, described there
LEVEL_PREFIXES = dict(_WORDS["level_prefixes"])
# Bare names mean the town before the association or district of that name.
LEVEL_PREFERENCE = ("municipality", "verband", "ortsteil", "district", "state", "world")
_LEVEL_RANK = {level: n for n, level in enumerate(LEVEL_PREFERENCE)}
EVIDENCE_BEFORE = set(_WORDS["evidence_before"])
EVIDENCE_ENDINGS = tuple(_WORDS["evidence_endings"])
AUTHORITY_ENDINGS = tuple(_WORDS["authority_endings"])
DERIVED_BLOCKERS = set(_WORDS["derived_blockers"])
PERSON_TITLES = set(_WORDS["person_titles"])
IDIOM_FOLLOWERS = set(_WORDS["idiom_followers"])
FACILITY_WORDS = set(_WORDS["facility_words"])
JUNCTION_WORDS = set(_WORDS["junction_words"])
FACILITY_ENDINGS = tuple(_WORDS["facility_endings"])
FEATURE_HEADS = tuple(_WORDS["feature_heads"])
DETERMINERS = set(_WORDS["determiners"])
TOWN_LEVELS = {"municipality", "verband"}
IDIOM_STEMS = tuple(_WORDS["idiom_stems"])
COMPASS = set(_WORDS["compass"])
LABEL_ENDS = (":", "):")
CLAUSE_ENDS = {".", "!", "?", ";", ",", ":"}
PART_OF_TOWN = set(_WORDS["part_of_town"])
TIME_FOLLOWERS = set(_WORDS["time_followers"])
COORDINATORS = set(_WORDS["coordinators"])
NATURE_KINDS = set(_WORDS["nature_kinds"])
NATURE_ARTICLES = set(_WORDS["nature_articles"])
BIG_CITY = 100_000
_WORDLIKE_CITIES = set(_WORDS["wordlike_cities"])


@lru_cache(maxsize=65_536)
def known_word(word: str) -> bool:
    """An ordinary German word of simplemma's dictionary (cached: the rules ask often)."""
    return simplemma.is_known(word, lang="de")


def unknown_place_spans(
    words: list[str], cased: list[int], places: list[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """LOC spans of places no list holds, found by context ("in Durrës"; see localities.py);
    places: the token spans of the places found, whose lists may go on with such names."""
    return context_place_spans(words, cased, known_word, TOPONYM_ENDINGS, places)


@dataclass
class PlaceMention:
    start: int  # token index
    end: int  # token index, exclusive
    candidates: list[Place]
    derived: bool = False  # "Saarburger", an adjective made from the name
    part: bool = False  # "Frankfurt-Bornheim", "Taiwan-Dollar": the name inside a hyphenated word
    city_part: bool = False  # an Ortsteil/Stadtteil ("Moabit", "Innenstadt"): needs its city in context
    needs_evidence: bool = False
    resolved: Place | None = None
    label: str = ""  # facet value: the resolved key, or the bare name if unresolved
    name: str = ""  # the directory or everyday name matched
    locality: str = ""  # "Sedlitz-Senftenberg", "Frankfurt-Bornheim": the part of town named with it


@dataclass(frozen=True)
class _Form:
    tokens: tuple[str, ...]
    name: str
    derived: bool
    short: bool  # "Frankfurt" for "Frankfurt am Main"


TOPONYM_ENDINGS = tuple(_WORDS["toponym_endings"])


def _is_wordlike(name: str, population: int) -> bool:
    if name in _WORDLIKE_CITIES:
        return True
    if " " in name or population >= BIG_CITY:
        return False
    if len(name) >= 7 and _toponym_suffix(name):
        return False
    return known_word(name)


def _toponym_suffix(name: str) -> bool:
    """A place-name ending after a stem of its own ("Sed-litz", "Neuen-kirchen"): the stem has a
    vowel. "Schlitz" (Schl-itz) is one syllable, the ordinary noun."""
    return any(name.endswith(ending) and _VOWEL.search(name[: -len(ending)]) for ending in TOPONYM_ENDINGS)


_VOWEL = re.compile(r"[aeiouyäöü]", re.IGNORECASE)


def _feature_head(word: str) -> bool:
    """A street, junction or company word, also in the genitive: "Kreuz", "des Offenbacher Kreuzes"."""
    word = word.lower()
    return (
        word.endswith(FEATURE_HEADS)
        or word.removesuffix("es").endswith(FEATURE_HEADS)
        or (word.removesuffix("s").endswith(FEATURE_HEADS))
    )


def _by_postcode(mention: PlaceMention, words: list[str]) -> Place | None:
    """The one candidate whose postcode region (first three digits) the address before names."""
    before = words[mention.start - 1] if mention.start > 0 else ""
    if len(before) != 5 or not before.isdigit() or mention.derived:
        return None
    region = [c for c in mention.candidates if c.plz[:3] == before[:3]]
    return region[0] if len(region) == 1 else None


def _ordinary_word(word: str) -> bool:
    """An ordinary word, not a village's name ("Mitte", not "Sedlitz", which the dictionary knows)."""
    return _is_wordlike(word, 0)


def _is_town(place: Place) -> bool:
    return place.level == "municipality" or (place.level == "world" and place.kind in ("Gemeinde", "Stadt"))


def _after_person_title(words: list[str], i: int) -> bool:
    """Title, or title and first name, right before: "Frau Hoffeld", "Landrätin Sabine Hoffeld"."""
    if i >= 1 and words[i - 1] in PERSON_TITLES:
        return True
    return i >= 2 and words[i - 2] in PERSON_TITLES and words[i - 1][:1].isupper() and words[i - 1].isalpha()


CAPITAL_PREPOSITIONS = set(_WORDS["capital_prepositions"])


def _label_start(words: list[str], i: int) -> bool:
    """The name opens a title or a police label: first word, after a blank line, a dash or a number."""
    if i == 0:
        return True
    before = words[i - 1]
    return before.isspace() or before in ("-", "–", "/") or before.isdigit()


def _in_idiom(words: list[str], start: int, end: int) -> bool:
    after = words[end] if end < len(words) else ""
    after2 = words[end + 1] if end + 1 < len(words) else ""
    if after.startswith(IDIOM_STEMS) or (after == "zu" and after2.startswith(IDIOM_STEMS)):
        return True  # "in Brand geraten", "in Brand zu setzen"
    if words[start - 1 : start] != ["in"] or after not in CLAUSE_ENDS:
        return False
    # "geriet der BMW in Brand.", "setzten eine Tür in Brand.": the verb earlier in the clause
    for word in reversed(words[max(0, start - 16) : start - 1]):
        if word in CLAUSE_ENDS or word.isspace():
            return False
        if word.startswith(IDIOM_STEMS):
            return True
    return False


def _is_town(place: Place) -> bool:
    return place.level in TOWN_LEVELS and place.kind != "Bezirk"


def _town_only(candidates: list[Place]) -> bool:
    """Towns (and districts named after a town, "Calw"): never after an article; regions,
    Ortsteile ("im Wedding"), states ("im Saarland") and rivers may be."""
    return any(c.level == "municipality" for c in candidates) and all(
        _is_town(c) or c.level == "district" for c in candidates
    )


def is_facility(word: str) -> bool:
    """ "U-Bahnhof", "Feuerwehrhaus"; not a unit named after its place ("Polizeistation")."""
    lower = word.lower()
    if lower.endswith(AUTHORITY_ENDINGS):
        return False
    return word in FACILITY_WORDS or lower.endswith(FACILITY_ENDINGS)


def _bracket_match(words: list[str], tokens: tuple[str, ...]) -> bool:
    """ "Halle (Saale):" is tokenised with "):" as one token; the name still ends at the bracket."""
    return (
        len(words) == len(tokens)
        and tokens[-1] == ")"
        and words[-1][:1] == ")"
        and tuple(words[:-1]) == tokens[:-1]
    )


@lru_cache(maxsize=1)
def _name_tokenizer():
    import spacy

    return spacy.blank("de").tokenizer


def _forms_of(tokens: tuple[str, ...]) -> list[tuple[tuple[str, ...], bool]]:
    """Surface forms: the name, its genitive, and its derived adjective ("Hermeskeils",
    "Saarburger", "Bad Homburger"); the last word takes the ending."""
    head, last = tokens[:-1], tokens[-1]
    forms = [(tokens, False)]
    if not last[-1:].isalpha():
        return forms  # "Halle (Saale)": no ending after the bracket
    if not last.endswith(("s", "x", "z", "ß")):
        forms.append(((*head, last + "s"), False))
    if all(t[:1].isupper() or t.endswith(".") for t in tokens) and last.replace("-", "").isalpha():
        forms.append(((*head, last + ("r" if last.endswith("e") else "er")), True))
    return forms


class PlaceMatcher:
    def __init__(self, gazetteer: Gazetteer, body_names: Iterable[tuple[str, ...]] = ()):
        """body_names: the token sequences of listed organisations. A place right after one whose
        last word ends a facility's name is its local branch ("Rotes Kreuz Imst", "Galeria Kaufhof
        Trier"), though after the facility ("Autobahnkreuz Imst") it names no place."""
        self.gazetteer = gazetteer
        self._body_names: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # by last token
        for tokens in body_names:
            if len(tokens) > 1 and is_facility(tokens[-1]):
                self._body_names[tokens[-1]].add(tokens)
        self._forms: dict[str, list[_Form]] = defaultdict(list)
        tokenizer = _name_tokenizer()
        for name in gazetteer.by_name:
            self._add_forms(name, tokenizer, short=name in gazetteer.shared_aliases)
        self._district_compounds: dict[str, list[Place]] = defaultdict(list)
        for place in gazetteer.places:
            if place.level == "district" and "-" in place.name:
                self._district_compounds[place.name.split("-", 1)[0]].append(place)
        for forms in self._forms.values():
            forms.sort(key=lambda form: -len(form.tokens))  # longest match first

    def _add_forms(self, name: str, tokenizer, short: bool) -> None:
        # tokenised as the pipeline tokenises texts: "Halle (Saale)" is Halle ( Saale )
        tokens = tuple(token.text for token in tokenizer(name))
        for surface, derived in _forms_of(tokens):
            self._forms[surface[0]].append(_Form(surface, name, derived, short))

    def find(
        self, words: list[str], context: list[Place] = (), cased: list[int] | None = None
    ) -> list[PlaceMention]:
        """Place mentions in words; context (e.g. the publisher's town) helps to
        choose among places of the same name. cased (optional): the indices of the
        words that are not lower case, the only ones a place can start at."""
        mentions = []
        forms = self._forms
        next_free = 0  # the end of the last match
        # a cheap test first (a comprehension is fast): most words start no place
        indices = range(len(words)) if cased is None else cased
        candidates = [
            i
            for i in indices
            if not (word := words[i]).islower()
            and (word in forms or "-" in word or (len(word) >= 4 and word.isupper()))
        ]
        for i in candidates:
            word = words[i]
            if i < next_free:
                continue
            if word in forms or "-" in word:
                mention = self._match_at(words, i) or self._match_hyphenated(words, i)
            else:
                mention = self._match_capitals(words, i)
            if mention is None:
                continue
            if i == 0 or not is_facility(words[i - 1]) or self._after_body_name(words, i):
                mentions.append(mention)
            next_free = mention.end
        self._resolve(mentions, words, context)
        mentions += self._localities(mentions, words, context)
        return [m for m in mentions if m.label]

    def _localities(self, mentions: list[PlaceMention], words: list[str], context) -> list[PlaceMention]:
        """Parts of towns named with their town ("Frankfurt-Bornheim", "Sedlitz-Senftenberg") and
        localities after "Ortsteil"/"OT" the directory lacks, attached to the co-mentioned town."""
        found = []
        for mention in mentions:
            town = mention.resolved
            if not mention.locality or town is None or not _is_town(town):
                continue
            listed = [
                c
                for c in self.gazetteer.candidates(mention.locality)
                if c.level == "ortsteil" and c.district in (town.key, town.district)
            ]
            if listed:  # "Frankfurt-Bornheim": Frankfurt's Stadtteil of the directory
                found.append(PlaceMention(mention.start, mention.end, listed[:1], part=True,
                                          resolved=listed[0], label=listed[0].key))  # fmt: skip
            elif is_locality_name(mention.locality, _ordinary_word):
                label = unlisted_key(mention.locality, town.key)
                found.append(PlaceMention(mention.start, mention.end, [town], part=True, label=label))
        towns = [(m.start, m.resolved) for m in mentions if m.resolved and _is_town(m.resolved)]
        listed_parts = {m.start for m in mentions if m.resolved and m.resolved.level == "ortsteil"}
        for index, name, town in ortsteil_mentions(words, towns, list(context), _ordinary_word, listed_parts):
            for mention in mentions:  # "Ortsteil Buchholz": not the municipality Buchholz elsewhere
                if mention.start == index and mention.resolved is not town:
                    mention.label = ""
            found.append(PlaceMention(index, index + 1, [town], label=unlisted_key(name, town.key)))
        return found

    def _match_hyphenated(self, words: list[str], i: int) -> PlaceMention | None:
        """ "Frankfurt-Bornheim", "Berlin-Mitte": the town before the hyphen, its part after it;
        the police label "Sedlitz-Senftenberg": a village the directory lacks, then its town."""
        word = words[i]
        if "-" not in word or word.startswith("-"):
            return None
        first, rest = word.split("-", 1)
        mention = self._match_at([first], 0)
        if mention is None:
            return self._match_village_town(words, i)
        if mention.derived or mention.needs_evidence:
            return None
        # "Berlin-Mitte", "Köln-Wahn" name a place; "Taiwan-Dollar", "Berlin-Marathon" do not
        place_part = (
            rest[:1].isupper()
            and "-" not in rest
            and (rest in self.gazetteer.by_name or not known_word(rest))
        )
        return PlaceMention(
            i,
            i + 1,
            mention.candidates,
            part=not place_part,
            name=mention.name,
            locality=rest if place_part else "",
        )

    def _match_village_town(self, words: list[str], i: int) -> PlaceMention | None:
        """ "Sedlitz-Senftenberg": an unknown village before a town that needs no evidence."""
        parts = words[i].split("-")
        for cut in range(1, len(parts)):  # "Tannwiesel-Ahrenshagen-Daskow": the town may have a hyphen
            village, town = "-".join(parts[:cut]), "-".join(parts[cut:])
            if not is_locality_name(village, _ordinary_word) or village in self.gazetteer.by_name:
                continue
            mention = self._match_at([town], 0)
            if mention is None or mention.derived or mention.end != 1:
                continue
            if not any(c.level == "municipality" for c in mention.candidates):
                continue
            # a town that needs evidence has it from the label position ("Sedlitz-Brand:")
            return PlaceMention(
                i,
                i + 1,
                mention.candidates,
                name=mention.name,
                locality=village,
                needs_evidence=mention.needs_evidence,
            )
        return None

    def _match_at(self, words: list[str], i: int) -> PlaceMention | None:
        forms = self._forms.get(words[i])
        if not forms:
            return self._match_capitals(words, i)
        level = LEVEL_PREFIXES.get(words[i - 1]) if i > 0 else None
        for form in forms:
            end = i + len(form.tokens)
            if tuple(words[i:end]) != form.tokens and not _bracket_match(words[i:end], form.tokens):
                continue
            if form.derived and (end >= len(words) or not words[end][:1].isupper()):
                return None  # "zwei Frankfurter im Alter von …", "ein Weinheimer": people
            if form.derived and (words[end] in DERIVED_BLOCKERS or _feature_head(words[end])):
                return None  # "Berliner Straße", "Friedberger Landstraße", "Aachener Kreuz": a name
            if _after_person_title(words, i):
                return None
            candidates = self._candidates(form, level)
            name = form.name
            if form.derived:  # "Altenberger" is Altenberg's and Altenberge's: context must decide
                twins = [f for f in forms if f.derived and f.tokens == form.tokens and f.name != form.name]
                candidates += [c for f in twins for c in self._candidates(f, level) if c not in candidates]
                if twins:  # the towns of both names first ("Auer": Au, not the Samtgemeinde Aue)
                    name = ""
                    candidates.sort(key=lambda c: _LEVEL_RANK.get(c.level, len(_LEVEL_RANK)))
            if not candidates:
                continue
            if not form.derived and i > 0 and words[i - 1].lower() in DETERMINERS:
                if _town_only(candidates):
                    return None  # "auf dem Römerberg", "in der Halle": a town takes no article
                # "auf dem Altenburg" is the Stadtteil of that name, never the town Altenburg
                candidates = [c for c in candidates if not _is_town(c)] or candidates
            biggest = max(c.population for c in candidates)
            # "Deutschland", "Thüringen" are no common words, whatever the dictionary says
            foreign = all(c.level in ("world", "state", "district") for c in candidates)
            needs_evidence = level is None and (
                form.name in self.gazetteer.ambiguous
                or (not foreign and _is_wordlike(words[i] if len(form.tokens) == 1 else form.name, biggest))
                or (form.short and biggest < BIG_CITY)
                or (form.derived and biggest < 5_000)
            )
            if all(c.level == "ortsteil" for c in candidates):  # a city's part: only with its city
                return PlaceMention(
                    i,
                    end,
                    candidates,
                    derived=form.derived,
                    needs_evidence=True,
                    city_part=True,
                    name=name,
                )
            return PlaceMention(
                i, end, candidates, derived=form.derived, needs_evidence=needs_evidence, name=name
            )
        return None

    def _match_capitals(self, words: list[str], i: int) -> PlaceMention | None:
        """ "BOCHUM", "TOKIO" in a dateline: a town in capitals, if it needs no evidence."""
        word = words[i]
        if len(word) < 4 or not word.isupper() or not word.isalpha():
            return None
        mention = self._match_at([*words[:i], word.title(), *words[i + 1 : i + 2]], i)
        if mention is None or mention.needs_evidence or mention.derived or mention.end != i + 1:
            return None
        return mention

    def _candidates(self, form: _Form, level: str | None) -> list[Place]:
        """Places the form may mean, the preferred level first; the rest follow, so
        that context can still choose them (Bornheim in Frankfurt, not in the Rhineland)."""
        found = self.gazetteer.candidates(form.name)
        at_prefixed_level = [p for p in found if p.level == level]
        if at_prefixed_level:
            return at_prefixed_level
        if level == "district":  # "im Kreis Erlangen": the Landkreis Erlangen-Höchstadt
            compound = self._district_compounds.get(form.name, [])
            if len(compound) == 1:
                return compound
        rank = {lvl: n for n, lvl in enumerate(LEVEL_PREFERENCE)}
        world = [p for p in found if p.level == "world"]
        if world and all(p.population < WORLD_PLACE_WEIGHT for p in found if p.level != "world"):
            rank["world"] = -1  # Rom, the city, not the village in Mecklenburg
        return sorted(found, key=lambda p: rank.get(p.level, len(rank)))

    def _resolve(self, mentions: list[PlaceMention], words: list[str], context: list[Place]) -> None:
        """Accept mentions with evidence; pick among same-name places by context."""
        certain = [
            m.candidates[0]
            for m in mentions
            if not m.needs_evidence and sum(c.level == m.candidates[0].level for c in m.candidates) == 1
        ]
        context_districts = {p.district for p in [*certain, *context] if p.district}
        context_states = {p.state for p in [*certain, *context]}
        sure = [m for m in mentions if not m.needs_evidence]
        sure_ends, sure_starts = {m.end for m in sure}, {m.start for m in sure}  # "Deutschland, Polen"
        for mention in mentions:
            by_postcode = _by_postcode(mention, words)
            if by_postcode is not None:  # "aus 53332 Bornheim": the address decides, not the publisher
                mention.resolved, mention.label = by_postcode, by_postcode.key
                continue
            if mention.needs_evidence and not (
                self._has_evidence(mention, words, context_districts)
                or self._coordinated(mention, words, sure_ends, sure_starts)
            ):
                continue
            sure_ends.add(mention.end)  # the list goes on: "Deutschland, Polen und Ungarn"
            mention.resolved = self._pick(
                mention.candidates,
                context_districts,
                context_states,
                {p.district for p in context},
                mention.name,
            )
            if mention.resolved:
                mention.label = mention.resolved.key
            else:
                mention.label = self._unresolved_label(mention)

    def _unresolved_label(self, mention: PlaceMention) -> str:
        """The bare name, kept unresolved, not guessed ("Neuenkirchen" of eleven) — unless that
        name is itself the key of one of them (then it would claim that one): no value."""
        if len({c.name for c in mention.candidates}) == 1:
            name = mention.candidates[0].name
        elif mention.name in self.gazetteer.shared_aliases:
            name = mention.name  # "Neustadt" of fifteen Neustadts
        else:
            return ""
        taken = self.gazetteer.by_key.get(name)
        if taken is not None and taken in mention.candidates:
            return name if all(c.key == name for c in mention.candidates) else ""  # Wien: city and Land
        return name

    @staticmethod
    def _coordinated(
        mention: PlaceMention, words: list[str], sure_ends: set[int], sure_starts: set[int]
    ) -> bool:
        """In a list with a certain place: "aus Deutschland, Polen und Tschechien"."""
        if mention.derived or mention.city_part:
            return False
        before = words[mention.start - 1] if mention.start > 0 else ""
        after = words[mention.end] if mention.end < len(words) else ""
        # a certain place ends at the coordinator before, or starts right after the one behind
        return (before in COORDINATORS and mention.start - 1 in sure_ends) or (
            after in COORDINATORS and mention.end + 1 in sure_starts
        )

    def _after_body_name(self, words: list[str], start: int) -> bool:
        before = words[start - 1] if start > 0 else ""
        return any(
            tuple(words[max(0, start - len(tokens)) : start]) == tokens
            for tokens in self._body_names.get(before, ())
        )

    @staticmethod
    def _has_evidence(mention: PlaceMention, words: list[str], context_districts: set[str]) -> bool:
        before = words[mention.start - 1] if mention.start > 0 else ""
        after = words[mention.end] if mention.end < len(words) else ""
        if after in IDIOM_FOLLOWERS or (after in TIME_FOLLOWERS and words[mention.start] == "Mitte"):
            return False  # "in Brand gesetzt", "bis Mitte Mai"
        if _in_idiom(words, mention.start, mention.end):
            return False  # "geriet in Brand", "in Brand zu setzen"
        if after in ("der", "des") and known_word(words[mention.start]):
            return False  # "nach Lage der Dinge": a noun with its genitive
        if words[mention.start] in COMPASS and not mention.derived:
            return any(c.district in context_districts for c in mention.candidates)  # "Richtung Norden"
        if before in NATURE_ARTICLES and any(c.kind in NATURE_KINDS for c in mention.candidates):
            return True  # "im Harz", "zum Bodensee"
        if before in ("nach", "bei", "von") and after in ("in", "im", "auf", "an"):
            return False  # "nach Brand in Mehrfamilienhaus": the noun, not the village
        if mention.derived and after in PART_OF_TOWN:
            return True  # "im Reinickendorfer Ortsteil Borsigwalde"
        if mention.city_part:  # "Innenstadt" is Frankfurt's only in a text about Frankfurt
            in_city = any(c.district in context_districts for c in mention.candidates)
            name = words[mention.start]
            return in_city or (before in ("in", "aus", "nach") and not known_word(name))
        if (
            before in EVIDENCE_BEFORE
            or before.lower().endswith(AUTHORITY_ENDINGS)  # "Polizeistation", "Universität Gießen"
            or before.endswith(EVIDENCE_ENDINGS)
        ):
            return True
        if before in CAPITAL_PREPOSITIONS:
            return True  # "In Eberswalde brannte …": the sentence start is no weaker
        if after == "(" or (before == "(" and after[:1] == ")"):
            return True  # "Eberswalde (Barnim)", "Auffahrunfall auf der Landstraße (Senftenberg)"
        genitive = mention.name and words[mention.end - 1] == mention.name.rsplit(" ", 1)[-1] + "s"
        if after.startswith(LABEL_ENDS) and _label_start(words, mention.start) and not genitive:
            return True  # "Senftenberg: Radfahrer verletzt", "POL-F: 230101 - 12 Kalbach:"; not "Aus:"
        if after == "," and mention.end + 1 < len(words) and words[mention.end + 1] in ORTSTEIL_WORDS:
            return True  # "Senftenberg, Ortsteil Sedlitz"
        if (
            words[mention.end - 1].endswith("s")
            and words[mention.end - 1] != mention.name
            and (after in PERSON_TITLES or after in PART_OF_TOWN)
        ):
            return True  # "Eberswaldes Bürgermeister"
        if mention.derived:
            return after[:1].isupper() and not mention.needs_evidence
        return any(c.district in context_districts for c in mention.candidates)

    @staticmethod
    def _pick(
        candidates: list[Place],
        districts: set[str],
        states: set[str],
        publisher: set[str] = frozenset(),
        name: str = "",
    ) -> Place | None:
        # the town before the association of its name ("Velden" and "Velden (VGem)")
        first = [c for c in candidates if c.level == candidates[0].level]
        for pool in (first, candidates):
            in_publisher = [c for c in pool if c.district and c.district in publisher]
            if len(in_publisher) == 1:
                return in_publisher[0]  # "Griesheim" in a Frankfurt release is Frankfurt's
        for pool in (first, candidates):
            # a Landkreis lies in itself: "in Hof" beside "Landkreis Hof" is still the town
            in_district = [c for c in pool if c.district and c.district in districts and c.district != c.key]
            if len(in_district) == 1:
                return in_district[0]
        preferred = [c for c in candidates if c.level == candidates[0].level]
        if len(preferred) == 1:
            return preferred[0]
        by_size = sorted(preferred, key=lambda c: -c.population)
        if by_size[0].population >= BIG_CITY and by_size[0].population > 10 * by_size[1].population:
            return by_size[0]  # "Essen" beside a town of Lower Saxony is still the city
        in_state = [c for c in preferred if c.state in states]
        if len(in_state) == 1:
            return in_state[0]
        # "Weimar" is the town of that official name; Weimar (Lahn) is written with its qualifier.
        # Not so "Simmern": the part before the slash of "Simmern/ Hunsrück" is as much its name.
        exact = [c for c in preferred if c.name == name]
        slashed = [c for c in preferred if c.name != name and c.name.split("/", 1)[0].strip() == name]
        if len(exact) == 1 and not slashed:
            return exact[0]
        return None
