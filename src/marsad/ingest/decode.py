"""Bytes to text: UTF-8 (with or without BOM), UTF-16, windows-1256 and ISO-8859-6.

General detectors guess poorly between the two legacy Arabic code pages on short
news items, so the decision is ours and explicit:

1. a byte-order mark decides (UTF-8, UTF-16 LE/BE);
2. UTF-16 without a BOM shows as a zero or 0x06 byte in every other position;
3. NUL bytes or a known binary signature mean a binary file;
4. strict UTF-8 wins when it decodes;
5. otherwise the legacy code page whose decoding reads most like Arabic wins:
   ISO-8859-6 leaves bytes that windows-1256 uses for common letters (ف ق ك)
   undefined, and windows-1256 turns ISO-8859-6 letters into Latin accented
   letters (à ç è é).

Text that is almost UTF-8 but has some broken bytes is refused, naming the first
bad byte, rather than decoded into mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from marsad.errors import Code, InputError

_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LATIN_ACCENTED = re.compile(r"[\u00c0-\u00ff]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
LEGACY = ("iso-8859-6", "windows-1256")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes, origin: str, encoding: str | None = None) -> Decoded:
    """Decode one input, or raise :class:`InputError` saying why it cannot be read."""
    if not data.strip():
        raise InputError(Code.EMPTY, origin, "the file is empty", "nothing to ingest; remove it or fill it")
    if encoding:
        return _forced(data, origin, encoding)
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _checked(_strict(data, name, origin), name, origin)
    utf16 = _bomless_utf16(data)
    if utf16:
        return _checked(_strict(data, utf16, origin), utf16, origin)
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(
                Code.BINARY, origin, f"this is {what}, not text", "give Marsad .txt, .html or .jsonl files"
            )
    if b"\x00" in data[:65536]:
        raise InputError(
            Code.BINARY, origin, "binary file (NUL bytes)", "give Marsad text, HTML or JSONL files"
        )
    try:
        return _checked(data.decode("utf-8"), "utf-8", origin)
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _mostly_utf8(data):
        raise InputError(
            Code.UNDECODABLE,
            origin,
            f"invalid UTF-8 byte 0x{data[bad]:02x} at offset {bad}",
            "the file is UTF-8 with damaged bytes; repair or re-export it, "
            "or pass --encoding to read it as another encoding",
        )
    best: Decoded | None = None
    best_score = 0.0
    for name in LEGACY:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _arabic_score(text)
        if score > best_score:
            best, best_score = Decoded(text, name), score
    if best is None or best_score < 0.5:
        raise InputError(
            Code.UNDECODABLE,
            origin,
            "not UTF-8, UTF-16, windows-1256 or ISO-8859-6 Arabic text",
            "convert the file to UTF-8, or pass --encoding NAME",
        )
    return _checked(best.text, best.encoding, origin)


def _forced(data: bytes, origin: str, encoding: str) -> Decoded:
    try:
        return _checked(data.decode(encoding), encoding, origin)
    except LookupError:
        raise InputError(
            Code.UNDECODABLE, origin, f"unknown encoding {encoding!r}", "use a Python codec name"
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            Code.UNDECODABLE, origin, f"not valid {encoding} at byte offset {exc.start}", "check --encoding"
        ) from None


def _strict(data: bytes, name: str, origin: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise InputError(
            Code.UNDECODABLE,
            origin,
            f"invalid {name} data at byte offset {exc.start}",
            "repair or re-export the file",
        ) from None


def _checked(text: str, encoding: str, origin: str) -> Decoded:
    """Refuse decoded text that is really binary, and empty text."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(Code.EMPTY, origin, "the file holds only whitespace", "nothing to ingest")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(
            Code.BINARY, origin, "binary file (control characters)", "give Marsad text, HTML or JSONL"
        )
    return Decoded(text, encoding)


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is 0x00 or 0x06 (ASCII or Arabic)."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    pairs = len(sample) // 2
    odd = sum(1 for b in sample[1::2] if b in (0x00, 0x06))
    even = sum(1 for b in sample[0::2] if b in (0x00, 0x06))
    if odd >= 0.9 * pairs and even < 0.3 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd < 0.3 * pairs:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 but for a few broken sequences."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - broken
    return multibyte > 0 and broken <= max(8, multibyte // 10)


def _arabic_score(text: str) -> float:
    """Share of letters that are Arabic, less a penalty for Latin accented letters."""
    letters = len(_LETTER.findall(text))
    arabic = len(_ARABIC.findall(text))
    if not letters:
        return 0.0
    return (arabic - 2 * len(_LATIN_ACCENTED.findall(text))) / letters
