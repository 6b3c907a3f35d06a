"""Sentence and clause spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.arabic.patterns import CLOSERS
from marsad.arabic.tokenize import clauses, sentences
from marsad.model import Span

ARABICISH = 'ابتدرسعفقكلمنهويأىة\u064e\u0651\u0640\u200f\u200d٠١٢0123456789.,:%«»"()،؛؟!?;… \n\r\tدمDr'
any_text = st.one_of(st.text(alphabet=ARABICISH, max_size=100), st.text(max_size=100))


def texts(spans: list[Span]) -> list[str]:
    return [s.text for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("هل وصل الوفد؟ نعم وصل.", ["هل وصل الوفد؟", "نعم وصل."]),
        ("انتهى الاجتماع؛ وبدأ المؤتمر", ["انتهى الاجتماع؛", "وبدأ المؤتمر"]),
        ("end of it; then more", ["end of it;", "then more"]),
        ("يا له من يوم! عاد الهدوء.", ["يا له من يوم!", "عاد الهدوء."]),
        ("وصل الوزير. وغادر نظيره.", ["وصل الوزير.", "وغادر نظيره."]),
        ("سطر أول\nسطر ثان", ["سطر أول", "سطر ثان"]),
        ("سطر أول\r\n\r\nسطر ثان\n", ["سطر أول", "سطر ثان"]),
        ("هل هذا صحيح؟! لا أظن", ["هل هذا صحيح؟!", "لا أظن"]),
        ("قال الوزير، ثم غادر.", ["قال الوزير، ثم غادر."]),
    ],
)
def test_sentence_ends(text: str, expected: list[str]) -> None:
    assert texts(sentences(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بلغ النمو 12.7 بالمئة هذا العام.", ["بلغ النمو 12.7 بالمئة هذا العام."]),
        ("بدأ الاجتماع الساعة 23:50 وانتهى فجرا.", ["بدأ الاجتماع الساعة 23:50 وانتهى فجرا."]),
        ("وقع الاتفاق في 19.08.2024 في العاصمة.", ["وقع الاتفاق في 19.08.2024 في العاصمة."]),
        ("ارتفع المؤشر 3.5% أمس. ثم هبط.", ["ارتفع المؤشر 3.5% أمس.", "ثم هبط."]),
        ("زاد العدد إلى ١٢٫٥ مليون.", ["زاد العدد إلى ١٢٫٥ مليون."]),
        ("جاء ذلك عام 2020. وفي العام التالي تغير.", ["جاء ذلك عام 2020.", "وفي العام التالي تغير."]),
    ],
)
def test_no_split_inside_numbers(text: str, expected: list[str]) -> None:
    assert texts(sentences(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("التقى د. سامي بالوفد. ثم غادر.", ["التقى د. سامي بالوفد.", "ثم غادر."]),
        ("صمم م. خالد الجسر.", ["صمم م. خالد الجسر."]),
        ("حاضر أ.د. نبيل في الجامعة.", ["حاضر أ.د. نبيل في الجامعة."]),
        ("بدأ العرض الساعة 5 م. وحضر الجميع.", ["بدأ العرض الساعة 5 م.", "وحضر الجميع."]),
        ("Dr. Smith met J. Doe. Then left.", ["Dr. Smith met J. Doe.", "Then left."]),
        ("زر موقع example.com للمزيد.", ["زر موقع example.com للمزيد."]),
        ("قال إن الأمر... لم ينته بعد.", ["قال إن الأمر... لم ينته بعد."]),
        ("انتهى النقاش.وبدأ التصويت.", ["انتهى النقاش.", "وبدأ التصويت."]),
    ],
)
def test_abbreviations_and_other_full_stops(text: str, expected: list[str]) -> None:
    assert texts(sentences(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال: «هذه هي النهاية.» ثم صمت.", ["قال: «هذه هي النهاية.»", "ثم صمت."]),
        ("سأل: (هل انتهى؟) فأجابوه.", ["سأل: (هل انتهى؟)", "فأجابوه."]),
        ('قال "سنعود!" وغادر.', ['قال "سنعود!"', "وغادر."]),
        ("قال «لن نتراجع» وغادر القاعة.", ["قال «لن نتراجع» وغادر القاعة."]),
    ],
)
def test_closing_quotes_stay_with_the_sentence(text: str, expected: list[str]) -> None:
    assert texts(sentences(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الوفد، واستقبله الوزير.", ["وصل الوفد،", "واستقبله الوزير."]),
        ("first, second; third", ["first,", "second;", "third"]),
        ("شارك 1,000 متظاهر، وفق الشرطة.", ["شارك 1,000 متظاهر،", "وفق الشرطة."]),
        ("وصل 5, وغادر 3.", ["وصل 5,", "وغادر 3."]),
        ("هل حضر؟ لا، لم يحضر", ["هل حضر؟", "لا،", "لم يحضر"]),
    ],
)
def test_clauses(text: str, expected: list[str]) -> None:
    assert texts(clauses(text)) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\u200f \u200e", "؟", ".\n."])
def test_no_empty_spans(text: str) -> None:
    for span in sentences(text) + clauses(text):
        assert span.text.strip()


def test_offsets_index_the_original_text() -> None:
    text = "  أول جملة.   ثانية؟\n\n  ثالثة  "
    spans = sentences(text)
    assert texts(spans) == ["أول جملة.", "ثانية؟", "ثالثة"]
    for span in spans:
        assert text[span.start : span.end] == span.text


@given(any_text)
def test_spans_are_ordered_trimmed_slices(text: str) -> None:
    for split in (sentences, clauses):
        previous_end = 0
        for span in split(text):
            assert 0 <= previous_end <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text
            assert span.text == span.text.strip()
            assert "\n" not in span.text
            previous_end = span.end


@given(any_text)
def test_clauses_refine_sentences(text: str) -> None:
    sentence_spans = sentences(text)
    for clause in clauses(text):
        assert any(s.start <= clause.start and clause.end <= s.end for s in sentence_spans)


@given(any_text)
def test_clauses_split_sentences_only_after_commas(text: str) -> None:
    sentence_spans = sentences(text)
    found = clauses(text)
    assert clauses(text, sentence_spans) == found
    for sentence in sentence_spans:
        inside = [c for c in found if sentence.start <= c.start and c.end <= sentence.end]
        assert inside and inside[0].start == sentence.start and inside[-1].end == sentence.end
        for clause in inside[:-1]:
            assert clause.text.rstrip(CLOSERS)[-1] in "،,"
