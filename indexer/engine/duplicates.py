"""Telling duplicates and near-duplicates apart.

The same release published twice (same body, or same address) is indexed
once. A follow-up report that repeats most of the first ("Erstmeldung …") is
a separate announcement; the document page links the two.
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+")
SHINGLE = 5  # words per shingle
NEAR_DUPLICATE = 0.5  # share of the shorter text's shingles found in the other


def body_fingerprint(body: str) -> str:
    """Equal for bodies that differ only in case, spacing and punctuation."""
    words = _WORD.findall(body.lower())
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i : i + SHINGLE])) for i in range(max(len(words) - SHINGLE + 1, 1))}


def containment(a: str, b: str) -> float:
    """How much of the shorter text the longer one repeats (0 to 1)."""
    first, second = shingles(a), shingles(b)
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


def is_near_duplicate(a: str, b: str) -> bool:
    return containment(a, b) >= NEAR_DUPLICATE
