"""PETRARCH dictionary import, user KB files, and the ``marsad kb`` commands."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from marsad.errors import KbError
from marsad.kb.base import KnowledgeBase
from marsad.kb.petrarch import ImportReport, import_dictionary, parse_dictionary
from marsad.store import open_store
from marsad.store.db import Store

# A dictionary in the PETRARCH layout, about fictional actors.
DICTIONARY = """\
ELROND_PEREDHEL_  # first king
    [ARNGOV 100601-181231]
    [ARNELI >190101]
+إلروند_بيريدهيل_
غوندور  [GND]
مجلس_الخاتم_  [IGO]
BAD_DATES_
    [ARNGOV 1999?-2000]
THEODEN_EORL_
    [ROHGOV 20100101-18000101]
"""


def test_parse_dictionary() -> None:
    report = ImportReport()
    actors = parse_dictionary(DICTIONARY.splitlines(), report)
    assert [a.name for a in actors] == [
        "ELROND PEREDHEL",
        "غوندور",
        "مجلس الخاتم",
        "BAD DATES",
        "THEODEN EORL",
    ]
    elrond = actors[0]
    assert elrond.aliases == ["إلروند بيريدهيل"]
    assert elrond.codes == [
        ("ARNGOV", dt.date(2010, 6, 1), dt.date(2018, 12, 31)),
        ("ARNELI", dt.date(2019, 1, 1), None),
    ]
    assert actors[4].codes == [("ROHGOV", dt.date(2010, 1, 1), None)]  # 18000101: no end
    assert report.skipped == ["line 8: unreadable date '1999?-2000'"]


def test_import_then_load_with_kb(tmp_path: Path) -> None:
    source = tmp_path / "actors.txt"
    source.write_text(DICTIONARY, encoding="utf-8")
    report = import_dictionary(source, tmp_path / "kb")
    assert (report.actors, report.persons, report.roles) == (5, 2, 3)
    kb = KnowledgeBase.load([tmp_path / "kb"])
    elrond = kb.entities["petrarch:elrond-peredhel"]
    assert elrond.type.value == "PERSON" and elrond.country == "ARN"
    assert [r.office for r in kb.roles_of["petrarch:elrond-peredhel"]] == ["GOV", "ELI"]
    assert kb.entities["petrarch:غوندور"].type.value == "GPE"


def test_a_broken_user_kb_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "mine.tsv"
    bad.write_text("what\tever\nx\ty\n", encoding="utf-8")
    with pytest.raises(KbError, match=r"mine\.tsv: MRS050 header"):
        KnowledgeBase.load([bad])
    roles = tmp_path / "r.roles.tsv"
    roles.write_text(
        "person\toffice\tcountry\tstart\tend\nperson:nobody\tpresident\tARN\t2020-13-01\t\n", encoding="utf-8"
    )
    with pytest.raises(KbError, match=r"r.roles.tsv:2: MRS051 '2020-13-01' is not a date"):
        KnowledgeBase.load([roles])


def test_user_entities_file_adds_names(tmp_path: Path) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "id\ttype\tname\tnames_ar\tcountry\tsector\norg:shire-council\tORG\tShire Council\tمجلس شاير\tARN\tGOV\n",
        encoding="utf-8",
    )
    import marsad
    from marsad.pipeline import Pipeline, make_document

    pipeline = Pipeline.default(kb=KnowledgeBase.load([mine]))
    doc = pipeline.process(make_document("اجتمع مجلس شاير أمس في القرية."))
    assert "org:shire-council" in [e.id for e in doc.entities]
    assert "org:shire-council" not in [
        e.id for e in marsad.process("اجتمع مجلس شاير أمس في القرية.").entities
    ]


def test_cli_kb_commands(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    source = tmp_path / "actors.txt"
    source.write_text(DICTIONARY, encoding="utf-8")
    code, out, err = cli("kb", "import-petrarch", str(source), "--out", str(tmp_path / "kb"))
    assert code == 0 and "5 actors" in out and "skipped line 8" in err
    code, out, _ = cli("kb", "stats", "--kb", str(tmp_path / "kb"))
    assert code == 0 and "PERSON" in out
    code, _, err = cli("kb", "stats", "--kb", str(tmp_path / "missing.tsv"))
    assert code == 2 and "MRS050" in err


def test_cli_kb_candidates(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    doc = {
        "doc_id": "a",
        "text": "قال وزير الدفاع الروهاني ثيودين إيورل إن الحدود آمنة.",
        "entities": [{"id": "marsad:person:ثيودين-ايورل", "name": "ثيودين إيورل", "type": "PERSON",
                      "country": "ROH", "role": "defence_minister",
                      "mentions": [{"start": 25, "end": 37, "text": "ثيودين إيورل"}]}],
    }  # fmt: skip
    with open_store(db) as store:
        _insert_raw(store, doc)
    code, out, _ = cli("kb", "candidates", "--db", str(db), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["id"] == "marsad:person:ثيودين-ايورل" and rows[0]["documents"] == 1
    assert rows[0]["examples"] == [doc["text"]]


def _insert_raw(store: Store, doc: dict[str, object]) -> None:
    with store.connection as conn:
        conn.execute(
            "INSERT INTO documents (doc_id, content_hash, text, data, created_at) VALUES (?, ?, ?, ?, ?)",
            (doc["doc_id"], "h", doc["text"], json.dumps(doc, ensure_ascii=False), "2024-01-01"),
        )


def test_cli_ner_tag(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    source = tmp_path / "in.conll"
    source.write_text("وصل O\nالرئيس O\nإلى O\nالقاهرة O\n.\n\nقال O\nالوزير O\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    code, _, err = cli("ner", "tag", "--conll", str(source), "--out", str(out))
    assert code == 0 and "2 sentences" in err
    lines = out.read_text(encoding="utf-8").split("\n")
    rows = [line.split(" ") for line in lines if line]
    assert [r[0] for r in rows] == ["وصل", "الرئيس", "إلى", "القاهرة", ".", "قال", "الوزير"]
    assert all(r[1] == "O" or r[1][:2] in ("B-", "I-") for r in rows)
    assert lines[5] == ""  # the sentence break is kept
