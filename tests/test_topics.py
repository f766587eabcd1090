import json

from indexer.build.build import analyse_records
from indexer.config import REPO_ROOT
from indexer.enrich.components import LEMMAS_KEY, TITLE_SEPARATOR, WORDS_KEY, topic_lemmas
from indexer.enrich.pipeline import build_pipeline, make_doc
from indexer.enrich.topics import default_taxonomy
from indexer.text.lemmas import shared_lemmatizer

DEMO = REPO_ROOT / "corpus" / "demo.jsonl"


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


def _topic_lemmas_token_by_token(doc, lemmatize) -> tuple[list[str], list[str]]:
    """The reading topic_lemmas replaces, word by word over spaCy's tokens: the reference."""
    end = doc.text.find(TITLE_SEPARATOR)
    end = len(doc.text) if end < 0 else end
    title, body = [], []
    for token in doc:
        if token.is_punct or token.is_space or not any(c.isalnum() for c in token.text):
            continue
        parts = [lemmatize(p) for p in token.text.split("-") if p] if "-" in token.text else []
        (title if token.idx < end else body).extend([token.lemma_, *parts])
    return title, body


def test_topic_lemmas_from_the_shared_lists_are_those_of_the_tokens(shared_sample):
    """Every demo announcement and the shared sample (titles, bodies, hyphenated words, spaces,
    documents without a body): the one-pass reading gives the same title and body lemmas."""
    nlp = build_pipeline()
    lemmatize = shared_lemmatizer()
    records = [json.loads(line) for path in (DEMO, shared_sample) for line in path.open(encoding="utf-8")]
    records += [{"title": "Nur ein Titel", "body": ""}, {"title": "", "body": "Kita-Einbruch  in\n\nTrier"}]
    checked = 0
    for record in records:
        doc = make_doc(nlp, record.get("title") or "", record.get("body") or "", "")
        for name, component in nlp.pipeline:
            if name == "amtsblick_topics":
                break
            doc = component(doc)
        expected = _topic_lemmas_token_by_token(doc, lemmatize)
        assert topic_lemmas(doc, lemmatize) == expected, record.get("id")
        assert WORDS_KEY not in doc.user_data and LEMMAS_KEY not in doc.user_data  # nothing kept
        checked += bool(expected[0]) and bool(expected[1])
    assert checked >= 500
