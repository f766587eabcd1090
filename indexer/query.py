"""From what a user types to a Whoosh query (part of the Whoosh boundary, with index.py).

- Words are analysed like documents (lemma, folding); each also searches its
  synonyms and, for a compound, its parts, at a lower weight.
- A document matching all words ranks above one matching some: the query is
  the OR of an all-words and an any-word reading.
- Quoted phrases, AND/OR/NOT, -word, word*, title:word work; unknown fields
  are dropped; wildcard and fuzzy expansion are bounded; anything the parser
  cannot take is searched as plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import simplemma
from whoosh import qparser, query

from indexer.analysis import analyse_query_terms
from indexer.expansion import alternatives

SEARCH_FIELDS = ("title", "body", "exact")
EXPANDED_FIELDS = {"title", "body"}
MAX_WILDCARD_TERMS = 64
MAX_WILDCARD_SCAN = 5000
MIN_CORRECTED_LENGTH = 5
CORRECTION_WEIGHT = 0.8
MAX_CACHED_CORRECTIONS = 10_000
WORD = re.compile(r"\w+")
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

    def terms(self, field: str) -> set[str]:
        return {text for name, text in self.loose.iter_all_terms() if name == field}


def _parser(schema, group) -> qparser.MultifieldParser:
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=group)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(qparser.FieldsPlugin(remove_unknown=True))
    return parser


class QueryBuilder:
    def __init__(self, schema):
        self._all_words = _parser(schema, qparser.AndGroup)
        self._any_word = _parser(schema, qparser.OrGroup)
        self._corrections: dict[tuple[str, str], str | None] = {}  # per index generation

    def build(self, text: str, reader) -> ParsedQuery | None:
        """The readings of text, or None when nothing searchable is left."""
        text = _COLON_NOT_FIELD.sub(" ", _MINUS_WORD.sub(r"\1NOT ", _CONTROL.sub(" ", text)))
        text = _joined_separable_verbs(text)
        strict, loose = (self._parse(parser, text) for parser in (self._all_words, self._any_word))
        if strict is None or loose is None:
            return None
        return ParsedQuery(
            strict=_corrected(_bounded(_expanded(strict), reader), reader, self._corrections),
            loose=_corrected(_bounded(_expanded(_negations_apply(loose)), reader), reader, self._corrections),
        )

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
        if word.lower() in VERB_PARTICLES or not word.isalpha() or word[:1].isupper():
            continue
        joined = next(
            (p.lower() + word for p in particles if simplemma.is_known(p.lower() + word, lang="de")), None
        )
        if joined:
            text = re.sub(rf"\b{re.escape(word)}\b", f"({word} OR {joined})", text, count=1)
    return text


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


def _corrected(q: query.Query, reader, cache: dict) -> query.Query:
    """A word the index does not know also searches its closest frequent spelling
    ("Rolator" finds Rollator): typo tolerance inside longer queries."""

    def correct(node):
        if not (isinstance(node, query.Term) and node.fieldname in EXPANDED_FIELDS):
            return node
        text = node.text
        if len(text) < MIN_CORRECTED_LENGTH or not text.isalpha():
            return node
        if reader.doc_frequency(node.fieldname, text):
            return node
        key = (node.fieldname, text)
        if key not in cache:
            if len(cache) > MAX_CACHED_CORRECTIONS:
                cache.clear()
            cache[key] = _closest_term(reader, node.fieldname, text)
        if cache[key] is None:
            return node
        return query.Or([node, query.Term(node.fieldname, cache[key], boost=node.boost * CORRECTION_WEIGHT)])

    return q.accept(correct)


def _closest_term(reader, field: str, text: str) -> str | None:
    maxdist = 1 if len(text) < 7 else 2
    candidates = [t for t in reader.terms_within(field, text, maxdist, prefix=1) if t != text]
    if not candidates:
        return None
    return max(candidates, key=lambda t: reader.doc_frequency(field, t))


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
    terms = []
    for number, term in enumerate(node._btexts(reader)):
        if number >= MAX_WILDCARD_SCAN:
            break
        terms.append(term)
    if not terms:
        return query.NullQuery
    if len(terms) > MAX_WILDCARD_TERMS:
        terms.sort(key=lambda t: -reader.doc_frequency(field, t))
        terms = terms[:MAX_WILDCARD_TERMS]
    texts = [t.decode("utf-8") if isinstance(t, bytes) else t for t in terms]
    return query.Or([query.Term(field, t) for t in texts], boost=node.boost)


def suggest_spelling(text: str, searcher) -> str | None:
    """The query with unknown words replaced by the closest frequent word, or None."""
    reader = searcher.reader()
    if "exact" not in reader.schema:
        return None  # an index built before the exact-form field
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        folded = (analyse_query_terms(word) or [word.lower()])[0]
        if len(word) < 4 or word.isdigit() or reader.doc_frequency("exact", folded) > 0:
            return word
        if any(reader.doc_frequency(f, folded) for f in EXPANDED_FIELDS):
            return word
        maxdist = 1 if len(word) < 5 else 2
        candidates = searcher.suggest("exact", word.lower(), limit=8, maxdist=maxdist, prefix=1)
        if not candidates:
            return word
        best = max(candidates, key=lambda c: reader.doc_frequency("exact", c))
        changed = True
        return best

    corrected = WORD.sub(replace, text)
    return corrected if changed else None
