"""The place facets as one tree: Land → Kreis → Verbandsgemeinde/Amt/Bezirk → Gemeinde/Ortsteil.

The search service counts each level as its own facet (``state``, ``district``, ``verband``,
``place``: PLACE_LEVELS in indexer/engine/facets.py); all of them filter with the parameter
``place``. The gazetteer says which value lies inside which, so the tree is built here, for
display only. Without a gazetteer every value becomes a top-level node.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.config import ReferenceDataMissing
from indexer.engine.facets import BY_NAME, PLACE_LEVELS
from indexer.gazetteer import Gazetteer, default_gazetteer

CITY_KINDS = ("Kreisfreie Stadt", "Stadtkreis")
OPEN_SHARE = 0.5  # a branch holding at least half of all hits starts unfolded


@dataclass
class PlaceNode:
    value: str
    count: int
    selected: bool
    level: str
    kind: str = ""  # "Landkreis", "Verbandsgemeinde", … from the gazetteer
    children: list[PlaceNode] = field(default_factory=list)
    open: bool = False

    @property
    def has_selection(self) -> bool:
        return self.selected or any(child.has_selection for child in self.children)

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "count": self.count,
            "selected": self.selected,
            "level": self.level,
            "kind": self.kind,
            "children": [child.as_dict() for child in self.children],
        }


def gazetteer_or_none() -> Gazetteer | None:
    try:
        return default_gazetteer()
    except (ReferenceDataMissing, OSError):
        return None


def _ancestors(gazetteer: Gazetteer | None, value: str) -> list[str]:
    """Keys of the units that contain this one, nearest first."""
    place = gazetteer.by_key.get(value) if gazetteer else None
    if place is None:
        parent = gazetteer.parent_of_unlisted(value) if gazetteer else None
        return [parent.key, *_ancestors(gazetteer, parent.key)] if parent else []  # "Sedlitz (Senftenberg)"
    chain = [place.verband, place.district, place.state]
    return [key for key in chain if key and key != value]


def narrowest(values: list[str], gazetteer: Gazetteer | None) -> list[str]:
    """The chosen places that no other chosen place lies inside. Choosing Frankfurt am Main
    below Hessen narrows to Frankfurt; places not inside each other still combine as either."""
    chosen = set(values)
    return [v for v in values if not any(v in _ancestors(gazetteer, other) for other in chosen - {v})]


def place_paths(values: list[str], gazetteer: Gazetteer | None) -> list[list[str]]:
    """Each narrowest chosen place after the chosen places it lies in, outermost first:
    [["Hessen", "Frankfurt am Main"]] for Hessen and Frankfurt am Main."""
    chosen = set(values)
    return [
        list(dict.fromkeys([*(a for a in reversed(_ancestors(gazetteer, v)) if a in chosen), v]))
        for v in narrowest(values, gazetteer)
    ]


def _kind(gazetteer: Gazetteer | None, value: str) -> str:
    place = gazetteer.by_key.get(value) if gazetteer else None
    if place is None or place.kind in value:  # "Verbandsgemeinde Hermeskeil" says it already
        return ""
    if place.level in ("municipality", "ortsteil") and place.kind not in CITY_KINDS:
        return ""  # "Ortsgemeinde" under every village is noise; a kreisfreie Stadt is worth saying
    return place.kind


def build_place_tree(
    facets: dict[str, list[dict]], total: int, gazetteer: Gazetteer | None
) -> list[PlaceNode]:
    """Roots of the tree (largest first); each value appears once, at its outermost level."""
    nodes: dict[str, PlaceNode] = {}
    for level in PLACE_LEVELS:
        for entry in facets.get(level.name, []):
            if entry["value"] not in nodes:  # Berlin is Land, Kreis and Gemeinde: keep the outermost
                nodes[entry["value"]] = PlaceNode(
                    entry["value"],
                    entry["count"],
                    entry["selected"],
                    level.name,
                    _kind(gazetteer, entry["value"]),
                )
    roots: list[PlaceNode] = []
    for value, node in nodes.items():
        parent = next((nodes[key] for key in _ancestors(gazetteer, value) if key in nodes), None)
        (parent.children if parent else roots).append(node)
    _sort_and_open(roots, total)
    return roots


def _sort_and_open(nodes: list[PlaceNode], total: int) -> None:
    nodes.sort(key=lambda node: (BY_NAME[node.level].depth, -node.count, node.value))
    for node in nodes:
        _sort_and_open(node.children, total)
        # a selected node opens too: without JavaScript that is how the keyboard reaches its children
        node.open = bool(node.children) and (node.has_selection or node.count >= OPEN_SHARE * max(total, 1))


def walk(nodes: list[PlaceNode], visit: Callable[[PlaceNode], None]) -> None:
    for node in nodes:
        visit(node)
        walk(node.children, visit)
