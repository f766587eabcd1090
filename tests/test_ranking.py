"""How typed queries are read and ranked, on a small corpus written for these cases."""

from __future__ import annotations

import json

import pytest

from indexer.build.build import build_index
from search_web import create_app

ANNOUNCEMENTS = [
    (
        "lager",
        "Brand in Lagerhalle",
        "Ein Brand zerstörte in der Nacht eine Lagerhalle. Der Brand war weithin zu sehen.",
    ),
    ("keller", "Brand im Keller", "Im Keller eines Wohnhauses brach ein Brand aus. Niemand wurde verletzt."),
    (
        "wald",
        "Brand am Waldrand",
        "Am Waldrand entstand ein kleiner Brand, den die Feuerwehr schnell löschte.",
    ),
    (
        "zeugen-1",
        "Polizei sucht Zeugen",
        "Nach einem Unfall sucht die Polizei Zeugen. Die Polizei sucht auch den Fahrer.",
    ),
    ("zeugen-2", "Zeugen gesucht", "Die Polizei sucht Zeugen eines Diebstahls an der Haltestelle."),
    (
        "bussard",
        "Greifvogel im Kühlergrill",
        "Ein Bussard geriet auf der Autobahn in den Kühlergrill eines Wagens.",
    ),
    ("busfahrt-1", "Streit bei der Busfahrt", "Während der Busfahrt gerieten zwei Männer in Streit."),
    (
        "busfahrt-2",
        "Busfahrt endet im Graben",
        "Eine Busfahrt endete im Graben, die Fahrgäste blieben unverletzt.",
    ),
    ("busfahrt-3", "Ruhige Busfahrt", "Nach der Busfahrt bedankten sich die Schüler beim Fahrer."),
    ("tonne", "Mülltonne in Flammen", "Zwei Kinder haben auf dem Schulhof eine Mülltonne angezündet."),
    ("kind-an", "Kind an Mülltonne verletzt", "Ein Kind stieß an eine Mülltonne und verletzte sich leicht."),
    (
        "schwert",
        "Mit Schwert bedroht",
        "In Marzahn bedrohte ein Mann seinen Nachbarn nach wiederholten Streitigkeiten mit einem Schwert.",
    ),
    (
        "streit",
        "Nachbarschaftsstreit eskaliert",
        "Ein Nachbarschaftsstreit eskalierte am Abend. Der Nachbarschaftsstreit dauerte schon Jahre; "
        "wegen des Nachbarschaftsstreits kam die Polizei.",
    ),
    ("bus-kurz", "Fahrgäste im Bus gestürzt", "Bei einer Notbremsung stürzten zwei Fahrgäste."),
    (
        "bus-lang",
        "Mehrere Fahrgäste im Bus gestürzt",
        "Mehrere Fahrgäste stürzten im Bus. Der Bus musste bremsen, weitere Fahrgäste im Bus stürzten.",
    ),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ranking")
    corpus = folder / "ranking.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for number, (doc_id, title, body) in enumerate(ANNOUNCEMENTS):
            record = {
                "id": doc_id,
                "source": "Testamt",
                "url": f"https://example.org/{doc_id}",
                "date": f"2024-03-{number + 1:02d}",
                "title": title,
                "body": body,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    build_index(folder / "index", [str(corpus)], show_progress=False)
    return create_app({"INDEX_DIR": str(folder / "index"), "TESTING": False}).test_client()


def search(client, q):
    """The ids in the order the page shows them: the counted hits, then partial matches."""
    data = client.get("/api/search", query_string={"q": q, "per_page": 20}).get_json()
    return [hit["id"] for hit in data["hits"] + data["more_hits"]], data


def test_lower_case_noun_is_read_as_the_noun(client):
    # simplemma reads "brand" alone as the verb branden; the index holds the noun Brand.
    assert set(search(client, "brand")[0]) == set(search(client, "Brand")[0]) == {"lager", "keller", "wald"}


def test_lower_case_verb_stays_a_verb(client):
    # "sucht" could be the noun Sucht; the index holds the verb suchen far more often.
    assert {"zeugen-1", "zeugen-2"} <= set(search(client, "polizei sucht")[0][:2])


def test_typo_takes_the_nearest_spelling_before_the_most_frequent(client):
    found, data = search(client, "bussart kühlergrill")
    assert found[0] == "bussard"
    assert search(client, "bussart")[1]["suggestion"] == "Bussard"  # not the frequent "busfahrt"


def test_known_compound_parts_are_not_corrected(client):
    _, data = search(client, "schwertstreit")  # rare compound of known words: no "Meinten Sie"
    assert data["suggestion"] is None


def test_separable_particle_is_not_required_as_a_word(client):
    # "zündet … an" is anzünden; the particle itself is a stop word and must not be demanded.
    assert search(client, "kind zündet mülltonne an")[0][0] == "tonne"


def test_more_matching_words_outrank_one_frequent_rare_word(client):
    found, _ = search(client, "nachbarschaftsstreit schwert marzahn")
    assert found.index("schwert") < found.index("streit")


def test_title_equal_to_the_query_ranks_first(client):
    assert search(client, "Fahrgäste im Bus gestürzt")[0][0] == "bus-kurz"
    assert search(client, "mehrere fahrgäste im bus gestürzt")[0][0] == "bus-lang"


def test_phrases_keep_the_words_as_typed(client):
    found, _ = search(client, '"Brand im Keller"')
    assert found == ["keller"]


def test_prefix_is_not_taken_for_a_typo(client):
    found, data = search(client, "bussar*")
    assert found == ["bussard"] and data["suggestion"] is None
