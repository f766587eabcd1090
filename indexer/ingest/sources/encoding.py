"""Bytes to text for pages and dumps: size cap, binary check, encoding, mojibake repair.

German public-body sites are UTF-8 today, but archives keep pages in ISO-8859-1 or
Windows-1252, sometimes with a wrong or missing declaration, and some text was
already decoded the wrong way once ("FÃ¼hrerschein"). Whatever comes out of this
module is clean Unicode or an `UnreadableInput` with a German reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import charset_normalizer

MAX_PAGE_BYTES = 10 * 1024 * 1024  # no real announcement page is larger; a bigger file is a mistake

# Encodings that German-language pages really use besides UTF-8. Restricting
# detection to them avoids the classic misfire of guessing cp1250 or cp1251 for
# a Windows-1252 page, which turns umlauts into the wrong letters.
WESTERN_ENCODINGS = ["cp1252", "iso8859_15", "mac_roman", "cp850"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SIGNATURES = (
    (b"%PDF", "eine PDF-Datei"),
    (b"\x89PNG", "ein PNG-Bild"),
    (b"\xff\xd8\xff", "ein JPEG-Bild"),
    (b"GIF8", "ein GIF-Bild"),
    (b"PK\x03\x04", "ein ZIP-Archiv (oder Office-Dokument)"),
    (b"\x1f\x8b", "ein gzip-Archiv"),
    (b"\xd0\xcf\x11\xe0", "ein altes Office-Dokument"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class UnreadableInput(ValueError):
    """A file or page that cannot become an announcement; the message is for the user."""


def read_capped(path: Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The file's bytes, refusing files above the limit before reading them."""
    size = path.stat().st_size
    if size > limit:
        raise UnreadableInput(too_large_reason(size, limit))
    with path.open("rb") as handle:
        data = handle.read(limit + 1)  # the file may have grown since stat()
    if len(data) > limit:
        raise UnreadableInput(too_large_reason(len(data), limit))
    return data


def too_large_reason(size: int, limit: int = MAX_PAGE_BYTES) -> str:
    return (
        f"Datei ist {size / 1_000_000:.1f} MB groß, gelesen werden höchstens {limit // 1_000_000} MB "
        "— nur die Seite selbst speichern (ohne eingebettete Bilder/Daten) oder aufteilen"
    )


def check_not_binary(data: bytes) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise UnreadableInput(
                f"Datei ist keine Text- oder HTML-Seite, sondern {kind} — nur .html-, .txt- oder "
                ".jsonl-Dateien angeben"
            )
    if b"\x00" in data[:8192] and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        raise UnreadableInput(
            "Datei enthält Binärdaten (Nullbytes) und ist keine Textdatei — nur .html-, .txt- oder "
            ".jsonl-Dateien angeben"
        )


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta charset>, http-equiv or an XML declaration."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes: BOM, then UTF-8, then the declared charset, then detection.

    UTF-8 is tried before the declaration because it validates itself: a page that
    decodes as UTF-8 is UTF-8, whatever an old template's <meta> claims.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return repair_mojibake(data[len(bom) :].decode(codec))
            except UnicodeDecodeError:
                raise UnreadableInput(_undecodable_reason(codec)) from None
    try:
        return repair_mojibake(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    known = python_codec(declared) if declared else None
    if known and known != "utf-8":
        text = _strict(data, known)
        if text is not None and looks_like_text(text):
            return repair_mojibake(text)
    decoded = [(codec, _strict(data, codec)) for codec in _legacy_candidates(data)]
    plausible = [(codec, text) for codec, text in decoded if text is not None and looks_like_text(text)]
    if not plausible:
        raise UnreadableInput(_undecodable_reason(declared))
    best = max(plausible, key=lambda item: german_score(item[1]))  # max keeps the first of equals
    return repair_mojibake(best[1])


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _legacy_candidates(data: bytes) -> list[str]:
    """Windows-1252 first (ties go to it), the other Western code pages, charset-normalizer's guess."""
    guess = charset_normalizer.from_bytes(data[:262_144], cp_isolation=WESTERN_ENCODINGS).best()
    return list(dict.fromkeys([*WESTERN_ENCODINGS, *([guess.encoding] if guess else [])]))


_GERMAN = set("äöüÄÖÜß„“”‚‘’–—€…")
_WRONG_CODE_PAGE = set("¹²³÷×¤¦¨¬¯´¸¾½¼ƒˆ˜‰Š‹ŒŽšœžŸ") | {chr(c) for c in range(0x2500, 0x25A0)}


def german_score(text: str) -> int:
    """Umlauts and German typography count for a decoding, symbols of a wrong code page against it.

    Detection libraries weigh all of Europe's languages; for German pages this
    simple count tells Windows-1252 from DOS-850 or Mac Roman more reliably
    ("überall" vs "³berall").
    """
    sample = text[:200_000]
    return sum(ch in _GERMAN for ch in sample) - 3 * sum(ch in _WRONG_CODE_PAGE for ch in sample)


def python_codec(label: str) -> str | None:
    """Python's codec for a charset label; ISO-8859-1 and ASCII read as Windows-1252.

    Browsers do the same (WHATWG Encoding Standard): pages labelled ISO-8859-1 are
    in practice full of Windows-1252 quotes and dashes.
    """
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def _undecodable_reason(declared: str | None) -> str:
    claim = f" (die Seite gibt '{declared}' an)" if declared else ""
    return (
        f"Zeichenkodierung nicht erkennbar{claim}; erkannt werden UTF-8, ISO-8859-1/-15, Windows-1252, "
        "Mac Roman und DOS-850 — Datei als UTF-8 speichern"
    )


def looks_like_text(text: str) -> bool:
    """Few control or unassigned characters, and spaces between words."""
    if not text:
        return True
    sample = text[:200_000]
    odd = sum(1 for ch in sample if _is_odd(ch))
    if odd > max(2, len(sample) // 1000):
        return False
    spaces = sum(1 for ch in sample if ch.isspace())
    return len(sample) < 200 or spaces / len(sample) >= 0.02


def _is_odd(ch: str) -> bool:
    if ch in "\t\n\r\f\v":
        return False
    return ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


# -- mojibake: UTF-8 that was once decoded as Windows-1252 or Latin-1 ---------------------------------
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONTINUATION = f"[\u0080-\u00bf{_CP1252_HIGH}]"
_MOJIBAKE = re.compile(f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}")


def _original_bytes(sequence: str) -> bytes | None:
    out = bytearray()
    for ch in sequence:
        if ord(ch) <= 0xFF:
            out.append(ord(ch))
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def _plausible_repair(ch: str) -> bool:
    """Characters German text really uses; anything else means the match was genuine text."""
    code = ord(ch)
    return 0xA0 <= code <= 0x24F or 0x2000 <= code <= 0x20CF or 0x2100 <= code <= 0x214F


def _repair_match(match: re.Match) -> str:
    raw = _original_bytes(match.group(0))
    if raw is None:
        return match.group(0)
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)
    return repaired if _plausible_repair(repaired) else match.group(0)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252/Latin-1 ("MÃ¼nchen" → "München"), also twice over."""
    for _ in range(3):  # text can be double-encoded more than once
        repaired = _MOJIBAKE.sub(_repair_match, text)
        if repaired == text:
            break
        text = repaired
    return text


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def clean_line(text: str) -> str:
    """One line of indexable text: invisible format characters gone, whitespace collapsed.

    Soft hyphens sit inside words on many federal sites ("Mes\u00adsen\u00adger"); left in,
    they split every such word in the index.
    """
    return " ".join(_INVISIBLE.sub("", text).split())


def clean_paragraphs(text: str) -> str:
    """Paragraphs (one per line in `text`) cleaned and joined by one blank line."""
    lines = (clean_line(line) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)
