"""Plain-text dumps of news pages (saved as text, copied from a browser, `lynx -dump`).

A dump holds the whole page as lines: menus, address boxes, a date line, the
headline, the running text with its subheadings, footer links. The announcement
is found the way a reader finds it:

- running text is a block of lines with enough words, sentence punctuation and
  line lengths of prose; menus are short lines without punctuation;
- date and headline stand in the few lines just before the first running text
  ("09.06.2015" then the headline, or the headline then "Trier, 9. Juni 2015");
- the body runs from the first to the last block of running text; short lines
  between them are subheadings and stay, menus and footers outside are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest.sources.dates import DateMention, dateline_date, find_dates, plausible
from indexer.ingest.sources.encoding import (
    UnreadableInput,
    check_not_binary,
    clean_line,
    decode_bytes,
    read_capped,
)
from indexer.ingest.sources.identity import id_from_path
from indexer.model import Announcement, InputError

MIN_PROSE_WORDS = 8
MIN_PROSE_LINE_CHARS = 30  # mean line length: menus are short lines, hard-wrapped prose is not
MAX_HEADLINE_WORDS = 25
MAX_SUBHEADING_WORDS = 12
HEADER_WINDOW = 4  # non-blank lines before the first running text that may hold date and headline
SENTENCE_END = re.compile(r"[.!?…][\"'“”»«)\]]*$")
# a sentence ends after a letter: "14. März" and "Nr. 5" are no sentence ends
SENTENCE_INSIDE = re.compile(r"[^\W\d_][.!?…][\"'“”»«)]*\s+[\"„»«(]?[A-ZÄÖÜ0-9]")
LIST_ITEM = re.compile(r"^(?:[-•*–·▪]|\d{1,2}[.)])\s+\S")
FOOTER_CUE = re.compile(
    r"^(?:©|\(c\)|copyright\b|impressum\b|datenschutz|nach oben|zum seitenanfang|seitenanfang|drucken\b"
    r"|seite drucken|teilen\b|zurück\b|barrierefreiheit)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """Consecutive non-blank lines."""

    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def is_list(self) -> bool:
        return all(LIST_ITEM.match(line) for line in self.lines)

    @property
    def is_prose(self) -> bool:
        text = self.text
        mean_length = sum(len(line) for line in self.lines) / len(self.lines)
        return (
            len(text.split()) >= MIN_PROSE_WORDS
            and mean_length >= MIN_PROSE_LINE_CHARS
            and bool(SENTENCE_END.search(text) or SENTENCE_INSIDE.search(text))
            and not FOOTER_CUE.match(text)
        )


@dataclass(frozen=True)
class TextPage:
    title: str
    date: dt.date | None
    body: str
    invalid_date: DateMention | None = None


def blocks_of(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    for raw in text.splitlines() + [""]:
        line = clean_line(raw)  # also turns lines of no-break spaces into blank lines
        if line:
            current.append(line)
        elif current:
            blocks.append(Block(tuple(current)))
            current = []
    return blocks


def is_date_line(line: str) -> bool:
    return len(line.split()) <= 8 and dateline_date(line, max_words=4) is not None


def is_headline_like(line: str) -> bool:
    words = len(line.split())
    return (
        2 <= words <= MAX_HEADLINE_WORDS
        and not SENTENCE_END.search(line)
        and not line.endswith(":")
        and not is_date_line(line)
        and not FOOTER_CUE.match(line)
    )


def _split_header(blocks: list[Block], first_prose: int) -> tuple[list[str], Block]:
    """Lines before the running text (the header window), and the first prose block.

    A dump may have no blank line between date, headline and text; then the first
    prose block starts with them, and they move to the header.
    """
    before = [line for block in blocks[:first_prose] for line in block.lines]
    lines = list(blocks[first_prose].lines)
    while len(lines) > 1:
        first, second = lines[0], lines[1]
        next_to_date = is_date_line(second) or bool(before and is_date_line(before[-1]))
        if not (is_date_line(first) or (is_headline_like(first) and next_to_date)):
            break
        before.append(lines.pop(0))
    return before[-HEADER_WINDOW:], Block(tuple(lines))


def _date_and_headline(header: list[str]) -> tuple[DateMention | None, str]:
    date_at = max((i for i, line in enumerate(header) if is_date_line(line)), default=None)
    if date_at is None:
        headline = next((line for line in reversed(header) if is_headline_like(line)), "")
        return None, headline
    after = [line for line in header[date_at + 1 :] if is_headline_like(line)]
    before = [line for line in header[:date_at] if is_headline_like(line)]
    headline = after[0] if after else (before[-1] if before else "")
    return dateline_date(header[date_at], max_words=4), headline


def _body_blocks(blocks: list[Block]) -> list[Block]:
    """From the first running text to the last one before the page's footer."""
    body: list[Block] = []
    pending: Block | None = None  # a short block, kept as subheading if running text follows
    for block in blocks:
        if block.is_prose or (body and block.is_list):
            if pending is not None and _is_subheading(pending):
                body.append(pending)
            body.append(block)
            pending = None
        elif FOOTER_CUE.match(block.text) or pending is not None:
            break  # two non-prose blocks in a row: the article is over
        else:
            pending = block
    return body


def _is_subheading(block: Block) -> bool:
    return len(block.lines) == 1 and len(block.text.split()) <= MAX_SUBHEADING_WORDS


def parse_dump(text: str, file_name: str = "") -> TextPage:
    """Title, date and body of a page dump; UnreadableInput if it holds no running text."""
    blocks = blocks_of(text)
    if not blocks:
        raise UnreadableInput("Datei ist leer — Datei neu speichern oder weglassen")
    first_prose = next((i for i, block in enumerate(blocks) if block.is_prose), None)
    if first_prose is None:
        raise UnreadableInput(
            "kein Fließtext gefunden (nur kurze Menü- oder Listenzeilen) — ist es eine Seitenübersicht?"
        )
    header, first_block = _split_header(blocks, first_prose)
    mention, headline = _date_and_headline(header)
    body_blocks = _body_blocks([first_block, *blocks[first_prose + 1 :]])
    date = mention.date if mention is not None and plausible(mention.date) else None
    if mention is None:
        date = _date_from_file_name(file_name)
    return TextPage(
        title=headline,
        date=date,
        body="\n\n".join(block.text for block in body_blocks),
        invalid_date=mention if mention is not None and date is None else None,
    )


def _date_from_file_name(name: str) -> dt.date | None:
    """Archives often name files by date ("…_2015-06-09_….txt"); used only without a date line."""
    mentions = [m for m in find_dates(name.replace("_", " ")) if plausible(m.date)]
    return mentions[0].date if mentions else None


def read_text(path: Path) -> Iterator[Announcement | InputError]:
    """One .txt page dump. The folder's name is the source (a dump names no site)."""
    try:
        data = read_capped(path)
        check_not_binary(data)
        page = parse_dump(decode_bytes(data), path.name)
    except UnreadableInput as error:
        yield InputError(str(path), 0, str(error))
        return
    if page.invalid_date is not None:
        yield InputError(
            str(path),
            0,
            f"Datum '{page.invalid_date.text}' ist ungültig — ohne Datum indexiert; Datumszeile korrigieren",
        )
    yield Announcement(
        id=id_from_path(path),
        title=page.title,
        body=page.body,
        date=page.date,
        url="",
        source=path.parent.name,
    )
