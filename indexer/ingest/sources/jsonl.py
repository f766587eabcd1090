"""JSON Lines: one announcement per line (id, title, body, date, url, source).

A bad line is one German message with file and line and never costs another line: what can be
kept is kept and said (a title given as a list, a lone surrogate, a date with a time, an
over-long text), what cannot is rejected with the reason (no id, an id too long for a URL).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from indexer.model import Announcement, InputError

MAX_ID_LENGTH = 200  # a document page /doc/<id> must stay a usable URL
# The pipeline refuses texts over nlp.max_length (20,000,000 characters, spaCy's E088: a 50 MB line
# once aborted the whole run), and a text that long is no announcement: the rest is cut off with a
# note rather than losing the document or the run.
MAX_BODY_CHARS = 2_000_000
EARLIEST_YEAR = 1900
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
TEXT_FIELDS = ("title", "url", "source")
BOM = "\ufeff"
BOM_NOTE = "Datei beginnt mit einem UTF-8-BOM; ohne BOM gelesen — als UTF-8 ohne BOM speichern"
SURROGATE_NOTE = "Text enthält einzelne Surrogate; ersetzt durch '\ufffd' — Quelle prüfen"
NOT_UTF8 = "Zeile ist kein gültiges UTF-8 — Datei als UTF-8 speichern"
TOO_DEEP = "Zeile ist zu tief verschachtelt — ein flaches JSON-Objekt je Zeile erwartet"


def latest_year() -> int:
    return dt.date.today().year + 1


def parse_record(record: object) -> Announcement:
    """Validate one decoded JSON value; raise ValueError with a German reason."""
    announcement, _notes = checked_record(record)
    return announcement


def checked_record(record: object) -> tuple[Announcement, list[str]]:
    """The announcement of one decoded JSON value and notes on what was changed to keep it;
    ValueError with a German reason (what is wrong — what to do) when it cannot be kept."""
    if not isinstance(record, dict):
        raise ValueError('Zeile ist kein JSON-Objekt — ein Objekt {"id": …, "body": …} je Zeile erwartet')
    notes: list[str] = []
    values = {key: _text(record.get(key), key, notes) for key in ("id", "body", *TEXT_FIELDS)}
    for key in ("id", "body"):
        if not values[key].strip():
            raise ValueError(f"Pflichtfeld '{key}' fehlt oder ist leer — Zeile ergänzen")
    doc_id = values["id"].strip()
    if len(doc_id) > MAX_ID_LENGTH:
        raise ValueError(
            f"id ist {len(doc_id):,} Zeichen lang (höchstens {MAX_ID_LENGTH}) — eine kürzere id vergeben"
        )
    body = values["body"].strip()
    if len(body) > MAX_BODY_CHARS:
        notes.append(
            f"Text ist {len(body):,} Zeichen lang; indexiert werden die ersten {MAX_BODY_CHARS:,} "
            "— sehr lange Dokumente in mehrere Meldungen aufteilen".replace(",", ".")
        )
        body = body[:MAX_BODY_CHARS]
    if any(_LONE_SURROGATE.search(value) for value in values.values()):
        notes.append(SURROGATE_NOTE)
        values = {key: _LONE_SURROGATE.sub("\ufffd", value) for key, value in values.items()}
        doc_id, body = _LONE_SURROGATE.sub("\ufffd", doc_id), _LONE_SURROGATE.sub("\ufffd", body)
    raw_html = record.get("raw_html")
    return (
        Announcement(
            id=doc_id,
            title=values["title"].strip(),
            body=body,
            date=_date(record.get("date"), notes),
            url=values["url"],
            source=values["source"].strip(),
            raw_html=_LONE_SURROGATE.sub("\ufffd", raw_html) if isinstance(raw_html, str) else None,
        ),
        notes,
    )


def _text(value: object, key: str, notes: list[str]) -> str:
    """A field as text: strings as they are, a number as written, a list of strings joined; any
    other value (an object) is dropped. Each change is noted."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        notes.append(f"Feld '{key}' ist eine Zahl; als Text '{value}' übernommen — als Zeichenkette angeben")
        return str(value)
    if key != "id" and isinstance(value, list) and all(isinstance(item, str) for item in value):
        notes.append(f"Feld '{key}' ist eine Liste; Einträge verbunden — als Zeichenkette angeben")
        return ("\n\n" if key == "body" else " ").join(value)
    if key == "id":
        raise ValueError(f"Feld 'id' ist kein Text ({type(value).__name__}) — als Zeichenkette angeben")
    notes.append(f"Feld '{key}' ist kein Text ({type(value).__name__}); ignoriert — als Zeichenkette angeben")
    return ""


def _date(raw: object, notes: list[str]) -> dt.date | None:
    """The publication date: JJJJ-MM-TT, or an ISO date-time as its date; one outside
    1900..next year is a typo or a placeholder (0001-01-01, 9999-12-31) and not kept."""
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    try:
        date = dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"Datum '{text[:40]}' ist ungültig — erwartet JJJJ-MM-TT") from None
    if not EARLIEST_YEAR <= date.year <= latest_year():
        notes.append(
            f"Datum '{text[:40]}' liegt außerhalb {EARLIEST_YEAR}–{latest_year()}; ohne Datum indexiert "
            "— Datum in der Quelle prüfen"
        )
        return None
    return date


def read_jsonl(path: Path) -> Iterator[Announcement | InputError]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
                if number == 1 and line.startswith(BOM):
                    line = line[1:]
                    yield InputError(str(path), number, BOM_NOTE)
                announcement, notes = checked_record(json.loads(line))
                for note in notes:
                    yield InputError(str(path), number, note)
                yield replace(announcement, origin=(str(path), number))
            except UnicodeDecodeError:
                yield InputError(str(path), number, NOT_UTF8)
            except json.JSONDecodeError as error:
                yield InputError(str(path), number, f"ungültiges JSON ({error.msg}) — Zeile korrigieren")
            except RecursionError:
                yield InputError(str(path), number, TOO_DEEP)
            except ValueError as error:
                yield InputError(str(path), number, str(error))
