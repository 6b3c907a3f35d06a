"""Stories across documents and publication dates inferred from them, on fictional reports."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from marsad.corpus.crossdoc import Corpus
from marsad.corpus.stories import StoryBuilder, StorySettings, signatures
from marsad.extract.claims import ClaimsStage
from marsad.extract.dates import DatesStage
from marsad.extract.entities import EntitiesStage
from marsad.extract.events import EventsStage
from marsad.extract.quotes import QuotesStage
from marsad.extract.roles import RolesStage
from marsad.ingest.clean import Cleaner
from marsad.ingest.lexicon import Lexicon
from marsad.ingest.metadata import MetadataStage
from marsad.kb.base import KnowledgeBase
from marsad.model import Document
from marsad.pipeline import Pipeline, TokenizeStage, make_document

sys.path.insert(0, str(Path(__file__).parents[1] / "kb"))
from test_entities_roles import fictional_kb

MONDAY = dt.date(2024, 5, 6)
HOSTED = "استقبل الرئيس الأرنوري إلروند بيريدهيل نظيره الغوندوري إكثيليون مارديل في أنوميناس، وبحث الجانبان تعزيز التعاون بين البلدين."
ARRIVED = "وصل الرئيس الغوندوري إكثيليون مارديل، الاثنين، إلى أنوميناس في زيارة رسمية إلى أرنور يلتقي خلالها نظيره الأرنوري."
ELSEWHERE = "استقبل الرئيس الأرنوري إلروند بيريدهيل نظيره الغوندوري إكثيليون مارديل في ميناس تيريث."
MET = "التقى إكثيليون مارديل رئيس غوندور في أنوميناس الرئيس الأرنوري إلروند بيريدهيل وتناول اللقاء ملفات المنطقة."
PLANNED = "سيستقبل الرئيس الأرنوري إلروند بيريدهيل نظيره الغوندوري إكثيليون مارديل في أنوميناس."
NOTICE = (
    "أعلنت هيئة الأرصاد في أرنور أن موجة من الأمطار الغزيرة ستضرب المناطق الشمالية خلال الأيام الثلاثة المقبلة، "
    "ودعت السكان إلى الابتعاد عن مجاري السيول وتأجيل الرحلات البرية غير الضرورية حتى تتحسن الأحوال الجوية."
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return fictional_kb()


@pytest.fixture(scope="module")
def pipeline(kb: KnowledgeBase, lexicon: Lexicon) -> Pipeline:
    return fictional_pipeline(kb, lexicon)


def fictional_pipeline(kb: KnowledgeBase, lexicon: Lexicon) -> Pipeline:
    return Pipeline(
        [Cleaner.load(lexicon), TokenizeStage(), MetadataStage(lexicon), DatesStage.load(), EntitiesStage(kb),
         RolesStage(kb), QuotesStage.load(), ClaimsStage.load(), EventsStage.load(kb)]
    )  # fmt: skip


def processed(pipeline: Pipeline, texts: list[tuple[str, dt.date | None]]) -> list[tuple[Document, Document]]:
    raws = [make_document(text, published=day, doc_id=f"d{i}") for i, (text, day) in enumerate(texts)]
    return [(raw, pipeline.process(raw)) for raw in raws]


def corpus_records(
    pipeline: Pipeline, kb: KnowledgeBase, texts: list[tuple[str, dt.date | None]]
) -> list[dict]:
    corpus = Corpus(pipeline, kb)
    for raw, doc in processed(pipeline, texts):
        corpus.add(raw, doc)
    return corpus.records()


def test_two_reports_of_one_visit_are_one_story_and_date_each_other(
    pipeline: Pipeline, kb: KnowledgeBase
) -> None:
    hosted, arrived, elsewhere = corpus_records(
        pipeline, kb, [(HOSTED, MONDAY), (ARRIVED, None), (ELSEWHERE, None)]
    )
    assert hosted["story"] == arrived["story"] != elsewhere["story"]  # a city and its country are one place
    assert (arrived["published"], arrived["published_source"]) == ("2024-05-06", "inferred")
    assert arrived["events"][0]["date"] == "2024-05-06"  # "الاثنين" resolved from the inferred date
    assert hosted["published_source"] == "metadata" and elsewhere["published"] is None


def test_dates_too_far_apart_are_two_stories(pipeline: Pipeline, kb: KnowledgeBase) -> None:
    for days, same in ((30, False), (2, True)):
        first, later = corpus_records(
            pipeline, kb, [(HOSTED, MONDAY), (MET, MONDAY + dt.timedelta(days=days))]
        )
        assert (first["story"] == later["story"]) is same
    # the same text again is a near duplicate within the horizon (a week), and not after it
    for days, same in ((6, True), (30, False)):
        first, again = corpus_records(
            pipeline, kb, [(HOSTED, MONDAY), (HOSTED, MONDAY + dt.timedelta(days=days))]
        )
        assert (first["story"] == again["story"]) is same


def test_a_planned_visit_is_no_happening(pipeline: Pipeline) -> None:
    ((_raw, doc),) = processed(pipeline, [(PLANNED, MONDAY)])
    assert doc.events and "future" in doc.events[0].context
    assert signatures(doc) == []


def test_near_duplicates_without_events_are_one_story(pipeline: Pipeline, kb: KnowledgeBase) -> None:
    copy = NOTICE + " (وكالة أنباء أرنور)"
    other = (
        "أعلنت هيئة الأرصاد في أرنور أن رياحا شديدة محملة بالغبار ستهب على السواحل الجنوبية مساء الغد، "
        "وطالبت الصيادين بالبقاء في الموانئ وأصحاب المزارع بتثبيت البيوت البلاستيكية قبل وصول العاصفة."
    )
    records = corpus_records(pipeline, kb, [(NOTICE, None), (copy, None), (HOSTED, MONDAY)])
    assert records[0]["story"] == records[1]["story"] != records[2]["story"]
    assert not any(doc.events for _raw, doc in processed(pipeline, [(NOTICE, None)]))
    notice, changed = corpus_records(pipeline, kb, [(NOTICE, None), (other, None)])
    assert notice["story"] != changed["story"]  # another warning, with its own words


def test_story_ids_are_stable_and_a_join_keeps_the_older_id(pipeline: Pipeline) -> None:
    docs = [doc for _raw, doc in processed(pipeline, [(HOSTED, MONDAY), (ELSEWHERE, None), (ARRIVED, None)])]
    countries = {e.id: e.country for e in fictional_kb().entities.values() if e.country}
    first = StoryBuilder(countries=countries).add_all(docs)
    assert StoryBuilder(countries=countries).add_all(docs) == first
    builder = StoryBuilder(countries=countries)
    before = builder.add(docs[0])
    builder.add(docs[1])
    assert builder.add(docs[2]) == before  # joins the first story, which keeps its id
    assert builder.members(docs[0].doc_id) == ["d0", "d2"]
    assert builder.add(docs[0]) == before  # adding again changes nothing


def test_reports_whose_leads_read_alike_join_across_languages(pipeline: Pipeline) -> None:
    arabic = "زلزال قوي يضرب شمال أرنور ويدمر مئات المنازل"
    english = "A strong earthquake hits northern Arnor and destroys hundreds of homes"
    settings = StorySettings(same_text=0.75)  # this pair's cosine is about 0.81
    for gap, same in ((1, True), (3, False)):  # within text_window_days, then outside it
        docs = [
            doc
            for _raw, doc in processed(pipeline, [(arabic, MONDAY), (english, MONDAY + dt.timedelta(gap))])
        ]
        stories = StoryBuilder(settings).add_all(docs)
        assert (stories["d0"] == stories["d1"]) is same
    docs = [doc for _raw, doc in processed(pipeline, [(arabic, MONDAY), (english, MONDAY)])]
    stories = StoryBuilder(StorySettings(same_text=1.01)).add_all(docs)  # the rule off
    assert stories["d0"] != stories["d1"]


def test_shingle_hashes_follow_the_words() -> None:
    from marsad.corpus.stories import shingle_hashes

    words = ["a", "b", "c", "d", "e", "f"]
    assert len(shingle_hashes(words)) == 3
    assert shingle_hashes(words) == shingle_hashes(list(words))
    assert shingle_hashes(["a", "b", "c"]) and not shingle_hashes([])
    # order inside a shingle matters, and one changed word changes every shingle it is in
    assert shingle_hashes(["b", "a", "c", "d"]) != shingle_hashes(["a", "b", "c", "d"])
    changed = set(shingle_hashes(["a", "b", "c", "X", "e", "f"]))
    assert len(changed & set(shingle_hashes(words))) == 0


def test_texts_without_words_are_no_near_duplicates() -> None:
    builder = StoryBuilder()
    empty = [builder.fingerprints([{"doc_id": f"e{i}", "text": "123"}], [[]])[0] for i in range(2)]
    assert builder.add_fingerprint(empty[0]) != builder.add_fingerprint(empty[1])
    assert builder.near_duplicates == 0


def _dated(pipeline: Pipeline, text: str, day: dt.date, doc_id: str) -> Document:
    return pipeline.process(make_document(text, published=day, doc_id=doc_id))


def test_documents_behind_the_horizon_are_forgotten(pipeline: Pipeline) -> None:
    later = MONDAY + dt.timedelta(days=40)
    docs = [_dated(pipeline, NOTICE, MONDAY, "old"), _dated(pipeline, NOTICE, later, "new")]
    kept = StoryBuilder(StorySettings(horizon_days=None))
    kept.add_all(docs)
    assert kept.story("old") == kept.story("new") and kept.forgotten == 0
    bounded = StoryBuilder(StorySettings(horizon_days=30))
    bounded.add_all(docs)
    # the same bulletin forty days later is another story, and the old one's sketches are gone
    assert bounded.story("old") != bounded.story("new") and bounded.forgotten == 1
    old = bounded.fingerprint("old")
    assert old.minhash is None and not old.embedding.size and old.published == MONDAY
    near = StoryBuilder(StorySettings(horizon_days=30))
    near.add_all([docs[0], _dated(pipeline, NOTICE, MONDAY + dt.timedelta(days=29), "soon")])
    assert near.story("old") == near.story("soon") and near.forgotten == 0


def test_a_story_links_across_the_horizon_through_its_members(pipeline: Pipeline, kb: KnowledgeBase) -> None:
    builder = StoryBuilder(StorySettings(horizon_days=1), countries=kb.countries_of_places())
    first = _dated(pipeline, HOSTED, MONDAY, "first")
    builder.add(first)
    builder.add(_dated(pipeline, ARRIVED, MONDAY + dt.timedelta(days=1), "second"))
    builder.add(_dated(pipeline, NOTICE, MONDAY + dt.timedelta(days=5), "later"))
    assert builder.forgotten == 2  # both reports of the visit left the window
    assert builder.story("first") == builder.story("second") != builder.story("later")
    assert builder.members("first") == ["first", "second"]
    assert builder.happenings("first") == signatures(first, kb.countries_of_places())
