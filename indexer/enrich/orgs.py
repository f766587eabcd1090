"""Find organisations by rule: curated names, authority + place, legal forms.

Used when no statistical model is installed, and beside the model's ORG
entities when one is. Every organisation gets one canonical name, so that
"Johanniter", "JUH" and "Johanniter-Unfall-Hilfe" are one facet value.
"""

from __future__ import annotations

import re
from collections import defaultdict

from indexer.enrich import org_shapes
from indexer.enrich.org_rules import OrgMention, OrgRules
from indexer.enrich.org_shapes import common_noun, compound
from indexer.enrich.places import BIG_CITY, LEVEL_PREFIXES, PlaceMention, known_word
from indexer.enrich.streets import STREET_ENDINGS
from indexer.enrich.word_lists import ORG_WORDS_FILE, read_word_lists
from indexer.text.stop_words import STOP_WORDS

_WORDS = read_word_lists(ORG_WORDS_FILE)  # the small word lists of the rules below, described there
_OF = set(_WORDS["of_words"])
_NAME_CONNECTORS = set(_WORDS["name_connectors"])
_NOT_NAME_START = set(_WORDS["not_name_start"])
_VOLUNTEER = set(_WORDS["volunteer"])
_BRIGADE_STARTS = {*_VOLUNTEER, "FF"}
_MAX_NAME_TOKENS = 6
_START_WORDS_LIMIT = 200_000  # words whose test is remembered (about 20 MB)


_ORDINAL = re.compile(r"\d{1,2}\.")
_GLUED = re.compile(r"[a-zäöüß]{3}[A-ZÄÖÜ]")  # "KronshagenProfessional": words run together
_SIGNATURE = set(_WORDS["signature"])
_PRECINCT_NOUNS = set(_WORDS["precinct_nouns"])
_POLICE_UNIT_SHORT = dict(_WORDS["police_unit_short"])
POLICE_PUBLISHERS = frozenset(_WORDS["police_publishers"])
_REGION_WORDS = frozenset(_WORDS["region_words"])
_CREDIT_WORDS = frozenset(_WORDS["credit_words"])
_AGENCIES = frozenset(_WORDS["news_agencies"])
_DESCRIPTORS = tuple(_WORDS["descriptor_heads"])
_COMPANY_WORDS = tuple(_WORDS["company_words"])
_ORG_HEADS = tuple(_WORDS["org_compound_heads"])
_PLATFORMS = frozenset(_WORDS["platforms"])
_UNIT_HEADS = tuple(_WORDS["unit_heads"])
_COORDINATED_HEADS = tuple(_WORDS["coordinated_heads"])
_ADJECTIVE_NAME_HEADS = tuple(_WORDS["adjective_name_heads"])
_NAME_ADJECTIVE_ENDINGS = tuple(
    f"{stem}{ending}" for stem in ("isch", "deutsch", "Deutsch") for ending in ("e", "en", "er", "es", "em")
)
_LEVEL_PARTS = frozenset(_WORDS["level_parts"])
_PLACE_PREFIXES = ("St.", "Sankt", "Bad")  # "St. Imier", "Bad Ragaz": a name of two tokens
_CREDIT_REACH = 40  # tokens back to the start of a credit line
LAND_ADJECTIVES = dict(_WORDS["land_adjectives"])
_ADJECTIVE_ENDINGS = ("", "e", "en", "er", "es", "em")
_AND = ("und", "sowie")
_ELLIPTIC_LEVELS = ("municipality", "district", "state", "world")  # not a Berlin Bezirk: police has none
LEGAL_FORM_TAIL = re.compile(r"(e\. V\.|GmbH|AG|KG|SE|eG|mbH|Inc\.|Ltd\.?|KGaA|Oyj)$")
_STATE_NOUNS = ("Landes", "Freistaates", "Freistaats", "Bundes")
_LEVEL_STEMS = ("Landes", "Bundes")  # a compound of the level and an institution names one body
_MAX_INSTITUTION_TOKENS = 16  # "für Klimaschutz, Umwelt, Energie, Mobilität, Innovation und Technologie"
_ITEM_SEPARATORS = (",", "und")
_ITEM_ARTICLES = ("die", "den", "das")  # "für die Sicherheit der nuklearen Entsorgung"
_GENITIVE_ARTICLES = ("der", "des")
_ADJECTIVE_AFTER = frozenset(("für", *_ITEM_SEPARATORS, *_ITEM_ARTICLES, *_GENITIVE_ARTICLES))
_MASCULINE = (  # fmt: skip
    "verband",
    "verein",
    "rat",
    "bund",
    "dienst",
    "kongress",
    "senat",
    "gerichtshof",
    "hof",
    "rundfunk",
)
_NEUTER = ("ium", "amt", "institut", "museum", "klinikum", "haus", "spital", "werk", "zentrum", "programm")


def _nominative(adjective: str, noun: str) -> str:
    """ "Bayerischen" before "Staatsministerium": "Bayerisches"; before "Universität": "Bayerische"."""
    stem = adjective
    for ending in ("en", "em", "er", "es", "e"):
        if adjective.endswith(ending):
            stem = adjective[: -len(ending)]
            break
    lower = noun.lower()
    return stem + ("er" if lower.endswith(_MASCULINE) else "es" if lower.endswith(_NEUTER) else "e")


_NUMBERED_UNIT = re.compile(r"(\d{1,2})\. (\S+)|(\S+) (\d{1,3})")


def _land_adjective_forms() -> dict[str, str]:
    """Every written form of the Länder's adjectives: "bayrischen", "Nordrhein-Westfälische"."""
    forms = {}
    for stem, land in LAND_ADJECTIVES.items():
        for ending in _ADJECTIVE_ENDINGS:
            word = stem + ending
            capitalised = "-".join(part.capitalize() for part in word.split("-"))
            for form in (word, word[:1].upper() + word[1:], capitalised):
                forms[form] = land
    return forms


def _named_after_descriptor(words: list[str], i: int, place_at: dict) -> OrgMention | None:
    """ "Rockband Fold Zandura", "Bankhaus Credito Emiliano": the name after a kind of body,
    up to four capitalised words, at least one no dictionary word; not the kind itself."""
    end = i + 1
    unknown = False
    while end < len(words) and end - i <= 4:
        word = words[end]
        if (
            not (word[:1].isupper() or word[:1].isdigit())
            or word in _NOT_NAME_START
            or word.lower() in STOP_WORDS
        ):
            break
        if known_word(word.lower()) or (known_word(word) and end == i + 1 and not word.isupper()):
            break  # "die Band Anfang Mai", "das Unternehmen Amazon" but not "der Verein Jugend"
        unknown = unknown or not known_word(word)
        end += 1
    if end == i + 1 or not unknown or not words[end - 1][-1:].isalnum() or not words[i + 1][:1].isalpha():
        return None  # "Band 6, 2006": a volume, "Bundesligisten 1. FC Nürnberg": the club's own rule
    if any(k in place_at for k in range(i + 1, end)):
        return None  # "Musikverein Wenns": a place, no name of its own
    short = len(words[i + 1]) < 3 and not (
        words[i + 1].isupper() and words[i + 1].isalpha()
    )  # "ZF" is a name
    if end == i + 2 and (short or common_noun(words[i + 1])):
        return None  # "Unternehmen Ladeerhaltungen": a compound of ordinary words
    return OrgMention(i + 1, end, " ".join(words[i + 1 : end]))


def _inner_adjective(word: str, after: str) -> bool:
    """ "wirtschaftliche" in "für wirtschaftliche Zusammenarbeit": a lower-case adjective before a
    noun inside a name; not a conjunction ("sowie") or other short function word."""
    return (
        len(word) >= 6
        and word.isalpha()
        and word.islower()
        and word.endswith(("e", "en", "er", "es"))
        and word not in STOP_WORDS
        and word not in _NAME_CONNECTORS
        and after[:1].isupper()
    )


def _adjective_may_follow(word: str) -> bool:
    """An adjective inside a name follows "für", a separator, an article or another adjective;
    a lower-case word right after a noun is the sentence's verb ("… Entwicklung fehlen Mittel")."""
    return word in _ADJECTIVE_AFTER or (word.islower() and word.endswith(("e", "en", "er", "es")))


def _adjective_opens(words: list[str], k: int) -> bool:
    """An item of a "für" complement starts at k with lower-case adjectives: "nukleare
    Sicherheit", "europäische und internationale Angelegenheiten"."""
    return k < len(words) and (
        _inner_adjective(words[k], words[k + 1] if k + 1 < len(words) else "") or _adjective_pair(words, k)
    )


def _adjective_pair(words: list[str], k: int) -> bool:
    """ "europäische und internationale Angelegenheiten": two adjectives joined by "und"
    before a noun, inside a name."""
    return (
        k + 3 < len(words)
        and words[k + 1] == "und"
        and _inner_adjective(words[k], "X")
        and _inner_adjective(words[k + 2], words[k + 3])
    )


def _genitive_adjective(word: str) -> bool:
    """ "Deutscher", "Norddeutscher", "Evangelischer": a capitalised adjective in the genitive
    plural that starts the rest of a name; not a place's demonym ("Berliner")."""
    return (
        word.endswith("er")
        and word[:1].isupper()
        and word.isalpha()
        and (known_word(word.lower()) or word.endswith("ischer") or word.endswith("deutscher"))
        and word.lower() not in STOP_WORDS
    )


def _dateline_at(words: list[str], i: int) -> bool:
    """An agency in a dateline: "( ots )", "( AP )", "dpa -" or "AP :" at a line's start."""
    before = words[i - 1] if i > 0 else "\n"
    after = words[i + 1] if i + 1 < len(words) else ""
    return (before == "(" and after == ")") or (
        ("\n" in before or not before.strip()) and after in ("-", "–", ":")
    )


_ABBREVIATION = re.compile(r"[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,7}")


def _with_abbreviations(words: list[str], found: list[OrgMention]) -> list[OrgMention]:
    """ "Bundesamt für Gesundheit ( BAG )": the abbreviation in brackets after a name is the
    same body, an ORG span with the name's value."""
    taken = {m.start for m in found}
    added = []
    for mention in found:
        k = mention.end
        if k + 2 < len(words) and words[k] == "(" and words[k + 2] == ")" and k + 1 not in taken:
            word = words[k + 1]
            if _ABBREVIATION.fullmatch(word) and sum(c.isupper() for c in word) >= 2 and mention.named:
                added.append(OrgMention(k + 1, k + 2, mention.name, facet=mention.facet))
    return sorted(found + added, key=lambda m: m.start) if added else found


def _in_credit_line(words: list[str], i: int) -> bool:
    """A credit starts the line of token i: "© dpa", "Foto: Polizei", "Aus: … Verlag"."""
    for k in range(i - 1, max(-1, i - _CREDIT_REACH), -1):
        word = words[k]
        if "\n" in word:
            return False
        if word in _CREDIT_WORDS and (word == "©" or (k + 1 < len(words) and words[k + 1] == ":")):
            return k == 0 or "\n" in words[k - 1] or not words[k - 1].strip()
    return False


def _number_after(words: list[str], i: int) -> bool:
    return i + 1 < len(words) and words[i + 1].isdigit() and len(words[i + 1]) <= 3


def _unknown_name_after(words: list[str], i: int) -> str | None:
    """A capitalised word after the noun that is no ordinary word: a place's name.
    Not a letter ("Kriminalpolizei K 24"), a pronoun ("Dieser"), a common noun, a street,
    nor a person's first name before the surname ("Stadtrat Edwin Schwarz")."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if not nxt[:1].isupper() or nxt in _NOT_NAME_START or not nxt.isalpha() or _GLUED.search(nxt):
        return None
    if len(nxt) < 2 or nxt.lower() in STOP_WORDS or common_noun(nxt):
        return None
    if _surname_at(words, i + 2) and not _surname_at(words, i + 3):
        return None  # "Stadtrat Edwin Schwarz", but "Feuerwehr Eisolzried Michael Mayr" names a place
    return nxt


def plural_of(word: str, noun: str) -> bool:
    """ "Ordnungsämter", "Feuerwehren", "Rettungsdienste", "Polizeipräsidien": many bodies of a
    kind, no organisation (the genitive "Ordnungsamtes" is one)."""
    if word == noun:
        return False
    stem = noun[:-3] + "ämt" if noun.endswith("amt") else noun
    if word.startswith(stem) and word[len(stem) :] in ("er", "ern"):
        return True
    if noun.endswith("ium"):
        return word == noun[:-2] + "en"
    if noun.endswith("e"):
        return word == noun + "n"  # "Leitstellen", "Volkshochschulen": bodies in -e are feminine
    return word in (noun + "en", noun + "n", noun + "e")


def plural_forms(noun: str) -> set[str]:
    """The plurals a body's noun may take: "Spitäler", "Schulen", "Ämter", "Polizeipräsidien"."""
    if noun.endswith("ium"):
        return {noun[:-2] + "en"}
    umlaut = noun
    for vowel, mutated in (("au", "äu"), ("a", "ä"), ("o", "ö"), ("u", "ü")):
        k = noun.rfind(vowel)
        if k >= 0 and k >= len(noun) - 4:
            umlaut = noun[:k] + mutated + noun[k + len(vowel) :]
            break
    forms = {noun + "en", noun + "n", noun + "e", umlaut + "er", umlaut + "e"}
    return {form for form in forms if plural_of(form, noun) or form.startswith(umlaut)} - {noun}


def _genitive_stem(word: str, heads: tuple[str, ...]) -> str | None:
    """The nominative of a compound with one of heads, also from its genitive:
    "Weltkongresses" -> "Weltkongress", "Maximilianmuseums" -> "Maximilianmuseum". Not a
    level of the directory ("Verwaltungsverband Holzgerlingen" is a place)."""
    if word in LEVEL_PREFIXES:
        return None
    lower = word.lower()
    stems = (lower, lower[:-1] if lower.endswith("s") else "", lower[:-2] if lower.endswith("es") else "")
    for stem in stems:
        # one C-level test first: this runs for every word of the corpus that ends in "s"
        if stem and stem.endswith(heads):
            for head in heads:
                if stem.endswith(head) and len(stem) > len(head) + 2:
                    return word[: len(stem)]
    return None


def _surname_at(words: list[str], i: int) -> bool:
    """A capitalised word after a name that is no noun: the surname of "Edwin Schwarz"."""
    word = words[i] if i < len(words) else ""
    if not (word[:1].isupper() and word.isalpha() and len(word) > 1) or word.lower() in STOP_WORDS:
        return False
    if word.endswith(STREET_ENDINGS):
        return False
    noun = known_word(word) and not known_word(word.lower())  # "Straßenmeisterei", "Rettung"
    return not noun and not compound(word)


def _place_name(place: PlaceMention) -> str:
    return place.resolved.name if place.resolved else place.label


def _is_common_noun(word: str) -> bool:
    return word in _NAME_CONNECTORS or known_word(word)


def _is_name_token(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or "-" in word


class _NounLemmas:
    """Lemmas where the rules need them: of words that may be a body's noun, inflected
    ("Polizeipräsidiums"); any other word stands for itself. Reading a lemma costs."""

    def __init__(self, words: list[str], lemmas, nouns: frozenset[str], candidates: list[int]):
        self.words = words
        self.known = {}
        for i in candidates:
            word = words[i]
            if word[:-1] in nouns or word[:-2] in nouns or word.endswith("ämter"):
                self.known[i] = lemmas[i]
            if i + 1 < len(words) and words[i + 1][:3] in ("Rev", "Pol"):  # "6. Reviers"
                self.known[i + 1] = lemmas[i + 1]

    def __getitem__(self, i: int) -> str:
        return self.known.get(i) or self.words[i]


class OrgMatcher:
    def __init__(self, rules: OrgRules | None = None, shapes: org_shapes.ShapeRules | None = None):
        self.rules = rules or OrgRules.load()
        self.shapes = shapes or org_shapes.ShapeRules.load()
        self._legal_forms: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for form in self.rules.legal_forms:  # longest first, as in the rules
            self._legal_forms[form[0]].append(form)
        # Most words start no organisation. A word is looked at only if a name, legal form or
        # pattern can start with it, or its lemma is a body's noun ("Polizeipräsidiums").
        shapes = self.shapes
        self._starts = frozenset(
            [*self.rules.aliases, *self._legal_forms, *self.rules.club_prefixes, *shapes.club_words,
             *shapes.name_suffixes, *shapes.party_words, *shapes.brands, *_VOLUNTEER, "FF", "Firma", "Fa.",
             *_AGENCIES]
        )  # fmt: skip
        self._start_lemmas = frozenset(
            [*self.rules.authority_nouns, *self.rules.generic, *self.rules.institution_nouns,
             *_POLICE_UNIT_SHORT, *_PRECINCT_NOUNS]
        )  # fmt: skip
        self._lower_starts = frozenset(word for word in self._starts if word.islower())  # "e.", "mbH"
        self._start_words: dict[str, bool] = {}  # word -> _may_start(word): most words recur
        self._shape_starts = frozenset(
            [*shapes.club_words, *shapes.name_suffixes, *shapes.party_words, *shapes.brands]
        )
        self.lands = frozenset(LAND_ADJECTIVES.values())
        self._land_adjectives = _land_adjective_forms()
        self._land_names: dict[str, str] = {  # "Landeskriminalamt Hessen" -> "Hessisches Landeskriminalamt"
            f"{short} {land}": self._land_body_name(short, land)
            for short in self.rules.land_bodies
            for land in self.lands
        }
        self._one_per_land = frozenset([*self._land_names.values(), *self.rules.land_bodies])
        # "Maximilianmuseum", "Grundschule": a compound whose head is an institution noun
        self._institution_heads = tuple(
            sorted(
                {
                    noun.lower()
                    for noun in self.rules.institution_nouns
                    if not noun.lower().endswith(_UNIT_HEADS)
                }
            )
        )
        # "die Spitäler Burgdorf, Langnau und Moutier": a body's plural before a list of places
        bodies = {*self.rules.authority_nouns, *self.rules.institution_nouns} - {*_UNIT_HEADS}
        self._plural_bodies = {
            plural: noun for noun in sorted(bodies) if " " not in noun for plural in plural_forms(noun)
        }

    def _land_body_name(self, short: str, land: str) -> str:
        """The Land's own name of a body: `official`, else a listed organisation named with the
        Land's adjective ("Hessische Landesregierung"), else "<short> <Land>"."""
        body = self.rules.land_bodies[short]
        if land in body.official:
            return body.official[land]
        canonical = {name for entries in self.rules.aliases.values() for _tokens, name in entries}
        for stem, adjective_land in LAND_ADJECTIVES.items():
            if adjective_land == land:
                adjective = "-".join(part.capitalize() for part in stem.split("-"))
                for ending in ("e", "es", "er"):
                    if f"{adjective}{ending} {short}" in canonical:
                        return f"{adjective}{ending} {short}"
        return f"{short} {land}"

    def publisher_land(self, publisher: str, places: tuple = ()) -> str:
        """The Land whose bodies a publisher's bare short forms name: the rest of its name when
        that is a Land ("Polizei Berlin"), else, for the police, the state of its place
        ("Polizeipräsidium Frankfurt am Main": Hessen); "" when neither decides."""
        head, _, rest = publisher.partition(" ")
        if rest in self.lands:
            return rest
        if head in POLICE_PUBLISHERS:
            states = {place.state for place in places if place.state}
            return states.pop() if len(states) == 1 else ""
        return ""

    @staticmethod
    def publisher_town(publisher: str, places: tuple = ()) -> str:
        """The town of a police publisher ("Polizeipräsidium Frankfurt am Main"): completes its
        numbered units. "" for other publishers and where the place is no single municipality."""
        towns = [place.name for place in places if place.level == "municipality"]
        return towns[0] if publisher.partition(" ")[0] in POLICE_PUBLISHERS and len(towns) == 1 else ""

    def complete_for_publisher(self, name: str, land: str = "", town: str = "") -> str:
        """A bare name the publisher decides, completed: a Land-level body with the publisher's
        Land ("Landeskriminalamt" of the Polizei Berlin), a numbered unit with its town
        ("1. Polizeirevier" of the Polizeipräsidium Frankfurt am Main); else the name itself."""
        body = self.rules.land_bodies.get(name)
        if body is not None and body.publisher and land:
            return self._land_names[f"{name} {land}"]
        match = _NUMBERED_UNIT.fullmatch(name) if town else None
        if match:
            number, unit = (match[1], match[2]) if match[1] else (match[4], match[3])
            if unit in self.rules.numbered_units:
                return f"{number}. {unit} {town}"
        return name

    def _land_forms(self, words: list[str], found: list[OrgMention]) -> None:
        """ "der bayrischen Polizei" -> "Polizei Bayern"; "Landeskriminalamt Hessen" -> the
        Land's own name. One value per Land-level body (`land_body` in organisations.toml)."""
        floor = 0
        for mention in found:
            land = self._land_adjectives.get(words[mention.start - 1]) if mention.start > floor else None
            if land and mention.name in self.rules.land_bodies:
                mention.start -= 1
                mention.name = self._land_names[f"{mention.name} {land}"]
                mention.named = True
            elif mention.name in self._land_names:
                mention.name = self._land_names[mention.name]
            floor = mention.end

    def resolve_short_forms(
        self, mentions: list[OrgMention], publisher: str = "", land: str = "", town: str = ""
    ) -> None:
        """One value per body: a bare short form ("Kreistag", "Landeskriminalamt") becomes the
        body the publisher owns, else its Land's (land: `publisher_land`) or a numbered unit
        its town's (town: `publisher_town`), else the one body of that kind the document names;
        otherwise it stays generic. Changes the mentions' names."""
        rules = self.rules
        head, _, rest = publisher.partition(" ")
        own = rules.publisher_bodies.get(head, frozenset()) if rest else frozenset()
        full = {m.name for m in mentions if m.facet and " " in m.name}
        for mention in mentions:
            name = mention.name
            if name in own:
                mention.name = f"{name} {rest}"  # "Kreistag" of "Kreisverwaltung Trier-Saarburg"
                continue
            completed = self.complete_for_publisher(name, land, town) if land or town else name
            if completed != name:
                mention.name = completed  # "Landeskriminalamt" of the Polizei Berlin
                continue
            if name not in rules.resolvable and not (name.startswith(_LEVEL_STEMS) and " " not in name):
                continue  # "Landesfeuerwehrschule" beside "Landesfeuerwehrschule Tirol" is that body
            named = {value for value in full if name in value.split()}
            if len(named) == 1:
                mention.name = named.pop()  # "Landeskriminalamt" beside "Hessisches Landeskriminalamt"

    def _candidates(self, words: list[str], lemmas, place_at: dict, cased: list[int] | None) -> list[int]:
        """Where an organisation may start: a name's, legal form's or pattern's first word, a
        place, or a word that may start one by itself (see _may_start), asked once per word."""
        known, may_start = self._start_words, self._may_start
        indices = range(len(words)) if cased is None else cased
        found = []
        for i in indices:
            word = words[i]
            hit = known.get(word)
            if hit is None:
                hit = known[word] = may_start(word)
            if hit:
                found.append(i)
        if len(known) > _START_WORDS_LIMIT:
            known.clear()  # a corpus's vocabulary grows without end; the common words come back
        lower, nouns = self._lower_starts, self._start_lemmas
        found += [i for i, w in enumerate(words) if w in lower]  # "e. V.", "mbH"
        found = sorted({*found, *place_at})
        return [i for i in found if not words[i].endswith("ämter") or lemmas[i] in nouns]  # "Jugendämter"

    def _may_start(self, w: str) -> bool:
        """A word an organisation may start at: a listed first word, capitals, a hyphen, a
        number, or a body's noun, inflected too ("Polizeipräsidiums"). Not a lower-case word."""
        heads, nouns = self._institution_heads, self._start_lemmas
        return not w.islower() and (
            w in self._starts
            or w[:1].isdigit()
            or w[:1].isupper()
            and (
                w.isupper()
                or "-" in w
                or w.endswith(_DESCRIPTORS)
                or w.endswith(heads)
                or w.endswith(_NAME_ADJECTIVE_ENDINGS)
                or w in self._plural_bodies
                or w in nouns
                or w[:-1] in nouns
                or w[:-2] in nouns
                or w.endswith("ämter")
                or w.endswith("s")  # "Maximilianmuseums": a genitive
                and _genitive_stem(w, heads) is not None
            )
        )

    def find(
        self, words: list[str], lemmas, places: list[PlaceMention], cased: list[int] | None = None
    ) -> list[OrgMention]:
        """Organisations in words; cased (optional) lists the words that are not lower case."""
        place_at = {m.start: m for m in places}
        place_ends = {m.start: m.end for m in places if not m.derived}  # per call: nothing kept on self
        found: list[OrgMention] = []
        next_free = 0  # the end of the last match
        candidates = self._candidates(words, lemmas, place_at, cased)
        lemmas = _NounLemmas(words, lemmas, self._start_lemmas, candidates)
        for i in candidates:
            if i < next_free:
                continue
            listed = self._distributive_at(words, i, place_at) if words[i] in self._plural_bodies else []
            if listed:
                found.extend(listed)  # one body per place of the list
                next_free = listed[-1].end
                continue
            legal_form = self._legal_form_length(words, i)
            if legal_form:
                mention = self._name_before_legal_form(words, i, legal_form, found)
            else:
                mention = self._rules_at(words, lemmas, i, (place_at, place_ends), found)
            if mention is None:
                next_free = i + legal_form
                continue
            found = [m for m in found if m.end <= mention.start]  # a legal form may extend back
            found.append(mention)
            next_free = mention.end
        found = self._elliptic(words, found, place_at)
        self._land_forms(words, found)
        found = _with_abbreviations(words, found)
        for mention in found:
            if mention.facet and _in_credit_line(words, mention.start):
                mention.facet = False  # "© dpa | Kay Nietfeld"
        return found

    def _canonical(self, name: str) -> str:
        tokens = tuple(name.split())
        for alias, canonical in self.rules.aliases.get(tokens[0], ()):
            if alias == tokens:
                return canonical
        return name

    def _elliptic(self, words: list[str], found: list[OrgMention], place_at: dict) -> list[OrgMention]:
        """Elliptic coordination gives each body the place: "Polizei und Staatsanwaltschaft
        Berlin" is "Polizei Berlin" and "Staatsanwaltschaft Berlin"; "der Polizei Berlin,
        Brandenburg und Sachsen-Anhalt" names three Land police forces (Länder only)."""
        added = []
        for before, after in zip(found, found[1:], strict=False):
            place = place_at.get(after.end - 1) or self._place_ending(place_at, after)
            if (
                place is not None
                and (place.resolved is None or place.resolved.level in _ELLIPTIC_LEVELS)
                and before.end - before.start == 1
                and after.start == before.end + 1
                and words[before.end] in _AND
                and before.name == words[before.start]  # a bare noun, not "Polizei Wülfrath"
            ):
                before.name = self._canonical(f"{before.name} {_place_name(place)}")
                before.named = True
        taken = {i for m in found for i in range(m.start, m.end)}
        for mention in found:
            place = self._place_ending(place_at, mention)
            land = _place_name(place) if place is not None else ""
            if land not in self.lands or not mention.name.endswith(f" {land}"):
                continue
            noun = mention.name[: -len(land)].strip()
            end = mention.end
            while end + 1 < len(words) and words[end] in (",", *_AND):
                nxt = place_at.get(end + 1)
                if nxt is None or nxt.derived or _place_name(nxt) not in self.lands:
                    break
                if any(i in taken for i in range(nxt.start, nxt.end)):
                    break
                added.append(OrgMention(nxt.start, nxt.end, self._canonical(f"{noun} {_place_name(nxt)}")))
                last, end = words[end] in _AND, nxt.end
                if last:
                    break
        return sorted(found + added, key=lambda m: m.start) if added else found

    @staticmethod
    def _place_ending(place_at: dict, mention: OrgMention) -> PlaceMention | None:
        """The place a body's name ends with ("Staatsanwaltschaft Berlin": Berlin)."""
        for start in range(mention.start + 1, mention.end):
            place = place_at.get(start)
            if place is not None and place.end == mention.end and not place.derived:
                return place
        return None

    def _rules_at(
        self, words: list[str], lemmas, i: int, places: tuple[dict, dict[int, int]], found: list[OrgMention]
    ) -> OrgMention | None:
        """The rules in order of precedence; each only where its first word can occur
        (cheap set tests, because this runs for every capitalised word). places: the document's
        place mentions by first token, and the ends of those not derived."""
        place_at, place_ends = places
        word, lemma, rules = words[i], lemmas[i], self.rules
        if word in _AGENCIES and _dateline_at(words, i):
            return OrgMention(i, i + 1, word, facet=False)  # "Berlin ( ots )", "( AP )"
        alias = self._alias_at(words, i) if word in rules.aliases else None
        if alias is not None and alias.name not in self._one_per_land:
            self._local_branch(
                alias, words, place_at
            )  # "Rotes Kreuz Imst", not "… Landeskriminalamt München"
        if word.endswith("-"):
            coordinated = self._coordinated_name_at(words, i, place_at)
            if coordinated is not None:
                return coordinated  # "Gesundheits-, Sozial- und Integrationsdirektion"
        if word.endswith(_NAME_ADJECTIVE_ENDINGS):
            named = self._adjective_name_at(words, i)
            nxt = i + 1
            if named is not None and (
                lemmas[nxt] in rules.institution_nouns or _genitive_stem(words[nxt], self._institution_heads)
            ):  # "Bayerisches Landesamt für Umwelt": the institution's rule reads more
                institution = self._institution_at(words, lemmas, nxt, place_at)
                named = named if institution is None else None
            if named is not None:
                return named  # "Jüdischer Weltkongress"
        authority = None
        if lemma in self._start_lemmas or i in place_at or word[:1].isdigit() or word in _BRIGADE_STARTS:
            authority = self._authority_at(words, lemmas, i, place_at)
        return (
            self._longer(alias, authority)
            or (self._firm_at(words, i) if word in ("Firma", "Fa.") else None)
            or (
                self._institution_at(words, lemmas, i, place_at)
                if lemma in rules.institution_nouns
                or (i not in place_at and _genitive_stem(word, self._institution_heads))
                else None
            )
            or (self._club_at(words, i) if word in rules.club_prefixes else None)
            or self._shape_at(words, i, places, found)
            or (self._generic_at(lemmas, i) if lemma in rules.generic else None)
            or (
                _named_after_descriptor(words, i, place_at)
                if word.endswith(_DESCRIPTORS)
                and words[i + 1 : i + 2]
                and self._alias_at(words, i + 1) is None
                and words[i + 1] not in rules.club_prefixes
                else None  # the known name's own rule where it matches ("Unternehmen Mainova"), not "… ZF"
            )
        )

    @staticmethod
    def _longer(alias: OrgMention | None, rule: OrgMention | None) -> OrgMention | None:
        """The curated name, unless a rule reads more: "Kriminalpolizei Weinheim"."""
        if alias is None or (rule is not None and rule.end > alias.end):
            return rule
        return alias

    @staticmethod
    def _firm_at(words: list[str], i: int) -> OrgMention | None:
        """ "Firma Heinrich Karstens Bauunternehmung": the name after "Firma", without it."""
        if words[i] not in ("Firma", "Fa.") or i + 1 >= len(words):
            return None
        end = i + 1
        while end < len(words) and end - i <= _MAX_NAME_TOKENS and _is_name_token(words[end]):
            if words[end] in _NOT_NAME_START or (end > i + 1 and words[end] in _NAME_CONNECTORS):
                break
            end += 1
        if end == i + 1:
            return None
        return OrgMention(i + 1, end, " ".join(words[i + 1 : end]))

    @staticmethod
    def _local_branch(mention: OrgMention, words: list[str], place_at: dict) -> None:
        """A known body and a place right after it is its local branch: "Rotes Kreuz Imst",
        "Caritas Ahlen" -> "<canonical> <place>"; not where the name holds a place or a legal form."""
        place = place_at.get(mention.end)
        if place is None or place.derived or not mention.facet:
            return
        if any(start in place_at for start in range(mention.start, mention.end)):
            return  # "Polizei Berlin", "Stadtwerke Trier"
        if LEGAL_FORM_TAIL.search(mention.name):
            return
        mention.end = place.end
        mention.name = f"{mention.name} {_place_name(place)}"

    def _alias_at(self, words: list[str], i: int) -> OrgMention | None:
        for tokens, canonical in self.rules.aliases.get(words[i], ()):
            if tuple(words[i : i + len(tokens)]) == tokens:
                end = i + len(tokens)
                unit = len(tokens) == 1 and end < len(words) and words[end] not in self.rules.aliases
                if unit and org_shapes.acronym(words, end, self.shapes):
                    return OrgMention(i, end + 1, f"{words[i]} {words[end]}")  # "Fraunhofer IAO"
                end += self._legal_form_length(words, end)
                medium = tokens == (canonical,) and canonical in _PLATFORMS  # "auf Twitter"
                return OrgMention(i, end, canonical, facet=not medium)
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
        previous = len(found)
        while True:
            start = self._walk_back_name(words, start, i, floor)
            before = found[previous - 1] if previous else None
            if start != floor or before is None or before.end != start or not before.named:
                break
            # the legal form belongs to the name just found: "Caritasverband Trier e. V."
            previous -= 1
            start = found[previous].start
            floor = found[previous - 1].end if previous else 0
        while start < i and words[start] in _NAME_CONNECTORS:
            start += 1
        if start == i and i > floor and words[i - 1].isalpha() and not _is_common_noun(words[i - 1].title()):
            start -= 1  # a lower-case brand name: "inexio GmbH", not "die AG"
        if start == i:
            return None
        if i - start == 1 and start > 0 and words[start - 1].islower() and _is_common_noun(words[start]):
            return None  # "für mehr Sicherheit e. V.": the name starts further back, in lower case
        name_tokens = words[start:i] + [" ".join(words[i : i + length])]
        name = " ".join(name_tokens).replace("e.V.", "e. V.").replace("e. V", "e. V.").replace("V..", "V.")
        if name.endswith(("GmbH.", "mbH.")):
            name = name.rstrip(".")  # "GmbH." at the end of a sentence; not "Inc.", "N.V.", "e. V."
        return OrgMention(start, i + length, name)

    @staticmethod
    def _walk_back_name(words: list[str], start: int, i: int, floor: int) -> int:
        """Start of the name words before a legal form at i, no further back than floor."""
        while start > floor and i - start < _MAX_NAME_TOKENS:
            word = words[start - 1]
            if word.endswith(_COMPANY_WORDS) and start < i:
                break  # "Formenbau-Unternehmen Läpple AG": the kind of body is no part of its name
            if (
                _is_name_token(word)
                and word not in _NOT_NAME_START
                or word in _NAME_CONNECTORS
                and start - 2 >= floor
                and _is_name_token(words[start - 2])
                and not (word in _OF and _is_common_noun(words[start - 2]))  # "Vorstand der Hays AG"
            ):
                start -= 1
            else:
                break
        return start

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
            nxt = words[i + 1] if i + 1 < len(words) else ""
            plural = not nxt.endswith(("werke", "betriebe")) and plural_of(nxt, lemmas[i + 1])  # "Stadtwerke"
            if nxt[:1].isupper() and nxt.lower().endswith(_ORG_HEADS) and not plural:
                return OrgMention(start, i + 2, f"{words[i]} {nxt}")  # "Hamburger Mieterverein"
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
        if derived is not None and derived.derived:  # "Wülfrather Polizei": no proper name
            if plural_of(words[i], noun):
                return None  # "Pitztaler Feuerwehren", "Berliner Polizeidirektionen": several bodies
            return OrgMention(start, i + 1, f"{noun} {_place_name(derived)}", named=False)
        if noun == "Feuerwehr":
            brigade = self._fire_brigade_at(words, i, place_at)
            if brigade is not None and i > 0 and words[i - 1].capitalize() in _SIGNATURE:  # "eure"
                brigade.named = brigade.facet = False  # the publisher's signature, not an actor
            return brigade
        if _number_after(words, i) and noun not in self.rules.generic:  # not "Polizei 500 Euro"
            return OrgMention(start, i + 2, f"{noun} {words[i + 1]}")  # "Polizeidirektion 3"
        place = place_at.get(i + 1)
        if place is not None and not place.derived:
            return OrgMention(start, place.end, f"{noun} {_place_name(place)}")
        name = _unknown_name_after(words, i)
        if name:
            return OrgMention(start, i + 2, f"{noun} {name}")  # "Polizei Wenns"
        if i + 1 < len(words) and words[i + 1] in _REGION_WORDS and noun not in self.rules.generic:
            return OrgMention(start, i + 2, f"{noun} {words[i + 1]}")  # "Polizeidirektion Ost"
        if noun in self.rules.generic and not plural_of(words[i], noun):
            return OrgMention(start, i + 1, noun, named=False)
        return None

    def _fire_brigade_at(
        self, words: list[str], i: int, place_at: dict[int, PlaceMention]
    ) -> OrgMention | None:
        """ "Freiwillige Feuerwehr X", "FF X", "Feuerwehr X": the volunteer brigade of X,
        unless X is a city with a professional one ("Feuerwehr Frankfurt am Main")."""
        start = i
        if words[i] in _VOLUNTEER:
            if i + 1 >= len(words) or words[i + 1] not in ("Feuerwehr", "Feuerwehren"):
                return None  # "Freiwillige Atemalkoholmessungen"
            i += 1
        place = place_at.get(i + 1)
        if place is not None and not place.derived:
            name, end = _place_name(place), place.end
            big = place.resolved is not None and place.resolved.population >= BIG_CITY
        else:
            name, end, big = _unknown_name_after(words, i), i + 2, False
        if name:
            return OrgMention(start, end, f"Feuerwehr {name}" if big else f"Freiwillige Feuerwehr {name}")
        if words[start] == "FF" or words[i] not in ("Feuerwehr", "Feuerwehren"):
            return None  # "FF" alone, "die Freiwilligen"
        if plural_of(words[i], "Feuerwehr"):
            return None  # "die Feuerwehren": a kind of body, not one
        return OrgMention(start, i + 1, "Feuerwehr", named=False)

    def _institution_at(
        self, words: list[str], lemmas: list[str], i: int, place_at: dict[int, PlaceMention]
    ) -> OrgMention | None:
        """ "Universität Trier", "Bundesamt für Gesundheit", "Universität des Saarlandes",
        "Bayerisches Staatsministerium für Unterricht und Kultus", "Ministerium für
        Landwirtschaft, Umwelt und Klimaschutz des Landes Brandenburg"."""
        head = (
            lemmas[i]
            if lemmas[i] in self.rules.institution_nouns
            else _genitive_stem(words[i], self._institution_heads)
        )
        if head is None:
            return None
        start = i
        adjective = words[i - 1] if i > 0 else ""
        if self._name_adjective(adjective):
            start, head = i - 1, f"{_nominative(adjective, head)} {head}"  # "Bayerischen Staatsministerium"
        place = place_at.get(i + 1)
        if place is not None and not place.derived:
            level = place.resolved.level if place.resolved else ""
            if level == "verband" and head.endswith("verband"):
                return None  # "Verwaltungsverband GVV Holzgerlingen": the directory's own name
            return OrgMention(start, place.end, f"{head} {_place_name(place)}")
        listed = lemmas[i] in self.rules.institution_nouns  # not a compound ("Kreisfeuerwehrverband")
        if listed and i + 2 < len(words) and _genitive_adjective(words[i + 1]) and words[i + 2][:1].isupper():
            end = i + 3 if words[i + 2].isalpha() and not _genitive_adjective(words[i + 2]) else i
            if end > i:  # "Verband Deutscher Ingenieure", "Verbandes Norddeutscher Frauenvereine"
                return OrgMention(start, end, " ".join([head, *words[i + 1 : end]]))
        if (
            i + 2 < len(words)
            and words[i + 1] in _OF
            and words[i + 2] not in _NOT_NAME_START
            and lemmas[i + 2] not in self._start_lemmas  # "Krankenhaus der Kriminalpolizei"
        ):
            end = self._institution_name_end(words, lemmas, i + 2, place_at)
            if end > i + 2:
                return OrgMention(start, end, " ".join([head, *words[i + 1 : end]]).replace(" , ", ", "))
        if not listed and start == i and head.startswith(_LEVEL_STEMS) and head[:1].isupper():
            if adjective[:1].isupper() and adjective.endswith(_NAME_ADJECTIVE_ENDINGS):  # "Österreichischen"
                return OrgMention(i - 1, i + 1, f"{_nominative(adjective, head)} {head}")
            return OrgMention(i, i + 1, head)  # "Landesfeuerwehrschule": the one body of its level
        return None

    def _name_adjective(self, word: str) -> bool:
        """A capitalised adjective that belongs to an institution's name: "Bayerischen",
        "Technische", "Jüdischer"; not an article or pronoun ("Die", "Seine")."""
        if not (
            word[:1].isupper()
            and word.replace("-", "").isalpha()
            and word.endswith(("e", "en", "er", "es", "em"))
        ):
            return False
        if word.lower() in STOP_WORDS or word in _NOT_NAME_START:
            return False
        return word in self._land_adjectives or (known_word(word.lower()) and not known_word(word))

    def _institution_name_end(self, words: list[str], lemmas, j: int, place_at: dict) -> int:
        """End of the name after "für"/"der"/"des" at j: capitalised words, joined by "und",
        "-" or a comma list that "und" closes, and "des Landes <Land>". After "für" an item of
        the list may start with lower-case adjectives ("für Umwelt, Naturschutz, nukleare
        Sicherheit und Verbraucherschutz", "für europäische und internationale Angelegenheiten")
        or an article with a genitive ("für die Sicherheit der nuklearen Entsorgung"), and
        ", für"/"und für" adds a complement ("des Innern, für Sicherheit und Heimatschutz")."""
        end = good = j
        pending = False  # after a comma: a list, only if "und" closes it
        complement = words[j - 1] == "für"  # adjectives and articles only in a "für" complement
        article = False  # the current item started with an article: a genitive may follow
        while end < len(words) and end - j < _MAX_INSTITUTION_TOKENS:
            word = words[end]
            after = words[end + 1] if end + 1 < len(words) else ""
            if _is_name_token(word) and word not in _NOT_NAME_START and word not in _OF:
                end += 1
                good = good if pending else end
            elif word in _ITEM_SEPARATORS and after == "für" and end + 2 < len(words):
                pending, complement, article = word == ",", True, False
                end += 2  # ", für Sicherheit und Heimatschutz"
            elif word in ("und", "-", ",") and (
                _is_name_token(after)
                and lemmas[end + 1] not in self._start_lemmas
                or complement
                and word != "-"
                and self._adjective_item(words, lemmas, end + 1)
            ):
                pending = word == ","
                article = False
                end += 1
            elif complement and _inner_adjective(word, after) and _adjective_may_follow(words[end - 1]):
                end += 1  # "für wirtschaftliche Zusammenarbeit", not "… Entwicklung fehlen Mittel"
            elif complement and _adjective_pair(words, end):
                end += 2  # "für europäische und internationale Angelegenheiten"
            elif end == j and complement and word in _ITEM_ARTICLES and self._noun_opens(words, end + 1):
                article = True
                end += 1  # "für die Sicherheit"
            elif article and word in _GENITIVE_ARTICLES and self._noun_opens(words, end + 1):
                end += 1  # "… der nuklearen Entsorgung"
            else:
                break
        if good + 2 < len(words) and words[good] == "des" and words[good + 1] in _STATE_NOUNS:
            place = place_at.get(good + 2)
            if place is not None and not place.derived:
                good = place.end  # "… des Landes Brandenburg"
        return good

    def _adjective_item(self, words: list[str], lemmas, k: int) -> bool:
        """An item of a "für" complement that starts with adjectives at k ("nukleare
        Sicherheit"); its noun names no body ("…, zuständige Behörden und Gerichte": a list)."""
        if not _adjective_opens(words, k):
            return False
        noun = k + 3 if _adjective_pair(words, k) else k + 1
        return noun < len(words) and lemmas[noun] not in self._start_lemmas

    def _noun_opens(self, words: list[str], k: int) -> bool:
        """After an article inside a name: an adjective before a noun, or a capitalised word
        that is no body of its own ("für die Polizei" joins no name)."""
        word = words[k] if k < len(words) else ""
        return _adjective_opens(words, k) or (
            _is_name_token(word) and word not in _NOT_NAME_START and word not in self._start_lemmas
        )

    def _club_at(self, words: list[str], i: int) -> OrgMention | None:
        """ "FC Bayern München", "TSV 1860 München": a club prefix and its name."""
        if words[i] not in self.rules.club_prefixes:
            return None
        if words[i] == "1." and (i + 1 >= len(words) or words[i + 1] not in self.rules.club_prefixes):
            return None  # "1. FC Köln", not "1. Juli"
        end = i + 2 if words[i] == "1." else i + 1
        while end < len(words) and end - i <= 3 and (words[end][:1].isupper() or words[end].isdigit()):
            if words[end] in _NOT_NAME_START or words[end].lower() in STOP_WORDS:
                break  # "ESV Lok Zwickau In Marienthal …"
            end += 1
        if end - i < 2 or not any(w[:1].isupper() for w in words[i + 1 : end]):
            return None
        return OrgMention(i, end, " ".join(words[i:end]))

    def _shape_at(
        self, words: list[str], i: int, places: tuple[dict, dict[int, int]], found: list[OrgMention]
    ) -> OrgMention | None:
        """Names known by their shape (see org_shapes): suffix nouns, clubs, teams, parties,
        brands, acronyms. Brands and acronyms are guesses: ORG spans, not facet values."""
        place_at, place_ends = places
        shapes, word = self.shapes, words[i]
        if word not in self._shape_starts and "-" not in word and not word.isupper() and i not in place_at:
            return None  # no shape can start here (a cheap test first)
        place = place_at.get(i)
        if place is not None and not place.derived and place.resolved is not None:
            big = place.resolved.level == "world" or place.resolved.population >= BIG_CITY
            end = org_shapes.team_end(words, i, place.end) if big else None
            if end:
                return OrgMention(i, end, " ".join(words[i:end]))
        end = org_shapes.club_end(words, i, shapes, place_ends)
        if end:
            return OrgMention(i, end, " ".join(words[i:end]))
        floor = found[-1].end if found else 0
        start = org_shapes.name_before_suffix(words, i, shapes, floor)
        suffix = org_shapes.suffix_of(word, shapes)
        if start is None and suffix in shapes.english_suffixes and found and floor == i and found[-1].named:
            start = found[-1].start  # "TÜV NORD GROUP": the known name and its English suffix
        if start is not None:
            after = place_at.get(i + 1)
            end = after.end if after is not None and not after.derived else i + 1  # "Verlag Halle"
            if suffix in shapes.english_suffixes:
                end = org_shapes.english_tail(words, i + 1)  # "Institute of Technology"
            return OrgMention(start, end, " ".join(words[start:end]))
        if org_shapes.compound_org(words[i], shapes):
            return OrgMention(i, i + 1, words[i])
        name = org_shapes.party(words, i, shapes)
        if name:
            return OrgMention(i, i + 1, name)
        name = org_shapes.brand(words, i, shapes)
        if name:
            return OrgMention(i, i + 1, name, facet=False)
        if org_shapes.acronym(words, i, shapes) and i not in place_at:
            end = org_shapes.name_after(words, i, shapes)
            return OrgMention(i, end, " ".join(words[i:end]), facet=False)
        return None

    def _generic_at(self, lemmas: list[str], i: int) -> OrgMention | None:
        if lemmas[i] in self.rules.generic and not plural_of(lemmas.words[i], lemmas[i]):
            return OrgMention(i, i + 1, lemmas[i], named=False)
        return None

    def _list_item(self, words: list[str], j: int, place_at: dict) -> tuple[int, str] | None:
        """A place in a list after a body's plural: one of the directory, else a name no
        dictionary knows ("Langnau", "St. Imier"). Its end and name."""
        place = place_at.get(j)
        if place is not None:
            return (place.end, _place_name(place)) if not place.derived else None
        k = j + 1 if j < len(words) and words[j] in _PLACE_PREFIXES else j
        name = _unknown_name_after(words, k - 1) if k < len(words) else None
        return (k + 1, " ".join(words[j : k + 1])) if name else None

    def _distributive_at(self, words: list[str], i: int, place_at: dict) -> list[OrgMention]:
        """ "die Spitäler Burgdorf, Langnau und Moutier", "Amtsgerichte Trier und Bitburg": a body's
        plural and a list of places that "und" closes name one body per place."""
        noun, items, j = self._plural_bodies[words[i]], [], i + 1
        while j < len(words):
            item = self._list_item(words, j, place_at)
            if item is None:
                return []
            items.append((j, *item))
            j = item[0]
            separator = words[j] if j < len(words) else ""
            if separator in _AND:
                last = self._list_item(words, j + 1, place_at)
                if last is None:
                    return []
                items.append((j + 1, *last))
                break
            if separator != ",":
                return []
            j += 1
        if len(items) < 2:
            return []
        mentions = []
        for start, end, name in items:
            if noun == "Feuerwehr":
                place = place_at.get(start)
                big = (
                    place is not None and place.resolved is not None and place.resolved.population >= BIG_CITY
                )
                value = f"Feuerwehr {name}" if big else f"Freiwillige Feuerwehr {name}"
            else:
                value = self._canonical(f"{noun} {name}")
            mentions.append(OrgMention(start, end, value))
        return mentions

    def _coordinated_name_at(self, words: list[str], i: int, place_at: dict) -> OrgMention | None:
        """ "Gesundheits-, Sozial- und Integrationsdirektion", "Bau- und Umweltamt Trier": truncated
        parts, "und", and a compound whose head names a body (`coordinated_heads`); the place after."""
        j = i
        while (
            j < len(words) and words[j].endswith("-") and words[j][:1].isupper() and words[j][:-1].isalpha()
        ):
            j += 1
            if j < len(words) and words[j] == ",":
                j += 1
        if j == i or j + 1 >= len(words) or words[j] not in _AND:
            return None
        if any(words[k] in _LEVEL_PARTS for k in range(i, j)):
            return None  # "Landes- und Kreisfeuerwehrverband": bodies of two levels, not one
        head = words[j + 1]
        if not (head[:1].isupper() and head.isalpha() and head.lower().endswith(_COORDINATED_HEADS)):
            return None
        end = j + 2
        name = " ".join(words[i:end]).replace(" ,", ",")
        place = place_at.get(end)
        if place is not None and not place.derived:
            name, end = f"{name} {_place_name(place)}", place.end
        return OrgMention(i, end, name)

    def _adjective_name_at(self, words: list[str], i: int) -> OrgMention | None:
        """ "Jüdischer Weltkongress", "des Österreichischen Nationalrates", "Deutscher Alpenverein": an
        adjective in -isch or "deutsch" and a compound with a body's head, in the nominative."""
        adjective = words[i]
        if i + 1 >= len(words) or not adjective[:1].isupper() or adjective.lower() in STOP_WORDS:
            return None
        if not adjective.replace("-", "").isalpha():
            return None
        if not (known_word(adjective.lower()) or adjective in self._land_adjectives):
            return None  # "Baden-Württembergischem": the dictionary lacks the Länder's compounds
        noun = _genitive_stem(words[i + 1], _ADJECTIVE_NAME_HEADS) if words[i + 1][:1].isupper() else None
        if noun is None or not words[i + 1].isalpha():
            return None
        return OrgMention(i, i + 2, f"{_nominative(adjective, noun)} {noun}")
