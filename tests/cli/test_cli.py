"""The command line: ingest, extract, show, search, stats, errors; exit codes 0/1/2."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, str, str]]
TEXT = "أرنور تفتح سفارة في غوندور\n\nأعلن وزير الخارجية بالعاصمة الأذربيجانية أن السفارة ستفتح أبوابها الشهر المقبل."
OTHER = "غوندور ترحب\n\nرحبت حكومة غوندور بقرار أرنور فتح سفارة في العاصمة، ووصفته بأنه خطوة شجاعة."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="cp1256")
    return folder


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sources", "errors")
        )  # type: ignore[return-value]


def test_ingest_then_rerun_adds_nothing(cli: Cli, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    code, out, _ = cli("ingest", str(corpus), "--db", str(db))
    assert code == 0 and "2 new documents" in out
    code, out, _ = cli("ingest", str(corpus), "--db", str(db))
    assert code == 0 and "0 new documents" in out and "2 already stored" in out
    assert counts(db) == (2, 2, 0)


def test_same_article_in_two_files_is_one_document_with_two_sources(
    cli: Cli, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "copy.txt").write_text(TEXT.replace("\n", "\r\n") + "\n", encoding="utf-16")
    db = tmp_path / "m.db"
    cli("ingest", str(corpus), "--db", str(db))
    assert counts(db) == (2, 3, 0)


def test_bad_inputs_fail_alone_and_stored_data_stays(cli: Cli, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    assert cli("ingest", str(corpus), "--db", str(db))[0] == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "invalid.txt").write_bytes(TEXT[:8].encode() + b"\xff\xfe" + TEXT[8:].encode())
    (bad / "broken.html").write_text("<html><body><div><script>var x = 1;</script>", encoding="utf-8")
    good_line = json.dumps({"id": "j1", "text": OTHER + " جديد."}, ensure_ascii=False)
    (bad / "feed.jsonl").write_text(good_line + '\n{"id": "j2", "text": \n', encoding="utf-8")
    with (bad / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (bad / "nothing").mkdir()
    (bad / "nothing" / "notes.bin").write_bytes(b"\x00")
    (bad / "ok.txt").write_text(TEXT + " ملحق.", encoding="utf-8")
    code, out, err = cli("ingest", str(bad / "*.*"), str(bad / "nothing"), "--db", str(db))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("failed:")]
    expected = {"empty.txt": "MRS011", "binary.txt": "MRS012", "invalid.txt": "MRS013", "broken.html": "MRS015",
                "feed.jsonl:2": "MRS016", "huge.txt": "MRS014", "nothing": "MRS018"}  # fmt: skip
    for name, code_ in expected.items():
        assert any(name in line and code_ in line for line in lines), (name, lines)
    documents, _sources, errors = counts(db)
    assert documents == 4 and errors == len(expected)
    code, out, _ = cli("stats", "--db", str(db), "--format", "json")
    stats = json.loads(out)
    assert (stats["documents"], stats["sources"], stats["errors"]) == (4, 4, 7)
    code, out, _ = cli("errors", "--db", str(db))
    assert "MRS014" in out


def test_extract_prints_the_contract(cli: Cli, corpus: Path) -> None:
    code, out, _ = cli("extract", str(corpus / "a.txt"), "--published", "2024-08-19")
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["doc_id"] == "a" and record["published"] == "2024-08-19"
    assert record["title"] == "أرنور تفتح سفارة في غوندور" and record["events"] == []
    code, out, _ = cli("extract", str(corpus), "--format", "json")
    assert [r["doc_id"] for r in json.loads(out)] == ["a", "b"]


def test_extract_over_several_files_fills_stories_and_inferred_dates(cli: Cli, tmp_path: Path) -> None:
    fiction = Path(__file__).parents[1] / "kb" / "fictional"
    kb = [arg for path in sorted(fiction.glob("*.tsv")) for arg in ("--kb", str(path))]
    folder = tmp_path / "visit"
    folder.mkdir()
    (folder / "dated.txt").write_text(
        "استقبل الرئيس الأرنوري إلروند بيريدهيل نظيره الغوندوري إكثيليون مارديل في أنوميناس يوم 6 مايو 2024.",
        encoding="utf-8",
    )
    (folder / "undated.txt").write_text(
        "وصل الرئيس الغوندوري إكثيليون مارديل، الاثنين، إلى أنوميناس في زيارة رسمية يلتقي خلالها نظيره الأرنوري.",
        encoding="utf-8",
    )
    code, out, _ = cli("extract", str(folder), *kb)
    assert code == 0
    dated, undated = sorted((json.loads(line) for line in out.splitlines()), key=lambda r: r["doc_id"])
    assert dated["story"] and dated["story"] == undated["story"]
    assert (undated["published"], undated["published_source"]) == ("2024-05-06", "inferred")


def test_extract_from_stdin(cli: Cli) -> None:
    code, out, _ = cli("extract", "-", stdin=TEXT.encode("utf-8"))
    assert code == 0 and json.loads(out)["title"] == "أرنور تفتح سفارة في غوندور"


def test_show_and_search(cli: Cli, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    cli("ingest", str(corpus), "--db", str(db))
    code, out, _ = cli("search", "العاصمة", "--db", str(db), "--format", "json")
    assert code == 0 and {h["doc_id"] for h in json.loads(out)} == {"a", "b"}
    code, out, _ = cli("search", "الاذربيجانية", "--db", str(db), "--format", "json")
    assert [h["doc_id"] for h in json.loads(out)] == ["a"]
    code, out, _ = cli("search", 'NEAR( "سفارة', "--db", str(db))
    assert code == 0
    code, out, _ = cli("show", "a", "--db", str(db))
    assert code == 0 and json.loads(out)["sources"][0]["encoding"] == "utf-8"
    code, _, err = cli("show", "missing", "--db", str(db))
    assert code == 2 and "MRS031" in err


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert cli()[0] == 2
    assert cli("extract", "x.txt", "--published", "19.08.2024")[0] == 2
    assert cli("extract", "x.txt", "--field", "nonsense")[0] == 2
    code, _, err = cli("stats", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no store" in err


@pytest.mark.parametrize("command", ["ingest", "extract", "show", "search", "stats", "errors", "eval"])
def test_every_command_has_help(cli: Cli, command: str) -> None:
    code, out, _ = cli(command, "--help")
    assert code == 0 and "usage: marsad" in out


def test_eval_gate_fails_below_a_floor_and_above_a_ceiling(cli: Cli, tmp_path: Path) -> None:
    gold = {
        "documents": {
            "d1": {"metadata": {"title": "عنوان", "published": None, "agency": None, "dateline": None}}
        }
    }
    output = {
        "doc_id": "d1",
        "title": "عنوان",
        "text": "عنوان\n\nنص.",
        "dates": [{"start": 0, "end": 3, "text": "xyz"}],
    }
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "out.jsonl").write_text(json.dumps(output, ensure_ascii=False) + "\n", encoding="utf-8")
    floors = {"floors": {"metadata.accuracy": 1.0}, "ceilings": {"spans.invalid": 0}}
    (tmp_path / "floors.json").write_text(json.dumps(floors), encoding="utf-8")
    code, out, err = cli(
        "eval",
        str(tmp_path / "gold.json"),
        str(tmp_path / "out.jsonl"),
        "--floors",
        str(tmp_path / "floors.json"),
    )
    assert code == 1
    assert "metadata.accuracy" in out
    assert "spans.invalid = 1 is above its ceiling 0" in err
    code, _, err = cli("eval", str(tmp_path / "gold.json"), str(tmp_path / "out.jsonl"))
    assert code == 0
