"""The pipeline checks its order when built and runs stages in order."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import replace

import pytest

import marsad
from marsad.errors import Code, MarsadError, PipelineError
from marsad.model import Document
from marsad.pipeline import Pipeline, TokenizeStage, gc_paused, make_document

ARTICLE = "أرنور تفتح سفارة في غوندور\n\nأعلن وزير الخارجية أن السفارة ستفتح أبوابها الشهر المقبل. وقال إن الخطوة تاريخية."


class Upper:
    name = "shout"
    requires = frozenset({"tokens"})
    provides = frozenset({"shouted"})

    def __call__(self, doc: Document) -> Document:
        return replace(doc, provided=doc.provided | self.provides)


def test_misordered_pipeline_fails_with_a_numbered_error() -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([Upper(), TokenizeStage()])
    assert info.value.code is Code.PIPELINE_ORDER
    message = str(info.value)
    assert message.startswith("MRS001 stage 1 'shout' requires tokens")
    assert "put a stage that provides it before 'shout'" in message


def test_missing_cleaner_is_reported() -> None:
    with pytest.raises(PipelineError, match="stage 1 'tokenize' requires text"):
        Pipeline([TokenizeStage()])


def test_duplicate_stage_names_are_refused(pipeline: Pipeline) -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([*pipeline.stages, Upper(), Upper()])
    assert info.value.code is Code.PIPELINE_DUPLICATE


def test_default_stages_and_what_they_provide(pipeline: Pipeline) -> None:
    assert pipeline.names == [
        "clean",
        "tokenize",
        "metadata",
        "dates",
        "entities",
        "roles",
        "names",
        "quotes",
        "claims",
        "events",
    ]
    assert {"text", "tokens", "sentences", "published", "agency", "dates", "claims", "quotes", "events"} <= (
        pipeline.provides
    )
    extended = Pipeline([*pipeline.stages, Upper()])
    doc = extended.process(make_document(ARTICLE))
    assert "shouted" in doc.provided


def test_process_and_stream(pipeline: Pipeline) -> None:
    doc = pipeline.process(make_document(ARTICLE, doc_id="a"))
    assert doc.title == "أرنور تفتح سفارة في غوندور"
    assert [doc.text[s.start : s.end] for s in doc.sentences] == [s.text for s in doc.sentences]
    assert all(doc.text[t.start : t.end] == t.text for t in doc.tokens)
    docs = list(pipeline.stream(make_document(ARTICLE + str(i), doc_id=str(i)) for i in range(3)))
    assert [d.doc_id for d in docs] == ["0", "1", "2"]


class FailOn:
    """A stage that fails on documents whose text holds a marker word."""

    name = "picky"
    requires = frozenset({"tokens"})
    provides = frozenset({"picked"})

    def __init__(self, batch: bool) -> None:
        if batch:
            self.batch = lambda docs: [self(doc) for doc in docs]

    def __call__(self, doc: Document) -> Document:
        if "مكسور" in doc.text:
            raise MarsadError(Code.NO_BODY, "a broken document", "leave it out")
        return replace(doc, provided=doc.provided | self.provides)


@pytest.mark.parametrize("batch", [False, True])
def test_one_failing_document_in_a_group_fails_alone(pipeline: Pipeline, batch: bool) -> None:
    picky = Pipeline([*pipeline.stages[:2], FailOn(batch), *pipeline.stages[2:]])
    docs = [
        make_document(text, doc_id=str(i)) for i, text in enumerate([ARTICLE, ARTICLE + " مكسور", ARTICLE])
    ]
    results = picky.process_many(docs)
    assert isinstance(results[1], MarsadError) and "a broken document" in str(results[1])
    assert [r.doc_id for r in results if isinstance(r, Document)] == ["0", "2"]
    assert all("events" in r.provided for r in results if isinstance(r, Document))
    with pytest.raises(MarsadError):
        list(picky.stream(docs))


def test_a_group_gives_what_each_document_alone_gives(pipeline: Pipeline) -> None:
    texts = [ARTICLE, "قال محمد الحسيني إن الوفد سيصل إلى عمان غدا.", "", ARTICLE.replace("أرنور", "روهان")]
    docs = [make_document(text, doc_id=str(i)) for i, text in enumerate(texts)]
    alone = [pipeline.process(doc).to_dict() for doc in docs]
    assert [doc.to_dict() for doc in pipeline.stream(docs, group=3)] == alone
    assert gc.isenabled()


def test_a_group_leaves_no_tokens_behind(pipeline: Pipeline) -> None:
    """The stages' caches of token keys and starts are emptied once a group is done, so the
    group's tokens die with its documents (and the collector never walks them)."""
    from marsad.arabic import phrases

    done = pipeline.process_many([make_document(ARTICLE, doc_id="a"), make_document(ARTICLE, doc_id="b")])
    assert all(isinstance(doc, Document) and doc.tokens for doc in done)
    assert not phrases._recent_keys
    assert not phrases._recent_starts


def test_gc_paused_restores_the_collector() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: stays off
    finally:
        gc.enable()


def test_public_api_matches_the_contract() -> None:
    doc = marsad.process(ARTICLE, published="2024-08-19", doc_id="x")
    data = doc.to_dict()
    for key in ("doc_id", "title", "published", "published_source", "agency", "authors", "dateline", "language",
                "text", "story", "entities", "events", "quotes", "claims", "dates"):  # fmt: skip
        assert key in data
    assert data["doc_id"] == "x" and data["published"] == "2024-08-19" and data["language"] == "ar"
    # the fictional places are no KB entities: at most unlinked names from the NER model
    assert all(e["id"].startswith("marsad:ner:") for e in data["entities"])
    assert data["events"] == [] and data["story"] is None
    assert marsad.process(ARTICLE, published=dt.date(2024, 8, 19)).published == dt.date(2024, 8, 19)


def test_bidi_and_zero_width_characters_stay_in_the_text_but_not_in_matching(pipeline: Pipeline) -> None:
    raw = "باكو/ الأنا\u200dضول\n\u200fأعلن الرئيس\u200c أن المحادثات ستستمر في العاصمة خلال الأسبوع المقبل."
    doc = pipeline.process(make_document(raw))
    assert doc.agency == "Anadolu Agency"
    assert "\u200f" in doc.text and "\u200c" in doc.text
    assert all(doc.text[t.start : t.end] == t.text for t in doc.tokens)
    assert "الرئيس" in [t.norm.replace("\u200c", "") for t in doc.tokens] or any(
        t.stem == "رييس" for t in doc.tokens
    )
