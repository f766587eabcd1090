"""NLP results kept beside the index, keyed by text and pipeline.

A rebuild (a new schema, a deleted index, a changed analysis chain) with an
unchanged NLP pipeline takes places, organisations and topics from here
instead of running spaCy again. The key covers the text and the pipeline's
fingerprint, so a changed rule or data file misses the cache by itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

from indexer.enrich.pipeline import DocumentNlp
from indexer.model import Announcement

CACHE_FILE = "nlp-cache.sqlite"


def nlp_key(announcement: Announcement, fingerprint: str) -> str:
    payload = json.dumps([announcement.title, announcement.body, announcement.source, fingerprint])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def serialise(result: DocumentNlp) -> str:
    """The cached form: everything but the lemmas (indexing does not need them)."""
    fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}  # asdict deep-copies
    return json.dumps({**fields, "lemmas": []}, ensure_ascii=False)


class NlpCache:
    """Keeps what indexing needs (places, organisations, topics, entities), not the lemmas."""

    def __init__(self, index_dir: Path):
        self._db = sqlite3.connect(index_dir / CACHE_FILE)
        self._db.execute("CREATE TABLE IF NOT EXISTS nlp (key TEXT PRIMARY KEY, result TEXT NOT NULL)")

    def get(self, key: str) -> DocumentNlp | None:
        row = self._db.execute("SELECT result FROM nlp WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return DocumentNlp(**json.loads(row[0]))

    def put(self, key: str, result: DocumentNlp) -> None:
        self.put_serialised([(key, serialise(result))])

    def put_serialised(self, entries: list[tuple[str, str]]) -> None:
        """(key, serialise(result)) pairs, as worker processes return them."""
        self._db.executemany("INSERT OR REPLACE INTO nlp (key, result) VALUES (?, ?)", entries)

    def close(self, commit: bool) -> None:
        if commit:
            self._db.commit()
        self._db.close()
