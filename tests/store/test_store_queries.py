from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from marsad.errors import Code, QueryError
from marsad.store import Store
from marsad.store.migrations import LATEST_VERSION
from marsad.store.queries import get_document, list_errors, stats

from .helpers import AZERI, CAPITAL, SUMMIT, make_doc, pair


def test_unknown_document(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store, pytest.raises(QueryError) as info:
        get_document(store, "nope")
    assert info.value.code is Code.NO_DOCUMENT
    assert info.value.code.value == "MRS031"
    assert "marsad search" in info.value.hint


def test_stats_of_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        got = stats(store)
    assert got["documents"] == got["sources"] == got["errors"] == got["duplicates"] == 0
    assert got["by_agency"] == {} and got["by_format"] == {}
    assert got["published_min"] is None and got["published_max"] is None
    assert got["schema_version"] == LATEST_VERSION


def test_stats_counts(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        store.write_batch(
            [
                pair(
                    make_doc(CAPITAL, doc_id="a", origin="1.txt", agency="واس", published=dt.date(2024, 5, 1))
                ),
                pair(make_doc(CAPITAL, doc_id="a", origin="1.html", fmt="html", agency="واس")),
                pair(
                    make_doc(AZERI, doc_id="b", origin="2.txt", agency="واس", published=dt.date(2023, 1, 9))
                ),
                pair(make_doc(SUMMIT, doc_id="c", origin="3.jsonl#1", fmt="jsonl", agency="أ ش أ")),
            ],
            [("4.txt", "MRS011", "empty"), ("5.bin", "MRS012", "binary")],
        )
        store.write_batch([], [("4.txt", "MRS011", "empty")])
        got = stats(store)
        errors = list_errors(store, limit=1)
    assert (got["documents"], got["sources"], got["duplicates"], got["errors"]) == (3, 4, 1, 2)
    assert got["error_occurrences"] == 3
    assert got["by_agency"] == {"واس": 2, "أ ش أ": 1}
    assert list(got["by_agency"]) == ["واس", "أ ش أ"]
    assert got["by_format"] == {"txt": 2, "html": 1, "jsonl": 1}
    assert (got["published_min"], got["published_max"]) == ("2023-01-09", "2024-05-01")
    assert len(errors) == 1
    assert set(errors[0]) == {"origin", "code", "message", "count", "first_seen", "last_seen"}
