"""Readers turn files, directories, globs, JSONL, JSON arrays, ZIP archives and stdin into documents."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from marsad.errors import Code, InputError
from marsad.ingest.readers import Item, ReadOptions, read_all

TEXT = "أعلنت حكومة أرنور اليوم أنها ستفتح معبرا حدوديا جديدا مع غوندور لتسهيل حركة التجارة بين البلدين."


def items(paths: list[str], **options: object) -> list[Item | InputError]:
    return list(read_all(paths, ReadOptions(**options)))  # type: ignore[arg-type]


def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "one.txt").write_text(TEXT + " ثانيا.", encoding="utf-8")
    (tmp_path / "notes.pdfx").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    found = items([str(tmp_path)])
    assert [r.doc.doc_id for r in found if isinstance(r, Item)] == ["two", "one"]


def test_glob(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.html"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    found = items([str(tmp_path / "*.txt")])
    assert [r.doc.doc_id for r in found if isinstance(r, Item)] == ["a", "b"]
    assert isinstance(items([str(tmp_path / "*.none")])[0], InputError)


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "photo.png").write_bytes(b"\x89PNG")
    missing, empty = items([str(tmp_path / "nope.txt"), str(tmp_path / "empty")])
    assert isinstance(missing, InputError) and missing.code is Code.NOT_FOUND
    assert isinstance(empty, InputError) and empty.code is Code.NO_INPUTS
    assert "no readable files" in str(empty)


def test_jsonl_fields_defaults_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "x1", "title": "عنوان", "content": TEXT, "date": "2024-03-05T10:00:00Z", "source": "Reuters",
         "author": "سامي خليل، ليلى حسن", "url": "https://example.org/1"},
        {"id": "x2", "body": TEXT, "pubDate": "2023-01-02"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    first, second = items([str(path)])
    assert isinstance(first, Item) and isinstance(second, InputError)
    assert first.doc.doc_id == "x1" and first.doc.hints.published == dt.date(2024, 3, 5)
    assert first.doc.hints.authors == ("سامي خليل", "ليلى حسن")
    assert first.doc.source.url == "https://example.org/1"
    assert second.code is Code.NO_TEXT_FIELD and second.origin.endswith("feed.jsonl:2")
    mapped = items([str(path)], fields={"text": "body", "published": "pubDate"})
    assert isinstance(mapped[1], Item) and mapped[1].doc.hints.published == dt.date(2023, 1, 2)


def test_jsonl_with_a_broken_line_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False)
    path.write_text(
        "\n".join([good, '{"id": "b", "text": "نص', good.replace('"a"', '"c"')]), encoding="utf-8"
    )
    found = items([str(path)])
    assert [type(r).__name__ for r in found] == ["Item", "InputError", "Item"]
    broken = found[1]
    assert isinstance(broken, InputError) and broken.code is Code.BAD_JSON and broken.origin.endswith(":2")


def test_saudinewsnet_style_archive(tmp_path: Path) -> None:
    records = [
        {"source": "was", "url": "http://example.sa/1", "date_extracted": "2015-08-03 10:00:00",
         "title": "عنوان أول", "author": "", "content": TEXT},
        {"source": "okaz", "url": "http://example.sa/2", "date_extracted": "2015-08-03 11:00:00",
         "title": "", "author": "فلان", "content": TEXT + " خبر ثان."},
    ]  # fmt: skip
    path = tmp_path / "2015-08-03.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2015-08-03.json", json.dumps(records, ensure_ascii=False))
    first, second = items([str(path)])
    assert isinstance(first, Item) and isinstance(second, Item)
    assert first.doc.doc_id == "2015-08-03-00000"
    assert first.doc.source.format == "saudinewsnet" and first.doc.source.retrieved == "2015-08-03 10:00:00"
    assert first.doc.hints.published is None  # the extraction date is not a publication date
    assert first.doc.hints.agency == "was"
    assert first.doc.source.origin.endswith("2015-08-03.zip#2015-08-03.json[0]")


def test_bad_archive(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    (error,) = items([str(path)])
    assert isinstance(error, InputError) and error.code is Code.BAD_ARCHIVE


def test_stdin_text_and_jsonl() -> None:
    (doc,) = items(["-"], stdin=io.BytesIO(TEXT.encode("utf-8")))
    assert isinstance(doc, Item) and doc.doc.raw == TEXT
    feed = json.dumps({"id": "s1", "text": TEXT}, ensure_ascii=False).encode("utf-8")
    (doc,) = items(["-"], stdin=io.BytesIO(feed))
    assert isinstance(doc, Item) and doc.doc.doc_id == "s1"


def test_published_option_is_a_fallback(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (doc,) = items([str(tmp_path / "a.txt")], published=dt.date(2024, 1, 2))
    assert isinstance(doc, Item) and doc.doc.hints.default_published == dt.date(2024, 1, 2)


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file
    (error,) = items([str(path)])
    assert isinstance(error, InputError) and error.code is Code.TOO_LARGE
    assert "50.0 MB" in str(error) or "52.4 MB" in str(error)
