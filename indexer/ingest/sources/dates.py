"""Dates as German pages write them: "09.06.2015", "9. Juni 2015", "2015-06-09".

Used for datelines ("Bonn, 11.10.2021", "Pressemitteilung vom 25. Januar 2022",
"Datum: 18.10.2021") next to a headline, in HTML pages and in text dumps.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "märz": 3, "mär": 3,
    "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_PATTERN = re.compile(
    rf"(?<![\d.])(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<y>(?:19|20)\d\d)(?!\d)"
    rf"|(?<![\d.])(?P<d2>\d{{1,2}})\.\s*(?P<mn>{_MONTH_NAMES})\.?\s+(?P<y2>(?:19|20)\d\d)(?!\d)"
    rf"|(?<!\d)(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)(?!\d)",
    re.IGNORECASE,
)
# Words that introduce a publication date in a longer line.
DATELINE_CUES = re.compile(
    r"(?:\bvom|\bdatum|\bstand|\bveröffentlicht(?:\s+am)?|\berschienen(?:\s+am)?|\bpublikation)\s*:?\s*$",
    re.IGNORECASE,
)
EARLIEST = dt.date(1990, 1, 1)  # the web's public-body archives start in the 1990s


@dataclass(frozen=True)
class DateMention:
    text: str  # as written, for error messages
    date: dt.date | None  # None: looks like a date but is none ("31.02.2021")
    start: int
    end: int


def find_dates(text: str) -> list[DateMention]:
    mentions = []
    for match in DATE_PATTERN.finditer(text):
        groups = match.groupdict()
        if groups["d"]:
            day, month, year = int(groups["d"]), int(groups["m"]), int(groups["y"])
        elif groups["d2"]:
            day, month, year = int(groups["d2"]), MONTHS[groups["mn"].lower()], int(groups["y2"])
        else:
            day, month, year = int(groups["d3"]), int(groups["m3"]), int(groups["y3"])
        try:
            date = dt.date(year, month, day)
        except ValueError:
            date = None
        mentions.append(DateMention(match.group(0), date, match.start(), match.end()))
    return mentions


def plausible(date: dt.date | None, today: dt.date | None = None) -> bool:
    """Not before the web archives began and not more than a year ahead (a typo)."""
    if date is None:
        return False
    today = today or dt.date.today()
    return EARLIEST <= date <= today + dt.timedelta(days=366)


def dateline_date(line: str, max_words: int = 8) -> DateMention | None:
    """The date of a dateline: a short line that carries a date, or a date after a cue word.

    Long running text often mentions dates ("Bis einschließlich 9. November 2021
    registrierte …"); those are not publication dates, so a date in a long line
    only counts right after a cue such as "vom", "Datum:" or "Stand".
    """
    mentions = find_dates(line)
    if not mentions:
        return None
    first = mentions[0]
    words_besides_date = len((line[: first.start] + " " + line[first.end :]).split())
    if words_besides_date <= max_words:
        return first
    before = line[: first.start]
    if len(before.split()) <= 4 and (
        DATELINE_CUES.search(before) or re.fullmatch(r"\s*[\w .-]+,\s*", before)
    ):
        return first
    return None
