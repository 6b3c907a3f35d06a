"""The dates stage: forms, resolution against the publication date, spans, and a fuzz test.

Every sentence is written for these tests; the places are fictional.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import normalize
from marsad.extract.dates import DatesStage
from marsad.extract.dates_calendar import hijri_converter
from marsad.model import DateMention, Document, Granularity, SourceInfo
from marsad.pipeline import Pipeline
from marsad.resources import read_tsv

MON = dt.date(2024, 8, 19)  # a Monday
FRI = dt.date(2021, 11, 26)  # a Friday
HAS_HIJRIDATE = importlib.util.find_spec("hijridate") is not None

D, M, Y = Granularity.DAY, Granularity.MONTH, Granularity.YEAR
Expected = list[tuple[str, str | None, Granularity | None]]


@pytest.fixture(scope="module")
def stage() -> DatesStage:
    return DatesStage.load()


def found(stage: DatesStage, text: str, published: dt.date | None) -> Expected:
    mentions = stage.find(text, published)
    check_spans(text, mentions)
    return [(m.text, m.value, m.granularity) for m in mentions]


def check_spans(text: str, mentions: tuple[DateMention, ...]) -> None:
    last = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.text
        assert last <= m.start < m.end  # in order, not overlapping
        last = m.end


CASES: list[tuple[str, dt.date | None, Expected]] = [
    # numeric dates, day first, with / . - and Arabic-Indic digits
    ("افتتح الجسر في 19.08.2024 بحضور المحافظ.", MON, [("19.08.2024", "2024-08-19", D)]),
    ("صدر المرسوم بتاريخ ٢٦/١١/٢٠٢١ في وادي الصفصاف.", MON, [("٢٦/١١/٢٠٢١", "2021-11-26", D)]),
    ("جرت الانتخابات 3-5-2019 في زهرستان.", MON, [("3-5-2019", "2019-05-03", D)]),
    ("نشر البيان 2024-08-19 على الموقع.", MON, [("2024-08-19", "2024-08-19", D)]),
    ("أغلق المعبر الخميس 15/08/2024 مساء.", MON, [("الخميس 15/08/2024", "2024-08-15", D)]),
    # month names: day + month (+ pair) + year, month + year, paired month alone
    (
        "وصل الوفد في 27 سبتمبر/ أيلول 2020 إلى قرية السنديان.",
        MON,
        [("27 سبتمبر/ أيلول 2020", "2020-09-27", D)],
    ),
    ("وقعت الاتفاقية في 5 مايو/أيار 2018.", MON, [("5 مايو/أيار 2018", "2018-05-05", D)]),
    ("تأسس المجلس في 3 نوفمبر/تشرين الثاني 2015.", MON, [("3 نوفمبر/تشرين الثاني 2015", "2015-11-03", D)]),
    ("ارتفعت الأسعار في سبتمبر 2023 بشدة.", MON, [("سبتمبر 2023", "2023-09", M)]),
    ("افتتح السوق في الأول من أكتوبر 2022.", MON, [("الأول من أكتوبر 2022", "2022-10-01", D)]),
    ("عاد السفير في الـ12 من شهر فبراير 2021.", MON, [("الـ12 من شهر فبراير 2021", "2021-02-12", D)]),
    ("أعلن الحزب برنامجه في 9 جوان 2019 بمدينة الريحان.", MON, [("9 جوان 2019", "2019-06-09", D)]),
    ("انطلق المهرجان في 14 شتنبر 2023.", MON, [("14 شتنبر 2023", "2023-09-14", D)]),
    ("تقرر ذلك في 2 كانون الثاني 2020.", MON, [("2 كانون الثاني 2020", "2020-01-02", D)]),
    ("صدر الحكم في 8 مارس 2024م.", MON, [("8 مارس 2024م", "2024-03-08", D)]),
    ("عقد اللقاء الأحد 18 أغسطس 2024 في قصر النخيل.", MON, [("الأحد 18 أغسطس 2024", "2024-08-18", D)]),
    # a month without a year: the most recent such month on or before publication
    ("اجتمع المجلس في سبتمبر/أيلول لمناقشة الموازنة.", MON, [("سبتمبر/أيلول", "2023-09", M)]),
    ("اجتمع المجلس في أغسطس لمناقشة الموازنة.", MON, [("أغسطس", "2024-08", M)]),
    ("ستجرى الانتخابات في مايو/أيار المقبل.", MON, [("مايو/أيار المقبل", "2025-05", M)]),
    ("بدأت المحادثات في أبريل/ نيسان الماضي.", MON, [("أبريل/ نيسان الماضي", "2024-04", M)]),
    ("توقفت المحادثات في يونيو/ حزيران الماضي.", MON, [("يونيو/ حزيران الماضي", "2024-06", M)]),
    ("انتهت الهدنة في أغسطس الماضي.", MON, [("أغسطس الماضي", "2023-08", M)]),
    ("يعقد المؤتمر في أكتوبر من العام الجاري.", MON, [("أكتوبر من العام الجاري", "2024-10", M)]),
    ("ستفتح المدارس منتصف سبتمبر المقبل.", MON, [("منتصف سبتمبر المقبل", "2024-09", M)]),
    ("عاد اللاجئون مطلع يونيو.", MON, [("مطلع يونيو", "2024-06", M)]),
    ("انتهت الأشغال أواخر يونيو 2024.", MON, [("أواخر يونيو 2024", "2024-06", M)]),
    ("زار الوزير المدينة خلال شهر يوليو.", MON, [("شهر يوليو", "2024-07", M)]),
    (
        "اعتقل الناشط في 10 نوفمبر/تشرين الثاني من العام الماضي.",
        FRI,
        [
            ("10 نوفمبر/تشرين الثاني من العام الماضي", "2020-11-10", D),
        ],
    ),
    ("أفرج عنه في 10 نوفمبر.", FRI, [("10 نوفمبر", "2021-11-10", D)]),
    ("سيعقد الاجتماع في 20 ديسمبر المقبل.", FRI, [("20 ديسمبر المقبل", "2021-12-20", D)]),
    # years
    ("كان عام 2023 صعبا على المزارعين.", MON, [("عام 2023", "2023", Y)]),
    ("في 2022 تضاعف عدد الزوار.", MON, [("2022", "2022", Y)]),
    ("شيد القصر سنة 1887م على التل.", MON, [("سنة 1887م", "1887", Y)]),
    ("بني المسجد 1760م في البلدة القديمة.", MON, [("1760م", "1760", Y)]),
    ("لم يتغير شيء منذ عام 2011 في الحي.", MON, [("عام 2011", "2011", Y)]),
    ("يكتمل المشروع بحلول 2030.", MON, [("2030", "2030", Y)]),
    ("ارتفع الإنتاج مطلع 2024.", MON, [("مطلع 2024", "2024", Y)]),
    ("أنشئت المدرسة عام 1445هـ.", MON, [("عام 1445هـ", None, None)]),
    ("أسست المكتبة 1350 هـ في الواحة.", MON, [("1350 هـ", None, None)]),
    # ranges: two year mentions, one per year
    ("حكم البلاد بين 1988ـ 1994 ثم اعتزل.", MON, [("1988", "1988", Y), ("1994", "1994", Y)]),
    ("تولى المنصب 2001-2005.", MON, [("2001", "2001", Y), ("2005", "2005", Y)]),
    ("تراجع النمو بين عامي 2020 و2021.", MON, [("2020", "2020", Y), ("2021", "2021", Y)]),
    ("عمل هناك من عام 1990 إلى 1996.", MON, [("1990", "1990", Y), ("1996", "1996", Y)]),
    # weekdays: the most recent one on or before publication, or the next one with المقبل
    ("قال المتحدث الاثنين إن الطريق مغلق.", MON, [("الاثنين", "2024-08-19", D)]),
    ("وقع الانفجار مساء يوم الأحد قرب الميناء.", MON, [("مساء يوم الأحد", "2024-08-18", D)]),
    ("أعلن المجلس اليوم الجمعة نتائج الفرز.", MON, [("اليوم الجمعة", "2024-08-16", D)]),
    ("وصلت القافلة صباح الخميس.", MON, [("صباح الخميس", "2024-08-15", D)]),
    ("تستأنف الجلسات الأربعاء المقبل.", MON, [("الأربعاء المقبل", "2024-08-21", D)]),
    ("تستأنف الجلسات يوم الاثنين القادم.", MON, [("يوم الاثنين القادم", "2024-08-26", D)]),
    ("انعقد المجلس الاثنين الماضي.", MON, [("الاثنين الماضي", "2024-08-12", D)]),
    ("قال أمس الأحد إن المفاوضات مستمرة.", MON, [("أمس الأحد", "2024-08-18", D)]),
    ("والسبت أغلقت المحال.", MON, [("السبت", "2024-08-17", D)]),
    # relative days, weeks, months, years
    ("تبدأ القمة اليوم في مدينة الغيم.", MON, [("اليوم", "2024-08-19", D)]),
    ("وقع الحادث أمس عند المعبر.", MON, [("أمس", "2024-08-18", D)]),
    ("وبالأمس خرج المحتجون.", MON, [("الأمس", "2024-08-18", D)]),
    ("أعلن ذلك أول أمس.", MON, [("أول أمس", "2024-08-17", D)]),
    ("أعلن ذلك أول من أمس.", MON, [("أول من أمس", "2024-08-17", D)]),
    ("يصل الوفد غداً إلى العاصمة.", MON, [("غداً", "2024-08-20", D)]),
    ("يصل الوفد مساء غد.", MON, [("مساء غد", "2024-08-20", D)]),
    ("يعلن القرار بعد غد.", MON, [("بعد غد", "2024-08-21", D)]),
    ("اندلعت النيران فجر اليوم.", MON, [("فجر اليوم", "2024-08-19", D)]),
    ("تراجعت الأسعار الأسبوع الماضي.", MON, [("الأسبوع الماضي", None, None)]),
    ("ارتفعت الأسعار الشهر الماضي.", MON, [("الشهر الماضي", "2024-07", M)]),
    ("ينتهي العقد الشهر المقبل.", dt.date(2024, 12, 5), [("الشهر المقبل", "2025-01", M)]),
    ("تتواصل الحملة خلال الشهر الجاري.", MON, [("الشهر الجاري", "2024-08", M)]),
    ("تضاعف العجز العام الماضي.", MON, [("العام الماضي", "2023", Y)]),
    ("تجرى الانتخابات العام المقبل.", MON, [("العام المقبل", "2025", Y)]),
    ("زاد الإنتاج هذا العام.", MON, [("هذا العام", "2024", Y)]),
    ("انخفض الدين في السنة الماضية.", MON, [("السنة الماضية", "2023", Y)]),
    ("بدأ البناء مطلع العام الجاري.", MON, [("مطلع العام الجاري", "2024", Y)]),
    ("تراجعت الصادرات مقارنة بالأرقام المسجلة للعام الماضي.", MON, [("للعام الماضي", "2023", Y)]),
    ("وصلت الشحنة أواخر الشهر الماضي.", MON, [("أواخر الشهر الماضي", "2024-07", M)]),
    # clock times join the date next to them, and are never dates alone
    (
        "دوى انفجار مساء يوم الأحد الساعة 23:50 بالتوقيت المحلي.",
        MON,
        [
            ("مساء يوم الأحد الساعة 23:50 بالتوقيت المحلي", "2024-08-18", D),
        ],
    ),
    ("بدأ القصف في الساعة العاشرة من صباح اليوم.", MON, [("الساعة العاشرة من صباح اليوم", "2024-08-19", D)]),
    ("سجل الزلزال 19.08.2024 23:50.", MON, [("19.08.2024 23:50", "2024-08-19", D)]),
    ("يبدأ حظر التجول الساعة 23:50 كل ليلة.", MON, []),
    # not dates
    ("استمر الحصار 44 يوما.", MON, []),
    ("يعيش هناك منذ ما يزيد عن سنتين.", MON, []),
    ("قال أحد المسؤولين إن اليوم الأول كان هادئا.", MON, []),
    ("في ذلك اليوم أغلقت المدارس.", MON, []),
    ("مارس الوزير ضغوطا على المجلس.", MON, []),
    ("التقى رمضان بالوزير.", MON, []),
    ("سجل الفريق 3 صفر.", MON, []),
    ("وزع 2000 طرد على الأسر.", MON, []),
    ("في 1500 منزل انقطعت الكهرباء.", MON, []),
    ("نشرت صحيفة الغد التقرير.", MON, []),
    ("قال عبد الأحد إن القرية آمنة.", MON, []),
    ("بني المعبد عام 1200 ق.م على الضفة.", MON, []),
    ("وصل في 31/02/2024 حسب الرواية.", MON, []),
    ("وصل في 31 نوفمبر 2023 حسب الرواية.", MON, [("نوفمبر 2023", "2023-11", M)]),
    # without a publication date: relative expressions have no value, absolute ones do
    ("قال المتحدث الاثنين إن الطريق مغلق.", None, [("الاثنين", None, None)]),
    ("وقع الحادث أمس.", None, [("أمس", None, None)]),
    ("بدأت المحادثات في أبريل/ نيسان الماضي.", None, [("أبريل/ نيسان الماضي", None, None)]),
    ("ارتفعت الأسعار الشهر الماضي.", None, [("الشهر الماضي", None, None)]),
    ("وصل في 27 سبتمبر/ أيلول 2020.", None, [("27 سبتمبر/ أيلول 2020", "2020-09-27", D)]),
    ("كان عام 2023 صعبا.", None, [("عام 2023", "2023", Y)]),
    ("افتتح الجسر في 19.08.2024.", None, [("19.08.2024", "2024-08-19", D)]),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_forms(stage: DatesStage, text: str, published: dt.date | None, expected: Expected) -> None:
    assert found(stage, text, published) == expected


def test_anchor_cases(stage: DatesStage) -> None:
    text = "بدأت الأزمة في أبريل/ نيسان الماضي، وتصاعدت مساء يوم الأحد في قرية البلوط."
    assert found(stage, text, MON) == [
        ("أبريل/ نيسان الماضي", "2024-04", M),
        ("مساء يوم الأحد", "2024-08-18", D),
    ]
    text = "اعتقل في 10 نوفمبر/تشرين الثاني من العام الماضي في بلدة الزيتون."
    assert found(stage, text, FRI) == [("10 نوفمبر/تشرين الثاني من العام الماضي", "2020-11-10", D)]


def test_spans_index_the_original_text(stage: DatesStage) -> None:
    # diacritics and tatweel are folded away for matching but stay in the spans
    text = "قال الوزيـر أمـس إنّ الاجتماع سيُعقد غداً، وكان قد زار المدينة في سبتمبر/ أيلول ٢٠٢٠."
    mentions = stage.find(text, MON)
    check_spans(text, mentions)
    assert [(m.text, m.value) for m in mentions] == [
        ("أمـس", "2024-08-18"),
        ("غداً", "2024-08-20"),
        ("سبتمبر/ أيلول ٢٠٢٠", "2020-09"),
    ]


@pytest.mark.skipif(not HAS_HIJRIDATE, reason="hijridate is not installed")
def test_hijri_dates_convert(stage: DatesStage) -> None:
    assert found(stage, "وصل الحجاج في 20 صفر 1446 هـ إلى الواحة.", MON) == [
        ("20 صفر 1446 هـ", "2024-08-24", D)
    ]
    assert found(stage, "وقع ذلك في 1 رمضان 1445هـ.", MON) == [("1 رمضان 1445هـ", "2024-03-11", D)]
    # a Hijri month or year is not a Gregorian month or year: kept, without a value
    assert found(stage, "في شهر رمضان تتغير المواعيد.", MON) == [("شهر رمضان", None, None)]


def test_hijri_dates_without_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    stage = DatesStage.load(hijri=False)
    assert found(stage, "وصل الحجاج في 20 صفر 1446 هـ.", MON) == [("20 صفر 1446 هـ", None, None)]
    monkeypatch.setitem(sys.modules, "hijridate", None)  # as if it were not installed
    assert hijri_converter() is None
    stage = DatesStage.load()
    assert found(stage, "وصل الحجاج في 20 صفر 1446 هـ.", MON) == [("20 صفر 1446 هـ", None, None)]


def test_stage_in_a_pipeline(stage: DatesStage) -> None:
    pipeline = Pipeline([stage], initial=frozenset({"raw", "text"}))
    text = "وقع الحادث أمس عند المعبر."
    doc = Document(doc_id="d1", raw=text, source=SourceInfo("<test>", "text"), text=text, published=MON)
    out = pipeline.process(doc)
    assert "dates" in out.provided
    assert [m.to_dict() for m in out.dates] == [
        {"text": "أمس", "value": "2024-08-18", "granularity": "day", "start": 11, "end": 14}
    ]
    assert stage.name == "dates" and stage.requires == frozenset({"text"})


def test_unknown_kind_in_a_word_list_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        DatesStage([], [], [{"kind": "dya", "word": "اليوم", "value": "0"}], [], [])


# --- fuzz ---------------------------------------------------------------------------------

PIECES = sorted(
    {row["name"] for row in read_tsv("arabic/months.tsv")}
    | {row["name"] for row in read_tsv("arabic/weekdays.tsv")}
    | {row["word"] for name in ("relative", "markers", "times") for row in read_tsv(f"dates/{name}.tsv")}
    | {"2024", "1988", "1446", "27", "31", "0", "19.08.2024", "٢٦/١١/٢٠٢١", "2024-08-19", "23:50", "٢٠٢٠"}
    | {"1988ـ", "ـ", "/", "-", "،", ".", "(", ")", "\u064b", "\u0651", "\u200f", "\n", "قال", "زهرستان"}
)
arabic_text = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", " ", "", "/ ", "\n", "  "])), max_size=30
).map(lambda parts: "".join(a + b for a, b in parts))
ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def check_mentions(text: str, mentions: tuple[DateMention, ...]) -> None:
    check_spans(text, mentions)
    for m in mentions:
        if m.value is None:
            assert m.granularity is None
            continue
        assert ISO.fullmatch(m.value), m.value
        expected = {4: Granularity.YEAR, 7: Granularity.MONTH, 10: Granularity.DAY}[len(m.value)]
        assert m.granularity is expected
        if expected is Granularity.DAY:
            dt.date.fromisoformat(m.value)
        elif expected is Granularity.MONTH:
            assert 1 <= int(m.value[5:]) <= 12


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(arabic_text, st.text(max_size=120)), published=st.one_of(st.none(), st.dates()))
def test_fuzz(stage: DatesStage, text: str, published: dt.date | None) -> None:
    check_mentions(text, stage.find(text, published))


def whole_text_stage() -> DatesStage:
    """The stage searching the whole text with the master expression, position after
    position (not only at the word starts near an anchor), and looking for clock times in
    every text (not only where a time noun or colon is)."""
    plain = DatesStage.load()
    plain.patterns = copy.copy(plain.patterns)
    plain.patterns.time_needles = ("",)

    def find(text: str, published: dt.date | None = None) -> tuple[DateMention, ...]:
        norm = normalize(text)
        folded = norm.text
        hits: list = []
        pos = 0
        while (m := plain.patterns.master.search(folded, pos)) is not None:
            pos = plain._read(m, published, norm, hits)
        return plain._mentions(text, norm, plain._attach_times(folded, hits))

    plain.find = find  # type: ignore[method-assign]
    return plain


WHOLE_TEXT = whole_text_stage()
filler = st.sampled_from(["الأحدث", "أحد", "العامل", "في", "الاجتماع", "،", ".", "\n", "وقال", "x" * 70])
DATED = st.sampled_from(
    [
        "مساء يوم الأحد الموافق 5 مارس 2023",
        "أول من أمس",
        "منذ مطلع العام الماضي",
        "في الفترة 1988ـ1994",
        "الاثنين 19.08.2024",
        "أواخر شهر ذي القعدة المقبل",
        "في الساعة العاشرة صباحا بتوقيت غرينتش",
        "للساعة 5 مساء",
        "23:50",
        "عند 7:05 صباحا",
        "شارع 26سبتمبر",
        "في 3 و4 أيار",
        "1445 هـ",
        "عقدت اللجنة اجتماعها الأول أمس",
        "ودع الصحفي الاول من امس",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(arabic_text, filler, DATED), max_size=12),
    published=st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1))),
)
def test_searching_near_anchors_finds_what_the_whole_text_search_finds(
    stage: DatesStage, parts: list[str], published: dt.date | None
) -> None:
    text = " ".join(parts)
    assert stage.find(text, published) == WHOLE_TEXT.find(text, published)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(arabic_text, filler, DATED, st.text(max_size=20)), max_size=12))
def test_anchor_spans_and_times_are_the_matches_of_their_expressions(
    stage: DatesStage, parts: list[str]
) -> None:
    folded = normalize(" ".join(parts)).text
    patterns = stage.patterns
    assert patterns.anchor_spans(folded) == [m.span() for m in patterns.anchor.finditer(folded)]
    assert patterns.times(folded) == [
        (m.start(), m.end(), m.start("t")) for m in patterns.time.finditer(folded)
    ]
    at_start = normalize("أول من أمس وصل الوفد يوم الأحد").text  # an anchor holding another, at the start
    assert (
        patterns.anchor_spans(at_start)
        == [m.span() for m in patterns.anchor.finditer(at_start)]
        == [
            (0, 10),
            (25, 30),
        ]
    )


def test_a_date_next_to_a_far_anchor_is_found_and_a_cut_word_is_no_date(stage: DatesStage) -> None:
    # the stretch around "2015" ends inside nothing: the look-ahead after "الأحد" sees "ث"
    text = "في 2015 " + "ب" * 50 + " مع الأحدث والتغطيات، وصل الوفد يوم الأحد 5 مارس"
    assert [m.text for m in stage.find(text, dt.date(2016, 1, 1))] == ["2015", "يوم الأحد 5 مارس"]
