"""``marsad batch``: the pipeline over partitions on Dask, then stories over the result.

:func:`run_batch` plans the inputs' partitions (:mod:`marsad.batch.plan`), runs each one
not yet finished on a Dask cluster (:func:`~marsad.batch.partition.run_partition`: a
LocalCluster of ``workers`` processes, or the scheduler at ``scheduler``, such as one
that dask-jobqueue started on a Slurm cluster), and then runs the corpus stage on this
machine: the stored fingerprints are read back month by month and placed in stories in
publication order, as :mod:`marsad.corpus.stored` does for a store. It writes

* ``OUT/doc_stories/month=…/part-stories.parquet``: ``doc_id``, ``story`` for every
  document;
* ``OUT/stories/stories.parquet``: one row per story, as ``marsad export`` writes them;
* ``OUT/_batch.json``: the plan (partitions and their files) and what the run found.

A batch folder holds one batch: running again with the same inputs resumes it, skipping
finished partitions; other inputs are refused (MRS081), so nothing is mixed or lost.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import time
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.batch.partition import UNDATED, marker, read_rows, run_partition, write_parquet
from marsad.batch.plan import FILES_PER_PARTITION, Partition, plan
from marsad.corpus.stored import stored_fingerprint
from marsad.corpus.stories import StoryBuilder, StorySettings
from marsad.errors import BatchError, Code
from marsad.export.tables import Column, columns, story_rows
from marsad.ingest.readers import ReadOptions

__all__ = ["BatchReport", "largest_first", "months", "ordered", "run_batch"]

log = logging.getLogger(__name__)

_MANIFEST = "_batch.json"
_ORDER_COLUMNS = ("doc_id", "partition", "seq", "published", "arrived")
_FINGERPRINT_COLUMNS = ["doc_id", "fingerprint", "embedding", "happenings"]
_DOC_STORY_COLUMNS = (Column("doc_id"), Column("story"))


@dataclass(slots=True)
class BatchReport:
    """What a batch run did. ``failed`` lists ``(origin, message)`` per input not read, and
    ``(partition files, message)`` per partition whose task failed (run it again to retry)."""

    partitions: int = 0
    #: Partitions an earlier run of the same batch had finished.
    skipped: int = 0
    #: Documents processed (copies of an earlier text included) and the stories they make.
    documents: int = 0
    stories: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: The Dask dashboard's address while the batch ran (None without one).
    dashboard: str | None = None
    seconds: float = 0.0
    #: Of ``seconds``, the time of the corpus stage (stories), which runs here once every
    #: partition is done.
    stories_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[BatchReport, int], None]  # the report so far, partitions still running


def run_batch(
    paths: Sequence[str],
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    kb_paths: Sequence[str] = (),
    options: ReadOptions | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
    settings: StorySettings | None = None,
    dashboard: bool = True,
    progress: Progress | None = None,
) -> BatchReport:
    """Run a batch into ``out`` (see the module docstring)."""
    start = time.perf_counter()
    folder = Path(out)
    partitions, errors = plan(paths, files_per_partition)
    report = BatchReport(partitions=len(partitions), failed=[(e.origin, str(e)) for e in errors])
    _claim(folder, partitions)
    todo = [p for p in partitions if not marker(folder, p.id).exists()]
    report.skipped = len(partitions) - len(todo)
    if todo:
        _run_on_dask(todo, folder, report, workers, scheduler, kb_paths, options, dashboard, progress)
    for p in partitions:
        done = marker(folder, p.id)
        if done.exists():
            summary = json.loads(done.read_text(encoding="utf-8"))
            report.documents += summary["documents"]
            report.failed += [(origin, message) for origin, _, message in summary["failed"]]
    kb_countries = _countries(kb_paths)
    stories_start = time.perf_counter()
    report.stories = _stories(folder, partitions, StoryBuilder(settings or StorySettings(), kb_countries))
    report.seconds = time.perf_counter() - start
    report.stories_seconds = time.perf_counter() - stories_start
    _write_manifest(folder, partitions, report)
    return report


def _claim(folder: Path, partitions: list[Partition]) -> None:
    """Make ``folder`` this batch's, unless it holds a batch of other inputs."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BatchError(Code.BATCH_OUT, f"cannot create the batch folder {folder}: {exc}",
                         "choose a folder you can write to") from exc  # fmt: skip
    ours = {p.id for p in partitions}
    done = {path.stem for path in (folder / "_partitions").glob("*.json")}
    if done - ours:
        raise BatchError(
            Code.BATCH_OUT, f"{folder} holds a batch of other inputs ({len(done - ours)} partitions not in this one)",
            "give a new --out folder (a batch folder holds one batch; the same inputs resume it)",
        )  # fmt: skip


def _run_on_dask(
    todo: list[Partition], folder: Path, report: BatchReport, workers: int | None, scheduler: str | None,
    kb_paths: Sequence[str], options: ReadOptions | None, dashboard: bool, progress: Progress | None,
) -> None:  # fmt: skip
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise BatchError(Code.NO_DASK, "marsad batch needs Dask (dask.distributed), which is not installed",
                         'install it with: pip install "marsad[batch]"') from exc  # fmt: skip
    with contextlib.ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers or 1, threads_per_worker=1, processes=True,
                dashboard_address=":8787" if dashboard else ":0",  # ":0": any free port, none taken
            ))  # fmt: skip
            client = stack.enter_context(Client(cluster))
        report.dashboard = client.dashboard_link if dashboard else None
        # The largest partitions first, submitted first and with the higher priority (a
        # worker may start a task before the next is submitted): a large one started last
        # would keep one worker busy while the others wait for the end.
        futures = {
            client.submit(run_partition, p, str(folder), list(kb_paths), options, key=f"marsad-partition-{p.id}",
                          pure=False, priority=len(todo) - rank): p
            for rank, p in enumerate(largest_first(todo))
        }  # fmt: skip
        running = len(futures)
        if progress:
            progress(report, running)  # started: the dashboard is up
        for future in as_completed(futures):
            running -= 1
            part = futures[future]
            try:
                future.result()
            except Exception as exc:  # a partition fails alone; a resumed batch runs it again
                files = ", ".join(part.files[:3]) + (" …" if len(part.files) > 3 else "")
                report.failed.append((files, f"{Code.BATCH_PARTITION.value} partition {part.id} failed: {exc!r}; "
                                      "run the batch again to retry it"))  # fmt: skip
                log.warning("partition %s failed: %r", part.id, exc)
            if progress:
                progress(report, running)


def largest_first(partitions: Sequence[Partition]) -> list[Partition]:
    """``partitions`` by size, largest first; equal sizes in plan order."""
    return sorted(partitions, key=lambda p: (-p.size, p.index))


def _countries(kb_paths: Sequence[str]) -> dict[str, str]:
    from marsad.kb.base import KnowledgeBase

    return dict(KnowledgeBase.load(list(kb_paths)).countries_of_places())


def months(folder: Path, table: str) -> list[str]:
    """The month folders of ``table``, in order, undated last."""
    found = sorted(p.name.removeprefix("month=") for p in (folder / table).glob("month=*") if p.is_dir())
    return [m for m in found if m != UNDATED] + [m for m in found if m == UNDATED]


def ordered(
    folder: Path, partitions: list[Partition], columns: list[str] | None = None, skip: Container[str] = ()
) -> Iterator[list[dict[str, Any]]]:
    """The batch's ``records`` rows (only ``columns``, if given; none whose doc id is in
    ``skip``), a month at a time, in the order documents join stories: publication date,
    then plan order. An undated document
    comes where it arrived: with the latest publication date before it in plan order, as
    the store replays its documents (:mod:`marsad.corpus.stored`)."""
    wanted = None if columns is None else sorted({*columns, *_ORDER_COLUMNS})
    order = {p.id: p.index for p in partitions}
    before: dict[str, str] = {}  # partition: the latest publication date in earlier partitions
    latest = ""
    for p in partitions:
        before[p.id] = latest
        done = marker(folder, p.id)
        if done.exists():
            latest = max(latest, json.loads(done.read_text(encoding="utf-8")).get("latest") or "")

    def read(month: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for path in sorted((folder / "records" / f"month={month}").glob("part-*.parquet")):
            rows += [r for r in read_rows(path, wanted) if r["doc_id"] not in skip]
        for row in rows:
            row["_key"] = (row["published"] or max(before.get(row["partition"], ""), row["arrived"] or ""),
                           order.get(row["partition"], len(order)), row["seq"])  # fmt: skip
        return rows

    found = months(folder, "records")
    undated: dict[str, list[dict[str, Any]]] = {}
    if found and found[-1] == UNDATED:
        dated = found[:-1]
        for row in read(found.pop()):
            day = row["_key"][0]
            month = day[:7] if day[:7] in dated else (dated[0] if dated and not day else day[:7])
            undated.setdefault(month, []).append(row)
    for month in sorted({*found, *undated}):
        rows = (read(month) if month in found else []) + undated.get(month, [])
        rows.sort(key=lambda r: r["_key"])
        yield rows


def _copies(folder: Path, partitions: list[Partition]) -> dict[str, tuple[str, str]]:
    """Documents whose text (whitespace aside) an earlier one in plan order has: doc id: the
    earlier one's id and the copy's month. A store keeps one of them, so stories do too."""
    order = {p.id: p.index for p in partitions}
    seen: list[tuple[str, tuple[int, int], str, str]] = []
    for path in folder.glob("records/month=*/part-*.parquet"):
        month = path.parent.name.removeprefix("month=")
        for r in read_rows(path, ["doc_id", "partition", "seq", "content_hash"]):
            seen.append(
                (r["content_hash"], (order.get(r["partition"], len(order)), r["seq"]), r["doc_id"], month)
            )
    seen.sort()
    copies: dict[str, tuple[str, str]] = {}
    for _, group in itertools.groupby(seen, key=lambda row: row[0]):
        kept, *others = group
        copies.update((doc_id, (kept[2], month)) for _, _, doc_id, month in others)
    return copies


def _stories(folder: Path, partitions: list[Partition], builder: StoryBuilder) -> int:
    """Place every document in a story; write ``doc_stories`` and ``stories``."""
    copies = _copies(folder, partitions)
    placed: dict[str, list[str]] = {}  # month: its documents in the order placed
    for rows in ordered(folder, partitions, _FINGERPRINT_COLUMNS, skip=copies):
        for row in rows:
            # a story is named after its first document in plan order, as the store names it
            builder.add_fingerprint(stored_fingerprint(row), rank=row["_key"][1:])
            placed.setdefault(str(row["published"] or UNDATED)[:7], []).append(row["doc_id"])
    for doc_id, (_, month) in copies.items():
        placed.setdefault(month, []).append(doc_id)
    summaries: list[dict[str, Any]] = []
    for month, ids in placed.items():
        story = {d: builder.story(copies[d][0] if d in copies else d) for d in ids}
        path = folder / "doc_stories" / f"month={month}" / "part-stories.parquet"
        write_parquet(path, [{"doc_id": d, "story": s} for d, s in story.items()], _DOC_STORY_COLUMNS)
        for table_path in sorted((folder / "documents" / f"month={month}").glob("part-*.parquet")):
            for record in read_rows(table_path, ["doc_id", "published", "agency", "title"]):
                if record["doc_id"] not in copies:
                    summaries.append({**record, "story": story.get(record["doc_id"])})
    stories = list(story_rows(summaries))
    write_parquet(folder / "stories" / "stories.parquet", stories, columns("stories"))
    return len(stories)


def _write_manifest(folder: Path, partitions: list[Partition], report: BatchReport) -> None:
    data = {
        "partitions": [{"id": p.id, "index": p.index, "files": list(p.files), "size": p.size} for p in partitions],
        "documents": report.documents, "stories": report.stories, "failed": report.failed,
    }  # fmt: skip
    (folder / _MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
