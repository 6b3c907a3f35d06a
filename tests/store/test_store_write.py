from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.errors import Code, InputError
from marsad.model import SourceInfo
from marsad.store import BatchResult, Store, content_hash, raw_hash
from marsad.store.queries import get_document, list_errors, stats

from .helpers import AZERI, CAPITAL, SUMMIT, make_doc, pair


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "w.db") as opened:
        yield opened


def _count(store: Store, table: str) -> int:
    return int(store.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_content_hash_ignores_whitespace_differences() -> None:
    assert content_hash("سطر أول\r\nسطر  ثان  \n") == content_hash("  سطر أول\nسطر ثان")
    assert content_hash("نص") != content_hash("نص آخر")
    assert len(content_hash("")) == 64


def test_same_document_twice_is_stored_once(store: Store) -> None:
    doc = make_doc(CAPITAL, title="النقل")
    first = store.write_batch([pair(doc)], [])
    assert first == BatchResult(documents_added=1, sources_added=1, duplicates=0, errors_recorded=0)
    again = store.write_batch([pair(doc)], [])
    assert again == BatchResult(documents_added=0, sources_added=0, duplicates=1, errors_recorded=0)
    assert (_count(store, "documents"), _count(store, "sources")) == (1, 1)
    assert store.is_known(doc.source.origin, raw_hash(doc.raw))
    assert not store.is_known(doc.source.origin, raw_hash(doc.raw + "x"))


def test_same_content_from_two_origins(store: Store) -> None:
    a = make_doc(CAPITAL, origin="a/article.txt")
    b = make_doc(CAPITAL.replace(" ", "  ") + "\r\n", origin="b/article.html", fmt="html")
    result = store.write_batch([pair(a), pair(b)], [])
    assert result == BatchResult(1, 2, 1, 0)
    assert (_count(store, "documents"), _count(store, "sources")) == (1, 2)
    sources = get_document(store, "article")["sources"]
    assert [s["origin"] for s in sources] == ["a/article.txt", "b/article.html"]
    assert [s["format"] for s in sources] == ["txt", "html"]
    # re-running the same batch adds nothing
    assert store.write_batch([pair(a), pair(b)], []) == BatchResult(0, 0, 2, 0)
    assert stats(store)["duplicates"] == 1


def test_same_doc_id_different_content_gets_suffix(store: Store) -> None:
    a = make_doc(CAPITAL, doc_id="article", origin="x/article.txt")
    b = make_doc(SUMMIT, doc_id="article", origin="y/article.txt")
    store.write_batch([pair(a), pair(b)], [])
    ids = [r[0] for r in store.connection.execute("SELECT doc_id FROM documents ORDER BY rowid")]
    assert ids == ["article", "article-" + content_hash(SUMMIT)[:8]]
    stored = get_document(store, ids[1])
    assert stored["doc_id"] == ids[1]
    assert stored["text"] == SUMMIT


def test_stored_json_is_the_contract(store: Store) -> None:
    doc = make_doc(AZERI, title="زيارة", agency="واس", published=dt.date(2024, 3, 5))
    doc = dataclasses.replace(doc, authors=("سارة",), source=SourceInfo("in/a.txt", "txt", url="https://x"))
    store.write_batch([pair(doc)], [])
    got = get_document(store, "article")
    sources = got.pop("sources")
    assert got == json.loads(json.dumps(doc.to_dict()))
    assert sources[0]["url"] == "https://x"
    raw = store.connection.execute("SELECT data, authors, published FROM documents").fetchone()
    assert "الأذربيجاني" in raw["data"]  # ensure_ascii=False
    assert json.loads(raw["authors"]) == ["سارة"]
    assert raw["published"] == "2024-03-05"


def test_failures_upsert_and_clear_on_success(store: Store) -> None:
    result = store.write_batch(
        [], [("bad/one.txt", "MRS013", "cannot decode"), ("bad/two.bin", Code.BINARY, "binary file")]
    )
    assert result.errors_recorded == 2
    assert _count(store, "errors") == 2
    store.write_batch([], [("bad/one.txt", "MRS013", "cannot decode, again")])
    rows = {e["origin"]: e for e in list_errors(store)}
    assert rows["bad/one.txt"]["count"] == 2
    assert rows["bad/one.txt"]["message"] == "cannot decode, again"
    assert rows["bad/two.bin"]["count"] == 1
    assert rows["bad/two.bin"]["code"] == "MRS012"
    # the input is fixed: its error row goes away
    store.write_batch([pair(make_doc(CAPITAL, origin="bad/one.txt"))], [])
    assert [e["origin"] for e in list_errors(store)] == ["bad/two.bin"]
    assert stats(store)["errors"] == 1


def test_failure_as_input_error(store: Store) -> None:
    err = InputError(Code.EMPTY, "empty.txt", "the file is empty", "remove it or fill it")
    store.write_batch([], [err, err])
    (row,) = list_errors(store)
    assert (row["origin"], row["code"], row["count"]) == ("empty.txt", "MRS011", 2)
    assert "remove it" in row["message"]


def test_failed_batch_writes_nothing(store: Store) -> None:
    good = pair(make_doc(CAPITAL, origin="ok.txt"))
    with pytest.raises(ValueError):
        store.write_batch([good], [("x", "MRS013")])  # type: ignore[list-item]
    assert (_count(store, "documents"), _count(store, "sources"), _count(store, "errors")) == (0, 0, 0)
    assert store.write_batch([good], []).documents_added == 1


def test_user_text_is_never_sql(store: Store) -> None:
    nasty = "x'); DROP TABLE documents; --"
    doc = make_doc(nasty + " " + CAPITAL, doc_id=nasty, origin=nasty, title=nasty)
    store.write_batch([pair(doc)], [(nasty, nasty, nasty)])
    assert get_document(store, nasty)["title"] == nasty
    assert _count(store, "documents") == 1
