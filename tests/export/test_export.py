"""`marsad export`: five tables in JSONL, CSV and Parquet, PLOVER event fields, CAMEO roots.

The records are written by hand for the tests, with fictional actors (Arnor, Gondor).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import ExportError
from marsad.export import TABLES, CameoMap, columns, export, table_rows, writers
from marsad.resources import read_tsv

Cli = Callable[..., tuple[int, str, str]]
TEXT_A = "أرنور وغوندور تتفقان\n\nزار ملك أرنور العاصمة غوندور وقال: «سنعمل معا». وبلغ حجم التبادل 5 مليارات دولار."
TEXT_B = "غوندور تتهم أرنور\n\nاتهمت غوندور أرنور بشن هجوم بطائرة مسيرة."
TEXT_C = "أخبار أخرى\n\nلا شيء يذكر."


def ref(text: str, **kw: Any) -> dict[str, Any]:
    return {"entity": kw.get("entity"), "name": kw.get("name"), "country": kw.get("country"),
            "sector": kw.get("sector"), "text": text}  # fmt: skip


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def make_records() -> list[dict[str, Any]]:
    king = ref("ملك أرنور", entity="marsad:person:elessar", name="King Elessar", country="ARN", sector="GOV")
    gondor = ref("غوندور", entity="marsad:gpe:gondor", name="Gondor", country="GON", sector="GOV")
    arnor = ref("أرنور", entity="marsad:gpe:arnor", name="Arnor", country="ARN", sector="GOV")
    s, e = span(TEXT_A, "زار ملك أرنور العاصمة غوندور")
    qs, qe = span(TEXT_A, "سنعمل معا")
    cs, ce = span(TEXT_A, "5 مليارات دولار")
    a = {
        "doc_id": "a", "title": "أرنور وغوندور تتفقان", "published": "2031-05-02", "published_source": "metadata",
        "agency": "Arnor Press", "authors": ["Bilbo Baggins", "Frodo Baggins"], "dateline": "Annuminas",
        "language": "ar", "text": TEXT_A, "story": "s-1", "entities": [],
        "events": [{
            "type": "CONSULT", "mode": "visit", "context": ["future", "reported"], "source": king,
            "target": gondor, "location": {"name": "Minas Tirith", "id": "marsad:loc:minas-tirith"},
            "date": "2031-05", "date_source": "text", "evidence": {"start": s, "end": e, "text": TEXT_A[s:e]},
        }],
        "quotes": [{"text": TEXT_A[qs:qe], "direct": True, "cue": "قال", "speaker": king, "start": qs, "end": qe}],
        "claims": [{
            "value": 5000000000, "unit": "USD", "qualifier": "exact", "subject": "trade volume",
            "holder": None, "time": "2030", "text": TEXT_A[cs:ce], "start": cs, "end": ce,
            "corroborated_by": ["b", "c"], "contradicted_by": [],
        }],
        "dates": [],
    }  # fmt: skip
    s, e = span(TEXT_B, "اتهمت غوندور أرنور")
    s2, e2 = span(TEXT_B, "هجوم بطائرة مسيرة")
    b = {
        "doc_id": "b", "title": "غوندور تتهم أرنور", "published": "2031-05-01", "published_source": "text",
        "agency": "Gondor News", "authors": [], "dateline": None, "language": "ar", "text": TEXT_B,
        "story": "s-1", "entities": [],
        "events": [
            {"type": "ACCUSE", "mode": "allege", "context": [], "source": gondor, "target": arnor,
             "location": None, "date": "2031-05-01", "date_source": "publication",
             "evidence": {"start": s, "end": e, "text": TEXT_B[s:e]}},
            {"type": "ASSAULT", "mode": "drone", "context": ["reported"], "source": arnor,
             "target": ref("الأمم المتحدة", entity="Q1065", name="United Nations", sector="IGO"),
             "location": None, "date": None, "date_source": None,
             "evidence": {"start": s2, "end": e2, "text": TEXT_B[s2:e2]}},
        ],
        "quotes": [], "claims": [], "dates": [],
    }  # fmt: skip
    c = {
        "doc_id": "c", "title": "أخبار أخرى", "published": None, "published_source": None, "agency": None,
        "authors": [], "dateline": None, "language": "ar", "text": TEXT_C, "story": "s-2", "entities": [],
        "events": [], "quotes": [], "claims": [], "dates": [],
    }  # fmt: skip
    return [a, b, c]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def plain(value: Any) -> Any:
    """A value read back from Parquet (numpy arrays, NaN, numpy scalars) as plain Python."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


# -- tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_every_table_is_written_in_every_format(fmt: str, tmp_path: Path) -> None:
    counts = export(make_records(), tmp_path / "out", fmt)
    assert counts == {"documents": 3, "events": 3, "quotes": 1, "claims": 1, "stories": 2}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{t}.{fmt}" for t in TABLES)


def test_event_columns_use_plover_field_names(tmp_path: Path) -> None:
    export(make_records(), tmp_path, "jsonl")
    rows = read_jsonl(tmp_path / "events.jsonl")
    side = ["code", "sector", "entity_text", "identifier_id", "identifier_text"]
    assert list(rows[0]) == [
        "id", "doc_id", "story", "index", "date", "date_source", "event", "mode", "context",
        *(f"actor_{f}" for f in side), *(f"recipient_{f}" for f in side),
        "resolved_place", "resolved_place_id", "event_text", "start", "end",
    ]  # fmt: skip
    first = rows[0]
    assert (first["id"], first["event"], first["mode"], first["context"]) == (
        "a-e0", "CONSULT", "visit", ["future", "reported"])  # fmt: skip
    assert (first["actor_code"], first["actor_sector"], first["actor_identifier_id"]) == (
        "ARN", "GOV", "marsad:person:elessar")  # fmt: skip
    assert (first["actor_identifier_text"], first["actor_entity_text"]) == ("King Elessar", "ملك أرنور")
    assert (first["recipient_code"], first["recipient_identifier_text"]) == ("GON", "Gondor")
    assert (first["resolved_place"], first["date"]) == ("Minas Tirith", "2031-05")
    assert first["date_source"] == "text"
    assert TEXT_A[first["start"] : first["end"]] == first["event_text"]
    un = rows[2]  # an international organisation: no country, sector IGO
    assert (un["recipient_code"], un["recipient_sector"], un["date"]) == (None, "IGO", None)


def test_documents_quotes_claims_and_stories(tmp_path: Path) -> None:
    export(make_records(), tmp_path, "jsonl")
    doc = read_jsonl(tmp_path / "documents.jsonl")[0]
    assert doc["text"] == TEXT_A and doc["authors"] == ["Bilbo Baggins", "Frodo Baggins"]
    assert (doc["event_count"], doc["quote_count"], doc["claim_count"], doc["story"]) == (1, 1, 1, "s-1")
    quote = read_jsonl(tmp_path / "quotes.jsonl")[0]
    assert (quote["speaker_name"], quote["speaker_country"], quote["direct"], quote["cue"]) == (
        "King Elessar", "ARN", True, "قال")  # fmt: skip
    assert TEXT_A[quote["start"] : quote["end"]] == quote["text"]
    claim = read_jsonl(tmp_path / "claims.jsonl")[0]
    assert (claim["value"], claim["unit"], claim["corroborated_by"], claim["contradicted_by"]) == (
        5000000000, "USD", ["b", "c"], [])  # fmt: skip
    stories = read_jsonl(tmp_path / "stories.jsonl")
    assert stories[0] == {
        "story": "s-1", "document_count": 2, "doc_ids": ["a", "b"], "first_published": "2031-05-01",
        "last_published": "2031-05-02", "agencies": ["Arnor Press", "Gondor News"],
        "title": "غوندور تتهم أرنور",  # the earliest published document's title
    }  # fmt: skip
    assert stories[1]["doc_ids"] == ["c"] and stories[1]["first_published"] is None


def test_rows_stream_one_record_at_a_time() -> None:
    taken: list[str] = []

    def records() -> Iterator[dict[str, Any]]:
        for record in make_records():
            taken.append(record["doc_id"])
            yield record

    rows = table_rows(records())
    assert next(rows)[0] == "documents" and taken == ["a"]
    assert [table for table, _ in rows][-2:] == ["stories", "stories"] and taken == ["a", "b", "c"]


# -- CAMEO -------------------------------------------------------------------------------


def test_cameo_column_only_when_asked(tmp_path: Path) -> None:
    export(make_records(), tmp_path / "plain", "jsonl")
    assert "cameo_root" not in read_jsonl(tmp_path / "plain" / "events.jsonl")[0]
    export(make_records(), tmp_path / "cameo", "csv", cameo=True)
    rows = read_csv(tmp_path / "cameo" / "events.csv")
    assert [r["cameo_root"] for r in rows] == ["04", "11", "19"]
    assert list(rows[0]).index("cameo_root") == list(rows[0]).index("context") + 1


def test_every_event_type_and_mode_maps_to_a_cameo_root() -> None:
    cameo = CameoMap.load()
    polecat = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT"}  # fmt: skip
    assert cameo.types == polecat
    for row in read_tsv("events/triggers.tsv"):  # every type and mode the events stage can give
        root = cameo.root(row["type"], row["mode"] or None)
        assert root is not None and 1 <= int(root) <= 20, row
    assert cameo.root("ACCUSE", "investigate") == "09"
    assert cameo.root("ACCUSE", "disapprove") == cameo.root("ACCUSE") == "11"
    assert cameo.root("RETREAT", "release") == cameo.root("CONCEDE") == "08"
    assert (cameo.root("ASSAULT", "abduct"), cameo.root("ASSAULT", "aerial")) == ("18", "19")
    assert cameo.root("ASSAULT", "unconventional") == "20"
    assert cameo.root("COERCE", "a-mode-without-a-row") == "17"
    assert cameo.root("NOT_A_TYPE") is None and cameo.root(None) is None


# -- formats -----------------------------------------------------------------------------


def test_lists_survive_csv_joined_with_bars(tmp_path: Path) -> None:
    export(make_records(), tmp_path, "csv")
    doc = read_csv(tmp_path / "documents.csv")[0]
    assert doc["authors"].split("|") == ["Bilbo Baggins", "Frodo Baggins"] and doc["text"] == TEXT_A
    assert read_csv(tmp_path / "events.csv")[0]["context"] == "future|reported"
    claim = read_csv(tmp_path / "claims.csv")[0]
    assert (claim["corroborated_by"], claim["contradicted_by"]) == ("b|c", "")
    assert read_csv(tmp_path / "quotes.csv")[0]["direct"] == "true"
    assert read_csv(tmp_path / "stories.csv")[0]["doc_ids"] == "a|b"


def test_parquet_reads_back_in_pandas_and_duckdb_as_the_jsonl(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    export(make_records(), tmp_path / "j", "jsonl", cameo=True)
    export(make_records(), tmp_path / "p", "parquet", cameo=True, batch_rows=2)  # several row groups
    for table in TABLES:
        path = tmp_path / "p" / f"{table}.parquet"
        expected = read_jsonl(tmp_path / "j" / f"{table}.jsonl")
        names = [c.name for c in columns(table, cameo=True)]
        frame = pd.read_parquet(path)
        assert list(frame.columns) == names
        from_pandas = [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
        relation = duckdb.sql(f"SELECT * FROM '{path}'")
        from_duckdb = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
        assert from_pandas == expected, table
        assert from_duckdb == expected, table
    schema = pq.read_schema(tmp_path / "p" / "events.parquet")
    assert schema.field("context").type == pa.list_(pa.string())
    assert schema.field("start").type == pa.int64() and schema.field("event").type == pa.string()
    assert pq.read_schema(tmp_path / "p" / "claims.parquet").field("value").type == pa.float64()
    assert pq.read_schema(tmp_path / "p" / "quotes.parquet").field("direct").type == pa.bool_()
    assert pq.ParquetFile(tmp_path / "p" / "events.parquet").metadata.num_row_groups == 2
    got = duckdb.sql(f"SELECT doc_id, event, cameo_root FROM '{tmp_path / 'p' / 'events.parquet'}'"
                     " WHERE list_contains(context, 'reported') ORDER BY id").fetchall()  # fmt: skip
    assert got == [("a", "CONSULT", "04"), ("b", "ASSAULT", "19")]


def test_empty_store_gives_empty_tables_with_their_columns(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    assert set(export([], tmp_path, "parquet").values()) == {0}
    assert pq.read_schema(tmp_path / "events.parquet").names == [c.name for c in columns("events")]
    export([], tmp_path, "csv")
    assert (tmp_path / "quotes.csv").read_text(encoding="utf-8").startswith("doc_id,story,index,")


def test_missing_pyarrow_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ExportError) as info:
        export(make_records(), tmp_path / "out", "parquet")
    assert info.value.code.value == "MRS070" and 'pip install "marsad[parquet]"' in str(info.value)
    assert not (tmp_path / "out").exists()
    db = tmp_path / "empty.db"
    from marsad.store import open_store

    open_store(db).close()
    code, _, err = cli("export", "--db", str(db), "--out", str(tmp_path / "out"), "--format", "parquet")
    assert code == 2 and "MRS070" in err and "marsad[parquet]" in err


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="MRS071"):
        export(make_records(), tmp_path, "xlsx")


# -- atomic replace ----------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_failing_writer_leaves_the_previous_export_intact(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    export(make_records(), tmp_path, fmt)
    before = snapshot(tmp_path)
    sink = {"jsonl": writers._JsonlSink, "csv": writers._CsvSink, "parquet": writers._ParquetSink}[fmt]
    written: list[int] = []

    def broken(self: Any, row: dict[str, Any]) -> None:
        written.append(1)
        if len(written) > 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(sink, "write", broken)
    with pytest.raises(ExportError, match="MRS072"):
        export(make_records()[:1], tmp_path, fmt)
    assert snapshot(tmp_path) == before  # same files, same bytes, no temporary files left


def test_a_failing_record_stream_leaves_the_previous_export_intact(tmp_path: Path) -> None:
    export(make_records(), tmp_path, "jsonl")
    before = snapshot(tmp_path)

    def records() -> Iterator[dict[str, Any]]:
        yield make_records()[2]
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        export(records(), tmp_path, "jsonl")
    assert snapshot(tmp_path) == before
    export(make_records()[2:], tmp_path, "jsonl")  # a good export replaces them
    assert len(read_jsonl(tmp_path / "documents.jsonl")) == 1


# -- end to end --------------------------------------------------------------------------

ARTICLE = (
    "هجوم على قافلة قرب مدينة ميناس\n\n"
    "قال المتحدث باسم حكومة غوندور يوم الاثنين 3 يونيو/حزيران 2031 إن مسلحين هاجموا قافلة تجارية "
    "قرب مدينة ميناس، مما أدى إلى مقتل 12 شخصا. وأضاف: «لن نسمح بتكرار هذا الهجوم».\n"
)


def test_ingest_then_export_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "caravan.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "m.db"
    code, _, err = cli("ingest", str(tmp_path / "in"), "--db", str(db), "--published", "2031-06-04")
    assert code == 0, err
    for fmt in ("jsonl", "csv", "parquet"):
        code, _, err = cli(
            "export", "--db", str(db), "--out", str(tmp_path / fmt), "--format", fmt, "--cameo"
        )
        assert code == 0, err
        assert all(name in err for name in TABLES) and str(tmp_path / fmt) in err
    docs = read_jsonl(tmp_path / "jsonl" / "documents.jsonl")
    assert [d["doc_id"] for d in docs] == ["caravan"] and docs[0]["published"] == "2031-06-04"
    text = docs[0]["text"]
    events = read_jsonl(tmp_path / "jsonl" / "events.jsonl")
    assert events and docs[0]["event_count"] == len(events)
    for event in events:
        assert event["doc_id"] == "caravan" and event["event"] == "ASSAULT" and event["cameo_root"] == "19"
        assert text[event["start"] : event["end"]] == event["event_text"]
    quotes = read_jsonl(tmp_path / "jsonl" / "quotes.jsonl")
    assert any(q["direct"] and q["text"] == "لن نسمح بتكرار هذا الهجوم" for q in quotes)
    claims = read_jsonl(tmp_path / "jsonl" / "claims.jsonl")
    assert any(c["value"] == 12 and c["unit"] == "person" for c in claims)
    stories = read_jsonl(tmp_path / "jsonl" / "stories.jsonl")
    assert [s["doc_ids"] for s in stories] == ([["caravan"]] if docs[0]["story"] else [])
    assert len(read_csv(tmp_path / "csv" / "events.csv")) == len(events)
    pd = pytest.importorskip("pandas")
    assert len(pd.read_parquet(tmp_path / "parquet" / "events.parquet")) == len(events)


def test_a_story_takes_the_title_of_its_first_document_that_has_one() -> None:
    from marsad.export.tables import story_rows

    records = [
        {"doc_id": "wire", "story": "s-1", "published": "2024-05-06", "title": None, "agency": "AA"},
        {"doc_id": "later", "story": "s-1", "published": "2024-05-07", "title": "وصول الوفد", "agency": None},
        {"doc_id": "last", "story": "s-1", "published": "2024-05-08", "title": "الوفد في العاصمة"},
    ]
    (row,) = story_rows(records)
    assert row["title"] == "وصول الوفد" and row["doc_ids"] == ["wire", "later", "last"]
    assert row["first_published"] == "2024-05-06" and row["agencies"] == ["AA"]
