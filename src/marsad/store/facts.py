"""Queries over stored events and quotes: filters in, plain rows out.

An actor filter matches the source or the target of an event by ISO3 country ("AZE"),
entity id ("person:ilham-aliyev") or name ("Ilham Aliyev", case-insensitive); a speaker
filter matches a quote's speaker the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from marsad.errors import Code, QueryError
from marsad.store.db import Store

__all__ = ["EVENT_COLUMNS", "QUOTE_COLUMNS", "events", "quotes"]

EVENT_COLUMNS = (
    "doc_id", "published", "date", "date_source", "type", "mode", "source_name", "source_country",
    "source_sector", "target_name", "target_country", "target_sector", "location", "context", "evidence",
)  # fmt: skip
QUOTE_COLUMNS = ("doc_id", "published", "speaker_name", "speaker_country", "direct", "cue", "text")


def _who(prefix: str, value: str) -> tuple[str, list[str]]:
    if len(value) == 3 and value.isalpha() and value.isupper():
        return f"{prefix}_country = ?", [value]
    return f"({prefix}_entity = ? OR lower({prefix}_name) = lower(?))", [value, value]


def _select(store: Store, table: str, where: list[str], args: list[Any], order: str, limit: int) -> list[Any]:
    """Rows of ``table`` (aliased, with its document's id and date) matching every clause."""
    alias = table.split()[-1]
    sql = (
        f"SELECT d.doc_id, d.published, {alias}.* FROM {table} JOIN documents d ON d.rowid = {alias}.doc_rowid"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {order} LIMIT ?"
    )
    return list(store.connection.execute(sql, [*args, limit]).fetchall())


def _day(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        dt.date.fromisoformat({4: value + "-01-01", 7: value + "-01"}.get(len(value), value))
    except ValueError:
        raise QueryError(
            Code.BAD_DATE, f"--{name} {value!r} is not a date", "use YYYY-MM-DD, YYYY-MM or YYYY"
        ) from None
    return value


def events(
    store: Store,
    *,
    actor: str | None = None,
    target: str | None = None,
    type: str | None = None,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Stored events matching every filter given, by date then document order."""
    where: list[str] = []
    args: list[Any] = []
    if actor:
        src, a1 = _who("source", actor)
        tgt, a2 = _who("target", actor)
        where.append(f"({src} OR {tgt})")
        args += a1 + a2
    if target:
        clause, a = _who("target", target)
        where.append(clause)
        args += a
    if type:
        where.append("e.type = ?")
        args.append(type.upper())
    if place:
        where.append("lower(e.location) = lower(?)")
        args.append(place)
    if (since := _day(since, "since")) is not None:
        where.append("e.date >= ?")
        args.append(since)
    if (until := _day(until, "until")) is not None:
        where.append("substr(e.date, 1, ?) <= ?")
        args += [len(until), until]
    rows = _select(store, "events e", where, args, "e.date IS NULL, e.date, e.doc_rowid, e.n", limit)
    return [_event_row(r) for r in rows]


def _event_row(row: Any) -> dict[str, Any]:
    out = {k: row[k] for k in EVENT_COLUMNS}
    out["context"] = json.loads(out["context"] or "[]")
    out["source_entity"], out["target_entity"] = row["source_entity"], row["target_entity"]
    out["source_text"], out["target_text"] = row["source_text"], row["target_text"]
    return out


def quotes(
    store: Store, *, speaker: str | None = None, direct_only: bool = False, limit: int = 100
) -> list[dict[str, Any]]:
    """Stored quotes, optionally of one speaker, in document order."""
    where: list[str] = []
    args: list[Any] = []
    if speaker:
        clause, a = _who("speaker", speaker)
        where.append(clause)
        args += a
    if direct_only:
        where.append("q.direct = 1")
    rows = _select(store, "quotes q", where, args, "q.doc_rowid, q.n", limit)
    return [{**{k: row[k] for k in QUOTE_COLUMNS}, "direct": bool(row["direct"])} for row in rows]
