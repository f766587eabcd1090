"""How text becomes index terms: the one analysis chain for documents and queries.

Tokens are lemmatised with the pipeline's lemmatiser, lower-cased and folded
(ä/ae, ö/oe, ü/ue, ß/ss), German stop words are dropped. When indexing, a
hyphenated name is indexed whole and by its parts ("Trier-Saarburg"), and a
protected place name is indexed as written and as the dictionary lemma.
Queries get only the first form, so "Schillingen" finds the village alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, StopFilter

from indexer.nlp.compounds import CompoundSplitter
from indexer.nlp.lemmas import fold, shared_lemmatizer
from indexer.nlp.stop_words import STOP_WORDS

# Bump when the terms a text is indexed under change: every document is then re-analysed.
ANALYSIS_VERSION = "4"
MAX_WORD_LENGTH = 80  # longer tokens (base64, 1 MB garbage) are not indexed
TOKEN_PATTERN = re.compile(r"\w+(?:[-‐]\w+)*")
GERMAN_STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)
SEARCH_CACHE_SIZE = 50_000  # words per cache in a process that only searches (~20 MB for all three)


class GermanLemmaFilter(Filter):
    """Replaces each token by its folded lemma (and, when indexing, variants)."""

    # The index pickles its schema: keep the lemmatiser (and its name list) out of it.
    def __getstate__(self):
        return {}

    def __eq__(self, other):
        return isinstance(other, GermanLemmaFilter)

    def __call__(self, tokens):
        lemmatize = shared_lemmatizer()
        for token in tokens:
            word = token.text
            if len(word) > MAX_WORD_LENGTH:
                continue  # a 1 MB "word" is no word; nobody searches for it
            if token.mode != "index":
                token.text = fold(lemmatize(word))
                yield token
                continue
            for text in index_forms(word):
                token.text = text
                yield token


@lru_cache(maxsize=300_000)
def index_forms(word: str) -> tuple[str, ...]:
    """Every term a word is indexed under, its folded lemma first."""
    lemmatize = shared_lemmatizer()
    lemma = lemmatize(word)
    forms = [fold(lemma)]
    parts = [p for p in re.split(r"[-‐]", word) if p] if ("-" in word or "‐" in word) else []
    forms += [fold(lemmatize(part)) for part in parts]
    if word in lemmatize.protected:
        forms.append(fold(lemmatize.dictionary_lemma(word)))  # "Schillingen" also as schilling
    else:
        splitter = compound_splitter()
        for base in [lemma, *(lemmatize(part) for part in parts)]:
            forms += splitter.parts(base)
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def compound_splitter() -> CompoundSplitter:
    return CompoundSplitter()


def configure_for_searching() -> None:
    """For a process that only searches (the web workers): caches sized for queries and the
    snippets of a few hits instead of whole corpora. At the indexer's sizes they would grow
    by up to ~150 MB per worker over time, one entry per distinct word met in snippets."""
    global index_forms
    shared_lemmatizer().cache_limit = SEARCH_CACHE_SIZE
    compound_splitter().limit_caches(SEARCH_CACHE_SIZE)
    if index_forms.cache_info().maxsize != SEARCH_CACHE_SIZE:
        index_forms = lru_cache(maxsize=SEARCH_CACHE_SIZE)(index_forms.__wrapped__)


@lru_cache(maxsize=1)
def german_analyzer():
    """The analyser of the title and body fields (and so of their queries)."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | GermanLemmaFilter()
        | StopFilter(stoplist=GERMAN_STOP_WORDS, minsize=1, renumber=False)
    )


class FoldFilter(Filter):
    """Lower case with ä/ae, ö/oe, ü/ue, ß/ss folded; no lemmatisation."""

    def __call__(self, tokens):
        for token in tokens:
            if len(token.text) <= MAX_WORD_LENGTH:
                token.text = fold(token.text)
                yield token


@lru_cache(maxsize=1)
def surface_analyzer():
    """The analyser of the exact-form field: words as written, folded."""
    return RegexTokenizer(TOKEN_PATTERN) | FoldFilter()


def analyse_query_terms(text: str) -> list[str]:
    """The terms a query string turns into (for tests and explanations)."""
    return [token.text for token in german_analyzer()(text, mode="query")]
