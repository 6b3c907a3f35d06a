"""KB files: which table a TSV file is (by its header), and its rows as typed records.

Every KB file is a TSV with a header line (``#`` lines are comments). The header says
what the file holds, so a user's own file (``--kb PATH``) needs no other declaration:

=========  ==========================================================================
table      header columns (extra columns are ignored)
=========  ==========================================================================
entities   ``id type name names_ar country sector`` (the general form, for users)
countries  ``id name names_ar formal_ar nisba capital status``
places     ``id name names_ar country kind``: kind capital/city/town/village gives a GPE,
           region/water/mountain/territory/state/river/desert a LOC, and any other kind
           (agency, outlet) a news organisation
orgs       ``id name names_ar abbrev country sector``
persons    ``id name names_ar short_ar country sector born died``
roles      ``person office country start end``
titles     ``title office gender number sector requires``
groups     ``noun sector number needs_country``
=========  ==========================================================================

``|`` separates several values in one cell. Dates are ``YYYY-MM-DD`` (or ``YYYY``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import Code, KbError
from marsad.model import EntityType

__all__ = ["GroupNoun", "KbEntity", "Role", "Title", "read_table", "table_kind"]

SIGNATURES: dict[str, frozenset[str]] = {
    "roles": frozenset({"person", "office", "country", "start", "end"}),
    "titles": frozenset({"title", "office", "gender", "number", "sector", "requires"}),
    "groups": frozenset({"noun", "sector", "needs_country"}),
    "persons": frozenset({"id", "name", "names_ar", "short_ar", "country", "sector"}),
    "countries": frozenset({"id", "name", "names_ar", "nisba", "capital"}),
    "orgs": frozenset({"id", "name", "names_ar", "abbrev", "country", "sector"}),
    "entities": frozenset({"id", "type", "name", "names_ar", "country"}),
    # places and agencies share one header; a row's kind says which it is
    "places": frozenset({"id", "name", "names_ar", "country", "kind"}),
}
_REGION_KINDS = frozenset({"region", "water", "mountain", "territory", "state", "river", "desert"})
_PLACE_KINDS = _REGION_KINDS | {"capital", "city", "town", "village"}


@dataclass(frozen=True, slots=True)
class KbEntity:
    """One KB entity with every Arabic surface form it may be written as."""

    id: str
    type: EntityType
    name: str
    names_ar: tuple[str, ...]
    country: str | None = None
    sector: str | None = None
    short_ar: tuple[str, ...] = ()
    nisba: tuple[str, ...] = ()
    abbrev: tuple[str, ...] = ()
    kind: str | None = None
    born: str | None = None
    died: str | None = None
    capital: str | None = None

    @property
    def name_ar(self) -> str | None:
        return self.names_ar[0] if self.names_ar else None


@dataclass(frozen=True, slots=True)
class Role:
    person: str
    office: str
    country: str
    start: dt.date | None
    end: dt.date | None
    note: str = ""

    def holds(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Title:
    title: str
    office: str
    gender: str
    number: str
    sector: str
    requires: str


@dataclass(frozen=True, slots=True)
class GroupNoun:
    noun: str
    sector: str
    number: str
    needs_country: bool


Record = KbEntity | Role | Title | GroupNoun


def split(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def parse_day(value: str, origin: str, *, end: bool = False) -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a partial start is its first day, a partial end its last."""
    value = value.strip()
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            if end:
                nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
            return dt.date(parts[0], parts[1], 1)
        if len(parts) == 1:
            return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    except ValueError:
        pass
    raise KbError(
        Code.KB_ROW, origin, f"'{value}' is not a date", "write dates as YYYY-MM-DD, YYYY-MM or YYYY"
    )


def table_kind(header: list[str]) -> str | None:
    """The table a header names, or None."""
    columns = set(header)
    for kind, needed in SIGNATURES.items():
        if needed <= columns:
            return kind
    return None


def _rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KbError(Code.KB_FILE, str(path), "no such file", "check the path given to --kb") from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise KbError(
            Code.KB_FILE, str(path), f"cannot be read as UTF-8 text ({exc})", "save it as UTF-8 TSV"
        ) from None
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")
    ]
    if not lines:
        raise KbError(Code.KB_FILE, str(path), "is empty", "a KB file needs a header line and rows")
    header = [h.strip() for h in lines[0][1].split("\t")]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader([line for _, line in lines[1:]], delimiter="\t", quoting=csv.QUOTE_NONE)
        for (n, _), cells in zip(lines[1:], reader, strict=True):
            if len(cells) > len(header):
                raise KbError(
                    Code.KB_ROW,
                    f"{path}:{n}",
                    f"{len(cells)} cells for {len(header)} columns",
                    "remove the extra tab",
                )
            yield n, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}

    return header, rows()


def read_table(path: Path) -> tuple[str, list[Record]]:
    """The kind of table ``path`` holds and its records; :class:`KbError` names a bad file or line."""
    header, rows = _rows(path)
    kind = table_kind(header)
    if kind is None:
        raise KbError(
            Code.KB_FILE,
            str(path),
            f"header {' '.join(header)!r} is not a KB table",
            "start the file with one of the headers listed in the README's knowledge-base section",
        )
    records: list[Record] = []
    for n, row in rows:
        origin = f"{path}:{n}"
        records.append(_record(kind, row, origin))
    return kind, records


def _record(kind: str, row: dict[str, str], origin: str) -> Record:
    if kind == "roles":
        return Role(
            row["person"],
            row["office"],
            row["country"],
            parse_day(row["start"], origin),
            parse_day(row["end"], origin, end=True),
            row.get("note", ""),
        )
    if kind == "titles":
        return Title(
            row["title"], row["office"], row["gender"], row["number"], row["sector"], row["requires"]
        )
    if kind == "groups":
        return GroupNoun(row["noun"], row["sector"], row.get("number", ""), row["needs_country"] == "yes")
    if not row.get("id"):
        raise KbError(Code.KB_ROW, origin, "a row without an id", "give every row an id such as org:my-group")
    eid, name, names_ar = row["id"], row["name"] or row["id"], split(row.get("names_ar"))
    country = row.get("country") or None
    if kind == "countries":
        iso = row["id"].split(":")[-1]
        names = split(row["names_ar"]) + split(row.get("formal_ar"))
        return KbEntity(
            row["id"], EntityType.GPE, row["name"], names, iso, None,
            nisba=split(row["nisba"]), kind="country", capital=row.get("capital") or None,
        )  # fmt: skip
    if kind == "persons":
        return KbEntity(
            id=eid, name=name, names_ar=names_ar, type=EntityType.PERSON, country=country, sector=row.get("sector") or None,
            short_ar=split(row["short_ar"]), born=row.get("born") or None, died=row.get("died") or None,
        )  # fmt: skip
    if kind == "orgs":
        sector, extra_kind = row.get("sector") or None, None
    elif kind == "places" and row.get("kind") not in _PLACE_KINDS:  # an agency or outlet
        sector, extra_kind = "MED", row.get("kind")
    if kind == "orgs" or (kind == "places" and row.get("kind") not in _PLACE_KINDS):
        return KbEntity(
            id=eid, name=name, names_ar=names_ar, type=EntityType.ORG, country=country, sector=sector,
            abbrev=split(row.get("abbrev")), kind=extra_kind,
        )  # fmt: skip
    if kind == "places":
        place = row.get("kind", "")
        etype = EntityType.LOC if place in _REGION_KINDS else EntityType.GPE
        return KbEntity(id=eid, name=name, names_ar=names_ar, type=etype, country=country, kind=place or None)
    try:
        etype = EntityType(row["type"].upper())
    except ValueError:
        raise KbError(
            Code.KB_ROW, origin, f"unknown type {row['type']!r}", "use PERSON, GPE, LOC, ORG, FAC or EVENT"
        ) from None
    return KbEntity(
        id=eid, name=name, names_ar=names_ar, type=etype, country=country, sector=row.get("sector") or None,
        short_ar=split(row.get("short_ar")), nisba=split(row.get("nisba")), abbrev=split(row.get("abbrev")),
    )  # fmt: skip
