"""The cleaner drops page furniture and keeps every body sentence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import fold
from marsad.ingest.clean import ARRAY_COUNT_MIN, Rule, load_rules, words
from marsad.model import Document, Hints, SourceInfo
from marsad.pipeline import Pipeline
from marsad.resources import read_tsv

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

BODY_1 = "أعلن وزير الخارجية في مملكة أرنور أن بلاده ستفتح سفارة جديدة في العاصمة غوندور خلال الشهر المقبل."
BODY_2 = "وقال الوزير في مؤتمر صحفي إن الخطوة تأتي بعد محادثات استمرت عامين بين البلدين الجارين."


def run(pipeline: Pipeline, raw: str, **hints: object) -> Document:
    doc = Document(doc_id="t", raw=raw, source=SourceInfo("t.txt", "txt"), hints=Hints(**hints))  # type: ignore[arg-type]
    return pipeline.process(doc)


def page(*lines: str) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize(
    "furniture",
    [
        "اترك تعليقاً",
        "أضف تعليقك",
        "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *",
        "زر الذهاب إلى الأعلى",
        "العودة إلى الأعلى",
        "مشاركة :",
        "شارك الخبر: فيسبوك تويتر واتساب",
        "فيسبوك | تويتر | واتساب",
        "تابعونا على تلغرام",
        "طباعة | أرسل لصديق",
        "عدد المشاهدات: 2310",
        "جميع الحقوق محفوظة © 2024",
        "الكلمات الدلالية: أرنور، غوندور، سفارة",
        "We use cookies to improve your experience on our site",
        "الصورة: مكتب الرئاسة في أرنور",
        "تصوير: سامي خليل",
        "(صورة أرشيفية)",
        "Bu haberi paylaşın",
        "Partager cet article",
        "Ru En",
        "آخر تحديث: 10:45 صباحا",
        "إعلان",
    ],
)
def test_furniture_line_is_removed_and_body_kept(pipeline: Pipeline, furniture: str) -> None:
    if not re.search(r"[\u0621-\u064a]", furniture) and "cookies" not in furniture:
        raw = page(
            "عنوان الخبر عن السفارة الجديدة", BODY_1, BODY_2, furniture
        )  # interface text sits at the edges
    else:
        raw = page("عنوان الخبر عن السفارة الجديدة", BODY_1, furniture, BODY_2)
    doc = run(pipeline, raw)
    assert fold(furniture) not in fold(doc.text)
    assert BODY_1 in doc.text and BODY_2 in doc.text
    assert any(r.text == furniture.strip() for r in doc.removed)


def test_latin_lines_inside_the_body_are_content(pipeline: Pipeline) -> None:
    films = ["1. The Searchers (1956)", "2. Lawrence of Arabia (1962)", "3. Heat (1995)"]
    doc = run(pipeline, page("أفضل الأفلام في رأي النقاد", BODY_1, *films, BODY_2, "Ru En"))
    for film in films:
        assert film in doc.text
    assert "Ru En" not in doc.text


def test_latin_line_beside_metadata_lines_is_interface(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("عنوان الخبر عن السفارة الجديدة", BODY_1, "Baku", "باكو/ الأناضول", BODY_2))
    assert "Baku" not in doc.text.split("\n")
    assert doc.dateline == "Baku"


def test_writer_and_outlet_line_is_a_byline(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("عنوان الخبر عن السفارة الجديدة", "أميرة المولد – عين اليوم", BODY_1))
    assert doc.authors == ("أميرة المولد",) and doc.agency == "Ain Alyoum" and doc.dateline is None


def test_a_refrain_repeating_the_title_far_down_is_kept(pipeline: Pipeline) -> None:
    stanzas = [f"{BODY_1} {n}" for n in range(14)]
    doc = run(pipeline, page("وتبقى أنت يا وطني", *stanzas, "وتبقى أنت يا وطني"))
    assert doc.text.count("وتبقى أنت يا وطني") == 2


def test_related_block_takes_its_link_titles_but_not_the_next_paragraph(pipeline: Pipeline) -> None:
    raw = page(
        "عنوان الخبر عن السفارة الجديدة", BODY_1, "مقالات ذات صلة",
        "أرنور تستضيف قمة إقليمية", "وزير غوندور يزور الشمال", BODY_2,
    )  # fmt: skip
    doc = run(pipeline, raw)
    assert "أرنور تستضيف قمة إقليمية" not in doc.text
    assert BODY_2 in doc.text


def test_inline_read_also_link_is_removed(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("عنوان الخبر", BODY_1, "اقرأ أيضا: أرنور تستضيف قمة إقليمية", BODY_2))
    assert "قمة إقليمية" not in doc.text and BODY_2 in doc.text


def test_disclaimer_at_the_end_of_a_paragraph_is_cut_but_the_paragraph_stays(pipeline: Pipeline) -> None:
    tail = "الأخبار المنشورة على الصفحة الرسمية لوكالة أرنور للأنباء مختصرة، والنص الكامل متاح للمشتركين فقط."
    doc = run(pipeline, BODY_1 + " " + BODY_2 + " " + tail)
    assert BODY_1 in doc.text and BODY_2 in doc.text
    assert "المشتركين" not in doc.text
    assert [r.rule for r in doc.removed] == ["agency_disclaimer"]


def test_body_sentences_using_furniture_words_are_kept(pipeline: Pipeline) -> None:
    tricky = [
        "وأكد الوزير أن مشاركة أرنور في القمة ضرورية لحل الأزمة.",
        "شارك آلاف المتظاهرين في مسيرة وسط العاصمة احتجاجا على القرار.",
        "ورفض المتحدث التعليق على مقالات نشرتها صحف غوندور حول الاتفاق.",
        "وقال الرئيس: «الصورة واضحة أمامنا، ولن نتراجع».",
    ]
    doc = run(pipeline, page("عنوان الخبر", BODY_1, *tricky))
    for sentence in tricky:
        assert sentence in doc.text


def test_navigation_crumbs_above_the_title_are_removed(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("الرئيسية > سياسة > دولي", "", "أرنور تفتح سفارة في غوندور", BODY_1))
    assert doc.title == "أرنور تفتح سفارة في غوندور"
    assert doc.text.startswith("أرنور تفتح سفارة في غوندور\n")
    assert "الرئيسية" not in doc.text


def test_glued_crumbs_with_a_latin_site_name_are_removed(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("أخبارأخبار عربيةالسياسة الدوليةصحيفة Arnor Times", "أرنور تفتح سفارة", BODY_1))
    assert doc.title == "أرنور تفتح سفارة"
    assert [r.rule for r in doc.removed] == ["navigation"]


def test_a_one_word_section_label_is_removed(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("دولي", "", "أرنور تفتح سفارة في غوندور", BODY_1))
    assert doc.title == "أرنور تفتح سفارة في غوندور"
    assert "دولي" not in doc.text.split("\n")


def test_title_repeated_further_down_is_dropped_once(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("أرنور تفتح سفارة في غوندور", BODY_1, "أرنور تفتح سفارة في غوندور", BODY_2))
    assert doc.text.count("أرنور تفتح سفارة في غوندور") == 1
    assert BODY_2 in doc.text


def test_a_page_that_opens_with_body_has_no_title(pipeline: Pipeline) -> None:
    doc = run(pipeline, BODY_1 + " " + BODY_2)
    assert doc.title is None
    assert doc.text == BODY_1 + " " + BODY_2


def test_title_from_input_metadata_is_put_first(pipeline: Pipeline) -> None:
    doc = run(pipeline, page(BODY_1, BODY_2), title="أرنور تفتح سفارة")
    assert doc.title == "أرنور تفتح سفارة"
    assert doc.text.split("\n")[0] == "أرنور تفتح سفارة"


def test_question_headline_is_a_title(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("هل تفتح أرنور سفارة في غوندور؟", BODY_1))
    assert doc.title == "هل تفتح أرنور سفارة في غوندور؟"


def test_blank_lines_collapse_and_paragraphs_stay(pipeline: Pipeline) -> None:
    doc = run(pipeline, page("عنوان الخبر", "", "", "", BODY_1, " ", "\t", BODY_2, "", ""))
    assert doc.text == f"عنوان الخبر\n\n{BODY_1}\n\n{BODY_2}"


def _fixture_pages() -> list[Path]:
    return sorted(PAGES.glob("*.txt"))


@pytest.mark.parametrize("path", _fixture_pages(), ids=lambda p: p.stem)
def test_pages_in_other_outlets_styles(pipeline: Pipeline, path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    doc = run(pipeline, path.read_text(encoding="utf-8"))
    text = fold(doc.text)
    for line in expected["boilerplate"]:
        assert fold(line) not in text, f"boilerplate kept: {line}"
    for sentence in expected["body"]:
        assert fold(sentence) in text, f"body sentence lost: {sentence}"
    if "title" in expected:
        assert doc.title == expected["title"]


def _rules_with_needles() -> list[Rule]:
    return [r for r in load_rules(read_tsv("clean/rules.tsv")) if r.needles]


def test_tail_rules_have_needles() -> None:
    """Every tail rule is searched inside every kept line; its needles spare most lines."""
    tails = [r for r in load_rules(read_tsv("clean/rules.tsv")) if r.scope == "tail"]
    assert tails
    assert all(r.needles for r in tails)


@pytest.mark.parametrize("rule", _rules_with_needles(), ids=lambda r: r.name)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_match_of_a_rule_holds_one_of_its_needles(rule: Rule, data: st.DataObject) -> None:
    """A line without a needle is not searched: no text the pattern matches may lack one."""
    text = data.draw(st.from_regex(rule.pattern))
    match = rule.pattern.search(text)
    assert match is not None
    assert rule.may_match(match.group(0))


def test_needles_must_be_words_without_case() -> None:
    row = {"rule": "r", "kind": "boilerplate", "scope": "tail", "max_words": "0", "pattern": "x"}
    with pytest.raises(ValueError, match="needles"):
        load_rules([{**row, "needles": "Subscribe"}])
    with pytest.raises(ValueError, match="needles"):
        load_rules([{**row, "needles": "جميع الأخبار"}])
    assert load_rules([{**row, "needles": "اشتراك"}])[0].may_match(fold("للاشتراك في الخدمة"))


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=ARRAY_COUNT_MIN, max_size=700)
    | st.text(alphabet="أحمد قال، في_2024.\n«»", min_size=ARRAY_COUNT_MIN)
)
def test_words_of_a_long_line_counts_the_runs_findall_finds(text: str) -> None:
    """Long lines are counted on an array of code points: the same count as ``findall``."""
    words.cache_clear()
    assert words(text) == len(re.findall(r"\w+", text))


def test_words_of_a_long_line_outside_the_basic_plane() -> None:
    words.cache_clear()
    assert words("قال 😀 " * ARRAY_COUNT_MIN) == ARRAY_COUNT_MIN
