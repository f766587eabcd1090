"""The facets of the search, each defined once (in the spirit of Datasette's ``facets.py``).

A facet counts the values of one index field among the announcements a search selects; its
values are chosen with one URL parameter, which filters one index field. The four place levels
(Land, Kreis, Verbandsgemeinde/Amt/Bezirk, Gemeinde/Ortsteil) are facets of their own that share
the parameter ``place``; it filters ``place_any`` (every level), so choosing a Kreis finds its
towns, and the page shows the four as one tree (search_web/place_tree.py).

Everything that names a facet reads it here: the engine (which fields to load and count), the
search service (parameters and filters), the pages (labels, hints, how a facet is shown), links
and entity pages (URL segments), suggestions, the facet filter box, the browse pages and the
OpenAPI document. Plain data: no Whoosh, no Flask, no numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

LIMIT = 50  # values a page lists per facet; the facet filter box searches all of them


@dataclass(frozen=True)
class Facet:
    name: str  # its key in a search's "facets"
    field: str  # the index field whose values it counts
    param: str  # the URL parameter that chooses its values
    filter_field: str  # the index field that parameter filters
    label: str  # German: heading, chip, kind of an entity
    display: str  # "list", "tree" (a place level) or "histogram"
    order: str = "count"  # "count": largest first, ties by value; "value": by value, newest first
    limit: int = LIMIT
    hint: str = ""  # German: one line on where the values come from
    plural: str = ""  # German: heading of a list of its values ("Orte")
    position: int = 0  # place in the page's filter panel (histograms, places, lists)
    depth: int = -1  # place levels: 0 for the Land … 3 for the Gemeinde/Ortsteil
    entity_segment: str = ""  # entity pages /<segment>/<value> (ort, organisation, thema)
    document_key: str = ""  # the list of its values in a document ("places")
    description: str = ""  # German, for the API parameter
    example: str = ""  # an example value, for the API parameter

    @property
    def is_filter(self) -> bool:
        """Whether it owns its parameter (the place levels share the one of ``place``)."""
        return self.name == self.param

    @property
    def keeps_chosen(self) -> bool:
        """A chosen value without hits stays listed, so it can be removed; the place tree shows
        chosen places as chips and paths instead."""
        return self.display != "tree"

    def ordered(self, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """(value, count) pairs in the order the facet lists them."""
        if self.order == "value":
            return sorted(counts, key=lambda pair: pair[0], reverse=True)
        return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


_PLACE_HELP = (
    "Ort auf jeder Ebene: Land, Kreis, Verbandsgemeinde/Amt/Bezirk, Gemeinde, Ortsteil. "
    "Ein Ort innerhalb eines anderen gewählten Orts grenzt ein (Hessen und Frankfurt am Main: "
    "Frankfurt am Main); Orte, die nicht ineinander liegen, verbinden sich mit *oder*."
)

# In the order of a search's parameters (the canonical query string follows it).
FACETS: tuple[Facet, ...] = (
    Facet(
        name="place",
        field="place",
        param="place",
        filter_field="place_any",
        label="Ort",
        plural="Orte",
        display="tree",
        hint="Automatisch erkannte Orte. Ein Kreis oder Land umfasst alle Orte darin.",
        position=3,
        depth=3,
        entity_segment="ort",
        document_key="places",
        description=_PLACE_HELP,
        example="Hermeskeil",
    ),
    Facet(
        name="org",
        field="org",
        param="org",
        filter_field="org",
        label="Organisation",
        plural="Organisationen",
        display="list",
        hint="Automatisch erkannte Behörden, Vereine und Unternehmen.",
        position=5,
        entity_segment="organisation",
        document_key="orgs",
        description="Organisation (automatisch erkannt).",
        example="Kreisjugendamt",
    ),
    Facet(
        name="topic",
        field="topic",
        param="topic",
        filter_field="topic",
        label="Thema",
        plural="Themen",
        display="list",
        hint="Aus Schlüsselwörtern zugeordnet; die Meldung zeigt, welche Wörter den Ausschlag gaben.",
        position=4,
        entity_segment="thema",
        document_key="topics",
        description="Thema aus der Themen-Taxonomie.",
        example="Jugend und Familie",
    ),
    Facet(
        name="year",
        field="year",
        param="year",
        filter_field="year",
        label="Jahr",
        display="histogram",
        order="value",
        position=1,
        description="Jahr (JJJJ).",
        example="2015",
    ),
    Facet(
        name="month",
        field="month",
        param="month",
        filter_field="month",
        label="Monat",
        display="histogram",
        order="value",
        position=2,
        description="Monat (JJJJ-MM).",
        example="2015-06",
    ),
    Facet(
        name="source",
        field="source",
        param="source",
        filter_field="source",
        label="Quelle",
        display="list",
        hint="Wer die Meldung herausgegeben hat.",
        position=6,
        description="Herausgeber der Meldung.",
        example="Kreisverwaltung Trier-Saarburg",
    ),
    Facet(
        name="verband",
        field="verband",
        param="place",
        filter_field="place_any",
        label="Verbandsgemeinde/Amt/Bezirk",
        display="tree",
        position=3,
        depth=2,
    ),
    Facet(
        name="district",
        field="district",
        param="place",
        filter_field="place_any",
        label="Kreis",
        display="tree",
        position=3,
        depth=1,
        document_key="districts",
    ),
    Facet(
        name="state",
        field="state",
        param="place",
        filter_field="place_any",
        label="Land",
        display="tree",
        position=3,
        depth=0,
        document_key="states",
    ),
)

BY_NAME: dict[str, Facet] = {facet.name: facet for facet in FACETS}
# The parameters a search takes, each with the facet that owns it (place, org, topic, year, month, source).
FILTERS: dict[str, Facet] = {facet.param: facet for facet in FACETS if facet.is_filter}
# Parameter -> index field it filters ("place" covers every level of the hierarchy).
FILTER_FIELDS: dict[str, str] = {param: facet.filter_field for param, facet in FILTERS.items()}
# The place levels, outermost first: how the tree nests them.
PLACE_LEVELS: tuple[Facet, ...] = tuple(
    sorted((facet for facet in FACETS if facet.display == "tree"), key=lambda facet: facet.depth)
)
# The facets whose values have entity pages (place, org, topic), by URL segment.
ENTITY_SEGMENTS: dict[str, Facet] = {facet.entity_segment: facet for facet in FACETS if facet.entity_segment}
# Index fields a search counts or filters: what a searcher loads before the first search.
COUNTED_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(facet.field for facet in FACETS))
FILTERED_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(facet.filter_field for facet in FACETS))


def facet(name: str) -> Facet:
    return BY_NAME[name]


def group(param: str) -> tuple[Facet, ...]:
    """The facets a parameter chooses values of: the four place levels (outermost first) for
    ``place``, else the parameter's own facet."""
    return PLACE_LEVELS if FILTERS[param].display == "tree" else (FILTERS[param],)


def panel() -> list[Facet]:
    """The parameters' facets in the order the page's filter panel shows them."""
    return sorted(FILTERS.values(), key=lambda facet: facet.position)


@dataclass(frozen=True)
class BrowseKind:
    """A browse page over the values of one facet: /land/<Land>, /kreis/<Kreis>, /quelle/<Herausgeber>."""

    segment: str
    facet: Facet
    label: str  # German: one unit
    plural: str  # German: the overview's title
    api_label: str  # German: one unit, as the API description names it


BROWSE_KINDS: dict[str, BrowseKind] = {
    kind.segment: kind
    for kind in (
        BrowseKind("land", BY_NAME["state"], "Land", "Länder", api_label="Land"),
        BrowseKind(
            "kreis",
            BY_NAME["district"],
            "Kreis",
            "Kreise und kreisfreie Städte",
            api_label="Kreis oder kreisfreie Stadt",
        ),
        BrowseKind("quelle", BY_NAME["source"], "Herausgeber", "Herausgeber", api_label="Herausgeber"),
    )
}
