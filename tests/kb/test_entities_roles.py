"""Entity linking and time-aware roles, on a fictional KB (Arnor, Gondor, Rohan).

The actors are invented so that updates to the bundled KB never break these tests; only
the titles, group nouns and honorifics lists are the bundled ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from marsad.extract.entities import EntitiesStage
from marsad.extract.roles import RolesStage
from marsad.ingest.clean import Cleaner
from marsad.ingest.lexicon import Lexicon
from marsad.ingest.metadata import MetadataStage
from marsad.kb.base import KnowledgeBase
from marsad.model import Document
from marsad.pipeline import Pipeline, TokenizeStage, make_document
from marsad.resources import data_path, read_lines

FICTION = Path(__file__).parent / "fictional"


def fictional_kb() -> KnowledgeBase:
    files = [data_path("kb/titles.tsv"), data_path("kb/groups.tsv"), *sorted(FICTION.glob("*.tsv"))]
    files.sort(key=lambda p: p.name.endswith(".roles.tsv"))
    return KnowledgeBase(files, honorifics=read_lines("kb/honorifics.txt"), not_names=["وأن"])


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return fictional_kb()


def run(
    kb: KnowledgeBase, lexicon: Lexicon, text: str, published: dt.date | None, names: object = None
) -> Document:
    stages = [
        Cleaner.load(lexicon),
        TokenizeStage(),
        MetadataStage(lexicon),
        EntitiesStage(kb),
        RolesStage(kb, names=names),  # type: ignore[arg-type]
    ]
    doc = Pipeline(stages).process(make_document(text, published=published))
    for e in doc.entities:
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text
    return doc


def mentions(doc: Document, entity: str) -> list[tuple[str, str | None]]:
    for e in doc.entities:
        if e.id == entity:
            return [(m.text, m.via) for m in e.mentions]
    return []


def test_names_nisba_and_offsets(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    text = "زار إلروند بيريدهيل العاصمة الغوندورية ميناس تيريث، والتقى بالوفد الأرنوري في أوسغيليات."
    doc = run(kb, lexicon, text, dt.date(2024, 3, 1))
    ids = [e.id for e in doc.entities]
    assert ids[:2] == ["person:elrond-peredhel", "country:GND"]
    assert {"city:minas-tirith", "country:ARN", "city:osgiliath"} <= set(ids)
    assert mentions(doc, "country:GND") == [("الغوندورية", "nisba")]
    assert mentions(doc, "city:osgiliath") == [("أوسغيليات", None)]


def test_clitics_are_not_part_of_a_mention(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "قال إن غوندور وأرنور ولغوندور حلفاء.", dt.date(2024, 3, 1))
    assert mentions(doc, "country:ARN") == [("أرنور", None)]
    assert [m for m, _ in mentions(doc, "country:GND")] == ["غوندور", "غوندور"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الوفد إلى روهان أمس.", "country:ROH"),
        ("وصل الوفد إلى ولاية روهان أمس.", "loc:rohan-province"),
        ("قال مسؤولون في غوندور وفي ميناس تيريث إن روهان هادئة.", "loc:rohan-province"),
    ],
)
def test_ambiguous_names_follow_context(
    kb: KnowledgeBase, lexicon: Lexicon, text: str, expected: str
) -> None:
    doc = run(kb, lexicon, text, dt.date(2024, 3, 1))
    linked = [e.id for e in doc.entities if e.id in ("country:ROH", "loc:rohan-province")]
    assert linked == [expected]


@pytest.mark.parametrize(
    ("published", "person", "via"),
    [
        (dt.date(2018, 5, 1), "person:boromir-denethor", "title"),
        (dt.date(2024, 5, 1), "person:ecthelion-mardil", "title"),
        (None, "person:ecthelion-mardil", "title-undated"),
    ],
)
def test_title_and_nisba_give_the_holder_on_the_date(
    kb: KnowledgeBase, lexicon: Lexicon, published: dt.date | None, person: str, via: str
) -> None:
    doc = run(kb, lexicon, "أكد الرئيس الغوندوري أن المحادثات مثمرة.", published)
    assert mentions(doc, person) == [("الرئيس الغوندوري", via)]


def test_title_and_country_name(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "أكد رئيس غوندور أن المحادثات مثمرة.", dt.date(2018, 5, 1))
    assert mentions(doc, "person:boromir-denethor") == [("رئيس غوندور", "title")]


def test_title_followed_by_a_name_keeps_the_name(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    # on 2024-05-01 Ecthelion is president, not foreign minister: the written name wins
    text = "قال وزير الخارجية الغوندوري بورومير دينثور إن الاتفاق قريب."
    doc = run(kb, lexicon, text, dt.date(2024, 5, 1))
    assert mentions(doc, "person:boromir-denethor") == [
        ("وزير الخارجية الغوندوري", "title"),
        ("بورومير دينثور", None),
    ]
    assert mentions(doc, "person:ecthelion-mardil") == []


def test_counterpart_takes_the_last_office(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    text = "استقبل الرئيس الأرنوري إلروند بيريدهيل نظيره الغوندوري في أنوميناس."
    doc = run(kb, lexicon, text, dt.date(2024, 5, 1))
    assert mentions(doc, "person:ecthelion-mardil") == [("نظيره الغوندوري", "counterpart")]
    text = "التقى وزير الخارجية الأرنوري نظيره الغوندوري."
    doc = run(kb, lexicon, text, dt.date(2018, 5, 1))
    assert mentions(doc, "person:glorfindel-amarie") == []  # not yet in office in 2018
    assert mentions(doc, "person:ecthelion-mardil") == [("نظيره الغوندوري", "counterpart")]


def test_organisation_post(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "دعا الأمين العام لمجلس الخاتم إلى التهدئة.", dt.date(2020, 1, 1))
    assert mentions(doc, "person:cirdan-shipwright") == [("الأمين العام لمجلس الخاتم", "title")]


def test_surnames(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    text = "وصل إكثيليون مارديل إلى أنوميناس. وقال مارديل إن الزيارة تاريخية."
    doc = run(kb, lexicon, text, None)
    assert mentions(doc, "person:ecthelion-mardil") == [("إكثيليون مارديل", None), ("مارديل", "surname")]
    # a surname alone: a person in office on the date
    doc = run(kb, lexicon, "قال أماريه إن الزيارة تاريخية.", dt.date(2024, 5, 1))
    assert mentions(doc, "person:glorfindel-amarie") == [("أماريه", "surname")]
    doc = run(kb, lexicon, "قال أماريه إن الزيارة تاريخية.", dt.date(2015, 5, 1))
    assert mentions(doc, "person:glorfindel-amarie") == []


def test_a_dead_person_needs_his_full_name(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "أشاد تارون بالاتفاق.", dt.date(2024, 5, 1))
    assert mentions(doc, "person:arvedui-taron") == []
    doc = run(
        kb,
        lexicon,
        "أحيت أرنور ذكرى الزعيم الراحل أرفيدوي تارون. وكان تارون قد وقع الاتفاق.",
        dt.date(2024, 5, 1),
    )
    assert mentions(doc, "person:arvedui-taron") == [("أرفيدوي تارون", None), ("تارون", "surname")]


def test_unknown_office_holder_is_discovered(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    def names(tokens: Sequence[str]) -> list[str]:
        return [{"ثيودين": "B-PERS", "إيورل": "I-PERS"}.get(t, "O") for t in tokens]

    text = "قال وزير الدفاع الروهاني ثيودين إيورل إن الحدود آمنة."
    doc = run(kb, lexicon, text, dt.date(2024, 5, 1), names=names)
    found = [e for e in doc.entities if e.id.startswith("marsad:person:")]
    assert len(found) == 1
    person = found[0]
    assert (person.name, person.country, person.role) == ("ثيودين إيورل", "ROH", "defence_minister")
    assert [m.text for m in person.mentions] == ["وزير الدفاع الروهاني", "ثيودين إيورل"]
    assert (
        run(kb, lexicon, text, dt.date(2024, 5, 1)).entities[0].id == "country:ROH"
    )  # no name finder: nothing made up


def test_not_names_and_outlets(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "وأكد وأن الأمر محسوم.", dt.date(2024, 5, 1))
    assert doc.entities == ()


def test_a_former_holder_is_not_the_one_in_office(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "انتقد الرئيس الغوندوري السابق الاتفاق.", dt.date(2024, 5, 1))
    assert mentions(doc, "person:ecthelion-mardil") == []
    doc = run(kb, lexicon, "انتقد الرئيس الغوندوري السابق بورومير دينثور الاتفاق.", dt.date(2024, 5, 1))
    assert mentions(doc, "person:boromir-denethor")[0] == ("الرئيس الغوندوري", "title")


def test_bare_title_refers_back_and_quotes_are_skipped(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    text = "وصل الرئيس الغوندوري إلى أنوميناس. وقال الرئيس “مارديل” إن الرئيس سيعود غدا."
    doc = run(kb, lexicon, text, dt.date(2024, 5, 1))
    assert [v for _, v in mentions(doc, "person:ecthelion-mardil")] == [
        "title",
        "title",
        "surname",
        "coreference",
    ]


def test_leader_is_whoever_leads(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "أشاد الزعيم الأرنوري بالاتفاق.", dt.date(2024, 5, 1))
    assert mentions(doc, "person:elrond-peredhel") == [("الزعيم الأرنوري", "title")]


def test_a_name_written_with_the_article_needs_it(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    doc = run(kb, lexicon, "وصل الوفد إلى الحصن ثم غادر بالحصن القديم.", dt.date(2024, 5, 1))
    assert [m for m, _ in mentions(doc, "city:the-fort")] == ["الحصن", "الحصن"]
    doc = run(kb, lexicon, "بنى الأهالي حصن المدينة.", dt.date(2024, 5, 1))
    assert mentions(doc, "city:the-fort") == []


def test_a_courtesy_title_is_not_the_office(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    text = "استقبل الأمير بورومير دينثور الوفد. وقال الرئيس إن الزيارة مهمة."
    doc = run(kb, lexicon, text, dt.date(2024, 5, 1))
    assert mentions(doc, "person:boromir-denethor") == [
        ("بورومير دينثور", None)
    ]  # not "monarch", not president in 2024
    doc = run(kb, lexicon, "وقال الرئيس بورومير دينثور إن الزيارة مهمة.", dt.date(2018, 5, 1))
    assert mentions(doc, "person:boromir-denethor") == [("الرئيس", "title"), ("بورومير دينثور", None)]


def test_a_new_spelling_of_the_holder_is_the_holder(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    def names(tokens: Sequence[str]) -> list[str]:
        return [{"إكثليون": "B-PERS", "ماردل": "I-PERS"}.get(t, "O") for t in tokens]

    doc = run(
        kb, lexicon, "قال الرئيس الغوندوري إكثليون ماردل إن الحدود آمنة.", dt.date(2024, 5, 1), names=names
    )
    assert mentions(doc, "person:ecthelion-mardil") == [
        ("الرئيس الغوندوري", "title"),
        ("إكثليون ماردل", "spelling"),
    ]
    assert not [e for e in doc.entities if e.id.startswith("marsad:")]


def test_a_title_heading_a_genitive_does_not_refer_back(kb: KnowledgeBase, lexicon: Lexicon) -> None:
    text = "وصل الرئيس الغوندوري إلى أنوميناس. واستقبل رئيس أكاديمية العلوم الوفد."
    doc = run(kb, lexicon, text, dt.date(2024, 5, 1))
    assert [v for _, v in mentions(doc, "person:ecthelion-mardil")] == ["title"]
