"""Our spaCy components read the data files their config names."""

import spacy

import indexer.enrich.components  # noqa: F401 (registers the factories)
from indexer.enrich.components import data_path
from indexer.enrich.topics import TOPICS_FILE


def test_a_bare_file_name_in_a_config_is_one_of_the_package_data_files():
    assert data_path("topics.toml") == TOPICS_FILE


def test_topic_component_reads_the_taxonomy_its_config_names(tmp_path):
    taxonomy = tmp_path / "topics.toml"
    taxonomy.write_text(
        '[[topic]]\nid = "imker"\nlabel = "Imkerei"\nterms = ["bienenstock"]\n', encoding="utf-8"
    )
    nlp = spacy.blank("de")
    nlp.add_pipe("amtsblick_lemmatizer")
    nlp.add_pipe("amtsblick_topics", config={"taxonomy": str(taxonomy)})
    doc = nlp("Bienenstock gestohlen\n\nIm Garten stand ein Bienenstock.")
    assert nlp.config["components"]["amtsblick_topics"]["taxonomy"] == str(taxonomy)
    assert [topic[0] for topic in doc._.topics] == ["imker"]
