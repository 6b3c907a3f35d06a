"""Events and quotes stored one row each, queried by actor, type, place, date and speaker."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from marsad.errors import QueryError
from marsad.model import ActorRef, Event, Location, Quote, Span
from marsad.store import facts, open_store

from .helpers import AZERI, SUMMIT, make_doc, pair

ARNOR = ActorRef(
    text="الرئيس الأرنوري", entity="person:elrond", name="Elrond Peredhel", country="ARN", sector="GOV"
)
GONDOR = ActorRef(text="غوندور", entity="country:GND", name="Gondor", country="GND")


def _event(kind: str, date: str, source: ActorRef, target: ActorRef | None, place: str) -> Event:
    return Event(type=kind, evidence=Span(0, 10, AZERI[:10]), source=source, target=target,
                 location=Location(place, None), date=date, date_source="text")  # fmt: skip


def _store(path: Path) -> Path:
    first = replace(
        make_doc(AZERI, doc_id="a", origin="a.txt", published=dt.date(2024, 8, 19)),
        events=(_event("CONSULT", "2024-08-19", ARNOR, GONDOR, "Annuminas"),
                _event("ASSAULT", "2023-05", GONDOR, None, "Osgiliath")),
        quotes=(Quote(text=AZERI[:20], start=0, end=20, direct=True, cue="قال", speaker=ARNOR),
                Quote(text=AZERI[21:40], start=21, end=40, direct=False, cue="أكد", speaker=GONDOR)),
    )  # fmt: skip
    second = replace(
        make_doc(SUMMIT, doc_id="b", origin="b.txt"),
        events=(_event("CONSULT", "2021", GONDOR, ARNOR, "Minas Tirith"),),
    )
    db = path / "facts.db"
    with open_store(db) as store:
        store.write_batch([pair(first), pair(second)])
    return db


def test_filters(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with open_store(db, create=False) as store:
        assert [e["date"] for e in facts.events(store)] == ["2021", "2023-05", "2024-08-19"]
        assert [e["type"] for e in facts.events(store, actor="ARN")] == ["CONSULT", "CONSULT"]
        assert [e["doc_id"] for e in facts.events(store, actor="Elrond Peredhel", type="consult")] == [
            "b",
            "a",
        ]
        assert [e["date"] for e in facts.events(store, target="ARN")] == ["2021"]
        assert [e["date"] for e in facts.events(store, since="2023-01-01")] == ["2023-05", "2024-08-19"]
        assert [e["date"] for e in facts.events(store, until="2023")] == ["2021", "2023-05"]
        assert [e["location"] for e in facts.events(store, place="osgiliath")] == ["Osgiliath"]
        assert [q["direct"] for q in facts.quotes(store, speaker="person:elrond")] == [True]
        assert len(facts.quotes(store)) == 2 and len(facts.quotes(store, direct_only=True)) == 1
        with pytest.raises(QueryError, match="MRS021"):
            facts.events(store, since="last year")


def test_migration_fills_tables_from_stored_documents(tmp_path: Path) -> None:
    db = _store(tmp_path)
    conn = sqlite3.connect(db)
    conn.executescript(
        "DROP TABLE events; DROP TABLE quotes; DELETE FROM schema_migrations WHERE version = 2;"
    )
    conn.close()
    with open_store(db) as store:  # migration 2 runs again and reads documents.data
        assert len(facts.events(store)) == 3 and len(facts.quotes(store)) == 2


def test_cli_events_and_quotes(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    db = str(_store(tmp_path))
    code, out, _ = cli("events", "--actor", "GND", "--type", "ASSAULT", "--db", db, "--format", "json")
    assert code == 0 and [e["location"] for e in json.loads(out)] == ["Osgiliath"]
    code, out, _ = cli("events", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["type"] for r in rows] == ["CONSULT", "ASSAULT", "CONSULT"]
    code, out, err = cli("quotes", "--speaker", "Elrond Peredhel", "--db", db)
    assert code == 0 and "1 quote(s)" in err
    code, _, err = cli("events", "--db", str(tmp_path / "none.db"))
    assert code == 2
