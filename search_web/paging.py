"""Sort orders and pages: every result set can be paged through to its last announcement.

Pages are plain numbers in the URL (``page=N``), so any page of any search is a shareable link.
The engine's ranking computes every candidate's sort key anyway (vectorised over all matching
documents), so page 3,000 costs what page 1 costs; there is no result window to cut the list short.
"""

from __future__ import annotations

# Parameter value -> how the sort reads in the page; "relevance" needs words to rank by.
SORTS = {
    "relevance": "Relevanz",
    "date": "Neueste zuerst",
    "date_asc": "Älteste zuerst",
}
MAX_PAGE_NUMBER = 10**7  # more pages than any index has; larger numbers are typing errors


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def parse_sort(value: str, warnings: list[str]) -> str:
    if not value:
        return "relevance"
    if value not in SORTS:
        shown = "„" + value[:20] + "“"
        warnings.append(f"Die Sortierung {shown} gibt es nicht; sortiert wird nach Relevanz.")
        return "relevance"
    return value


def parse_page(value: str, warnings: list[str]) -> int:
    """The requested page (1 when unusable); whether it exists is known after the search."""
    if not value:
        return 1
    try:
        number = int(value)
    except ValueError:
        warnings.append(f"Die Seitenzahl „{value[:20]}“ ist keine Zahl; gezeigt wird die erste Seite.")
        return 1
    if number < 1:
        warnings.append("Seiten beginnen bei 1; gezeigt wird die erste Seite.")
        return 1
    return min(number, MAX_PAGE_NUMBER)


def existing_page(page: int, pages: int, warnings: list[str]) -> int:
    """A page past the end shows the last page, and says so."""
    if page <= pages:
        return page
    if pages == 1:
        warnings.append(f"Seite {page} gibt es nicht; gezeigt wird die erste und einzige Seite.")
    else:
        warnings.append(f"Seite {page} gibt es nicht; gezeigt wird die letzte Seite ({pages}).")
    return pages


def parse_per_page(value: str, default: int, largest: int, warnings: list[str]) -> int:
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        warnings.append(
            f"Die Zahl der Treffer pro Seite „{value[:20]}“ ist keine Zahl; gezeigt werden {default}."
        )
        return default
    if not 1 <= number <= largest:
        clamped = min(max(number, 1), largest)
        warnings.append(f"Es lassen sich 1 bis {largest} Treffer pro Seite zeigen; gezeigt werden {clamped}.")
        return clamped
    return number
