"""marsad batch on a two-worker local Dask cluster: the same output as one process, resumed
runs, stories, and loading the result into the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_articles import write_articles

from marsad.batch import load_batch, plan, run_batch
from marsad.batch.partition import marker
from marsad.batch.run import largest_first
from marsad.corpus.stories import StoryBuilder
from marsad.errors import BatchError, Code
from marsad.export.tables import entity_rows, table_rows
from marsad.ingest.readers import ReadOptions, read_all
from marsad.ingest.run import ingest, process_items
from marsad.kb.base import KnowledgeBase
from marsad.pipeline import Pipeline
from marsad.store import open_store
from marsad.store.queries import records

pytest.importorskip("dask.distributed")
pq = pytest.importorskip("pyarrow.parquet")


def read(folder: Path, table: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted((folder / table).glob("month=*/*.parquet")):
        rows += pq.read_table(str(path)).to_pylist()
    return rows


def by_doc(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["doc_id"], r.get("index", 0)))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("articles")
    paths = write_articles(folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 not text at all \xff\xfe\x00")
    return [*paths, str(folder / "broken.txt")]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.default()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, inputs: list[str]) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("batch") / "out"
    report = run_batch(inputs, out, workers=2, files_per_partition=16, dashboard=False)
    return out, report


def single_process(inputs: list[str], pipeline: Pipeline) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for outcome in process_items(read_all(inputs, ReadOptions()), pipeline):
        if isinstance(outcome, Exception):
            continue
        record = outcome[1].to_dict()
        for table, row in table_rows([record]):
            tables.setdefault(table, []).append(row)
        tables.setdefault("entities", []).extend(entity_rows(record))
    return tables


def test_the_batch_equals_one_process(batch: tuple[Path, Any], inputs: list[str], pipeline: Pipeline) -> None:
    out, report = batch
    expected = single_process(inputs, pipeline)
    assert report.documents == len(expected["documents"]) == 200
    assert 0 < report.stories_seconds < report.seconds  # the corpus stage is timed on its own
    assert len(expected["events"]) > 100 and expected["quotes"] and expected["claims"]
    for table in ("documents", "events", "quotes", "claims", "entities"):
        assert by_doc(read(out, table)) == by_doc(expected[table]), table


def test_a_broken_file_fails_alone(batch: tuple[Path, Any]) -> None:
    _, report = batch
    assert [origin for origin, _ in report.failed] == [
        o for o, _ in report.failed if o.endswith("broken.txt")
    ]
    assert len(report.failed) == 1 and "MRS012" in report.failed[0][1]


def test_tables_are_partitioned_by_publication_month(batch: tuple[Path, Any], inputs: list[str]) -> None:
    out, report = batch
    months = sorted(p.name for p in (out / "events").iterdir())
    assert months[0] == "month=2024-01" and months[-1] == "month=undated" and len(months) == 7
    for row in pq.read_table(str(next((out / "documents" / "month=2024-03").glob("*.parquet")))).to_pylist():
        assert row["published"].startswith("2024-03")
    partitions, _ = plan(inputs, 16)
    assert report.partitions == len(partitions) == 4 + 3  # four feeds; 41 text files, 16 at a time


def test_a_resumed_batch_skips_finished_partitions(batch: tuple[Path, Any], inputs: list[str]) -> None:
    out, first = batch
    events = read(out, "events")
    again = run_batch(inputs, out, workers=1, files_per_partition=16, dashboard=False)
    assert again.skipped == again.partitions and again.documents == first.documents
    assert again.stories == first.stories and read(out, "events") == events
    manifest = json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    redo = manifest["partitions"][1]["id"]
    marker(out, redo).unlink()  # as if the run had stopped before this partition finished
    third = run_batch(inputs, out, workers=1, files_per_partition=16, dashboard=False)
    assert third.skipped == third.partitions - 1 and marker(out, redo).exists()
    assert by_doc(read(out, "events")) == by_doc(events)


def test_the_largest_partitions_run_first(inputs: list[str], tmp_path: Path) -> None:
    partitions, _ = plan(inputs, 16)
    for p in partitions:
        assert p.size == sum(Path(f).stat().st_size for f in p.files) > 0
    order = largest_first(partitions)
    assert sorted(p.size for p in partitions)[::-1] == [p.size for p in order]
    assert order[0].size > order[-1].size  # the test inputs differ in size
    # One worker runs them one after another, in that order; each says where and when.
    run_batch(inputs, tmp_path / "out", workers=1, files_per_partition=16, dashboard=False)
    summaries = [json.loads(marker(tmp_path / "out", p.id).read_text(encoding="utf-8")) for p in partitions]
    assert len({s["worker"] for s in summaries}) == 1
    started = sorted(summaries, key=lambda s: s["started"])
    assert [s["id"] for s in started] == [p.id for p in order]


def test_a_batch_folder_refuses_other_inputs(batch: tuple[Path, Any], inputs: list[str]) -> None:
    out, _ = batch
    with pytest.raises(BatchError) as caught:
        run_batch(inputs[:2], out, workers=1, files_per_partition=16, dashboard=False)
    assert caught.value.code is Code.BATCH_OUT


def test_stories_and_the_loaded_store_match_a_plain_ingest(
    batch: tuple[Path, Any], inputs: list[str], pipeline: Pipeline, tmp_path: Path
) -> None:
    out, report = batch
    kb = KnowledgeBase.load([])
    with open_store(tmp_path / "ingest.db") as store:
        ingest(inputs, store, pipeline=pipeline, stories=StoryBuilder(countries=kb.countries_of_places()))
        plain = {r["doc_id"]: r for r in records(store)}
    with open_store(tmp_path / "loaded.db") as store:
        loaded_report = load_batch(
            out, store, pipeline=pipeline, stories=StoryBuilder(countries=kb.countries_of_places())
        )
        loaded = {r["doc_id"]: r for r in records(store)}
        again = load_batch(out, store)
    assert loaded_report.documents_added == len(plain) and again.documents_added == 0
    assert again.skipped == again.seen == loaded_report.seen
    assert loaded == plain  # the same records, stories, inferred dates and claim links
    story = {r["doc_id"]: r["story"] for r in read(out, "doc_stories")}
    assert len(story) == report.documents
    assert {d: story[d] for d in plain} == {d: r["story"] for d, r in plain.items()}
    # a copy of an earlier text (the store keeps one) is in that text's story
    assert set(story) > set(plain) and set(story.values()) == {r["story"] for r in plain.values()}
    assert report.stories == len(set(story.values())) < len(plain)
    summaries = pq.read_table(str(out / "stories" / "stories.parquet")).to_pylist()
    assert sum(s["document_count"] for s in summaries) == len(plain)  # as marsad export counts them


def test_loading_a_folder_that_is_no_batch_fails_clearly(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store, pytest.raises(BatchError) as caught:
        load_batch(tmp_path, store)
    assert caught.value.code is Code.BATCH_DATA and "not a finished batch" in caught.value.message
