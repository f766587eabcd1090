"""JSON Lines: one announcement per line (id, title, body, date, url, source)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from indexer.model import Announcement, InputError


def parse_record(record: object) -> Announcement:
    """Validate one decoded JSON value; raise ValueError with a German reason."""
    if not isinstance(record, dict):
        raise ValueError("Zeile ist kein JSON-Objekt")
    for key in ("id", "body"):
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"Pflichtfeld '{key}' fehlt oder ist leer")
    date = None
    raw_date = record.get("date")
    if raw_date not in (None, ""):
        try:
            date = dt.date.fromisoformat(str(raw_date))
        except ValueError:
            raise ValueError(f"Datum '{raw_date}' ist ungültig — erwartet JJJJ-MM-TT") from None
    return Announcement(
        id=record["id"].strip(),
        title=str(record.get("title") or "").strip(),
        body=record["body"].strip(),
        date=date,
        url=str(record.get("url") or ""),
        source=str(record.get("source") or "").strip(),
        raw_html=record.get("raw_html"),
    )


def read_jsonl(path: Path) -> Iterator[Announcement | InputError]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                yield parse_record(record)
            except UnicodeDecodeError:
                yield InputError(str(path), number, "Zeile ist kein gültiges UTF-8")
            except json.JSONDecodeError as error:
                yield InputError(str(path), number, f"ungültiges JSON ({error.msg})")
            except ValueError as error:
                yield InputError(str(path), number, str(error))
