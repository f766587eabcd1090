"""The word lists of the entity rules are data (`indexer/data/*_words.toml`), read once per process.

Each file holds lists of words (`key = ["…", …]`) and tables of word → value
(`[key]`); the rules' modules turn them into sets or tuples at import, so no
document pays for reading them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from indexer.config import PACKAGE_DATA, ReferenceDataMissing

PLACE_WORDS_FILE = PACKAGE_DATA / "place_words.toml"
STREET_WORDS_FILE = PACKAGE_DATA / "street_words.toml"
ORG_WORDS_FILE = PACKAGE_DATA / "org_words.toml"
WORD_FILES = (PLACE_WORDS_FILE, STREET_WORDS_FILE, ORG_WORDS_FILE)


def read_word_lists(path: Path) -> dict[str, list[str] | dict[str, str]]:
    """The lists and tables of one word file; a broken file names itself and the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ReferenceDataMissing(
            f"Wortliste {path} nicht lesbar ({error}) — Datei aus dem Repository wiederherstellen"
        ) from error
    for key, value in data.items():
        words = value.values() if isinstance(value, dict) else value
        if not isinstance(value, list | dict) or not all(isinstance(w, str) for w in words):
            raise ReferenceDataMissing(
                f"Wortliste {path}: Eintrag '{key}' muss eine Liste von Wörtern oder eine Tabelle "
                "Wort = Wert sein — Datei aus dem Repository wiederherstellen"
            )
    return data
