"""Read a PETRARCH-format actor dictionary and write it as Marsad KB tables.

The format (PETRARCH, Phoenix, UniversalPetrarch)::

    ILHAM_ALIYEV_  # comment
        [AZEELI 780101-030804]
        [AZEGOV >031031]
    غزة  [PSE]
    +ALIAS_NAME_

An actor line holds the name (words joined by ``_``) and optionally a code in brackets;
indented ``[CODE dates]`` lines that follow give dated codes; ``+`` lines are aliases of
the actor above. Dates are ``YYMMDD`` or ``YYYYMMDD``; ``>D`` means from D, ``<D`` until D,
``D1-D2`` a range; ``18000101`` is the dictionaries' "no date" mark. A code is a country
(3 letters, or IGO) followed by sector codes in threes (``AZEGOV``, ``PSECVLELI``).

:func:`import_dictionary` writes ``<stem>.entities.tsv`` (``id type name names_ar country
sector``) and ``<stem>.roles.tsv`` (``person office country start end note``, with the
sector code as office, e.g. ``GOV``) that ``--kb`` loads. Rows are not judged: such
dictionaries are noisy, and the report lists what could not be read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import Code, KbError

__all__ = ["Actor", "ImportReport", "import_dictionary", "parse_dictionary"]

_CODE = re.compile(r"\[\s*([A-Z]{3,})\s*([^\]]*)\]")
_NO_DATE = "18000101"
_PIVOT = 30  # two-digit years below this are 20xx


@dataclass
class Actor:
    name: str
    line: int
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)


@dataclass
class ImportReport:
    actors: int = 0
    persons: int = 0
    roles: int = 0
    skipped: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _day(raw: str) -> dt.date | None:
    raw = raw.strip()
    if not raw or raw == _NO_DATE:
        return None
    if len(raw) == 6:
        yy = int(raw[:2])
        raw = f"{2000 + yy if yy < _PIVOT else 1900 + yy}{raw[2:]}"
    if len(raw) != 8 or not raw.isdigit():
        raise ValueError(raw)
    return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))


def _dates(text: str) -> tuple[dt.date | None, dt.date | None]:
    text = text.strip()
    if not text:
        return None, None
    if text.startswith(">"):
        return _day(text[1:]), None
    if text.startswith("<"):
        return None, _day(text[1:])
    start, _, end = text.partition("-")
    first, last = _day(start), _day(end)
    if first and last and last < first:
        last = None  # "D-18000101"-style open ranges, and inverted ranges, keep the start only
    return first, last


def _name(raw: str) -> str:
    return " ".join(raw.strip().strip("_").replace("_", " ").split())


def parse_dictionary(lines: Iterable[str], report: ImportReport) -> list[Actor]:
    actors: list[Actor] = []
    for n, line in enumerate(lines, 1):
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        if body[0] in " \t" and body.strip().startswith("["):
            if not actors:
                report.skipped.append(f"line {n}: a dated code before any actor")
                continue
            for code, dates in _CODE.findall(body):
                try:
                    actors[-1].codes.append((code, *_dates(dates)))
                except ValueError:
                    report.skipped.append(f"line {n}: unreadable date {dates.strip()!r}")
            continue
        stripped = body.strip()
        if stripped.startswith("+"):
            if actors:
                actors[-1].aliases.append(_name(stripped[1:]))
            continue
        if stripped.startswith(("[", "{", "<", "!")):
            report.skipped.append(f"line {n}: not an actor line")
            continue
        name_part = _CODE.split(stripped, maxsplit=1)[0]
        name = _name(name_part)
        if not name:
            report.skipped.append(f"line {n}: no name")
            continue
        actor = Actor(name, n)
        for code, dates in _CODE.findall(stripped):
            try:
                actor.codes.append((code, *_dates(dates)))
            except ValueError:
                report.skipped.append(f"line {n}: unreadable date {dates.strip()!r}")
        actors.append(actor)
    return actors


def _split_code(code: str) -> tuple[str | None, str]:
    if code.startswith("IGO"):
        return None, code
    return code[:3], code[3:] or ""


def _slug(name: str, used: set[str]) -> str:
    base = re.sub(r"\W+", "-", name.lower(), flags=re.UNICODE).strip("-") or "actor"
    slug, k = base, 1
    while slug in used:
        k += 1
        slug = f"{base}-{k}"
    used.add(slug)
    return slug


def import_dictionary(path: Path, out_dir: Path) -> ImportReport:
    """Convert the dictionary at ``path`` into KB tables under ``out_dir``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KbError(
            Code.KB_IMPORT, str(path), f"cannot be read ({exc})", "give a UTF-8 PETRARCH dictionary"
        ) from None
    report = ImportReport()
    actors = parse_dictionary(text.splitlines(), report)
    if not actors:
        raise KbError(
            Code.KB_IMPORT, str(path), "holds no actor lines", "is this a PETRARCH actor dictionary?"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    entities = ["id\ttype\tname\tnames_ar\tcountry\tsector"]
    roles = ["person\toffice\tcountry\tstart\tend\tnote"]
    for actor in actors:
        dated = any(s or e for _, s, e in actor.codes)
        country, sector = _split_code(actor.codes[-1][0]) if actor.codes else (None, "")
        kind = "PERSON" if dated else ("GPE" if country and not sector else "ORG")
        eid = f"petrarch:{_slug(actor.name, used)}"
        names = "|".join(dict.fromkeys([actor.name, *actor.aliases]))
        entities.append(f"{eid}\t{kind}\t{actor.name}\t{names}\t{country or ''}\t{sector[:3]}")
        report.actors += 1
        if kind == "PERSON":
            report.persons += 1
            for code, start, end in actor.codes:
                c, s = _split_code(code)
                roles.append(
                    f"{eid}\t{s or code}\t{c or 'IGO'}\t{start or ''}\t{end or ''}\timported code {code} (line {actor.line})"
                )
                report.roles += 1
    stem = path.stem.replace(".", "_")
    files = [out_dir / f"{stem}.entities.tsv", out_dir / f"{stem}.roles.tsv"]
    files[0].write_text("\n".join(entities) + "\n", encoding="utf-8")
    files[1].write_text("\n".join(roles) + "\n", encoding="utf-8")
    report.files = files
    return report
