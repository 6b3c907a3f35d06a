"""Stories, inferred dates and claim links kept in the store across ingests (fictional reports)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_stories import ARRIVED, ELSEWHERE, HOSTED, MONDAY, corpus_records, fictional_kb, fictional_pipeline

from marsad.corpus.stored import fingerprint_stored, update_corpus
from marsad.corpus.stories import StoryBuilder, story_id
from marsad.ingest.lexicon import Lexicon
from marsad.ingest.run import ingest
from marsad.kb.base import KnowledgeBase
from marsad.pipeline import Pipeline
from marsad.store import open_store
from marsad.store import stories as corpus
from marsad.store.queries import get_document, records

TRADE = " وقال الرئيس الأرنوري إن حجم التبادل التجاري بين البلدين بلغ {} مليارات دولار."


def write(folder: Path, texts: list[tuple[str, dt.date | None]]) -> list[str]:
    """JSONL inputs, one per article, so each carries its publication date."""
    paths = []
    for i, (text, day) in enumerate(texts):
        path = folder / f"r{i}.jsonl"
        record = {"id": f"r{i}", "text": text, "published": day.isoformat() if day else None}
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def stored(db: Path, runs: list[list[str]], pipeline: Pipeline, kb: KnowledgeBase) -> list[dict]:
    with open_store(db) as store:
        for paths in runs:
            ingest(paths, store, pipeline=pipeline, stories=StoryBuilder(countries=kb.countries_of_places()))
        return list(records(store))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return fictional_kb()


@pytest.fixture(scope="module")
def pipeline(kb: KnowledgeBase, lexicon: Lexicon) -> Pipeline:
    return fictional_pipeline(kb, lexicon)


@pytest.fixture()
def texts() -> list[tuple[str, dt.date | None]]:
    return [(HOSTED + TRADE.format(4), MONDAY), (ELSEWHERE, None), (ARRIVED + TRADE.format(3), None)]


def test_stories_over_two_ingests_equal_one(
    tmp_path: Path, texts: list[tuple[str, dt.date | None]], pipeline: Pipeline, kb: KnowledgeBase
) -> None:
    paths = write(tmp_path, texts)
    once = stored(tmp_path / "once.db", [paths], pipeline, kb)
    twice = stored(tmp_path / "twice.db", [paths[:2], paths[2:]], pipeline, kb)
    assert [r["story"] for r in once] == [r["story"] for r in twice]
    hosted, elsewhere, arrived = twice
    assert hosted["story"] == arrived["story"] != elsewhere["story"]
    assert (arrived["published"], arrived["published_source"]) == ("2024-05-06", "inferred")
    assert arrived["events"][0]["date"] == "2024-05-06"  # "الاثنين" read again with the inferred date
    # 4 billion against 3 billion, in one story: a contradiction both ways
    assert [c["contradicted_by"] for c in hosted["claims"]] == [[arrived["doc_id"]]]
    assert [c["contradicted_by"] for c in arrived["claims"]] == [[hosted["doc_id"]]]
    with open_store(tmp_path / "twice.db", create=False) as store:
        contested = corpus.contested_claims(store)
        assert {(c["doc_id"], c["value"]) for c in contested} == {
            (hosted["doc_id"], 4e9), (arrived["doc_id"], 3e9)
        }  # fmt: skip
        assert get_document(store, arrived["doc_id"])["story"] == hosted["story"]
        assert [s["documents"] for s in corpus.stories(store)] == [2, 1]
        rows = corpus.timeline(store, "ARN", with_="GND", type="CONSULT")
        assert (rows[0]["date"], rows[0]["reports"]) == ("2024-05-06", 2)


def test_ingesting_again_changes_nothing(
    tmp_path: Path, texts: list[tuple[str, dt.date | None]], pipeline: Pipeline, kb: KnowledgeBase
) -> None:
    paths = write(tmp_path, texts)
    first = stored(tmp_path / "a.db", [paths], pipeline, kb)
    with open_store(tmp_path / "a.db") as store:
        report = ingest(
            paths, store, pipeline=pipeline, stories=StoryBuilder(countries=kb.countries_of_places())
        )
        assert report.corpus is not None
        assert (report.corpus.assigned, report.corpus.inferred_published, report.corpus.claim_links) == (
            0,
            0,
            0,
        )
        assert list(records(store)) == first


@pytest.mark.parametrize("later", ["stories --update", "ingest"])
def test_documents_stored_without_stories_get_the_same_ones_later(
    tmp_path: Path, texts: list[tuple[str, dt.date | None]], pipeline: Pipeline, kb: KnowledgeBase, later: str
) -> None:
    paths = write(tmp_path, texts)
    expected = stored(tmp_path / "with.db", [paths], pipeline, kb)
    with open_store(tmp_path / "without.db") as store:
        ingest(paths, store, pipeline=pipeline)  # no story building
        assert {r["story"] for r in records(store)} == {None}
        builder = StoryBuilder(countries=kb.countries_of_places())
        if later == "ingest":  # a later ingest with stories places them too
            report = ingest(paths, store, pipeline=pipeline, stories=builder)
            assert report.documents_added == 0 and report.corpus is not None
            assert report.corpus.assigned == 3
        else:
            assert fingerprint_stored(store, builder) == 3
            assert fingerprint_stored(store, builder) == 0  # each document once
            update_corpus(store, pipeline, StoryBuilder(countries=kb.countries_of_places()))
        assert list(records(store)) == expected


def test_an_older_report_stored_later_joins_its_story_without_renaming_it(
    tmp_path: Path, pipeline: Pipeline, kb: KnowledgeBase
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    newer = write(tmp_path / "a", [(HOSTED, MONDAY + dt.timedelta(days=1))])
    older = write(tmp_path / "b", [(ARRIVED, MONDAY), (ELSEWHERE + " ", MONDAY - dt.timedelta(days=60))])
    first = stored(tmp_path / "one.db", [newer], pipeline, kb)
    both = stored(tmp_path / "one.db", [older], pipeline, kb)
    assert both[0]["story"] == first[0]["story"] == story_id(first[0]["doc_id"])
    assert both[1]["story"] == both[0]["story"] != both[2]["story"]
    reverse = stored(tmp_path / "two.db", [older, newer], pipeline, kb)
    assert reverse[0]["story"] == reverse[2]["story"] == story_id(reverse[0]["doc_id"])


def test_extract_groups_documents_as_the_store_does(
    tmp_path: Path, texts: list[tuple[str, dt.date | None]], pipeline: Pipeline, kb: KnowledgeBase
) -> None:
    later = [*texts, (HOSTED, MONDAY - dt.timedelta(days=40)), (ARRIVED, MONDAY + dt.timedelta(days=1))]
    kept = stored(tmp_path / "s.db", [write(tmp_path, later)], pipeline, kb)
    extracted = corpus_records(pipeline, kb, later)

    def groups(rows: list[dict]) -> list[list[int]]:
        by_story: dict[str, list[int]] = {}
        for n, row in enumerate(rows):
            by_story.setdefault(row["story"], []).append(n)
        return sorted(by_story.values())

    assert groups(extracted) == groups(kept) == [[0, 2, 4], [1], [3]]
    assert [r["published"] for r in extracted] == [r["published"] for r in kept]


def test_a_story_is_listed_under_the_first_title_stored(
    tmp_path: Path, pipeline: Pipeline, kb: KnowledgeBase
) -> None:
    paths = []
    for n, record in enumerate(
        [{"id": "wire", "text": HOSTED, "published": MONDAY.isoformat()},
         {"id": "report", "title": "رئيس غوندور في أرنور", "text": ARRIVED}]
    ):  # fmt: skip
        path = tmp_path / f"r{n}.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(str(path))
    kept = stored(tmp_path / "s.db", [paths], pipeline, kb)
    assert kept[0]["story"] == kept[1]["story"] and kept[0]["title"] is None
    with open_store(tmp_path / "s.db") as store:
        (row,) = corpus.stories(store)
    assert row["title"] == "رئيس غوندور في أرنور"
