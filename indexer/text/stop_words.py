"""spaCy's German stop words, read without importing spaCy.

Importing anything under ``spacy`` imports the whole library (~50 MB in every web
worker, which never runs a spaCy pipeline: it only analyses queries). The list is a
plain Python file inside the installed spaCy, so it is read from there: the indexer
and the search analyser keep using exactly the same words.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _spacy_german_stop_words() -> frozenset[str]:
    spec = importlib.util.find_spec("spacy")  # a top-level package is found without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy is not installed")
    path = Path(spec.submodule_search_locations[0]) / "lang" / "de" / "stop_words.py"
    namespace: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # a literal set only
    return frozenset(namespace["STOP_WORDS"])


STOP_WORDS = _spacy_german_stop_words()
