"""Published date, agency, dateline and authors, each from where a reader would look."""

from __future__ import annotations

import datetime as dt

import pytest

from marsad.model import Document, Hints, SourceInfo
from marsad.pipeline import Pipeline

BODY = "وقال المتحدث باسم الحكومة إن المحادثات ستتواصل الأسبوع المقبل بمشاركة وفود من عدة دول."


def run(pipeline: Pipeline, raw: str, **hints: object) -> Document:
    doc = Document(doc_id="m", raw=raw, source=SourceInfo("m.txt", "txt"), hints=Hints(**hints))  # type: ignore[arg-type]
    return pipeline.process(doc)


@pytest.mark.parametrize(
    ("header", "agency", "dateline"),
    [
        ("باكو/ الأناضول", "Anadolu Agency", "Baku"),
        ("موسكو (تاس)", "TASS", "Moscow"),
        ("الرياض - واس", "Saudi Press Agency", "Riyadh"),
        ("وكالة أذرتاج", "AZERTAC", None),
        ("المصدر: رويترز", "Reuters", None),
        ("المصدر : وكالة فرانس برس", "Agence France-Presse", None),
    ],
)
def test_agency_and_dateline_lines(
    pipeline: Pipeline, header: str, agency: str, dateline: str | None
) -> None:
    doc = run(pipeline, f"عنوان الخبر المحلي اليوم\n{header}\n{BODY}")
    assert (doc.agency, doc.dateline) == (agency, dateline)
    assert header not in doc.text


@pytest.mark.parametrize(
    ("opening", "agency", "dateline"),
    [
        ("القاهرة (رويترز) - ", "Reuters", "Cairo"),
        ("الرياض - واس: ", "Saudi Press Agency", "Riyadh"),
        ("بيروت - أ ف ب: ", "Agence France-Presse", "Beirut"),
    ],
)
def test_inline_dateline_keeps_the_sentence(
    pipeline: Pipeline, opening: str, agency: str, dateline: str
) -> None:
    doc = run(pipeline, f"عنوان الخبر\n{opening}{BODY}")
    assert (doc.agency, doc.dateline) == (agency, dateline)
    assert opening.strip() in doc.text


def test_an_agency_quoted_in_the_body_is_not_the_credit(pipeline: Pipeline) -> None:
    doc = run(pipeline, f"عنوان الخبر\nوذكرت وكالة رويترز أن الاجتماع تأجل. {BODY}")
    assert doc.agency is None


def test_agency_named_in_a_footer_disclaimer(pipeline: Pipeline) -> None:
    tail = "الأخبار المنشورة على الصفحة الرسمية لوكالة الأناضول مختصرة ومتاحة كاملة للمشتركين."
    doc = run(pipeline, f"{BODY} {tail}")
    assert doc.agency == "Anadolu Agency"


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("٢٦ نوفمبر ٢٠٢١", "2021-11-26"),
        ("الأحد 12 مايو 2024", "2024-05-12"),
        ("3 تشرين الأول 2023", "2023-10-03"),
        ("الأربعاء 5 جوان 2024", "2024-06-05"),
        ("24 مايو/أيار 2024", "2024-05-24"),
        ("تاريخ النشر: 14.03.2024 - 10:30", "2024-03-14"),
        ("Ahmet Yilmaz, Leyla Aydin  | 14.03.2024 - محدث : 15.03.2024", "2024-03-14"),
        ("نشر في 2022-07-01", "2022-07-01"),
    ],
)
def test_published_from_a_header_line(pipeline: Pipeline, line: str, value: str) -> None:
    doc = run(pipeline, f"عنوان الخبر المهم\n{line}\n{BODY}")
    assert doc.published == dt.date.fromisoformat(value)
    assert doc.published_source == "text"
    assert dict(doc.evidence)["published"] == line.strip()


def test_dates_in_the_body_are_not_the_publication_date(pipeline: Pipeline) -> None:
    doc = run(pipeline, f"عنوان الخبر\nووقع البلدان الاتفاق في 27 سبتمبر 2020 بعد مفاوضات طويلة. {BODY}")
    assert doc.published is None and doc.published_source is None


def test_metadata_beats_text_and_option_is_last(pipeline: Pipeline) -> None:
    raw = f"عنوان الخبر\n٢٦ نوفمبر ٢٠٢١\n{BODY}"
    assert run(pipeline, raw, published=dt.date(2021, 11, 27)).published == dt.date(2021, 11, 27)
    fallback = dt.date(2020, 1, 1)
    assert run(pipeline, raw, default_published=fallback).published == dt.date(2021, 11, 26)
    undated = run(pipeline, f"عنوان الخبر\n{BODY}", default_published=fallback)
    assert (undated.published, undated.published_source) == (fallback, "metadata")


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Ruslan Karimov, Aylin Demir  | 19.08.2024 - محدث : 19.08.2024", ("Ruslan Karimov", "Aylin Demir")),
        ("بقلم: سامي خليل", ("سامي خليل",)),
        ("كتب: ليلى حسن وعمر فاروق", ("ليلى حسن", "عمر فاروق")),
    ],
)
def test_authors_from_bylines(pipeline: Pipeline, line: str, authors: tuple[str, ...]) -> None:
    doc = run(pipeline, f"عنوان الخبر\n{line}\n{BODY}")
    assert doc.authors == authors
    assert line.strip() not in doc.text


def test_outlet_from_input_metadata_when_the_text_credits_none(pipeline: Pipeline) -> None:
    assert run(pipeline, BODY, agency="was").agency == "Saudi Press Agency"
    assert run(pipeline, BODY, agency="Unknown Gazette").agency == "Unknown Gazette"
    assert run(pipeline, f"موسكو (تاس)\n{BODY}", agency="okaz").agency == "TASS"
