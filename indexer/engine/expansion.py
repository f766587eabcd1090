"""Query-time alternatives for a search term: synonyms and compound parts.

Works on analysed terms (folded lemmas) and knows nothing of Whoosh; the
index boundary turns the alternatives into query nodes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.config import PACKAGE_DATA
from indexer.text.analysis import analyse_query_terms, compound_splitter
from indexer.text.lemmas import fold, shared_lemmatizer, spelling_variants

SYNONYMS_FILE = PACKAGE_DATA / "synonyms.toml"
EVERYDAY_FILE = PACKAGE_DATA / "everyday.toml"  # everyday words for official ones, same format
DEFAULT_WEIGHT = 0.7
COMPOUND_WEIGHT = 0.5
HYPHEN_WEIGHT = 0.8


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]  # all must match (a multi-word synonym or a compound's parts)
    weight: float


class Synonyms:
    def __init__(self, groups: list[tuple[list[tuple[str, ...]], float]]):
        self._by_term: dict[str, list[Alternative]] = {}
        for members, weight in groups:
            for member in members:
                if len(member) != 1:
                    continue  # a multi-word entry is reached from the others, not looked up itself
                others = [Alternative(m, weight) for m in members if m != member]
                self._by_term.setdefault(member[0], []).extend(others)
        for term, found in self._by_term.items():  # a word in two groups: each alternative once, at its best
            best: dict[tuple[str, ...], float] = {}
            for alternative in found:
                best[alternative.terms] = max(best.get(alternative.terms, 0.0), alternative.weight)
            self._by_term[term] = [
                Alternative(terms, weight) for terms, weight in best.items() if terms != (term,)
            ]

    @classmethod
    def load(cls, *paths: Path) -> Synonyms:
        groups = []
        for path in paths or (SYNONYMS_FILE, EVERYDAY_FILE):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            default = float(data.get("default_weight", DEFAULT_WEIGHT))
            for group in data.get("group", []):
                members = [tuple(analyse_query_terms(term)) for term in group["terms"]]
                members = list(dict.fromkeys(m for m in members if m))
                groups.append((members, float(group.get("weight", default))))
        return cls(groups)

    def alternatives(self, term: str) -> list[Alternative]:
        return self._by_term.get(term, [])


@lru_cache(maxsize=1)
def protected_terms() -> frozenset[str]:
    """Place names as query terms: never split into compound parts."""
    return frozenset(fold(name) for name in shared_lemmatizer().protected)


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    return Synonyms.load()


def alternatives(term: str) -> list[Alternative]:
    """What else a query term should find, each with its weight."""
    found = list(default_synonyms().alternatives(term))
    if "-" in term:  # "frankfurt-sindlingen" also finds "Frankfurt Sindlingen"
        parts = tuple(p for p in term.split("-") if p)
        if len(parts) > 1:
            found.append(Alternative(parts, HYPHEN_WEIGHT))
        return found
    if term in protected_terms():
        return found  # "Frankfurt" is no Frank-furt
    parts = _split_compound(term)
    if parts:  # "wohnungsbrand" also finds "Brand in einer Wohnung"
        modifier, head = (analyse_query_terms(p) for p in parts)
        if modifier and head:
            found.append(Alternative((modifier[0], head[0]), COMPOUND_WEIGHT))
    return found


def _split_compound(term: str) -> tuple[str, str] | None:
    """Split a folded query term, trying its umlaut spellings ("boersenbulle" is Börsenbulle)."""
    for spelling in spelling_variants(term[:1].upper() + term[1:]):
        parts = compound_splitter().split(spelling)
        if parts:
            return parts
    return None


def warm_query_analysis() -> None:
    """Load what analysing the first query would otherwise wait for."""
    analyse_query_terms("Sozialraumzentren")
    alternatives("wohnungsbrand")
