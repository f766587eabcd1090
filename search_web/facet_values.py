"""Every value of a facet that matches what someone types into the facet's filter box.

The page lists a facet's 50 largest values; the box searches all of them ("Silz" finds
"Polizeiinspektion Silz" however few hits it has), counted like the facet itself: under the
current search and every filter but the facet's own.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.engine.facets import group
from indexer.text.lemmas import fold
from search_web.search import SearchRequest, SearchService

MAX_PREFIX = 100
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _matcher(prefix: str):
    """Matches a value one of whose words starts with the prefix (folded: "sued" finds "Süd")."""
    pattern = re.compile(r"(?:^|[\s\-/(.,])" + re.escape(fold(prefix.strip())))
    return lambda value: pattern.search(fold(value)) is not None


def facet_values(service: SearchService, request: SearchRequest, facet: str, prefix: str, limit: int) -> dict:
    """{"facet", "prefix", "values": [{"value", "count", "selected"}], "truncated"}, largest first.
    facet is a parameter (indexer/engine/facets.py FILTERS); place covers the four levels of the tree."""
    names = tuple(member.name for member in group(facet))
    request = replace(request, warnings=[])
    facets = service.facets(service.select(request), request, names, all_values=True)
    matches = _matcher(prefix)
    found: dict[str, dict] = {}
    for name in names:
        for entry in facets.get(name, []):
            if entry["count"] and matches(entry["value"]) and entry["value"] not in found:
                found[entry["value"]] = {k: entry[k] for k in ("value", "count", "selected")}
    values = sorted(found.values(), key=lambda entry: (-entry["count"], entry["value"]))
    return {"facet": facet, "prefix": prefix, "values": values[:limit], "truncated": len(values) > limit}
