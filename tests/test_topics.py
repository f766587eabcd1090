from indexer.build.build import analyse_records
from indexer.enrich.topics import default_taxonomy


def test_taxonomy_has_at_least_ten_topics_including_public_safety():
    taxonomy = default_taxonomy()
    assert len(taxonomy.topics) >= 10
    assert any("Sicherheit" in topic.label for topic in taxonomy.topics)


def test_police_release_gets_public_safety_with_the_terms_that_triggered_it():
    record = {
        "id": "p",
        "title": "Einbrecher festgenommen",
        "body": "Die Polizei nahm in der Nacht zwei Einbrecher fest. "
        "Die Kriminalpolizei ermittelt wegen Diebstahls.",
    }
    topics = next(analyse_records(iter([record])))["topics"]
    safety = [t for t in topics if "Sicherheit" in t["label"]]
    assert safety and safety[0]["terms"]


def test_a_single_body_mention_is_not_enough_for_a_topic():
    record = {"id": "q", "title": "Konzert im Park", "body": "Ein Polizist spielt Trompete."}
    topics = next(analyse_records(iter([record])))["topics"]
    assert not any("Sicherheit" in t["label"] for t in topics)
