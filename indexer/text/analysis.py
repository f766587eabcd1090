"""How text becomes index terms: the one analysis chain for documents and queries.

Tokens are lemmatised with the pipeline's lemmatiser, lower-cased and folded
(ä/ae, ö/oe, ü/ue, ß/ss), German stop words are dropped. When indexing, a
hyphenated name is indexed whole and by its parts ("Trier-Saarburg"), and a
protected place name is indexed as written and as the dictionary lemma.
Queries get only the first form, so "Schillingen" finds the village alone.

Plain Python: the engine wraps these functions as its analyser (indexer/engine/analyzers.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from indexer.text.compounds import CompoundSplitter
from indexer.text.lemmas import fold, shared_lemmatizer
from indexer.text.stop_words import STOP_WORDS

# Bump when the terms a text is indexed under change: every document is then re-analysed.
ANALYSIS_VERSION = "4"
MAX_WORD_LENGTH = 80  # longer tokens (base64, 1 MB garbage) are not indexed
TOKEN_PATTERN = re.compile(r"\w+(?:[-‐]\w+)*")
GERMAN_STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)
SEARCH_CACHE_SIZE = 50_000  # words per cache in a process that only searches (~20 MB for all three)


def query_form(word: str) -> str:
    """The one term a word of a query searches: its folded lemma."""
    return fold(shared_lemmatizer()(word))


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


def indexed_words(text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """Each written word of text as (start, end, the terms it is indexed under): what the engine's
    analyser emits in index mode, stop words aside, without its token objects. The snippet pass
    reads the bodies of every hit on a page word by word (about 20,000 words for ten long
    releases), where Whoosh's three chained generators cost most of a deep page's time."""
    for match in TOKEN_PATTERN.finditer(text):
        word = match.group(0)
        if len(word) <= MAX_WORD_LENGTH:
            yield match.start(), match.end(), index_forms(word)


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


def analyse_query_terms(text: str) -> list[str]:
    """The terms a query string turns into, as the engine's analyser reads a query: each word's
    folded lemma, overlong words and stop words left out (for query reading and explanations)."""
    terms = (query_form(word) for word in TOKEN_PATTERN.findall(text) if len(word) <= MAX_WORD_LENGTH)
    return [term for term in terms if term and term not in GERMAN_STOP_WORDS]
