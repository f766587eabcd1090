"""The word lists of the entity rules are data files: each is read, checked and fingerprinted."""

import pytest

from indexer.config import ReferenceDataMissing
from indexer.enrich.pipeline import NLP_DATA_FILES
from indexer.enrich.word_lists import WORD_FILES, read_word_lists


@pytest.mark.parametrize("path", WORD_FILES, ids=lambda p: p.name)
def test_every_word_file_is_part_of_the_pipeline_fingerprint(path):
    assert path.name in NLP_DATA_FILES  # an edited list re-analyses cached documents


@pytest.mark.parametrize("path", WORD_FILES, ids=lambda p: p.name)
def test_every_word_list_holds_words_without_repeats(path):
    for key, value in read_word_lists(path).items():
        words = list(value) if isinstance(value, dict) else value
        assert words and len(words) == len(set(words)), key


def test_a_word_list_of_numbers_is_a_clear_error_naming_file_and_entry(tmp_path):
    broken = tmp_path / "place_words.toml"
    broken.write_text('person_titles = ["Herr", 3]\n', encoding="utf-8")
    with pytest.raises(ReferenceDataMissing, match=r"place_words\.toml: Eintrag 'person_titles'"):
        read_word_lists(broken)


def test_an_unreadable_word_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "street_words.toml"
    broken.write_text("street_words = [\n", encoding="utf-8")
    with pytest.raises(ReferenceDataMissing, match=r"street_words\.toml nicht lesbar"):
        read_word_lists(broken)
