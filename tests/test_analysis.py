from indexer.engine.analyzers import german_analyzer
from indexer.text.analysis import analyse_query_terms
from indexer.text.lemmas import fold, shared_lemmatizer
from tests.conftest import demo_records


def index_terms(text: str) -> list[str]:
    return [t.text for t in german_analyzer()(text, mode="index")]


def test_place_names_are_not_lemmatised():
    lemmatize = shared_lemmatizer()
    assert lemmatize("Schillingen") == "Schillingen"
    assert lemmatize("Kreisjugendamtes") == "Kreisjugendamt"


def test_ascii_spellings_meet_umlaut_spellings():
    assert analyse_query_terms("Strasse") == analyse_query_terms("Straße") == ["strasse"]
    assert analyse_query_terms("Schuesse") == analyse_query_terms("Schüsse")
    assert fold("daß") == fold("dass")


def test_old_spelling_finds_new_spelling():
    assert analyse_query_terms("vermißt") == analyse_query_terms("vermisst")


def test_inflected_forms_share_a_lemma():
    assert analyse_query_terms("Einbrüche") == analyse_query_terms("Einbruch")
    assert analyse_query_terms("Kindertagesstätten") == analyse_query_terms("Kindertagesstätte")


def test_hyphenated_names_are_indexed_whole_and_by_parts():
    terms = index_terms("Landkreis Trier-Saarburg")
    assert {"trier-saarburg", "trier", "saarburg"} <= set(terms)
    assert analyse_query_terms("Trier-Saarburg") == ["trier-saarburg"]


def test_stop_words_are_dropped():
    assert analyse_query_terms("die Polizei und der Rettungsdienst") == ["polizei", "rettungsdienst"]


def test_query_terms_are_what_the_engine_analyser_makes_of_a_query():
    """The plain-Python reading of a query (indexer/text) and the engine's Whoosh analyser agree on
    every demo announcement's title and body, word for word."""
    for record in demo_records():
        for text in (record.get("title", ""), record.get("body", "")):
            engine = [t.text for t in german_analyzer()(text, mode="query")]
            assert analyse_query_terms(text) == engine
