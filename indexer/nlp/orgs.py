"""Find organisations by rule: curated names, authority + place, legal forms.

Used when no statistical model is installed, and beside the model's ORG
entities when one is. Every organisation gets one canonical name, so that
"Johanniter", "JUH" and "Johanniter-Unfall-Hilfe" are one facet value.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import simplemma

from indexer.config import PACKAGE_DATA
from indexer.nlp.places import BIG_CITY, PlaceMention

ORGANISATIONS_FILE = PACKAGE_DATA / "organisations.toml"
PATTERNS_FILE = PACKAGE_DATA / "org_patterns.toml"
_OF = {"für", "der", "des"}
_NAME_CONNECTORS = {
    "für",
    "und",
    "der",
    "des",
    "von",
    "am",
    "an",
    "im",
    "in",
    "zu",
    "&",
}
_NOT_NAME_START = {
    "Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einer", "Eines", "Mit", "Von", "Bei",
    "Beim", "Im", "Am", "Auch", "Und", "Laut", "Wie", "Für", "Zur", "Zum", "Vom", "Als", "Nach",
}  # fmt: skip
_VOLUNTEER = {"Freiwillige", "Freiwilligen"}
_MAX_NAME_TOKENS = 6


_ORDINAL = re.compile(r"\d{1,2}\.")
_PRECINCT_NOUNS = {"Revier", "Polizeirevier"}
_POLICE_UNIT_SHORT = {"Abschnitt": "Polizeiabschnitt", "Direktion": "Polizeidirektion"}


def _number_after(words: list[str], i: int) -> bool:
    return i + 1 < len(words) and words[i + 1].isdigit() and len(words[i + 1]) <= 3


def _unknown_name_after(words: list[str], i: int) -> str | None:
    """A capitalised word after the noun that is no ordinary word: a place's name."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if not nxt[:1].isupper() or nxt in _NOT_NAME_START or not nxt.isalpha():
        return None
    if simplemma.is_known(nxt, lang="de") or simplemma.is_known(nxt.lower(), lang="de"):
        return None
    return nxt


def _place_name(place: PlaceMention) -> str:
    return place.resolved.name if place.resolved else place.label


@dataclass
class OrgMention:
    start: int
    end: int
    name: str


@dataclass(frozen=True)
class OrgRules:
    aliases: dict[str, list[tuple[tuple[str, ...], str]]]  # first token -> (tokens, canonical)
    authority_nouns: frozenset[str]
    generic: frozenset[str]
    legal_forms: tuple[tuple[str, ...], ...]
    institution_nouns: frozenset[str]
    club_prefixes: frozenset[str]

    @classmethod
    def load(cls, path: Path = ORGANISATIONS_FILE, patterns: Path = PATTERNS_FILE) -> OrgRules:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        pattern_data = tomllib.loads(patterns.read_text(encoding="utf-8"))
        aliases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for org in data.get("organisation", []):
            for alias in {org["name"], *org.get("aliases", [])}:
                tokens = tuple(alias.split())
                aliases[tokens[0]].append((tokens, org["name"]))
        for entries in aliases.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        legal = sorted((tuple(form) for form in data["legal_forms"]), key=len, reverse=True)
        return cls(
            dict(aliases),
            frozenset(data["authority_nouns"]),
            frozenset(data["generic"]),
            tuple(legal),
            frozenset(pattern_data["institution_nouns"]),
            frozenset(pattern_data["club_prefixes"]),
        )


def _is_name_token(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or "-" in word


class OrgMatcher:
    def __init__(self, rules: OrgRules | None = None):
        self.rules = rules or OrgRules.load()
        # Legal forms by first token (longest first, as in the rules): one lookup per word, not one per form.
        self._legal_forms: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for form in self.rules.legal_forms:
            self._legal_forms[form[0]].append(form)

    def find(self, words: list[str], lemmas: list[str], places: list[PlaceMention]) -> list[OrgMention]:
        place_at = {m.start: m for m in places}
        found: list[OrgMention] = []
        i = 0
        while i < len(words):
            legal_form = self._legal_form_length(words, i)
            if legal_form:
                mention = self._name_before_legal_form(words, i, legal_form, found)
            else:
                mention = (
                    self._alias_at(words, i)
                    or self._authority_at(words, lemmas, i, place_at)
                    or self._institution_at(words, lemmas, i, place_at)
                    or self._club_at(words, i)
                    or self._generic_at(lemmas, i)
                )
            if mention is None:
                i += max(legal_form, 1)
                continue
            found = [m for m in found if m.end <= mention.start]  # a legal form may extend back
            found.append(mention)
            i = mention.end
        return found

    def _alias_at(self, words: list[str], i: int) -> OrgMention | None:
        for tokens, canonical in self.rules.aliases.get(words[i], ()):
            if tuple(words[i : i + len(tokens)]) == tokens:
                end = i + len(tokens)
                end += self._legal_form_length(words, end)
                return OrgMention(i, end, canonical)
        return None

    def _legal_form_length(self, words: list[str], i: int) -> int:
        for form in self._legal_forms.get(words[i], ()) if i < len(words) else ():
            if tuple(words[i : i + len(form)]) == form:
                return len(form)
        return 0

    def _name_before_legal_form(
        self, words: list[str], i: int, length: int, found: list[OrgMention]
    ) -> OrgMention | None:
        start = i
        floor = found[-1].end if found else 0
        while start > floor and i - start < _MAX_NAME_TOKENS:
            word = words[start - 1]
            if (
                _is_name_token(word)
                and word not in _NOT_NAME_START
                or word in _NAME_CONNECTORS
                and start - 2 >= floor
                and _is_name_token(words[start - 2])
            ):
                start -= 1
            else:
                break
        while start < i and words[start] in _NAME_CONNECTORS:
            start += 1
        if start == i and i > floor and words[i - 1].isalpha() and words[i - 1] not in _NAME_CONNECTORS:
            start -= 1  # a lower-case brand name: "inexio GmbH"
        if start == i:
            return None
        name_tokens = words[start:i] + [" ".join(words[i : i + length])]
        name = " ".join(name_tokens).replace("e.V.", "e. V.").replace("e. V", "e. V.").replace("V..", "V.")
        if not name.endswith("V."):
            name = name.rstrip(".")  # "GmbH." at the end of a sentence
        return OrgMention(start, i + length, name)

    def _authority_at(
        self,
        words: list[str],
        lemmas: list[str],
        i: int,
        place_at: dict[int, PlaceMention],
    ) -> OrgMention | None:
        start = i
        derived = place_at.get(i)
        if derived is not None and derived.derived:
            i += 1  # "Frankfurter Kriminalpolizei"
        elif words[i] in _VOLUNTEER or words[i] == "FF":
            return self._fire_brigade_at(words, i, place_at)
        elif _ORDINAL.fullmatch(words[i]) and i + 1 < len(words) and lemmas[i + 1] in _PRECINCT_NOUNS:
            return OrgMention(i, i + 2, f"{words[i]} Polizeirevier")  # "6. Revier"
        if i >= len(words):
            return None
        noun = lemmas[i]
        if noun in _POLICE_UNIT_SHORT and _number_after(words, i):
            return OrgMention(start, i + 2, f"{_POLICE_UNIT_SHORT[noun]} {words[i + 1]}")  # "Abschnitt 32"
        if noun not in self.rules.authority_nouns and noun not in self.rules.generic:
            return None
        if derived is not None and derived.derived:
            return OrgMention(start, i + 1, f"{noun} {_place_name(derived)}")
        if noun == "Feuerwehr":
            return self._fire_brigade_at(words, i, place_at)
        if _number_after(words, i):
            return OrgMention(start, i + 2, f"{noun} {words[i + 1]}")  # "Polizeidirektion 3"
        place = place_at.get(i + 1)
        if place is not None and not place.derived:
            return OrgMention(start, place.end, f"{noun} {_place_name(place)}")
        name = _unknown_name_after(words, i)
        if name:
            return OrgMention(start, i + 2, f"{noun} {name}")  # "Polizei Wenns"
        if noun in self.rules.generic:
            return OrgMention(start, i + 1, noun)
        return None

    def _fire_brigade_at(
        self, words: list[str], i: int, place_at: dict[int, PlaceMention]
    ) -> OrgMention | None:
        """ "Freiwillige Feuerwehr X", "FF X", "Feuerwehr X": the volunteer brigade of X,
        unless X is a city with a professional one ("Feuerwehr Frankfurt am Main")."""
        start = i
        if words[i] in _VOLUNTEER and i + 1 < len(words) and words[i + 1] in ("Feuerwehr", "Feuerwehren"):
            i += 1
        place = place_at.get(i + 1)
        if place is not None and not place.derived:
            name, end = _place_name(place), place.end
            big = place.resolved is not None and place.resolved.population >= BIG_CITY
        else:
            name, end, big = _unknown_name_after(words, i), i + 2, False
        if name:
            return OrgMention(start, end, f"Feuerwehr {name}" if big else f"Freiwillige Feuerwehr {name}")
        if words[start] == "FF":
            return None
        return OrgMention(start, i + 1, "Feuerwehr")

    def _institution_at(
        self, words: list[str], lemmas: list[str], i: int, place_at: dict[int, PlaceMention]
    ) -> OrgMention | None:
        """ "Universität Trier", "Bundesamt für Gesundheit", "Universität des Saarlandes"."""
        if lemmas[i] not in self.rules.institution_nouns:
            return None
        place = place_at.get(i + 1)
        if place is not None and not place.derived:
            return OrgMention(i, place.end, f"{lemmas[i]} {_place_name(place)}")
        if i + 2 < len(words) and words[i + 1] in _OF and _is_name_token(words[i + 2]):
            end = i + 3
            while (
                end + 1 < len(words)
                and (
                    (words[end] in ("und", "-") and _is_name_token(words[end + 1]))
                    or _is_name_token(words[end])
                )
                and end - i < _MAX_NAME_TOKENS
            ):
                end += 2 if words[end] in ("und", "-") else 1
            if words[i + 2] not in _NOT_NAME_START:
                return OrgMention(i, end, " ".join([lemmas[i], *words[i + 1 : end]]))
        return None

    def _club_at(self, words: list[str], i: int) -> OrgMention | None:
        """ "FC Bayern München", "TSV 1860 München": a club prefix and its name."""
        if words[i] not in self.rules.club_prefixes:
            return None
        if words[i] == "1." and (i + 1 >= len(words) or words[i + 1] not in self.rules.club_prefixes):
            return None  # "1. FC Köln", not "1. Juli"
        end = i + 2 if words[i] == "1." else i + 1
        while end < len(words) and end - i <= 3 and (words[end][:1].isupper() or words[end].isdigit()):
            end += 1
        if end - i < 2 or not any(w[:1].isupper() for w in words[i + 1 : end]):
            return None
        return OrgMention(i, end, " ".join(words[i:end]))

    def _generic_at(self, lemmas: list[str], i: int) -> OrgMention | None:
        if lemmas[i] in self.rules.generic:
            return OrgMention(i, i + 1, lemmas[i])
        return None
