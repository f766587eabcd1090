"""The record that flows from every source into NLP and the index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Announcement:
    id: str
    title: str
    body: str
    date: dt.date | None
    url: str
    source: str
    raw_html: str | None = None
    origin: tuple[str, int] | None = field(default=None, compare=False)  # (file, line) for messages


@dataclass(frozen=True)
class InputError:
    """A record that could not be read; reported, never fatal."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"
