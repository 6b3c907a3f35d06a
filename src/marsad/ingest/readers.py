"""Readers: files, directories, globs and stdin into raw documents.

Each reader yields :class:`Item` (a raw document plus the hash of its input) or
:class:`~marsad.errors.InputError` for an input that cannot be read, so one bad file
or one bad JSONL line never stops a batch. Readers do no linguistics.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import logging
import os
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from marsad.errors import Code, InputError
from marsad.ingest.decode import decode
from marsad.ingest.html import read_html
from marsad.model import Document, Hints, SourceInfo

log = logging.getLogger(__name__)

SUFFIXES = {
    ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".zip": "zip",
}  # fmt: skip
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title",),
    "text": ("text", "content"),
    "published": ("published", "date"),
    "url": ("url",),
    "source": ("source",),
    "author": ("author", "authors"),
}
_GLOB = re.compile(r"[*?\[]")
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    max_bytes: int = 10 * 1024 * 1024
    max_archive_bytes: int = 512 * 1024 * 1024
    encoding: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    published: dt.date | None = None
    stdin: IO[bytes] | None = None


@dataclass(frozen=True, slots=True)
class Item:
    doc: Document
    raw_hash: str


Result = Item | InputError


def read_all(paths: Sequence[str], options: ReadOptions) -> Iterator[Result]:
    """Every document in ``paths`` (files, directories, globs, ``-`` for stdin), in order."""
    for target in discover(paths):
        if isinstance(target, InputError):
            yield target
        else:
            yield from read_path(target, options)


def discover(paths: Sequence[str]) -> Iterator[str | InputError]:
    """Expand directories (recursively) and globs into input files."""
    for path in paths:
        if path == "-":
            yield path
        elif os.path.isdir(path):
            found = sorted(_walk(path))
            if not found:
                yield InputError(
                    Code.NO_INPUTS, path, "no readable files in this directory",
                    f"Marsad reads {', '.join(sorted(SUFFIXES))} files",
                )  # fmt: skip
            yield from found
        elif os.path.exists(path):
            yield path
        elif _GLOB.search(path):
            matches = sorted(p for p in glob.glob(path, recursive=True) if os.path.isfile(p))
            if not matches:
                yield InputError(Code.NOT_FOUND, path, "the pattern matches no file", "check the pattern")
            yield from matches
        else:
            yield InputError(Code.NOT_FOUND, path, "no such file or directory", "check the path")


def _walk(root: str) -> Iterator[str]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield os.path.join(folder, name)


def read_path(path: str, options: ReadOptions) -> Iterator[Result]:
    """All documents in one file (one for text and HTML, many for JSONL, JSON and ZIP)."""
    if path == "-":
        yield from _read_stdin(options)
        return
    kind = SUFFIXES.get(Path(path).suffix.lower(), "txt")
    try:
        size = os.path.getsize(path)
        limit = options.max_archive_bytes if kind in ("jsonl", "json", "zip") else options.max_bytes
        if size > limit:
            yield InputError(
                Code.TOO_LARGE, path, f"the file is {size / 1e6:.1f} MB, above the {limit / 1e6:.1f} MB limit",
                "split it into articles (one file each, or JSONL), or raise --max-bytes",
            )  # fmt: skip
            return
        if kind == "zip":
            yield from _read_zip(path, options)
        elif kind == "jsonl":
            with open(path, "rb") as handle:
                yield from _read_jsonl(handle, path, options)
        else:
            with open(path, "rb") as handle:
                data = handle.read()
            yield from _read_bytes(data, path, kind, options)
    except OSError as exc:
        yield InputError(Code.NOT_FOUND, path, f"cannot read: {exc.strerror}", "check permissions")


def _read_bytes(data: bytes, origin: str, kind: str, options: ReadOptions) -> Iterator[Result]:
    try:
        if kind == "json":
            yield from _read_json(data, origin, options)
            return
        decoded = decode(data, origin, options.encoding)
        stem = _stem(origin)
        if kind == "html":
            page = read_html(decoded.text, origin)
            hints = Hints(
                title=page.title, published=page.published, published_from="HTML metadata" if page.published else None,
                authors=page.authors, agency=page.sitename, default_published=options.published,
            )  # fmt: skip
            source = SourceInfo(origin, "html", decoded.encoding, url=page.url)
            yield _item(Document(doc_id=stem, raw=page.text, source=source, hints=hints))
        else:
            source = SourceInfo(origin, "txt", decoded.encoding)
            hints = Hints(default_published=options.published)
            yield _item(Document(doc_id=stem, raw=decoded.text, source=source, hints=hints))
    except InputError as exc:
        yield exc


def _read_stdin(options: ReadOptions) -> Iterator[Result]:
    if options.stdin is None:
        yield InputError(
            Code.NOT_FOUND, "<stdin>", "no standard input available", "pipe text in, or give a path"
        )
        return
    data = options.stdin.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        yield InputError(Code.TOO_LARGE, "<stdin>", "input above the size limit", "raise --max-bytes")
        return
    head = data.lstrip()[:1]
    if head == b"<":
        kind = "html"
    elif head == b"{":
        yield from _read_jsonl(iter(data.splitlines(keepends=True)), "<stdin>", options)
        return
    else:
        kind = "txt"
    yield from _read_bytes(data, "<stdin>", kind, options)


def _read_jsonl(lines: Any, origin: str, options: ReadOptions) -> Iterator[Result]:
    """One document per line; a broken line is reported and the others kept."""
    for number, line in enumerate(lines, 1):
        where = f"{origin}:{number}"
        if not line.strip():
            continue
        if len(line) > options.max_bytes:
            yield InputError(Code.TOO_LARGE, where, "line above the size limit", "raise --max-bytes")
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield InputError(Code.BAD_JSON, where, f"invalid JSON ({exc})", "fix or remove this line")
            continue
        yield _from_record(record, where, f"{_stem(origin)}-{number}", "jsonl", options)


def _read_json(data: bytes, origin: str, options: ReadOptions) -> Iterator[Result]:
    """A JSON array of records (SaudiNewsNet's daily files) or a single record."""
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield InputError(Code.BAD_JSON, origin, f"invalid JSON ({exc})", "check the file is complete JSON")
        return
    records = payload if isinstance(payload, list) else [payload]
    stem = _stem(origin)
    for index, record in enumerate(records):
        yield _from_record(record, f"{origin}[{index}]", f"{stem}-{index:05d}", "json", options)


def _read_zip(path: str, options: ReadOptions) -> Iterator[Result]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        yield InputError(
            Code.BAD_ARCHIVE, path, f"not a readable ZIP archive ({exc})", "re-download or re-pack it"
        )
        return
    with archive:
        members = [
            m for m in archive.infolist() if not m.is_dir() and not Path(m.filename).name.startswith(".")
        ]
        members = [
            m
            for m in members
            if Path(m.filename).suffix.lower() in SUFFIXES and not m.filename.endswith(".zip")
        ]
        if not members:
            yield InputError(
                Code.NO_INPUTS, path, "the archive holds no readable files", "check its contents"
            )
        for member in sorted(members, key=lambda m: m.filename):
            origin = f"{path}#{member.filename}"
            if member.file_size > options.max_archive_bytes:
                yield InputError(
                    Code.TOO_LARGE, origin, "archive member above the size limit", "unpack it first"
                )
                continue
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                yield InputError(Code.BAD_ARCHIVE, origin, f"cannot extract ({exc})", "re-pack the archive")
                continue
            kind = SUFFIXES[Path(member.filename).suffix.lower()]
            if kind == "jsonl":
                yield from _read_jsonl(iter(data.splitlines(keepends=True)), origin, options)
            else:
                yield from _read_bytes(data, origin, kind, options)


def _from_record(record: Any, origin: str, fallback_id: str, fmt: str, options: ReadOptions) -> Result:
    if not isinstance(record, dict):
        return InputError(
            Code.BAD_JSON, origin, "a record must be a JSON object", "wrap each article in {...}"
        )
    get = _getter(record, options.fields)
    text = get("text")
    if not isinstance(text, str) or not text.strip():
        wanted = options.fields.get("text") or "text|content"
        if isinstance(text, str) or any(k in record for k in FIELD_NAMES["text"]):
            return InputError(Code.EMPTY, origin, "the record's article text is empty", "nothing to ingest")
        return InputError(
            Code.NO_TEXT_FIELD, origin, f"no article text in field {wanted}",
            "map your field with --field text=NAME",
        )  # fmt: skip
    snn = "date_extracted" in record
    published = None if snn else _parse_date(get("published"))
    authors = get("author")
    author_list = (
        authors
        if isinstance(authors, list)
        else [a for a in re.split(r"\s*[;,،]\s*", str(authors or "")) if a]
    )
    record_id = get("id")
    hints = Hints(
        title=_text_or_none(get("title")), published=published,
        published_from=f"{fmt} field" if published else None,
        authors=tuple(str(a).strip() for a in author_list if str(a).strip()),
        agency=_text_or_none(get("source")), default_published=options.published,
    )  # fmt: skip
    source = SourceInfo(
        origin, "saudinewsnet" if snn else fmt, "utf-8", url=_text_or_none(get("url")),
        outlet=_text_or_none(get("source")), retrieved=_text_or_none(record.get("date_extracted")),
    )  # fmt: skip
    doc_id = str(record_id) if record_id not in (None, "") else fallback_id
    return _item(Document(doc_id=doc_id, raw=text, source=source, hints=hints))


def _getter(record: dict[str, Any], mapping: Mapping[str, str]) -> Any:
    def get(name: str) -> Any:
        if name in mapping:
            return record.get(mapping[name])
        for key in FIELD_NAMES[name]:
            if record.get(key) not in (None, ""):
                return record[key]
        return None

    return get


def _parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    match = _ISO_DATE.match(str(value))
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    log.warning("ignoring unreadable publication date %r", value)
    return None


def _text_or_none(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def _stem(origin: str) -> str:
    name = origin.rsplit("#", 1)[-1]
    return Path(name).stem or "stdin"


def _item(doc: Document) -> Item:
    hints = doc.hints
    key = "\x1f".join([doc.raw, hints.title or "", str(hints.published or ""), ",".join(hints.authors)])
    return Item(doc, hashlib.sha256(key.encode("utf-8")).hexdigest())
