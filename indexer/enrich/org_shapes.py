"""Organisation names recognised by their shape, for the offline pipeline.

No list can hold every company, newspaper or club, but their names follow
patterns: "Hirzel Verlag", "Mittelbayerische Zeitung", "Otto-Schott-Gymnasium",
"Panathinaikos Athen", "Chicago Bulls", "IKB", "bei Porsche". Each rule here
returns a token span; `indexer/enrich/orgs.py` turns it into an organisation.
The word lists are data (`indexer/data/org_patterns.toml`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma

from indexer.config import PACKAGE_DATA
from indexer.enrich.places import known_word
from indexer.enrich.streets import STREET_ENDINGS
from indexer.enrich.word_lists import ORG_WORDS_FILE, read_word_lists
from indexer.text.compounds import CompoundSplitter
from indexer.text.stop_words import STOP_WORDS

PATTERNS_FILE = PACKAGE_DATA / "org_patterns.toml"
_WORDS = read_word_lists(ORG_WORDS_FILE)  # the small word lists of the rules below, described there
_ACRONYM = re.compile(r"[A-ZÄÖÜ]{3,4}")  # two capitals are too often codes
_ROMAN = re.compile(r"[IVXLC]+")
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es")
_SENTENCE_END = {".", "!", "?", ":", '"', "„", "“", "«", "»", "-", "–"}
_COMPANY_CONTEXT = set(_WORDS["company_context"])
_NOT_NAME = set(_WORDS["not_name"])


@dataclass(frozen=True)
class ShapeRules:
    name_suffixes: frozenset[str]  # "Verlag": "<Name> Verlag"
    compound_heads: tuple[str, ...]  # "-Gymnasium": "Otto-Schott-Gymnasium"
    club_words: frozenset[str]  # "Preußen": "Preußen Münster" (with a place after)
    not_acronyms: frozenset[str]  # "PKW", "DNA": capitals that name no organisation
    brands: dict[str, str]  # "Porsche" -> "Porsche AG": companies also named as products
    party_words: dict[str, str]  # "Grünen" -> "Bündnis 90/Die Grünen"
    english_suffixes: frozenset[str] = frozenset()  # "Laboratory": English words may precede

    @classmethod
    def load(cls, path: Path = PATTERNS_FILE) -> ShapeRules:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            frozenset(data["name_suffixes"]),
            tuple(data["compound_heads"]),
            frozenset(data["club_words"]),
            frozenset(data["not_acronyms"]),
            dict(data["brands"]),
            dict(data["party_words"]),
            frozenset(data.get("english_suffixes", [])),
        )


_COMPOUNDS = CompoundSplitter()


@lru_cache(maxsize=65_536)
def compound(word: str) -> bool:
    """A compound of ordinary words ("Einsatzübung", "Atemalkoholmessungen")."""
    return _COMPOUNDS.split(word) is not None


def common_noun(word: str) -> bool:
    """An ordinary word, a compound of ordinary words or a street ("Adickesallee"): no
    name, though the dictionary may not know it."""
    if known_word(word) or known_word(word.lower()):
        return True
    return word.endswith(STREET_ENDINGS) or compound(word)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(c.isalpha() for c in word)


def _known(word: str) -> bool:
    return known_word(word) or known_word(word.lower())


def _sentence_start(words: list[str], i: int) -> bool:
    return i == 0 or words[i - 1] in _SENTENCE_END


def suffix_of(word: str, rules: ShapeRules) -> str | None:
    """The name suffix word is: "Verlag"; an English one in capitals too ("GROUP")."""
    if word in rules.name_suffixes:
        return word
    title = word.capitalize()
    return title if word.isupper() and title in rules.english_suffixes else None


@lru_cache(maxsize=16_384)
def english_word(word: str) -> bool:
    """A word of simplemma's English dictionary ("Propulsion", "Tactical")."""
    return simplemma.is_known(word.lower(), lang="en")


def _code(word: str) -> bool:
    """ "3S" in "3S Swiss Solar Systems": digits and capitals, no number or count ("30-köpfige", "2.")."""
    return word[:1].isdigit() and word.isalnum() and any(c.isupper() for c in word)


def _english_name_word(word: str) -> bool:
    """A word of an English name: an English word, capitals ("SAM"), "3S", or no German word."""
    if not word.replace("-", "").replace("&", "").isalnum() or word.lower() in STOP_WORDS:
        return False
    return word.isupper() or _code(word) or english_word(word) or not (_known(word) or compound(word))


def name_before_suffix(words: list[str], i: int, rules: ShapeRules, floor: int) -> int | None:
    """Start of "<Name> Verlag", "Mittelbayerischen Zeitung", "Jet Propulsion Laboratory": up to
    three capitalised words before a suffix noun at i; None when there is no name."""
    suffix = suffix_of(words[i], rules)
    if suffix is None:
        return None
    english = suffix in rules.english_suffixes
    start = i
    while (
        start > floor
        and i - start < 3
        and (_capitalised(words[start - 1]) or english and _code(words[start - 1]))
    ):
        word = words[start - 1]
        if word in _NOT_NAME or word.lower() in STOP_WORDS:
            break
        if not (_english_name_word(word) if english else _name_before_suffix(word)):
            break  # "Schließfach der Bank", "Dieser Gruppe", "Einsatzübung Gruppe"
        start -= 1
    first = words[start]
    named_first = first.endswith("er") or (english and english_word(first))  # "Berliner", "Jet"
    if start < i and _sentence_start(words, start) and _known(first) and not named_first:
        start += 1  # "Gestern Verlag …": a sentence's first word is no name
    return start if start < i else None


_ENGLISH_LINKS = ("of", "on", "for")
_ENGLISH_INNER = ("of", "on", "for", "and", "&", "the")


def english_tail(words: list[str], end: int) -> int:
    """End of "… Institute of Technology", "… Council on Security and Development": "of", "on"
    or "for" and up to six capitalised words, linked by "and", "&", "of"."""
    if end + 1 >= len(words) or words[end] not in _ENGLISH_LINKS:
        return end
    k, good = end + 1, end
    while k < len(words) and k - end <= 8:
        word = words[k]
        if _capitalised(word) and _english_name_word(word):
            k += 1
            good = k
        elif word in _ENGLISH_INNER and k + 1 < len(words) and _capitalised(words[k + 1]):
            k += 1
        else:
            break
    return good


def _name_before_suffix(word: str) -> bool:
    """ "Hirzel Verlag", "Süddeutsche Zeitung": a word no dictionary knows, or an adjective;
    not a noun ("Landesstraße Gruppe"), a compound ("Maschinistenübung") or a street."""
    if word.endswith(STREET_ENDINGS):
        return False
    if not word.endswith(_ADJECTIVE_ENDINGS):
        return not _known(word) and not compound(word)
    split = _COMPOUNDS.split(word)
    head = split[1] if split else word  # "Mittel|bayerische": an adjective's compound
    return known_word(head.lower()) or not (_known(word) or split)


def compound_org(word: str, rules: ShapeRules) -> bool:
    """ "Otto-Schott-Gymnasium", "Bild-Zeitung": a name joined to an institution noun."""
    if "-" not in word or not _capitalised(word):
        return False
    if not word.endswith(rules.compound_heads):
        return False
    first = word.split("-", 1)[0]
    return first[:1].isupper() and (not _known(first) or word.count("-") >= 2)  # not "Uni-Klinik"


def acronym(words: list[str], i: int, rules: ShapeRules) -> bool:
    """ "IKB", "ADAC", "NHK": two to four capitals that are no word, unit or code."""
    word = words[i]
    if not _ACRONYM.fullmatch(word) or word in rules.not_acronyms or _ROMAN.fullmatch(word):
        return False
    if _known(word) or _known(word.capitalize()):
        return False
    # a shouted headline or a surname in capitals ("Täter: MÜLLER KARL") is no acronym,
    # nor a code before a number or model ("PMID 17117481", "GTX 4xx", "SGB I")
    after = words[i + 1] if i + 1 < len(words) else ""
    if any(c.isdigit() for c in after) or _ROMAN.fullmatch(after):
        return False
    neighbours = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
    return not any(len(n) >= 3 and n.isupper() and n.isalpha() for n in neighbours)


def name_after(words: list[str], i: int, rules: ShapeRules) -> int:
    """End of the name an acronym starts: "PKN Orlen", "JFE Holdings", "CGX Energy"; the
    capitalised words after it that are no ordinary German word (up to three)."""
    end = i + 1
    while end < len(words) and end - i <= 3 and _capitalised(words[end]) and words[end].isalpha():
        word = words[end]
        if word in _NOT_NAME or (_known(word) and word not in rules.name_suffixes):
            break
        end += 1
    return end


def brand(words: list[str], i: int, rules: ShapeRules) -> str | None:
    """ "bei Porsche", "Apple hat …": a company also sold as a product, only where the
    text speaks of the company (no article or adjective before, no model name after)."""
    name = rules.brands.get(words[i])
    if name is None:
        return None
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if after[:1].isupper() or any(c.isdigit() for c in after):
        return None  # "BMW X5", "Opel Corsa"
    if before in _COMPANY_CONTEXT:
        return name
    if _sentence_start(words, i) and after[:1].islower():
        return name  # "Porsche hat …"; a car has its article: "Der BMW wurde …"
    return None


_NOT_BEFORE_PARTY = set(_WORDS["not_before_party"])


def party(words: list[str], i: int, rules: ShapeRules) -> str | None:
    """ "die Grünen", "der Linken": capitalised mid-sentence, not "im Grünen"."""
    name = rules.party_words.get(words[i])
    if name is None or i == 0 or words[i - 1] in _NOT_BEFORE_PARTY or _sentence_start(words, i):
        return None
    after = words[i + 1] if i + 1 < len(words) else ""
    if after[:1].isupper() and after.isalpha():
        return None  # "Am Grünen Graben", "Zum Grünen Baum": a street, an inn
    return name


def club_end(words: list[str], i: int, rules: ShapeRules, place_ends: dict[int, int]) -> int | None:
    """ "Preußen Münster", "Panathinaikos Athen": a club word and the club's town."""
    if words[i] not in rules.club_words:
        return None
    return place_ends.get(i + 1)


def team_end(words: list[str], i: int, place_end: int) -> int | None:
    """ "Chicago Bulls", "Detroit Red Wings": a city and an English plural."""
    end = place_end
    while end < len(words) and end - place_end < 2 and _capitalised(words[end]) and words[end].isalpha():
        if _known(words[end]):
            return None
        end += 1
    if end == place_end or not words[end - 1].endswith("s") or words[end - 1].endswith("ss"):
        return None
    return end
