"""Numbers in Arabic text: digits, words, mixes, spans and exclusions.

Every sentence here is written for the tests.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import normalize
from marsad.arabic.numbers import (
    NumberMention,
    NumberReader,
    default_reader,
    find_numbers,
    parse_digits,
    parse_number,
)


@pytest.fixture(scope="module")
def reader() -> NumberReader:
    return NumberReader()


def found(text: str) -> list[tuple[str, float, str]]:
    return [(m.text, m.value, m.kind) for m in find_numbers(text)]


def assert_spans(text: str, mentions: list[NumberMention]) -> None:
    previous_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= previous_end
        previous_end = m.end
        assert m.kind in {"digits", "words", "mixed"}
        assert isinstance(m.value, float)


# --- digits -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("أصيب 12 شخصا", "12", 12),
        ("بلغ المعدل 12.7 نقطة", "12.7", 12.7),
        ("ارتفع بنسبة ٣٫٥ نقاط", "٣٫٥", 3.5),
        ("سجل ۱۲۳ حالة", "۱۲۳", 123),
        ("وصل ١٢٣ زائرا", "١٢٣", 123),
        ("حضر 1,000 شخص", "1,000", 1000),
        ("حضر ١٬٠٠٠ شخص", "١٬٠٠٠", 1000),
        ("قيمة 1.000.000 دينار", "1.000.000", 1_000_000),
        ("قيمة 1,000,000 دينار", "1,000,000", 1_000_000),
        ("نما 2,5 نقطة", "2,5", 2.5),
        ("نما 12,75 نقطة", "12,75", 12.75),
        ("بلغ 1,234.5 طنا", "1,234.5", 1234.5),
        ("بلغ 1.234,5 طنا", "1.234,5", 1234.5),
        ("بلغ ١٬٢٣٤٫٥ طنا", "١٬٢٣٤٫٥", 1234.5),
        ("بقي 0.5 فقط", "0.5", 0.5),
        ("وصل 1.000 فقط", "1.000", 1.0),  # a single "." is always decimal
    ],
)
def test_digits(text: str, span: str, value: float) -> None:
    assert found(text) == [(span, value, "digits")]


@pytest.mark.parametrize(
    "text",
    [
        "الساعة 23:50 مساء",
        "الساعة ٢٣:٥٠ مساء",
        "في 12:30:45 تماما",
        "بتاريخ 19.08.2024 صدر القرار",
        "بتاريخ 2024-08-19 صدر القرار",
        "بتاريخ 19-08-2024 صدر القرار",
        "بتاريخ 19/08/2024 صدر القرار",
        "الأرقام 1,2,3 متتالية",
        "الرقم 12,3456 غامض",
        "الرقم ١٬٥ غامض",
        "طائرة F16 وفيروس COVID-19 وشبكة 5G ومسافة 30km",
    ],
)
def test_digits_excluded(text: str) -> None:
    assert find_numbers(text) == []


def test_range_gives_two_numbers() -> None:
    assert found("بين 10-15 قتيلا") == [("10", 10, "digits"), ("15", 15, "digits")]


@pytest.mark.parametrize(
    ("folded", "original", "value"),
    [
        ("7", "7", 7.0),
        ("2.5", "٢٫٥", 2.5),
        ("1,000", "١٬٠٠٠", 1000.0),
        ("1,5", "١٬٥", None),
        ("1.5", "١٫٥", 1.5),
        ("1.5.5", "1.5.5", None),
        ("1,234,5", "1,234,5", None),
        ("1.234.5", "1.234.5", None),
        ("1234,567.8", "1234,567.8", None),
        ("1,000.5", "1,000.5", 1000.5),
        ("1.5", "1٫5", 1.5),
    ],
)
def test_parse_digits(folded: str, original: str, value: float | None) -> None:
    assert parse_digits(folded, original) == value


# --- words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("واحد", 1),
        ("واحدة", 1),
        ("اثنان", 2),
        ("اثنين", 2),
        ("اثنتان", 2),
        ("اثنتين", 2),
        ("ثلاث", 3),
        ("ثلاثة", 3),
        ("أربعة", 4),
        ("خمس", 5),
        ("ستة", 6),
        ("سبع", 7),
        ("ثمانية", 8),
        ("ثماني", 8),
        ("تسعة", 9),
        ("عشر", 10),
        ("عشرة", 10),
        ("أحد عشر", 11),
        ("إحدى عشرة", 11),
        ("اثنا عشر", 12),
        ("اثنتي عشرة", 12),
        ("ثلاثة عشر", 13),
        ("تسعة عشر", 19),
        ("عشرون", 20),
        ("عشرين", 20),
        ("ثلاثين", 30),
        ("تسعون", 90),
        ("تسعين", 90),
        ("خمسة وعشرون", 25),
        ("ثلاث وأربعين", 43),
        ("خمسة و عشرون", 25),  # a standalone و joins too
        ("مئة", 100),
        ("مائة", 100),
        ("مئتان", 200),
        ("مئتين", 200),
        ("مائتان", 200),
        ("ثلاثمئة", 300),
        ("ثلاثمائة", 300),
        ("ثلاث مئة", 300),
        ("تسعمائة", 900),
        ("مئة وخمسة وعشرون", 125),
        ("مئة وأحد عشر", 111),
        ("مئة وواحد", 101),
        ("ألف", 1000),
        ("ألفان", 2000),
        ("ألفين", 2000),
        ("ثلاثة آلاف", 3000),
        ("عشرة آلاف", 10_000),
        ("ثلاثة آلاف وخمسمئة", 3500),
        ("ألف وخمسمائة", 1500),
        ("أحد عشر ألفا", 11_000),
        ("ثلاثون ألفا", 30_000),
        ("ثلاثمائة وخمسون ألفا", 350_000),
        ("مئة وخمسة وعشرون ألفا", 125_000),
        ("مئتا ألف", 200_000),
        ("مليون", 1e6),
        ("مليونان", 2e6),
        ("مليونين", 2e6),
        ("ثلاثة ملايين", 3e6),
        ("عشرون مليونا", 20e6),
        ("مليون ومئتا ألف", 1.2e6),
        ("مليون ونصف", 1.5e6),
        ("مليار", 1e9),
        ("ملياران", 2e9),
        ("مليارين", 2e9),
        ("خمسة مليارات", 5e9),
        ("مليار وخمسمئة مليون", 1.5e9),
    ],
)
def test_words(phrase: str, value: float) -> None:
    text = f"قالت الوزارة إن {phrase} منهم عادوا"
    assert found(text) == [(phrase, value, "words")]
    assert parse_number(phrase) == value


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("أطلق بثلاثة صواريخ", "بثلاثة", 3),
        ("فاز بأربعين صوتا", "بأربعين", 40),
        ("منح لثلاثة أشخاص", "لثلاثة", 3),
        ("تبرع بألف دينار", "بألف", 1000),
        ("ثم وصل وعشرين آخرين", "وعشرين", 20),
        ("قرر فخمسة أيام", "فخمسة", 5),
        ("ثلاثةُ آلافٍ", "ثلاثةُ آلافٍ", 3000),  # diacritics stay in the span
        ("وصل ثلاثـــة", "ثلاثـــة", 3),  # tatweel too
    ],
)
def test_clitics_and_marks_inside_span(text: str, span: str, value: float) -> None:
    (m,) = find_numbers(text)
    assert (m.text, m.value) == (span, value)
    assert text[m.start : m.end] == span


def test_bound_clitic_starts_a_new_number() -> None:
    assert found("ثلاثة بعشرين") == [("ثلاثة", 3, "words"), ("بعشرين", 20, "words")]


# --- mixed --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("خسائر بقيمة 4 مليارات دولار", "4 مليارات", 4e9),
        ("خسائر بقيمة 4 مليار دولار", "4 مليار", 4e9),
        ("نحو 1.5 مليون نازح", "1.5 مليون", 1.5e6),
        ("نحو ٢٫٥ مليار دولار", "٢٫٥ مليار", 2.5e9),
        ("شارك نحو 30 ألفا", "30 ألفا", 30_000),
        ("شارك نحو 30 ألف متظاهر", "30 ألف", 30_000),
        ("وصل ٣ آلاف لاجئ", "٣ آلاف", 3000),
        ("بلغ 3 ملايين و500 ألف", "3 ملايين و500 ألف", 3.5e6),
        ("بلغ ثلاثة ملايين و500 ألف", "ثلاثة ملايين و500 ألف", 3.5e6),
    ],
)
def test_mixed(text: str, span: str, value: float) -> None:
    assert found(text) == [(span, value, "mixed")]


def test_conjoined_numbers_stay_apart() -> None:
    assert found("بين 3 و5 ملايين") == [("3", 3, "digits"), ("و5 ملايين", 5e6, "mixed")]
    assert found("عشرون وخمسة") == [("عشرون", 20, "words"), ("وخمسة", 5, "words")]
    assert found("ثلاثة أربعة") == [("ثلاثة", 3, "words"), ("أربعة", 4, "words")]
    assert found("ثلاثة\nآلاف") == [("ثلاثة", 3, "words")]  # no join over a line break


# --- percent ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "percent"),
    [
        ("ارتفع 30% خلال العام", "30", True),
        ("ارتفع 30 % خلال العام", "30", True),
        ("ارتفع ٣٥٪ خلال العام", "٣٥", True),
        ("ارتفع 40 في المئة", "40", True),
        ("ارتفع خمسون بالمائة", "خمسون", True),
        ("ارتفع 12.5 في المائة", "12.5", True),
        ("ارتفع 40 نقطة", "40", False),
    ],
)
def test_percent(text: str, span: str, percent: bool) -> None:
    (m,) = find_numbers(text)
    assert (m.text, m.percent) == (span, percent)
    assert "%" not in m.text and "٪" not in m.text


# --- exclusions ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "جاء في المركز الأول والثاني",
        "الفصل الثالث من الكتاب",
        "القرن التاسع عشر",
        "للمرة الحادية عشرة",
        "الدورة الثانية عشرة",
        "قتل عشرات المدنيين",
        "نزح مئات الأسر",
        "خرج آلاف المتظاهرين",
        "عشرات الآلاف من اللاجئين",
        "ملايين الدولارات",
        "وصل يوم الأحد",
        "أحد المسؤولين قال",
        "إحدى الدول المجاورة",
        "سيارة ألفا روميو",
        "لست أدري",
        "يوم الاثنين الماضي",
    ],
)
def test_not_numbers(text: str) -> None:
    assert find_numbers(text) == []


# --- API ----------------------------------------------------------------------


def test_mention_is_frozen_and_slotted() -> None:
    (m,) = find_numbers("12")
    assert not hasattr(m, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.value = 3.0  # type: ignore[misc]


def test_reader_argument_and_normalized_input(reader: NumberReader) -> None:
    text = "قتل خمسةٌ وعشرون\u200f شخصا و٣ آلاف"
    direct = find_numbers(text, reader)
    assert direct == find_numbers(normalize(text), reader) == reader.find(text)
    assert [m.value for m in direct] == [25, 3000]
    assert_spans(text, direct)
    assert default_reader() is default_reader()


@pytest.mark.parametrize(
    ("s", "value"),
    [("ثلاثة آلاف", 3000.0), (" ١٢٫٥ ", 12.5), ("ثلاثة أربعة", None), ("", None), ("مئات", None)],
)
def test_parse_number(s: str, value: float | None) -> None:
    assert parse_number(s) == value


def test_custom_table(tmp_path: Path) -> None:
    table = tmp_path / "words.tsv"
    table.write_text("# test table\nword\tvalue\trole\nدزينة\t12\tunit\n", encoding="utf-8")
    custom = NumberReader(table)
    assert [(m.text, m.value) for m in custom.find("اشترى دزينة و3")] == [("دزينة", 12), ("و3", 3)]
    table.write_text("word\tvalue\trole\nدزينة\t12\tbogus\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bogus"):
        NumberReader(table)


# --- fuzz ---------------------------------------------------------------------

PIECES = [
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةؤئ",
    *"0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۹",
    *".,:/-%٪٫٬،؛؟«»()\n\t ",
    "\u064b",
    "\u064f",
    "\u0640",
    "\u200f",
    "و",
    "ب",
    "ل",
    "واحد",
    "اثنين",
    "ثلاثة",
    "عشر",
    "عشرة",
    "أحد",
    "إحدى",
    "اثنا",
    "عشرين",
    "مئة",
    "مائتين",
    "ثلاثمائة",
    "ألف",
    "ألفا",
    "آلاف",
    "ألفين",
    "مليون",
    "ملايين",
    "مليونين",
    "مليار",
    "مليارات",
    "نصف",
    "الثاني",
    "عشرات",
    "في المئة",
    "لست",
    " و ",
]
arabic_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), arabic_text))
def test_fuzz_spans(text: str) -> None:
    mentions = find_numbers(text)
    assert_spans(text, mentions)
    for m in mentions:
        assert m.value == m.value and m.value >= 0  # no NaN, no negatives


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), arabic_text))
def test_the_fast_matches_are_those_of_the_pattern(text: str) -> None:
    """Numbers are found after a character that is no letter or digit (and at the start),
    not by a look-behind at every position: the same matches, groups included."""
    folded = normalize(text).text
    reader = default_reader()
    names = ("pre", "skip", "num", "glue", "word")
    expected = [(m.start(), m.end(), [m.span(g) for g in names]) for m in reader.pattern.finditer(folded)]
    assert [
        (m.start("pre"), m.end(), [m.span(g) for g in names]) for m in reader._matches(folded)
    ] == expected
