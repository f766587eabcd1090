"""Hits per year (and per month of a chosen year) as bars, for a server-drawn histogram.

Bars are plain data (label, count, height in percent, link); the template draws
them as HTML links with a text alternative (no SVG, no inline styles), so the chart
works without JavaScript and reads well in a screen reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search_web.links import MONTH_NAMES

SHORT_MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
HEIGHT_STEP = 5
MAX_LABELS = 12  # with more bars only every few years is labelled (the text alternative names all)


@dataclass
class Bar:
    value: str  # the filter value: "2015" or "2015-06"
    label: str  # shown under the bar
    long_label: str  # for screen readers and tooltips
    count: int
    selected: bool
    height: int  # percent of the tallest bar in steps of 5 (a CSS class each: the CSP forbids inline styles)
    labelled: bool  # whether the short label is shown
    url: str = ""  # set by the page: where a click on the bar leads


def _height(count: int, top: int) -> int:
    """0 only for no hits; a nonzero bar is at least one step high so it stays visible."""
    if not count:
        return 0
    return max(HEIGHT_STEP, HEIGHT_STEP * round(100 * count / top / HEIGHT_STEP))


def year_bars(entries: list[dict]) -> list[Bar]:
    """One bar per year from the oldest to the newest, years without hits included."""
    counts = {int(e["value"]): e for e in entries if re.fullmatch(r"[0-9]{4}", e["value"])}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    top = max(e["count"] for e in counts.values()) or 1
    step = 1 if last - first < MAX_LABELS else 5
    bars = []
    for year in range(first, last + 1):
        entry = counts.get(year, {"count": 0, "selected": False})
        bars.append(
            Bar(
                value=str(year),
                label=str(year),
                long_label=str(year),
                count=entry["count"],
                selected=entry["selected"],
                height=_height(entry["count"], top),
                labelled=year % step == 0,
            )
        )
    return bars


def month_bars(entries: list[dict], year: str) -> list[Bar]:
    """Twelve bars for the months of one year."""
    counts = {e["value"]: e for e in entries if e["value"].startswith(f"{year}-")}
    top = max((e["count"] for e in counts.values()), default=0) or 1
    bars = []
    for number in range(1, 13):
        value = f"{year}-{number:02d}"
        entry = counts.get(value, {"count": 0, "selected": False})
        bars.append(
            Bar(
                value=value,
                label=SHORT_MONTHS[number - 1],
                long_label=f"{MONTH_NAMES[number - 1]} {year}",
                count=entry["count"],
                selected=entry["selected"],
                height=_height(entry["count"], top),
                labelled=True,
            )
        )
    return bars
