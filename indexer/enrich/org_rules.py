"""What the organisation rules know: the curated names and the nouns, legal forms and
prefixes that start a name (`indexer/data/organisations.toml`, `org_patterns.toml`),
and the mention they produce. Loaded once, when the entity component is made.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.config import PACKAGE_DATA

ORGANISATIONS_FILE = PACKAGE_DATA / "organisations.toml"
PATTERNS_FILE = PACKAGE_DATA / "org_patterns.toml"


@dataclass
class OrgMention:
    start: int
    end: int
    name: str
    # A named entity (ORG span like spaCy's/GermEval's); "die Polizei" is an organisation for the
    # facet but no named entity.
    named: bool = True
    # A facet value; an unverified acronym ("IKB") is an ORG span only, for the facet's precision.
    facet: bool = True


@dataclass(frozen=True)
class LandBody:
    """A body every Land has ("Landeskriminalamt"): one value per Land."""

    short: str
    publisher: bool  # a bare short form in a release of a Land-level publisher is its Land's
    official: dict[str, str]  # Land -> the Land's own name, where not "<short> <Land>"

    def name(self, land: str) -> str:
        return self.official.get(land) or f"{self.short} {land}"


@dataclass(frozen=True)
class OrgRules:
    aliases: dict[str, list[tuple[tuple[str, ...], str]]]  # first token -> (tokens, canonical)
    authority_nouns: frozenset[str]
    generic: frozenset[str]
    legal_forms: tuple[tuple[str, ...], ...]
    institution_nouns: frozenset[str]
    club_prefixes: frozenset[str]
    resolvable: frozenset[str] = frozenset()  # short forms the document or publisher decide
    publisher_bodies: dict[str, frozenset[str]] = field(default_factory=dict)  # head -> short forms
    land_bodies: dict[str, LandBody] = field(default_factory=dict)  # short form -> one per Land
    numbered_units: frozenset[str] = frozenset()  # "1. Polizeirevier": the publisher's town completes it

    def name_tokens(self) -> list[tuple[str, ...]]:
        """The token sequences of every listed name and alias."""
        return [tokens for entries in self.aliases.values() for tokens, _canonical in entries]

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
            frozenset(data.get("resolvable", [])),
            {head: frozenset(shorts) for head, shorts in data.get("publisher_bodies", {}).items()},
            {
                body["short"]: LandBody(
                    body["short"], bool(body["publisher"]), dict(body.get("official", {}))
                )
                for body in data.get("land_body", [])
            },
            frozenset(data.get("numbered_units", [])),
        )
