"""From what a user types to a Whoosh query (part of the Whoosh boundary, with index.py).

- Words are analysed like documents (lemma, folding); each also searches its
  synonyms and, for a compound, its parts, at a lower weight.
- A document matching more words ranks above one matching fewer: the query is
  read as all words (each one a tier of the ranking) and as any word (what is found).
- Lower-case words take their more frequent reading in the index ("brand" is
  Brand, not branden); unknown words also search their nearest known spelling.
- Quoted phrases, AND/OR/NOT, -word, word*, title:word work; unknown fields
  are dropped; wildcard and fuzzy expansion are bounded; anything the parser
  cannot take is searched as plain words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import simplemma
from whoosh import qparser, query

from indexer.analysis import GERMAN_STOP_WORDS, analyse_query_terms
from indexer.expansion import alternatives
from indexer.nlp.lemmas import fold

SEARCH_FIELDS = ("title", "body", "exact")
EXPANDED_FIELDS = {"title", "body"}
MAX_WILDCARD_TERMS = 64
MAX_WILDCARD_SCAN = 5000
MIN_CORRECTED_LENGTH = 5
CORRECTION_WEIGHT = 0.8
MAX_CACHED_CORRECTIONS = 10_000
WORD = re.compile(r"\w+")
# Letters only and not part of a hyphenated name (Trier-Saarburg) or a boost (^0.8).
PLAIN_WORD = re.compile(r"(?<![\w^-])[^\W\d_]+(?![\w-])")
_NOT_A_PLAIN_WORD_AFTER = frozenset(":*?~^")
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# "-Haushalt" at the start of a word excludes it; a hyphen inside "POL-F" or "Bergen-Enkheim" does not.
_MINUS_WORD = re.compile(r"(^|\s)-(?=[\w\"(])")
# Separable verb particles: "zündet … an" is anzünden, "weicht … aus" is ausweichen.
VERB_PARTICLES = ("an", "aus", "ab", "auf", "ein", "fest", "vor", "zu", "mit", "weg", "nach", "los", "zurück")
# "Sindlingen: Unfall" is a headline, not a field search ("title:Unfall" has no space).
_COLON_NOT_FIELD = re.compile(r":(?=\s|$)")


@dataclass(frozen=True)
class ParsedQuery:
    """A query read two ways: documents matching all words rank before those matching some."""

    strict: query.Query  # every word (or its alternatives) must match
    loose: query.Query  # any word may match; this reading decides what is found
    title_key: str = ""  # the query as title_key() reads it: an equal title ranks first
    # (word as typed, closest known spelling as the index holds it) for words that found nothing
    corrections: tuple[tuple[str, str], ...] = ()
    typed: str = ""  # the query as typed

    def terms(self, field: str) -> set[str]:
        return {text for name, text in self.loose.iter_all_terms() if name == field}

    def words(self) -> list[tuple[str, query.Query]]:
        """The words every document of the result must match, each as (word as typed, its query
        with all its variants); a negation comes as ("-", query). See indexer/matching.py."""
        units = self.strict.subqueries if isinstance(self.strict, query.And) else [self.strict]
        typed = {}
        for word in reversed(WORD.findall(self.typed)):  # the first spelling wins
            typed.update(dict.fromkeys((fold(word), *analyse_query_terms(word)[:1]), word))
        return [(_label(unit, typed), unit) for unit in units]


def _parser(schema, group) -> qparser.MultifieldParser:
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=group)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(qparser.FieldsPlugin(remove_unknown=True))
    return parser


class QueryBuilder:
    def __init__(self, schema):
        self._all_words = _parser(schema, qparser.AndGroup)
        self._any_word = _parser(schema, qparser.OrGroup)
        self._corrections: dict[str, str | None] = {}  # per index generation

    def build(self, text: str, reader, correct: bool = True) -> ParsedQuery | None:
        """The readings of text, or None when nothing searchable is left. correct=False searches
        the words as typed (the corrections are still named in the result, not searched)."""
        original = text
        text = _COLON_NOT_FIELD.sub(" ", _MINUS_WORD.sub(r"\1NOT ", _CONTROL.sub(" ", text)))
        text = _joined_separable_verbs(text)
        corrections = self.corrections(text, reader)
        if correct:
            text = self._with_corrections(text, reader)
        text = _likelier_readings(text, reader)
        strict, loose = (self._parse(parser, text) for parser in (self._all_words, self._any_word))
        if strict is None or loose is None:
            return None
        return ParsedQuery(
            strict=_bounded(_expanded(_without_lone_stop_words(strict)), reader),
            loose=_bounded(_expanded(_negations_apply(loose)), reader),
            title_key=title_key(original),
            corrections=corrections,
            typed=original,
        )

    def corrections(self, text: str, reader) -> tuple[tuple[str, str], ...]:
        """(word, closest known spelling) of each word the index does not know."""
        if "exact" not in reader.schema:
            return ()  # an index built before the exact-form field
        found: list[tuple[str, str]] = []

        def note(word: str) -> str:
            corrected = self._closest_known(word, reader)
            if corrected:
                found.append((word, corrected))
            return word

        _rewrite_words(text, note)
        return tuple(dict.fromkeys(found))

    def _with_corrections(self, text: str, reader) -> str:
        """A word the index does not know also searches its closest spelling that it does
        know ("Rolator" finds Rollator): typo tolerance inside longer queries."""

        def correct(word: str) -> str:
            corrected = self._closest_known(word, reader)
            return f"({word} OR {corrected}^{CORRECTION_WEIGHT})" if corrected else word

        return _rewrite_words(text, correct)

    def _closest_known(self, word: str, reader) -> str | None:
        """closest_known_word, cached: the search and its "Meinten Sie" ask for the same words,
        and looking through the vocabulary takes 0.1-0.3 s."""
        if word not in self._corrections:
            if len(self._corrections) > MAX_CACHED_CORRECTIONS:
                self._corrections.clear()
            self._corrections[word] = closest_known_word(word, reader)
        return self._corrections[word]

    @staticmethod
    def _parse(parser, text: str) -> query.Query | None:
        try:
            parsed = parser.parse(text)
        except Exception:  # noqa: BLE001 - Whoosh raises assorted errors on odd syntax
            parsed = None
        if parsed is None or parsed is query.NullQuery:
            words = " ".join(WORD.findall(text))
            parsed = parser.parse(words) if words else None
        if parsed is None or parsed is query.NullQuery:
            return None
        return parsed


def _label(unit: query.Query, typed: dict[str, str]) -> str:
    """A required word as the user typed it: its exact-form term maps back to the typed word."""
    if isinstance(unit, query.Not):
        return "-"
    leaves = list(unit.leaves())
    phrases = sorted(
        (leaf for leaf in leaves if isinstance(leaf, query.Phrase)), key=lambda p: p.fieldname != "exact"
    )
    if phrases:
        phrase = phrases[0]
        return "„" + " ".join(typed.get(fold(w), w) for w in phrase.words) + "“"
    terms = [(leaf.fieldname, leaf.text) for leaf in leaves if isinstance(leaf, query.Term)]
    exact = [text for name, text in terms if name == "exact"]
    return next(
        (typed[text] for text in exact if text in typed), (exact or [t for _n, t in terms] or ["?"])[0]
    )


def _is_word(word: str) -> bool:
    return simplemma.is_known(word, lang="de")


def _joined_separable_verbs(text: str) -> str:
    """ "kind zündet turnmatte an" also searches anzünden: the verb becomes (zündet OR anzündet)."""
    if '"' in text:
        return text  # a phrase is searched as written
    words = WORD.findall(text)
    particles = [w for w in words if w.lower() in VERB_PARTICLES]
    if not particles:
        return text
    for word in words:
        if word.lower() in VERB_PARTICLES or not word.isalpha() or word[:1].isupper() or _stop_word(word):
            continue
        joined = next(
            (p.lower() + word for p in particles if simplemma.is_known(p.lower() + word, lang="de")), None
        )
        if joined:
            text = re.sub(rf"\b{re.escape(word)}\b", f"({word} OR {joined})", text, count=1)
    return text


def _stop_word(word: str) -> bool:
    """ "bei" in "Flucht vor Polizei … bei" is no verb stem: "vor … bei" is not vorbei."""
    return fold(word) in GERMAN_STOP_WORDS


def _negations_apply(q: query.Query) -> query.Query:
    """In the any-word reading, "a NOT b" must still exclude b, not match all but b."""
    if not isinstance(q, query.Or):
        return q
    negated = [sub for sub in q.subqueries if isinstance(sub, query.Not)]
    if not negated:
        return q
    positive = [sub for sub in q.subqueries if not isinstance(sub, query.Not)]
    if not positive:
        return q
    kept = positive[0] if len(positive) == 1 else query.Or(positive)
    return query.AndNot(kept, query.Or([sub.query for sub in negated]))


def _expanded(q: query.Query) -> query.Query:
    def expand(node):
        if isinstance(node, query.Term) and node.fieldname in EXPANDED_FIELDS:
            options = [node]
            for alternative in alternatives(node.text):
                terms = [query.Term(node.fieldname, t) for t in alternative.terms]
                option = terms[0] if len(terms) == 1 else query.And(terms)
                option.boost = node.boost * alternative.weight
                options.append(option)
            return query.Or(options) if len(options) > 1 else node
        return node

    return q.accept(expand)


def title_key(text: str) -> str:
    """Words only, folded: "Festnahme nach Raub auf Spätkauf" as typed or as a title."""
    return " ".join(WORD.findall(fold(text)))


def _rewrite_words(text: str, replace) -> str:
    """text with each plain word outside quoted phrases passed through replace; operators,
    field names ("title:"), prefixes ("poliz*") and boosts are left as typed."""

    def one(match: re.Match) -> str:
        word, after = match.group(0), match.string[match.end() : match.end() + 1]
        return word if word in OPERATORS or after in _NOT_A_PLAIN_WORD_AFTER else replace(word)

    pieces = re.split(r'("[^"]*"?)', text)  # odd pieces are phrases, searched as written
    return "".join(piece if n % 2 else PLAIN_WORD.sub(one, piece) for n, piece in enumerate(pieces))


def _likelier_readings(text: str, reader) -> str:
    """People type nouns in lower case, and "brand" alone reads as the verb branden. A
    lower-case word whose capitalised reading (Brand) is the more frequent term in the index
    is searched that way; "sucht" stays the verb suchen, which the index holds far more often."""

    def reading(word: str) -> str:
        if not word[:1].islower():
            return word
        capitalised = word[:1].upper() + word[1:]
        as_typed, as_noun = analyse_query_terms(word), analyse_query_terms(capitalised)
        if not as_typed or not as_noun or as_typed == as_noun:
            return word
        frequency = reader.doc_frequency
        return capitalised if frequency("body", as_noun[0]) > frequency("body", as_typed[0]) else word

    return _rewrite_words(text, reading)


def _without_lone_stop_words(q: query.Query) -> query.Query:
    """ "zündet … an": the particle is a stop word in title and body, so only the exact-form
    field would still demand it. A word no lemma field searches is not required (it still
    adds to the score of documents that have it)."""

    def drop(node):
        if isinstance(node, query.Term) and node.fieldname == "exact" and node.text in GERMAN_STOP_WORDS:
            return query.NullQuery
        return node

    pruned = q.accept(drop).normalize()
    return q if pruned is query.NullQuery else pruned


def closest_known_word(word: str, reader) -> str | None:
    """The closest spelling of an unknown word that the index holds, or None when the word
    (as written, as lemma, or as the parts of a compound) is known or nothing is close."""
    folded = fold(word)
    if len(word) < MIN_CORRECTED_LENGTH or not word.isalpha() or reader.doc_frequency("exact", folded):
        return None
    lemmas = analyse_query_terms(word)
    if not lemmas or _known(lemmas[0], reader):
        return None
    if any(all(_known(t, reader) for t in option.terms) for option in alternatives(lemmas[0])):
        return None  # "Fahrradwurf": Fahrrad and Wurf are known, the compound is just rare
    # Nearest first, then the most frequent: "bussart" is Bussard (1 edit), not Busfahrt (2).
    for distance in (1, 2) if len(folded) >= 7 else (1,):
        candidates = [t for t in reader.terms_within("exact", folded, distance, prefix=1) if t != folded]
        if candidates:
            return max(candidates, key=lambda t: (reader.doc_frequency("exact", t), t))
    return None


def _known(term: str, reader) -> bool:
    return any(reader.doc_frequency(field, term) for field in EXPANDED_FIELDS)


def _bounded(q: query.Query, reader) -> query.Query:
    """Wildcards expand to at most MAX_WILDCARD_TERMS frequent terms; a leading
    wildcard is searched as the word without it; fuzzy distance stays small."""

    def bound(node):
        if isinstance(node, query.FuzzyTerm):
            node.maxdist = min(node.maxdist, 2)
            node.prefixlength = max(node.prefixlength, 1)
            return node
        if isinstance(node, (query.Prefix, query.Wildcard)):
            return _bounded_wildcard(node, reader)
        if isinstance(node, query.Every):
            return query.Every()  # "*": every document, not a union of every term's postings
        return node

    return q.accept(bound)


def _bounded_wildcard(node, reader) -> query.Query:
    field, text = node.fieldname, node.text
    prefix = text if isinstance(node, query.Prefix) else re.split(r"[*?]", text, maxsplit=1)[0]
    if not prefix:  # a leading wildcard would scan the whole vocabulary
        words = WORD.findall(text)
        return query.Term(field, words[0].lower()) if words else query.NullQuery
    frequencies = _prefix_frequencies(reader, field, prefix, node)
    if not frequencies:
        return query.NullQuery
    texts = sorted(frequencies)
    if len(texts) > MAX_WILDCARD_TERMS:
        texts = sorted(texts, key=lambda t: -frequencies[t])[:MAX_WILDCARD_TERMS]
    return query.Or([query.Term(field, t) for t in texts], boost=node.boost)


def _prefix_frequencies(reader, field: str, prefix: str, node) -> Counter:
    """Document frequency of each term a wildcard matches (at most MAX_WILDCARD_SCAN per segment).
    Read segment by segment, where each term comes with its statistics: asking an index of many
    segments for each term's frequency afterwards costs a lookup per term and segment (a second
    for "einsatz*" at 250,000 documents)."""
    pattern = None if isinstance(node, query.Prefix) else re.compile(node._get_pattern())
    frequencies: Counter = Counter()
    for segment, _offset in reader.leaf_readers():
        matched = 0
        for term, info in segment.iter_prefix(field, prefix):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            if pattern is None or pattern.match(term):
                frequencies[term] += info.doc_frequency()
                matched += 1
                if matched >= MAX_WILDCARD_SCAN:
                    break
    return frequencies
