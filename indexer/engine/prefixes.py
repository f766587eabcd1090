"""Word-prefix tables over many labels (entity names, titles): the suggestions' lookup.

A table holds every word start of every label, sorted by the folded label from there on; a
prefix is found by bisection. Strings are kept in flat UTF-8 buffers with integer offsets
(~10 MB for 37,000 titles where lists of Python strings took ~50 MB in every worker); the rows
are sorted with numpy. Callers pass plain labels and get entry numbers back.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence

import numpy as np

MAX_SCAN = 3000
KEY_BYTES = 48  # rows are sorted by this much of them; longer prefixes are checked in full
_WORD_START = re.compile(r"(?<![\w])\w", re.UNICODE)


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: "Züsch" and "zusch" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class CompactStrings(Sequence[str]):
    """Many strings in one UTF-8 buffer with their end offsets: about their length in bytes each,
    where a list of Python strings costs ~60 bytes more per string (plus fragmentation)."""

    def __init__(self, texts: Iterable[str]):
        encoded = [text.encode("utf-8") for text in texts]
        self._blob = b"".join(encoded)
        self._ends = array("q", itertools.accumulate(len(item) for item in encoded))  # fast to index

    def __len__(self) -> int:
        return len(self._ends)

    def span(self, number: int) -> tuple[int, int]:
        return (self._ends[number - 1] if number else 0), self._ends[number]

    def raw(self, number: int, offset: int = 0) -> bytes:
        """The UTF-8 bytes of a string, from a byte offset on."""
        start, end = self.span(number)
        return self._blob[start + offset : end]

    def __getitem__(self, number):  # an int; slices are not used
        return self.raw(number).decode("utf-8")


class PrefixTable:
    """Every word start of every label, sorted by the folded label from there on; a prefix is
    found by bisection. A row is (entry number, byte offset of the word in the folded label):
    8 bytes, not a string per word."""

    def __init__(self, entries: Sequence):
        """entries: anything with a label (a str) each."""
        self.entries = entries
        self._folded = CompactStrings(normalise(entry.label) for entry in entries)
        numbers, offsets = array("i"), array("i")
        for number, folded in enumerate(self._folded):
            for match in _WORD_START.finditer(folded):
                numbers.append(number)
                offsets.append(len(folded[: match.start()].encode("utf-8")))
        # sorted by the first KEY_BYTES of each row (UTF-8 byte order is code point order)
        keys = np.fromiter(
            (self._folded.raw(n, o)[:KEY_BYTES] for n, o in zip(numbers, offsets, strict=True)),
            dtype=f"S{KEY_BYTES}",
            count=len(numbers),
        )
        order = np.argsort(keys, kind="stable")
        del keys
        self._numbers = array("i", np.asarray(numbers, dtype=np.int32)[order].tobytes())
        self._offsets = array("i", np.asarray(offsets, dtype=np.int32)[order].tobytes())

    def _row(self, position: int) -> bytes:
        return self._folded.raw(self._numbers[position], self._offsets[position])[:KEY_BYTES]

    def _bisect(self, key: bytes, after: bool) -> int:
        """The first row whose sort key, cut to the length of key, is >= key (after: > key)."""
        low, high = 0, len(self._numbers)
        while low < high:
            middle = (low + high) // 2
            row = self._row(middle)[: len(key)]
            if row < key or (after and row == key):
                low = middle + 1
            else:
                high = middle
        return low

    def matching(self, prefix: str) -> list[tuple[bool, int]]:
        """(prefix starts the whole label, entry number) for entries with a word starting with prefix.

        At most MAX_SCAN table rows are read, so a one-letter prefix stays fast (and partial)."""
        whole_key = prefix.encode("utf-8")
        key = whole_key[:KEY_BYTES]
        start = self._bisect(key, after=False)
        end = min(self._bisect(key, after=True), start + MAX_SCAN)
        found: dict[int, bool] = {}
        for number, offset in zip(self._numbers[start:end], self._offsets[start:end], strict=True):
            if len(whole_key) > KEY_BYTES and not self._folded.raw(number, offset).startswith(whole_key):
                continue  # a prefix longer than the sort key
            found[number] = found.get(number, False) or offset == 0  # a row at 0 is the whole label
        return [(whole, number) for number, whole in found.items()]
