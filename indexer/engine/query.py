"""From what a user types to a Whoosh query (part of the engine, indexer/engine/).

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

from indexer.engine.budget import MAX_CORRECTED_WORDS, MAX_TERMS_PER_EXPANSION, Budget
from indexer.engine.expansion import alternatives
from indexer.text.analysis import GERMAN_STOP_WORDS, analyse_query_terms
from indexer.text.lemmas import fold

SEARCH_FIELDS = ("title", "body", "exact")
EXPANDED_FIELDS = {"title", "body"}
MIN_CORRECTED_LENGTH = 5
CORRECTION_WEIGHT = 0.8
MAX_CACHED_CORRECTIONS = 10_000
WORD = re.compile(r"\w+")
# Letters only and not part of a hyphenated name (Trier-Saarburg) or a boost (^0.8).
PLAIN_WORD = re.compile(r"(?<![\w^-])[^\W\d_]+(?![\w-])")
_NOT_A_PLAIN_WORD_AFTER = frozenset(":*?~^")
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_BINARY_OPERATORS = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})
# Phrases, brackets, whitespace and runs of anything else: the units operators sit between.
_SYNTAX_TOKEN = re.compile(r'"[^"]*"?|[()]|\s+|[^\s()"]+')
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
        with all its variants); a negation comes as ("-", query). See indexer/engine/matching.py."""
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

    def build(
        self, text: str, reader, budget: Budget | None = None, correct: bool = True
    ) -> ParsedQuery | None:
        """The readings of text, or None when nothing searchable is left; expansions stay in budget.
        correct=False searches the words as typed (the corrections are still named, not searched)."""
        budget = budget or Budget()
        original = text
        text = _COLON_NOT_FIELD.sub(" ", _MINUS_WORD.sub(r"\1NOT ", _CONTROL.sub(" ", text)))
        text = _joined_separable_verbs(text)
        corrections = self.corrections(text, reader, budget)
        if correct:
            text = _with_corrections(text, dict(corrections))
        text = _likelier_readings(text, reader)
        strict, loose = (self._parse(parser, text) for parser in (self._all_words, self._any_word))
        if strict is None or loose is None:
            return None
        # The any-word reading first: it decides what is found, so it spends the budget first.
        loose = _bounded(_expanded(_negations_apply(loose)), reader, budget)
        return ParsedQuery(
            strict=_bounded(_expanded(_without_lone_stop_words(strict)), reader, budget),
            loose=loose,
            title_key=title_key(original),
            corrections=corrections,
            typed=original,
        )

    def corrections(self, text: str, reader, budget: Budget | None = None) -> tuple[tuple[str, str], ...]:
        """(word, closest known spelling) of each word the index does not know; only the first
        MAX_CORRECTED_WORDS words long enough to be a typo are looked up, within the budget."""
        if "exact" not in reader.schema:
            return ()  # an index built before the exact-form field
        budget = budget or Budget()
        found: list[tuple[str, str]] = []
        looked_up = 0

        def note(word: str) -> str:
            nonlocal looked_up
            if self._costly(word, reader):
                looked_up += 1
                if looked_up > MAX_CORRECTED_WORDS or budget.skip():
                    return word
            corrected = self._closest_known(word, reader)
            if corrected:
                found.append((word, corrected))
            return word

        _rewrite_words(text, note)  # not "verkehrsunf*": a prefix is no typo
        return tuple(dict.fromkeys(found))

    def _costly(self, word: str, reader) -> bool:
        """Whether looking up word's spelling reads the vocabulary (not cached, not a known form)."""
        if word in self._corrections or len(word) < MIN_CORRECTED_LENGTH or not word.isalpha():
            return False
        return not reader.doc_frequency("exact", fold(word))

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
        """The query as Whoosh reads it once operators without operands are words; failing
        that, its words alone (operator words among them, in lower case: no syntax left)."""
        for attempt in (operators_as_words, words_only):
            try:
                parsed = parser.parse(attempt(text))
            except Exception:  # noqa: BLE001 - Whoosh raises assorted errors on odd syntax
                continue
            if parsed is not None and parsed is not query.NullQuery:
                return parsed
        return None


def operators_as_words(text: str) -> str:
    """text with every operator that lacks its operands written as a word ("Not" is German):
    NOT needs a word (or bracket, phrase) after it, AND/OR/ANDNOT/ANDMAYBE one on each side.
    Whoosh fails on "Kreis NOT OR Konz" and "a ANDNOT ANDNOT b" and reads "NOT NOT" as all."""
    tokens = _SYNTAX_TOKEN.findall(text)
    kinds = [_token_kind(token) for token in tokens]  # "op", "open", "close", "space", "operand"
    solid = [n for n, kind in enumerate(kinds) if kind != "space"]

    def neighbour(position: int, step: int) -> str:
        index = position + step
        return kinds[solid[index]] if 0 <= index < len(solid) else "edge"

    for position, n in enumerate(solid):
        if kinds[n] != "op":
            continue
        after = neighbour(position, 1)
        takes_right = after in ("operand", "open") or (after == "op" and tokens[solid[position + 1]] == "NOT")
        if tokens[n] == "NOT":
            valid = after in ("operand", "open")
        else:
            valid = neighbour(position, -1) in ("operand", "close") and takes_right
        if not valid:
            tokens[n], kinds[n] = tokens[n].lower(), "word"
    return "".join(tokens)


def words_only(text: str) -> str:
    return " ".join(word.lower() if word in OPERATORS else word for word in WORD.findall(text))


def _token_kind(token: str) -> str:
    if token.isspace():
        return "space"
    if token in _BINARY_OPERATORS or token == "NOT":
        return "op"
    if token == "(":
        return "open"
    if token == ")":
        return "close"
    if token.endswith(":"):
        return "field"  # "title: NOT" is no operand before an operator, nor after one
    return "operand"


def _with_corrections(text: str, corrections: dict[str, str]) -> str:
    """A word the index does not know also searches its closest spelling that it does
    know ("Rolator" finds Rollator): typo tolerance inside longer queries."""

    def correct(word: str) -> str:
        corrected = corrections.get(word)
        return f"({word} OR {corrected}^{CORRECTION_WEIGHT})" if corrected else word

    return _rewrite_words(text, correct)


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


def _bounded(q: query.Query, reader, budget: Budget) -> query.Query:
    """Wildcards, ranges and fuzzy terms expand to a bounded number of frequent terms each
    and together (indexer/engine/budget.py); a leading wildcard is searched as the word without it."""

    def bound(node):
        if isinstance(node, query.FuzzyTerm):
            return _bounded_fuzzy(node, reader, budget)
        if isinstance(node, (query.Prefix, query.Wildcard)):
            return _bounded_wildcard(node, reader, budget)
        if isinstance(node, query.TermRange):
            return _bounded_range(node, reader, budget)
        if isinstance(node, query.Every):
            return query.Every()  # "*": every document, not a union of every term's postings
        return node

    return q.accept(bound)


def _expansion(node, budget: Budget, key: tuple, count) -> query.Query:
    """The most frequent terms count() finds for node, as many as the budget grants. Each
    expansion is read once per query, though both readings of the query hold it."""
    if key not in budget.expansions:
        if budget.terms_left <= 0 or budget.expired():
            budget.reduced = True
            budget.expansions[key] = query.NullQuery  # nothing left to spend: not even a scan
        else:
            frequencies = count()
            texts = sorted(frequencies, key=lambda t: (-frequencies[t], t))
            texts = texts[: budget.take_terms([frequencies[t] for t in texts])]
            terms = [query.Term(node.fieldname, t) for t in sorted(texts)]
            budget.expansions[key] = query.Or(terms) if terms else query.NullQuery
    found = budget.expansions[key]
    if found is query.NullQuery:
        return found
    return query.Or(list(found.subqueries), boost=node.boost)


def _bounded_wildcard(node, reader, budget: Budget) -> query.Query:
    field, text = node.fieldname, node.text
    prefix = text if isinstance(node, query.Prefix) else re.split(r"[*?]", text, maxsplit=1)[0]
    if not prefix:  # a leading wildcard would scan the whole vocabulary
        words = WORD.findall(text)
        return query.Term(field, words[0].lower()) if words else query.NullQuery
    pattern = None if isinstance(node, query.Prefix) else re.compile(node._get_pattern()).match
    return _expansion(
        node,
        budget,
        ("wildcard", field, text, isinstance(node, query.Prefix)),
        lambda: _term_frequencies(reader, field, prefix, lambda t: t.startswith(prefix), pattern, budget),
    )


def _bounded_range(node, reader, budget: Budget) -> query.Query:
    """ "{b TO}" once read the postings of every term after b: now the most frequent terms
    of the range (MAX_TERMS_PER_EXPANSION), found in a bounded part of the vocabulary."""
    field = node.fieldname
    if field not in reader.schema or not isinstance(node.start or "", str):
        return query.NullQuery
    start, end = node.start or "", node.end

    def inside(term: str) -> bool:
        return end is None or term < end or (term == end and not node.endexcl)

    def wanted(term: str) -> bool:
        return not (node.startexcl and term == start)

    return _expansion(
        node,
        budget,
        ("range", field, start, end, node.startexcl, node.endexcl),
        lambda: _term_frequencies(reader, field, start, inside, wanted, budget),
    )


def _bounded_fuzzy(node, reader, budget: Budget) -> query.Query:
    """word~N: distance at most 2, the first letter kept, a few fuzzy words per query."""
    key = ("fuzzy", node.fieldname, node.text)
    if key not in budget.expansions and (budget.fuzzy_left <= 0 or budget.expired()):
        budget.reduced = True
        return query.Term(node.fieldname, node.text, boost=node.boost)
    maxdist, prefix = min(node.maxdist, 2), max(node.prefixlength, 1)

    def count() -> Counter:
        budget.fuzzy_left -= 1
        found: Counter = Counter()
        for term in reader.terms_within(node.fieldname, node.text, maxdist, prefix=prefix):
            found[term] = reader.doc_frequency(node.fieldname, term)
            if len(found) >= MAX_TERMS_PER_EXPANSION * 4:
                break
        return found

    return _expansion(node, budget, key, count)


def _term_frequencies(reader, field: str, start: str, inside, wanted, budget: Budget) -> Counter:
    """Document frequency of each term from start on while inside(term), kept when wanted(term)
    (a pattern), as many read per segment as the budget allows (budget.scan_limit). Read segment
    by segment, where each term comes with its statistics: asking an index of many segments for
    each term's frequency afterwards costs a lookup per term and segment (a second for "einsatz*" at
    250,000 documents)."""
    wanted = wanted or (lambda _term: True)
    frequencies: Counter = Counter()
    for segment, _offset in reader.leaf_readers():
        limit, scanned = budget.scan_limit(), 0
        for term, info in segment.iter_field(field, start):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            if scanned >= limit or not inside(term):
                break
            scanned += 1
            if wanted(term):
                frequencies[term] += info.doc_frequency()
        budget.scan_left -= scanned
    return frequencies
