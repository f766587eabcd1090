"""The cost budget of one search: how far its words may expand and how long it may take.

Six characters (`{b TO}`) once expanded to every term of the index and took 37 s; 26 prefixes
took 16-21 s; 50 misspelt words 11 s of spelling lookups. A search now expands each wildcard,
range and fuzzy term to a bounded number of terms and all of them together to a bounded total,
looks up the spelling of a bounded number of words, and stops its optional work (spelling
suggestion, facets, snippets) when its time is up: the answer is what was found so far, marked
`timed_out` (as Datasette does for facets).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

MAX_TERMS_PER_EXPANSION = 64  # terms one wildcard, range or fuzzy term may stand for
MAX_TERMS_PER_QUERY = 192  # all expansions of a query together: one wildcard in title, body and exact
MAX_SCAN_PER_EXPANSION = 2000  # vocabulary entries read per segment for one expansion
MAX_SCAN_PER_QUERY = 10_000  # vocabulary entries read for all expansions (~25 µs each)
MAX_POSTINGS_PER_QUERY = 120_000  # postings of all expansion terms together: the cost of matching
MAX_FUZZY_PER_QUERY = 4  # fuzzy terms (word~) per query; each reads a part of the vocabulary
MAX_CORRECTED_WORDS = 4  # unknown words per query that get a spelling lookup (0.1-0.3 s each)
SEARCH_SECONDS = 0.6  # after this, a search skips what it can still skip and says so

NOTICE_REDUCED = (
    "Die Suchanfrage ist sehr aufwendig: Platzhalter, Bereiche und unscharfe Suche wurden begrenzt."
)
NOTICE_TIMED_OUT = (
    "Die Suche hat ihr Zeitlimit erreicht: gezeigt wird, was bis dahin gefunden wurde "
    "(Facetten, Textausschnitte oder Rechtschreibvorschläge können fehlen)."
)


@dataclass
class Budget:
    seconds: float = SEARCH_SECONDS
    terms_left: int = MAX_TERMS_PER_QUERY
    fuzzy_left: int = MAX_FUZZY_PER_QUERY
    scan_left: int = MAX_SCAN_PER_QUERY
    postings_left: int = MAX_POSTINGS_PER_QUERY
    reduced: bool = False  # an expansion was cut short
    timed_out: bool = False  # optional work was skipped
    started: float = field(default_factory=time.perf_counter)
    expansions: dict = field(default_factory=dict)  # (kind, field, text) -> terms, shared by both readings

    def expired(self) -> bool:
        return time.perf_counter() - self.started > self.seconds

    def skip(self) -> bool:
        """True (and remembered) when optional work must be left out to stay in time."""
        if self.expired():
            self.timed_out = True
        return self.timed_out

    def take_terms(self, frequencies: list[int]) -> int:
        """How many expansion terms (document frequencies given, most frequent first) this
        query may still add."""
        capped = min(len(frequencies), MAX_TERMS_PER_EXPANSION)  # silently, as always
        granted = 0
        while granted < min(capped, self.terms_left) and frequencies[granted] <= self.postings_left:
            self.postings_left -= frequencies[granted]
            granted += 1
        self.terms_left -= granted
        if granted < capped:
            self.reduced = True  # the query as a whole asked for too much: say so
        return granted

    def scan_limit(self) -> int:
        """How many vocabulary entries the next segment of an expansion may read."""
        if self.scan_left < MAX_SCAN_PER_EXPANSION:
            self.reduced = True
        return max(0, min(MAX_SCAN_PER_EXPANSION, self.scan_left))

    def notices(self) -> list[str]:
        flagged = ((self.reduced, NOTICE_REDUCED), (self.timed_out, NOTICE_TIMED_OUT))
        return [text for flag, text in flagged if flag]
