from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.errors import Code, MarsadError
from marsad.store import Store, open_store
from marsad.store.migrations import LATEST_VERSION, MIGRATIONS, split_statements


def _migrations(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()


def test_new_store_records_every_migration(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with open_store(db) as store:
        assert store.schema_version == LATEST_VERSION
    assert _migrations(db) == [(version, name) for version, name, _ in MIGRATIONS]


def test_reopening_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT * FROM schema_migrations").fetchall()
        tables = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    with Store(db) as store:
        assert store.schema_version == LATEST_VERSION
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT * FROM schema_migrations").fetchall() == before
        assert conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == tables


def test_future_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (LATEST_VERSION + 1, "from the future", "2999-01-01T00:00:00+00:00"),
        )
    with pytest.raises(MarsadError) as info:
        Store(db)
    assert info.value.code is Code.STORE_VERSION
    assert info.value.code.value == "MRS032"
    assert "upgrade marsad" in info.value.hint


def test_wal_mode_and_pragmas(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as store:
        conn = store.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_missing_store_without_create(tmp_path: Path) -> None:
    with pytest.raises(MarsadError) as info:
        open_store(tmp_path / "absent.db", create=False)
    assert info.value.code is Code.NOT_FOUND
    assert not (tmp_path / "absent.db").exists()


def test_closed_store_refuses_use(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.db")
    store.close()
    store.close()  # twice is fine
    with pytest.raises(ValueError):
        store.is_known("a", "b")


def test_split_statements_keeps_semicolons_in_strings() -> None:
    sql = (
        "CREATE TABLE t (x TEXT DEFAULT ';');\n"
        "-- a comment; with a semicolon\n"
        "INSERT INTO t VALUES ('a;b');\n"
    )
    assert split_statements(sql) == [
        "CREATE TABLE t (x TEXT DEFAULT ';');",
        "-- a comment; with a semicolon\nINSERT INTO t VALUES ('a;b');",
    ]
