"""The analysis chain (indexer/text/analysis.py) as Whoosh analysers, for the schema's fields.

The index pickles these classes with its schema: moving or renaming them makes an existing
index unreadable, which the build reports as a schema change and rebuilds (indexer/engine/swap.py).
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, StopFilter

from indexer.text import analysis
from indexer.text.analysis import GERMAN_STOP_WORDS, MAX_WORD_LENGTH, TOKEN_PATTERN, query_form
from indexer.text.lemmas import fold


class GermanLemmaFilter(Filter):
    """Replaces each token by its folded lemma (and, when indexing, variants)."""

    # The index pickles its schema: keep the lemmatiser (and its name list) out of it.
    def __getstate__(self):
        return {}

    def __eq__(self, other):
        return isinstance(other, GermanLemmaFilter)

    def __call__(self, tokens):
        index_forms = analysis.index_forms  # looked up per call: a searching process resizes its cache
        for token in tokens:
            word = token.text
            if len(word) > MAX_WORD_LENGTH:
                continue  # a 1 MB "word" is no word; nobody searches for it
            if token.mode != "index":
                token.text = query_form(word)
                yield token
                continue
            for text in index_forms(word):
                token.text = text
                yield token


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
