"""The events stage: trigger families, argument patterns, place, date, context and merging.

Sentences are written for these tests, about fictional countries (Arnor ARN, Gondor GND,
Rohan ROH) from tests/kb/fictional; the trigger table is the bundled one.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.extract.dates import DatesStage
from marsad.extract.entities import EntitiesStage
from marsad.extract.events import EventsStage
from marsad.extract.quotes import QuotesStage
from marsad.extract.roles import RolesStage
from marsad.ingest.clean import Cleaner
from marsad.ingest.lexicon import Lexicon
from marsad.ingest.metadata import MetadataStage
from marsad.model import Document, Event
from marsad.pipeline import Pipeline, TokenizeStage, make_document

sys.path.insert(0, str(Path(__file__).parents[1] / "kb"))
from test_entities_roles import fictional_kb

DAY = dt.date(2024, 5, 6)  # a Monday


@pytest.fixture(scope="module")
def pipeline(lexicon: Lexicon) -> Pipeline:
    kb = fictional_kb()
    return Pipeline(
        [Cleaner.load(lexicon), TokenizeStage(), MetadataStage(lexicon), DatesStage.load(), EntitiesStage(kb),
         RolesStage(kb), QuotesStage.load(), EventsStage.load(kb)]
    )  # fmt: skip


def events(pipeline: Pipeline, text: str, published: dt.date | None = DAY) -> list[Event]:
    doc: Document = pipeline.process(make_document(text, published=published))
    for e in doc.events:
        assert doc.text[e.evidence.start : e.evidence.end] == e.evidence.text
    return list(doc.events)


def sides(e: Event) -> tuple[str | None, str | None]:
    return (e.source.country if e.source else None), (e.target.country if e.target else None)


@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        ("استقبل الرئيس الأرنوري إلروند بيريدهيل نظيره الغوندوري في أنوميناس.", "CONSULT", "ARN", "GND"),
        ("زار الرئيس الغوندوري أرنور أمس.", "CONSULT", "GND", "ARN"),
        ("التقى وزير الخارجية الأرنوري مع الرئيس الغوندوري.", "CONSULT", "ARN", "GND"),
        ("وقعت أرنور وغوندور اتفاقية للتجارة الحرة.", "AGREE", "ARN", "GND"),
        ("أشادت أرنور بدور غوندور في الوساطة.", "SUPPORT", "ARN", "GND"),
        ("طالبت أرنور غوندور بسحب قواتها.", "REQUEST", "ARN", "GND"),
        ("اتهمت غوندور أرنور بدعم المتمردين.", "ACCUSE", "GND", "ARN"),
        ("رفضت أرنور مقترحا قدمته غوندور.", "REJECT", "ARN", "GND"),
        ("هددت أرنور غوندور بالرد.", "THREATEN", "ARN", "GND"),
        ("فرضت أرنور عقوبات على غوندور.", "SANCTION", "ARN", "GND"),
        ("حشدت غوندور قوات على حدود أرنور.", "MOBILIZE", "GND", "ARN"),
        ("قصفت القوات الغوندورية مواقع أرنورية قرب أوسغيليات.", "ASSAULT", "GND", "ARN"),
        ("أفرجت غوندور عن أسرى من أرنور.", "RETREAT", "GND", "ARN"),
        ("قدمت أرنور مساعدات إنسانية إلى روهان.", "AID", "ARN", "ROH"),
    ],
)
def test_trigger_families_and_sides(
    pipeline: Pipeline, text: str, kind: str, source: str, target: str
) -> None:
    found = [e for e in events(pipeline, text) if e.type == kind]
    assert found, events(pipeline, text)
    assert sides(found[0]) == (source, target)


@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        # SVO with words between subject and verb
        ("أن القوات الغوندورية المتمركزة في أوسغيليات قصفت مواقع أرنورية.", "ASSAULT", "GND", "ARN"),
        # "بين X و Y" right after a verbal noun
        ("جرت مباحثات بين الرئيس الأرنوري والرئيس الغوندوري في ميناس تيريث.", "CONSULT", "ARN", "GND"),
        # two subjects joined by و before a verbal noun
        ("عقد إلروند بيريدهيل وإكثيليون مارديل لقاء ثنائيا.", "CONSULT", "ARN", "GND"),
        # a verbal noun and its genitive, the visit going to a city
        ("تزامنت زيارة إكثيليون مارديل إلى أنوميناس مع مباحثات أخرى.", "CONSULT", "GND", "ARN"),
        # a verbal noun written like a verb, after مع
        ("تزامن ذلك مع قصف القوات الروهانية لمواقع غوندورية.", "ASSAULT", "ROH", "GND"),
        # possessive verbal noun: the subject is named before it
        ("أكد الرئيس الأرنوري أهمية زيارته لغوندور.", "CONSULT", "ARN", "GND"),
    ],
)
def test_argument_patterns(pipeline: Pipeline, text: str, kind: str, source: str, target: str) -> None:
    found = [e for e in events(pipeline, text) if e.type == kind]
    assert found and sides(found[0]) == (source, target), events(pipeline, text)


def test_place_and_dateline(pipeline: Pipeline) -> None:
    e = events(pipeline, "استقبل الرئيس الأرنوري نظيره الغوندوري بالعاصمة أنوميناس.")[0]
    assert e.location is not None and e.location.name == "Annuminas"
    e = events(pipeline, "قصفت القوات الغوندورية مواقع أرنورية في أوسغيليات.")[0]
    assert e.location is not None and e.location.id == "city:osgiliath"


def test_dates(pipeline: Pipeline) -> None:
    e = events(pipeline, "استقبل الرئيس الأرنوري، الأحد، نظيره الغوندوري.")[0]
    assert (e.date, e.date_source) == ("2024-05-05", "text")
    e = events(pipeline, "استقبل الرئيس الأرنوري نظيره الغوندوري.")[0]
    assert (e.date, e.date_source) == ("2024-05-06", "publication")
    e = events(pipeline, "استقبل الرئيس الأرنوري نظيره الغوندوري.", published=None)[0]
    assert (e.date, e.date_source) == (None, None)
    # a date inside a relative clause after the trigger belongs to that clause
    e = events(pipeline, "عقد إلروند بيريدهيل وإكثيليون مارديل لقاء ضمن الزيارة التي بدأت الأحد.")[0]
    assert e.date == "2024-05-06"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("سيزور الرئيس الأرنوري غوندور الشهر المقبل.", "future"),
        ("لم يستقبل الرئيس الأرنوري نظيره الغوندوري.", "negated"),
        ("إذا هاجمت غوندور أرنور فسترد.", "hypothetical"),
        ("قصفت القوات الغوندورية مواقع أرنورية في عام 2015.", "historical"),
        ('وقال الرئيس الأرنوري: "لقد هاجمت غوندور مواقعنا في الشمال مرارا".', "reported"),
    ],
)
def test_context_flags(pipeline: Pipeline, text: str, flag: str) -> None:
    assert any(flag in e.context for e in events(pipeline, text)), events(pipeline, text)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("لم تكن هناك اشتباكات بين القوات الأرنورية والقوات الغوندورية أمس.", True),
        ("وقالت الوزارة إنه لا توجد أي اشتباكات بين القوات الأرنورية والقوات الغوندورية.", True),
        ("لم تحدث اشتباكات بين القوات الأرنورية والقوات الغوندورية.", True),
        ("لا تزال الاشتباكات مستمرة بين القوات الأرنورية والقوات الغوندورية.", False),
        ("اندلعت اشتباكات بين القوات الأرنورية والقوات الغوندورية.", False),
    ],
)
def test_negation_across_words_of_existence(pipeline: Pipeline, text: str, negated: bool) -> None:
    assault = [e for e in events(pipeline, text) if e.type == "ASSAULT"]
    assert assault, text
    assert ("negated" in assault[0].context) is negated


def test_one_event_per_happening(pipeline: Pipeline) -> None:
    text = (
        "الرئيس الأرنوري يستقبل نظيره الغوندوري في أنوميناس\n\n"
        "استقبل الرئيس الأرنوري إلروند بيريدهيل، الاثنين، نظيره الغوندوري إكثيليون مارديل في أنوميناس.\n"
        "وفي مستهل اللقاء أعرب بيريدهيل عن سعادته بالزيارة."
    )
    consult = [e for e in events(pipeline, text) if e.type == "CONSULT"]
    assert len(consult) <= 2  # the visit (title and lead are one), and at most the meeting
    assert consult[0].evidence.text.startswith("الرئيس الأرنوري يستقبل")
    # the same shelling, undated in the lead and dated further down, is one event with the date
    text = "تزامن ذلك مع قصف القوات الغوندورية لمواقع أرنورية.\nوقالت أرنور إن القوات الغوندورية قصفت مساء الأحد مواقع أرنورية."
    assault = [e for e in events(pipeline, text) if e.type == "ASSAULT"]
    assert [(e.date, e.date_source) for e in assault] == [("2024-05-05", "text")]


def test_a_verbal_noun_that_is_a_subject_of_talk_is_no_event(pipeline: Pipeline) -> None:
    talk = "تطرق الرئيس الأرنوري إلى الاشتباكات على الحدود مع غوندور."
    assert [e for e in events(pipeline, talk) if e.type == "ASSAULT"] == []
    talk = "ناقش وزيرا خارجية أرنور وغوندور الهجوم على أوسغيليات."
    assert [e for e in events(pipeline, talk) if e.type == "ASSAULT"] == []
    # the same noun reported as something that happened stays an event
    report = "قتل ثلاثة جنود في الاشتباكات بين القوات الأرنورية والقوات الغوندورية."
    assert "ASSAULT" in [e.type for e in events(pipeline, report)]
    # a verb after a discussion verb is still an event of its own
    report = "ناقش الوزير الوضع بعد أن قصفت القوات الغوندورية مواقع أرنورية."
    assert "ASSAULT" in [e.type for e in events(pipeline, report)]


def test_diplomatic_events_need_both_sides(pipeline: Pipeline) -> None:
    assert [e for e in events(pipeline, "أشاد المتحدث بالمبادرة.") if e.type == "SUPPORT"] == []
    # an attack by unnamed gunmen is still an attack
    assert [e.type for e in events(pipeline, "هاجم مسلحون مجهولون قافلة قرب أوسغيليات.")] == ["ASSAULT"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list('استقبلزارقصفتأرنوغد بين مع، .\n"«»')), max_size=120))
def test_fuzz(pipeline: Pipeline, text: str) -> None:
    events(pipeline, text)


def test_first_person_inside_a_quote_is_the_speaker(pipeline: Pipeline) -> None:
    text = (
        'وقال الرئيس الأرنوري إلروند بيريدهيل للصحفيين: "استقبلت مساء أمس وزير الخارجية الغوندوري في مكتبي".'
    )
    consult = [e for e in events(pipeline, text) if e.type == "CONSULT"]
    assert consult and sides(consult[0]) == ("ARN", "GND")
    assert consult[0].date == "2024-05-05" and "reported" in consult[0].context
