"""The quotes stage: quote marks, speakers, continuations, attribution, indirect speech.

Every sentence is written for these tests. The actors are the fictional KB of tests/kb
(Arnor, Gondor, Rohan) plus a news agency of tests/extract/fictional_quotes, so that KB
updates never break these tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.arabic.tokenize import sentences, tokenize
from marsad.extract.entities import EntitiesStage
from marsad.extract.quotes import QuotesStage
from marsad.extract.roles import RolesStage
from marsad.ingest.clean import Cleaner
from marsad.ingest.lexicon import Lexicon
from marsad.ingest.metadata import MetadataStage
from marsad.kb.base import KnowledgeBase
from marsad.model import Document, Quote
from marsad.pipeline import Pipeline, TokenizeStage, make_document
from marsad.resources import data_path, read_lines

HERE = Path(__file__).parent
DAY = dt.date(2024, 5, 1)
ELROND = "person:elrond-peredhel"
MARDIL = "person:ecthelion-mardil"
SAID = "سنواصل الحوار مع جميع الأطراف"


@pytest.fixture(scope="module")
def stage() -> QuotesStage:
    return QuotesStage.load()


@pytest.fixture(scope="module")
def pipeline(lexicon: Lexicon, stage: QuotesStage) -> Pipeline:
    files = [
        data_path("kb/titles.tsv"),
        data_path("kb/groups.tsv"),
        *sorted((HERE.parent / "kb" / "fictional").glob("*.tsv")),
        *sorted((HERE / "fictional_quotes").glob("*.tsv")),
    ]
    files.sort(key=lambda p: p.name.endswith(".roles.tsv"))
    kb = KnowledgeBase(files, honorifics=read_lines("kb/honorifics.txt"), not_names=["وأن"])
    stages = [
        Cleaner.load(lexicon),
        TokenizeStage(),
        MetadataStage(lexicon),
        EntitiesStage(kb),
        RolesStage(kb),
        stage,
    ]
    return Pipeline(stages)


def run(pipeline: Pipeline, text: str) -> Document:
    doc = pipeline.process(make_document(text, published=DAY))
    for q in doc.quotes:
        assert doc.text[q.start : q.end] == q.text
    assert [q.start for q in doc.quotes] == sorted(q.start for q in doc.quotes)
    return doc


def quotes(pipeline: Pipeline, text: str, *, direct: bool | None = None) -> list[Quote]:
    return [q for q in run(pipeline, text).quotes if direct is None or q.direct is direct]


def one(pipeline: Pipeline, text: str, *, direct: bool = True) -> Quote:
    found = quotes(pipeline, text, direct=direct)
    assert len(found) == 1, found
    return found[0]


def speaker(q: Quote) -> str | None:
    return q.speaker.entity if q.speaker is not None else None


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("«", "»"), ("“", "”"), ('"', '"'), ("„", "“"), ("″", "″"), ("“", "″"), ("”", "”")],
)
def test_every_quote_mark_style(pipeline: Pipeline, opening: str, closing: str) -> None:
    q = one(pipeline, f"قال إلروند بيريدهيل: {opening}{SAID}{closing}.")
    assert (q.text, q.cue, speaker(q), q.direct) == (SAID, "قال", ELROND, True)
    assert q.speaker is not None
    assert (q.speaker.text, q.speaker.name, q.speaker.country) == (
        "إلروند بيريدهيل",
        "Elrond Peredhel",
        "ARN",
    )


def test_straight_quotes_pair_in_order(pipeline: Pipeline) -> None:
    text = 'قال إلروند بيريدهيل: "الحدود آمنة تماما هذا العام". وتابع: "سنفتح المعابر أمام التجارة".'
    found = quotes(pipeline, text)
    assert [q.text for q in found] == ["الحدود آمنة تماما هذا العام", "سنفتح المعابر أمام التجارة"]
    assert [speaker(q) for q in found] == [ELROND, ELROND]
    assert [q.cue for q in found] == ["قال", "وتابع"]


@pytest.mark.parametrize(
    ("text", "cue", "person", "written"),
    [
        # a title the roles stage resolved on the document's date
        ("وقال الرئيس الغوندوري إن «الحدود ستبقى مفتوحة أمام التجارة».", "وقال", MARDIL, "الرئيس الغوندوري"),
        # speaker after the quote
        (
            "«الحدود آمنة تماما هذا العام»، قال وزير الخارجية الأرنوري.",
            "قال",
            "person:glorfindel-amarie",
            "وزير الخارجية الأرنوري",
        ),
        ("“الحدود آمنة تماما هذا العام”، كما عبر الرئيس الأرنوري.", "عبر", ELROND, "الرئيس الأرنوري"),
        # the nearest named subject of the verb, not the person met
        (
            "وقال الرئيس الغوندوري في لقاء مع الرئيس الأرنوري: «نحن نقدر دوركم في هذا الملف».",
            "وقال",
            MARDIL,
            "الرئيس الغوندوري",
        ),
        # subject before the verb
        (
            "وجاء في البيان أن مارديل أكد بأن البلدين «حليفان وصديقان وشريكان وجاران».",
            "أكد",
            MARDIL,
            "مارديل",
        ),
        # the colon form, no verb
        (f"إلروند بيريدهيل: «{SAID}»", None, ELROND, "إلروند بيريدهيل"),
        # a participle after the subject
        (
            "واختتم إكثيليون مارديل قائلا: «أسبوع واحد يكفي لإثبات حسن النية».",
            "قائلا",
            MARDIL,
            "إكثيليون مارديل",
        ),
        # a verb joined to a first clause takes that clause's subject
        (
            "ووجه مارديل الشكر لبيريدهيل على استضافته، وقال: «لا شك أن هذه الزيارة تاريخية».",
            "وقال",
            MARDIL,
            "مارديل",
        ),
    ],
)
def test_speaker_of_a_direct_quote(
    pipeline: Pipeline, text: str, cue: str | None, person: str, written: str
) -> None:
    q = one(pipeline, text)
    assert (q.cue, speaker(q)) == (cue, person)
    assert q.speaker is not None and q.speaker.text == written


def test_two_quotes_of_one_report(pipeline: Pipeline) -> None:
    text = "قال إلروند بيريدهيل إن «الحدود آمنة تماما هذا العام» و«المعابر ستفتح الأسبوع المقبل»."
    found = quotes(pipeline, text)
    assert [(q.cue, speaker(q)) for q in found] == [("قال", ELROND), ("قال", ELROND)]


def test_colon_at_the_end_of_the_line_before(stage: QuotesStage) -> None:
    text = "قال المتحدث:\n«الحدود آمنة تماما هذا العام»"
    (q,) = stage.find(text, tokenize(text), sentences(text), [])
    assert (q.text, q.cue) == ("الحدود آمنة تماما هذا العام", "قال")
    assert q.speaker is not None and q.speaker.text == "المتحدث"


def test_the_preposition_is_not_the_verb(pipeline: Pipeline) -> None:
    q = one(pipeline, "وتمر القوافل عبر الأراضي الغوندورية “يوميا ودون توقف منذ عام كامل”.")
    assert (q.cue, q.speaker) == (None, None)
    q = one(pipeline, "قال الرئيس الأرنوري مخاطبا نظيره الغوندوري: «نحن نقدر دوركم في هذا الملف».")
    assert (q.cue, speaker(q)) == ("مخاطبا", ELROND)


def test_continuations_keep_the_speaker(pipeline: Pipeline) -> None:
    text = (
        "قال إلروند بيريدهيل بعد لقائه إكثيليون مارديل: «المحادثات كانت صريحة ومثمرة». "
        "وأضاف: «سنلتقي مجددا الشهر المقبل». ومضى قائلا: «لا بديل عن الحوار بين الجيران»."
    )
    found = quotes(pipeline, text)
    assert [q.cue for q in found] == ["قال", "وأضاف", "ومضى قائلا"]
    assert [speaker(q) for q in found] == [ELROND, ELROND, ELROND]


def test_a_new_speaker_takes_over(pipeline: Pipeline) -> None:
    text = (
        f"قال إلروند بيريدهيل: «{SAID}». وقال إكثيليون مارديل في هذا الخصوص: «نحن مستعدون للتوقيع فورا». "
        "وتابع: «الاتفاق جاهز منذ أشهر طويلة»."
    )
    assert [speaker(q) for q in quotes(pipeline, text)] == [ELROND, MARDIL, MARDIL]


def test_a_pronoun_subject_goes_on_with_the_last_speaker(pipeline: Pipeline) -> None:
    text = f"قال إلروند بيريدهيل: «{SAID}». وقال حينها إن «الاتفاق سيوقع قبل نهاية العام»."
    assert [speaker(q) for q in quotes(pipeline, text)] == [ELROND, ELROND]


def test_unknown_speaker_is_kept_as_words(pipeline: Pipeline) -> None:
    q = one(pipeline, "وقال المتحدث باسم الوفد: «لن نقبل بأي تهديد لحدودنا».")
    assert q.speaker is not None
    assert (q.speaker.text, q.speaker.entity, q.speaker.name) == ("المتحدث باسم الوفد", None, None)


def test_a_speaker_described_by_a_country_adjective_is_not_the_country(pipeline: Pipeline) -> None:
    q = one(pipeline, "وقال وزير النقل الأرنوري: «الطريق سيفتح قبل نهاية العام».")
    assert q.speaker is not None
    assert (q.speaker.text, q.speaker.entity, q.speaker.country) == ("وزير النقل الأرنوري", None, "ARN")
    q = one(pipeline, "قال مسؤول غوندوري إن المفاوضات ستستأنف قريبا.", direct=False)
    assert q.speaker is not None
    assert (q.speaker.text, q.speaker.entity, q.speaker.country) == ("مسؤول غوندوري", None, "GND")


def test_quote_without_a_speaker(pipeline: Pipeline) -> None:
    q = one(pipeline, "ورفع المتظاهرون لافتة كتب عليها «لا للحرب في الوادي أبدا».")
    assert (q.cue, q.speaker) == (None, None)


@pytest.mark.parametrize(
    ("text", "cue", "body", "entity"),
    [
        ("«ستفتح الحدود أمام التجارة الأسبوع المقبل»، حسب البيان.", "حسب", "البيان", None),
        ("وحسب البيان: «ستفتح الحدود أمام التجارة الأسبوع المقبل».", "وحسب", "البيان", None),
        (
            "وجاء في بيان نشرته الوزارة على موقعها أن «الحدود ستفتح قريبا أمام التجارة».",
            "وجاء في",
            "بيان نشرته الوزارة",
            None,
        ),
        (
            "وفقا لوكالة بالانتير، «ستفتح الحدود أمام التجارة الأسبوع المقبل».",
            "وفقا",
            "بالانتير",
            "agency:palantir",
        ),
    ],
)
def test_attribution_names_the_body(
    pipeline: Pipeline, text: str, cue: str, body: str, entity: str | None
) -> None:
    q = one(pipeline, text)
    assert q.cue == cue and q.speaker is not None
    assert (q.speaker.text, q.speaker.entity) == (body, entity)


def test_a_verb_beats_an_attribution(pipeline: Pipeline) -> None:
    q = one(pipeline, "وقال الرئيس الأرنوري حسب البيان المشترك: «الوضع في الوادي يقلقنا جميعا».")
    assert (q.cue, speaker(q)) == ("وقال", ELROND)


@pytest.mark.parametrize(
    ("text", "cue", "body", "who"),
    [
        ("أكد إلروند بيريدهيل أن المحادثات كانت مثمرة.", "أكد", "المحادثات كانت مثمرة", ELROND),
        ("قال إلروند بيريدهيل إن الوفد سيصل غدا.", "قال", "الوفد سيصل غدا", ELROND),
        ("وأشار إلروند بيريدهيل إلى أن الحدود آمنة.", "وأشار", "الحدود آمنة", ELROND),
        ("ولفت مارديل إلى أنه سيزور أنوميناس قريبا.", "ولفت", "سيزور أنوميناس قريبا", MARDIL),
        ("وأعرب إلروند بيريدهيل عن أمله في التوصل إلى اتفاق.", "وأعرب", "أمله في التوصل إلى اتفاق", ELROND),
        ("وشدد مارديل على أن الحوار هو الطريق الوحيد.", "وشدد", "الحوار هو الطريق الوحيد", MARDIL),
        ("واعتبر الرئيس الغوندوري أن الاتفاق تاريخي.", "واعتبر", "الاتفاق تاريخي", MARDIL),
        ("وذكر إلروند بيريدهيل بأن الجيشين انسحبا من الوادي.", "وذكر", "الجيشين انسحبا من الوادي", ELROND),
        (
            "وأعلنت غوندور أن حدودها ستفتح الأسبوع المقبل.",
            "وأعلنت",
            "حدودها ستفتح الأسبوع المقبل",
            "country:GND",
        ),
        # a subject before its verb through a relative pronoun
        (
            "نقل البيان تصريحات مارديل الذي أعرب عن ارتياحه لنتائج الزيارة.",
            "أعرب",
            "ارتياحه لنتائج الزيارة",
            MARDIL,
        ),
        # an agency, and what it reports of a person
        (
            "وذكرت وكالة بالانتير أن الرئيس الغوندوري رحب بالوفد.",
            "وذكرت",
            "الرئيس الغوندوري رحب بالوفد",
            "agency:palantir",
        ),
    ],
)
def test_indirect_speech(pipeline: Pipeline, text: str, cue: str, body: str, who: str) -> None:
    q = one(pipeline, text, direct=False)
    assert (q.cue, q.text, speaker(q), q.direct) == (cue, body, who, False)


@pytest.mark.parametrize(
    ("text", "cue", "body", "who"),
    [
        # "عن" of an aside does not open the reported clause; the later "إن" does
        ("وقال مسؤول في الوفد، طلب عدم الكشف عن هويته، إن الاتفاق قريب.", "وقال", "الاتفاق قريب", "مسؤول"),
        # "قد" between subject and verb; "، غير أن" hands back to the writer
        ("وكان مارديل قد أعلن أن الحدود ستفتح، غير أن الوفد تأخر.", "أعلن", "الحدود ستفتح", "مارديل"),
        ("واكتفى مارديل بالقول إن الأمر محسوم تماما.", "بالقول", "الأمر محسوم تماما", "مارديل"),
    ],
)
def test_harder_reported_clauses(pipeline: Pipeline, text: str, cue: str, body: str, who: str) -> None:
    q = one(pipeline, text, direct=False)
    assert (q.cue, q.text) == (cue, body)
    assert q.speaker is not None and q.speaker.text == who


def test_a_speaker_named_by_words_goes_on(pipeline: Pipeline) -> None:
    text = "وقال المتحدث باسم الوفد إن الاتفاق قريب. وأضاف أن التوقيع سيتم غدا."
    found = quotes(pipeline, text, direct=False)
    assert [q.speaker.text if q.speaker else None for q in found] == ["المتحدث باسم الوفد"] * 2
    # but words do not take over from a named person
    text = "قال مارديل إن الاتفاق قريب. وأوضح البيان أن التوقيع سيتم غدا. وأضاف أن الوفد جاهز."
    found = quotes(pipeline, text, direct=False)
    assert [speaker(q) for q in found] == [MARDIL, None, MARDIL]


def test_indirect_speech_without_an_entity(pipeline: Pipeline) -> None:
    q = one(pipeline, "وبحسب مصادر مطلعة فإن الوفد سيصل إلى أنوميناس غدا.", direct=False)
    assert (q.cue, q.text) == ("وبحسب", "الوفد سيصل إلى أنوميناس غدا")
    assert q.speaker is not None and (q.speaker.text, q.speaker.entity) == ("مصادر مطلعة", None)
    q = one(pipeline, "وأوضح البيان المشترك أن غوندور وأرنور اتفقتا على فتح الحدود.", direct=False)
    assert q.speaker is not None and (q.speaker.text, q.speaker.entity) == ("البيان المشترك", None)


def test_indirect_continuations_and_participles(pipeline: Pipeline) -> None:
    text = "قال إلروند بيريدهيل إن الزيارة مهمة للبلدين، مؤكدا أن الحدود آمنة. وأضاف أن الوفد سيعود غدا."
    found = quotes(pipeline, text, direct=False)
    assert [(q.cue, q.text) for q in found] == [
        ("قال", "الزيارة مهمة للبلدين"),
        ("مؤكدا", "الحدود آمنة"),
        ("وأضاف", "الوفد سيعود غدا"),
    ]
    assert {speaker(q) for q in found} == {ELROND}


def test_an_agency_report_hands_over_to_the_person(pipeline: Pipeline) -> None:
    text = "وذكرت وكالة بالانتير أن الرئيس الغوندوري رحب بالوفد. وقال إن الزيارة تاريخية."
    found = quotes(pipeline, text, direct=False)
    assert [speaker(q) for q in found] == ["agency:palantir", MARDIL]


def test_indirect_never_overlaps_a_direct_quote(pipeline: Pipeline) -> None:
    text = "وفيما ذكر مارديل أن «الأزمة في الوادي تزداد سوءا كل يوم»، شدد على أن «الحل لن يكون عسكريا أبدا»."
    found = run(pipeline, text).quotes
    assert [q.direct for q in found] == [True, True]
    assert [speaker(q) for q in found] == [MARDIL, MARDIL]
    text = "وأشار مارديل إلى أن التجارة تضاعفت هذا العام، وأن هذا الرقم «سيرتفع أكثر»."
    found = run(pipeline, text).quotes
    direct = [q for q in found if q.direct]
    assert [q.text for q in direct] == ["سيرتفع أكثر"]
    for q in found:
        if not q.direct:
            assert q.end <= direct[0].start - 1


def test_unclosed_quote_closes_at_the_paragraph_end(pipeline: Pipeline) -> None:
    text = (
        "قال إلروند بيريدهيل: «سنواصل العمل من أجل السلام في المنطقة\n\nوفي سياق آخر وصل الوفد إلى أنوميناس."
    )
    q = one(pipeline, text)
    assert (q.text, speaker(q)) == ("سنواصل العمل من أجل السلام في المنطقة", ELROND)


@pytest.mark.parametrize(
    "text",
    [
        "شارك الوفد الغوندوري في مؤتمر “كوب 29″ في أنوميناس.",
        "وأضاف إلروند بيريدهيل أنه دعا الرئيس الغوندوري إلى المشاركة في “كوب 29”.",
        'ونقلت صحيفة "النجم الأبيض" عن مصادر أن الوفد غادر.',
        "وتطور غوندور حاليا مشروع خط “الوادي الشرقي” مع أرنور.",
        "وجرت المعركة قرب جسر «أوسغيليات القديم» أمس.",
    ],
)
def test_a_quoted_name_is_not_a_quote(pipeline: Pipeline, text: str) -> None:
    assert quotes(pipeline, text, direct=True) == []


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("قال إلروند بيريدهيل: «لا».", "لا"),
        ("«مستحيل»، قال مارديل.", "مستحيل"),
        ("وقال مارديل إن «الأمر محسوم».", "الأمر محسوم"),
    ],
)
def test_a_short_quote_with_a_cue_is_a_quote(pipeline: Pipeline, text: str, body: str) -> None:
    q = one(pipeline, text)
    assert q.text == body and q.speaker is not None


def test_cues_inside_a_quote_are_not_cues(pipeline: Pipeline) -> None:
    text = "قال مارديل: «أكد لي الرئيس الأرنوري أن الحدود ستفتح غدا»."
    found = run(pipeline, text).quotes
    assert [(q.direct, speaker(q)) for q in found] == [(True, MARDIL)]


def test_stage_contract(stage: QuotesStage, pipeline: Pipeline) -> None:
    assert stage.name == "quotes"
    assert stage.requires == {"text", "tokens", "sentences", "entities"}
    doc = run(pipeline, f"قال إلروند بيريدهيل: «{SAID}».")
    assert "quotes" in doc.provided
    assert stage.find("", [], [], []) == ()


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        QuotesStage([{"cue": "قال", "kind": "shout"}])


_PIECES = st.sampled_from(
    [
        "قال",
        "وأضاف",
        "أن",
        "إن",
        "إلى أن",
        "عن",
        "قائلا",
        "حسب",
        "البيان",
        "بحسب",
        "فإن",
        "مارديل",
        "الرئيس الغوندوري",
        "غوندور",
        "«",
        "»",
        "“",
        "”",
        '"',
        "„",
        "″",
        ":",
        "،",
        ".",
        "\n",
        " ",
        "كوب 29",
        "الحدود آمنة",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=30))
def test_fuzz_offsets_stay_valid(stage: QuotesStage, pieces: list[str]) -> None:
    text = " ".join(pieces)
    found = stage.find(text, tokenize(text), sentences(text), [])
    for q in found:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=25))
def test_fuzz_through_the_pipeline(pipeline: Pipeline, pieces: list[str]) -> None:
    run(pipeline, " ".join(pieces))
