"""The claims stage: units, qualifiers, subjects, times, what is not a claim, and a fuzz test.

Every sentence is written for these tests; the countries are fictional (Arnor, Gondor).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.arabic.phrases import PhraseTable, phrase_keys
from marsad.arabic.tokenize import sentences, tokenize
from marsad.extract.claims import ClaimsStage
from marsad.extract.dates import DatesStage
from marsad.model import Claim

MON = dt.date(2024, 8, 19)


@pytest.fixture(scope="module")
def stage() -> ClaimsStage:
    return ClaimsStage.load()


@pytest.fixture(scope="module")
def dates() -> DatesStage:
    return DatesStage.load()


def claims(stage: ClaimsStage, dates: DatesStage, text: str, published: dt.date | None = MON) -> list[Claim]:
    found = stage.find(text, tokenize(text), sentences(text), dates.find(text, published))
    for c in found:
        assert text[c.start : c.end] == c.text
    return list(found)


def one(stage: ClaimsStage, dates: DatesStage, text: str) -> Claim:
    found = claims(stage, dates, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "span"),
    [
        ("بلغت الصفقة 4 مليارات دولار أمس.", 4e9, "USD", "4 مليارات دولار"),
        ("بلغت الصفقة 4 مليار دولار.", 4e9, "USD", "4 مليار دولار"),
        ("قدمت أرنور منحة بقيمة ثلاثة ملايين يورو.", 3e6, "EUR", "ثلاثة ملايين يورو"),
        ("بلغ العجز 120 مليون دينار تونسي هذا العام.", 120e6, "TND", "120 مليون دينار تونسي"),
        ("خصصت الوزارة 500 ألف ريال سعودي للمشروع.", 500e3, "SAR", "500 ألف ريال سعودي"),
        ("ارتفع السعر إلى 12 جنيها مصريا للكيلو.", 12, "EGP", "12 جنيها مصريا"),
        ("دفعت غوندور 2.5 مليار روبل.", 2.5e9, "RUB", "2.5 مليار روبل"),
        ("بلغت قيمة العقد ٣٥ مليون مانات.", 35e6, "AZN", "٣٥ مليون مانات"),
        ("اقترضت الحكومة مليار دولار.", 1e9, "USD", "مليار دولار"),
        ("تم تحديد نحو 12.7 كيلومترا من الحدود.", 12.7, "km", "12.7 كيلومترا"),
        ("يمتد الجدار 40 كم على طول الوادي.", 40, "km", "40 كم"),
        ("ارتفعت المياه مترين فقط، ثم 3 أمتار.", 3, "m", "3 أمتار"),
        ("صدرت غوندور 200 ألف طن من القمح.", 200e3, "t", "200 ألف طن"),
        ("ينتج الحقل 90 ألف برميل يوميا.", 90e3, "barrel per day", "90 ألف برميل يوميا"),
        ("تراجعت البطالة إلى 7.5% في الربع الأخير.", 7.5, "percent", "7.5%"),
        ("تراجعت البطالة إلى ٧٫٥٪ في الربع الأخير.", 7.5, "percent", "٧٫٥٪"),
        ("ارتفع التضخم 3 بالمئة.", 3, "percent", "3 بالمئة"),
        ("ارتفع التضخم 3 بالمائة.", 3, "percent", "3 بالمائة"),
        ("ارتفع التضخم 4 في المئة.", 4, "percent", "4 في المئة"),
        ("أعيدت أربع قرى إلى أرنور.", 4, "village", "أربع قرى"),
        ("استعادت أرنور 3 قرى من غوندور.", 3, "village", "3 قرى"),
        ("شاركت 30 شركة في المعرض.", 30, "company", "30 شركة"),
        ("أسفر القصف عن 12 قتيلا.", 12, "killed", "12 قتيلا"),
        ("أصيب 25 جريحا في الانفجار.", 25, "wounded", "25 جريحا"),
        ("غادر خمسة آلاف شخص المدينة.", 5000, "person", "خمسة آلاف شخص"),
        ("وقع البلدان 7 خرائط طريق.", 7, "roadmap", "7 خرائط طريق"),
        ("استمرت الحرب 44 يوما.", 44, "day", "44 يوما"),
        ("ارتفع مستوى الماء إلى متر واحد.", 1, "m", "متر واحد"),
    ],
)
def test_units(stage: ClaimsStage, dates: DatesStage, text: str, value: float, unit: str, span: str) -> None:
    claim = [c for c in claims(stage, dates, text) if c.text == span]
    assert len(claim) == 1, claims(stage, dates, text)
    assert claim[0].value == pytest.approx(value)
    assert claim[0].unit == unit


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("شارك أكثر من 30 شركة.", "more_than"),
        ("بلغ حجم التبادل التجاري ما يزيد على 4 مليارات دولار.", "more_than"),
        ("حجم التبادل التجاري يزيد على 4 مليارات دولار.", "more_than"),
        ("حجم التجارة تجاوز 4 مليارات دولار.", "more_than"),
        ("حجم التبادل التجاري يزداد ويتجاوز 4 مليار دولار.", "more_than"),
        ("حضر نحو 300 شخص.", "about"),
        ("حضر حوالي 300 شخص.", "about"),
        ("حضر قرابة 300 شخص.", "about"),
        ("حضر 300 شخص تقريبا.", "about"),
        ("قتل ما لا يقل عن 20 شخصا.", "at_least"),
        ("قتل 20 شخصا على الأقل.", "at_least"),
        ("حضر أقل من 50 شخصا.", "less_than"),
        ("عدد المشاركين لا يتجاوز 50 شخصا.", "at_most"),
        ("حضر 300 شخص.", "exact"),
    ],
)
def test_qualifiers(stage: ClaimsStage, dates: DatesStage, text: str, qualifier: str) -> None:
    assert one(stage, dates, text).qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "subject", "subject_ar"),
    [
        (
            "وأوضح أن حجم التبادل التجاري بين أرنور وغوندور يزيد على 4 مليارات دولار.",
            "trade volume",
            "حجم التبادل التجاري",
        ),
        ("قال إن حجم التجارة بين البلدين تجاوز 4 مليارات دولار.", "trade volume", "حجم التجارة"),
        ("بلغ حجم الاستثمار الغوندوري في أرنور 6 مليارات دولار.", "investment", "حجم الاستثمار"),
        ("ارتفع عدد القتلى إلى 40 شخصا.", "death toll", "عدد القتلى"),
        ("شاركت 30 شركة في المعرض.", None, None),
    ],
)
def test_subjects(
    stage: ClaimsStage, dates: DatesStage, text: str, subject: str | None, subject_ar: str | None
) -> None:
    claim = one(stage, dates, text)
    assert (claim.subject, claim.subject_ar) == (subject, subject_ar)


def test_time_attached_after_the_figure(stage: ClaimsStage, dates: DatesStage) -> None:
    claim = one(stage, dates, "قال إن حجم التجارة تجاوز 4 مليارات دولار في عام 2023، وسيرتفع.")
    assert claim.time == "2023"


def test_time_from_the_sentence(stage: ClaimsStage, dates: DatesStage) -> None:
    claim = one(stage, dates, "وفي 24 مايو/أيار الماضي أعلنت أرنور استعادتها 3 قرى من غوندور.")
    assert claim.time == "2024-05-24"
    assert one(stage, dates, "شاركت 30 شركة في المعرض.").time is None


def test_time_of_a_relative_date_needs_publication(stage: ClaimsStage, dates: DatesStage) -> None:
    text = "أعلنت أرنور أمس استعادة 3 قرى."
    assert claims(stage, dates, text)[0].time == "2024-08-18"
    assert claims(stage, dates, text, published=None)[0].time is None


@pytest.mark.parametrize(
    "text",
    [
        "عقدت الجلسة في عام 2020 في العاصمة.",
        "وصل الوفد في 27 سبتمبر/ أيلول 2020.",
        "تبدأ الجلسة الساعة 23:50 بتوقيت أرنور.",
        "وقع الاتفاق في 19.08.2024 في العاصمة.",
        "شارك الرئيس في كوب 29 الخاصة بالمناخ.",
        "أشار إلى القرار 2254 الصادر عن المجلس.",
        "وقع الاتفاق في الأول من أكتوبر.",
        "انسحبت واحدة منها بعد الاجتماع.",
        "قال إن أسبوعا واحدا يكفي.",
        "يعيش في الطابق 3 من المبنى.",
    ],
)
def test_not_claims(stage: ClaimsStage, dates: DatesStage, text: str) -> None:
    assert claims(stage, dates, text) == []


def test_currency_carries_to_a_scaled_figure(stage: ClaimsStage, dates: DatesStage) -> None:
    text = "حجم التبادل التجاري يتجاوز 4 مليار دولار. بلغ حجم الاستثمار الغوندوري في أرنور 6 مليار."
    found = claims(stage, dates, text)
    assert [(c.value, c.unit, c.subject) for c in found] == [
        (4e9, "USD", "trade volume"),
        (6e9, "USD", "investment"),
    ]
    alone = claims(stage, dates, "بلغ عدد سكان المدينة 4 ملايين.")
    assert [(c.value, c.unit) for c in alone] == [(4e6, None)]


def test_currency_does_not_carry_across_paragraphs(stage: ClaimsStage, dates: DatesStage) -> None:
    found = claims(stage, dates, "بلغت الصفقة 4 مليار دولار.\nوبلغ عدد السكان 6 ملايين.")
    assert [c.unit for c in found] == ["USD", None]


def test_a_repeated_figure_is_one_claim(stage: ClaimsStage, dates: DatesStage) -> None:
    text = "احتفل البلدان بمرور 50 عاما على المشروع. وفي ذكرى مرور 50 عاما قال الوزير إن المشروع نجح."
    found = claims(stage, dates, text)
    assert [(c.value, c.unit) for c in found] == [(50, "year")]
    assert found[0].start == text.index("50")


def test_kinds(stage: ClaimsStage, dates: DatesStage) -> None:
    text = "قال أراغورن (74 عاما) إن 12 قتيلا سقطوا، وإن الخسائر بلغت 3 ملايين دولار و5% من المحصول خلال 3 أيام على 40 كم."
    kinds = {c.text: c.kind for c in claims(stage, dates, text)}
    assert kinds == {
        "74 عاما": "age",
        "12 قتيلا": "count",
        "3 ملايين دولار": "money",
        "5%": "percent",
        "3 أيام": "duration",
        "40 كم": "measure",
    }


def test_contract_fields(stage: ClaimsStage, dates: DatesStage) -> None:
    d = one(stage, dates, "حجم التجارة تجاوز 4 مليارات دولار في عام 2023.").to_dict()
    assert d["value"] == 4000000000 and isinstance(d["value"], int)
    assert {k: d[k] for k in ("unit", "qualifier", "subject", "time")} == {
        "unit": "USD",
        "qualifier": "more_than",
        "subject": "trade volume",
        "time": "2023",
    }
    assert d["corroborated_by"] == [] and d["contradicted_by"] == [] and d["holder"] is None


def test_phrase_table_longest_match() -> None:
    table: PhraseTable[str] = PhraseTable([("يتجاوز", "more_than"), ("لا يتجاوز", "at_most")])
    keys = [t.stem for t in tokenize("عددهم لا يتجاوز")]
    assert table.match_before(keys, len(keys)) == (1, "at_most")
    assert table.match_before(keys, len(keys), floor=2) == (2, "more_than")
    assert table.match_at(keys, 1) == (3, "at_most")
    assert phrase_keys("بالمئة") in table or phrase_keys("لا يتجاوز") in table


# --- fuzz ---------------------------------------------------------------------------------

pieces = st.sampled_from(
    [" ", "4", "٣٠", "12.7", "1,000", "٫", "%", "مليار", "ملايين", "ألف", "دولار", "دينار تونسي", "يزيد على",
     "لا يتجاوز", "نحو", "قرى", "متر", "واحد", "عام", "2023", "في", "(", ")", "\n", ".", "،", "بالمئة",
     "حجم التجارة", "أربع", "خمسة وعشرون", "ـ", "\u200f", "\u064e"]
)  # fmt: skip
arabic_text = st.lists(pieces, max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(arabic_text, st.text(max_size=120)), published=st.one_of(st.none(), st.dates()))
def test_fuzz(stage: ClaimsStage, dates: DatesStage, text: str, published: dt.date | None) -> None:
    found = claims(stage, dates, text, published)
    assert all(c.start < c.end for c in found)
    assert [c.start for c in found] == sorted(c.start for c in found)
