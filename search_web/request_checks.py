"""Dates and date filters of a search request: what cannot be used is said in plain German.

A wrong value never turns into an empty result without a word: the user learns which input
was not understood and what was done instead, and the rest of the search still applies.
"""

from __future__ import annotations

import datetime as dt
import re

_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
DATE_LABELS = {"from": "Anfangsdatum", "to": "Enddatum"}


def _shown(value: str) -> str:
    return "„" + value[:20] + "“"


def _german(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def parse_date(value: str, which: str, warnings: list[str]) -> dt.date | None:
    """``which`` is "from" or "to"."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        warnings.append(
            f"Das {DATE_LABELS[which]} {_shown(value)} ist kein gültiges Datum "
            "(erwartet wird etwa 2015-06-09); es wird nicht berücksichtigt."
        )
        return None


def ordered_dates(
    start: dt.date | None, end: dt.date | None, warnings: list[str]
) -> tuple[dt.date | None, dt.date | None]:
    """A range given backwards is meant forwards: swapped, and said."""
    if start and end and start > end:
        warnings.append(
            f"Das Anfangsdatum ({_german(start)}) liegt nach dem Enddatum ({_german(end)}); "
            "gesucht wird dazwischen."
        )
        return end, start
    return start, end


def usable_dates(name: str, values: list[str], warnings: list[str]) -> list[str]:
    """Year and month filters that can match (2015, 2015-06); others are dropped with a warning."""
    pattern, example, what = (_YEAR, "2015", "Jahr") if name == "year" else (_MONTH, "2015-06", "Monat")
    usable = []
    for value in values:
        if pattern.fullmatch(value):
            usable.append(value)
        else:
            warnings.append(
                f"{_shown(value)} ist kein {what} (erwartet wird etwa {example}); "
                "dieser Filter wird nicht berücksichtigt."
            )
    return usable
