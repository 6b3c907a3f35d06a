"""One partition of a batch, as a Dask worker runs it.

:func:`run_partition` reads the partition's files as ``marsad ingest`` does, runs the
pipeline over them, fingerprints each document for story building, and writes one Parquet
file per table and publication month::

    OUT/<table>/month=2024-08/part-<partition id>.parquet     (month=undated without a date)

for the tables ``documents``, ``events``, ``quotes``, ``claims`` and ``entities`` (the
columns of ``marsad export``; ``story`` is left empty here, the batch's corpus stage
assigns stories) and ``records``: each document's whole output record, where it came from,
and its story fingerprint, which ``marsad ingest-parquet`` loads; ``arrived`` is the latest
publication date in the partition up to the document, which places an undated document in
story building where it came (as the store does). Each file is written
under a temporary name and renamed; the partition's marker ``OUT/_partitions/<id>.json``
comes last, so a partition without one is run again, whole, by a resumed batch.

The pipeline and the fingerprinter are built once per worker process and kept.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from marsad.batch.plan import Partition
from marsad.corpus.stored import story_print
from marsad.corpus.stories import StoryBuilder
from marsad.errors import BatchError, Code, InputError
from marsad.export.tables import Column, columns, entity_rows, table_rows
from marsad.export.writers import arrow_schema, pyarrow_modules
from marsad.ingest.readers import ReadOptions, read_path
from marsad.ingest.run import process_items
from marsad.kb.base import KnowledgeBase
from marsad.pipeline import Pipeline
from marsad.store.db import content_hash

__all__ = ["RECORD_COLUMNS", "TABLES", "UNDATED", "marker", "read_rows", "run_partition", "table_columns",
           "write_parquet"]  # fmt: skip

#: The tables a partition writes, by month.
TABLES = ("documents", "events", "quotes", "claims", "entities", "records")
#: The month folder of documents without a publication date.
UNDATED = "undated"

RECORD_COLUMNS = (
    Column("doc_id"), Column("partition"), Column("seq", "int"), Column("published"), Column("arrived"),
    Column("origin"), Column("raw_hash"), Column("content_hash"), Column("record"), Column("fingerprint", "bytes"),
    Column("embedding", "bytes"), Column("happenings"),
)  # fmt: skip

_TOOLS: dict[tuple[str, ...], tuple[Pipeline, StoryBuilder]] = {}


def table_columns(table: str) -> tuple[Column, ...]:
    return RECORD_COLUMNS if table == "records" else columns(table)


def marker(out: Path, partition_id: str) -> Path:
    """Where a finished partition's summary is written."""
    return out / "_partitions" / f"{partition_id}.json"


def _tools(kb_paths: tuple[str, ...]) -> tuple[Pipeline, StoryBuilder]:
    """This process's pipeline and fingerprinter for ``kb_paths``, built on first use."""
    if kb_paths not in _TOOLS:
        kb = KnowledgeBase.load(list(kb_paths))
        _TOOLS[kb_paths] = (Pipeline.default(kb=kb), StoryBuilder(countries=kb.countries_of_places()))
    return _TOOLS[kb_paths]


def _month(record: dict[str, Any]) -> str:
    published = record.get("published")
    return str(published)[:7] if published else UNDATED


def run_partition(
    partition: Partition, out: str, kb_paths: Sequence[str] = (), options: ReadOptions | None = None
) -> dict[str, Any]:
    """Process one partition into ``out`` (see the module docstring) and return its summary:
    ``documents``, ``failed`` (``[origin, code, message]`` per input that could not be
    read), ``months``, ``seconds``, and where and when it ran: ``worker`` (host and
    process id) and ``started`` (seconds since the epoch), from which a batch's time on
    each worker can be told apart from its waiting. A partition already finished is not run
    again."""
    folder = Path(out)
    done = marker(folder, partition.id)
    if done.exists():
        return {**json.loads(done.read_text(encoding="utf-8")), "skipped": True}
    start = time.perf_counter()
    started = time.time()
    pipeline, builder = _tools(tuple(kb_paths))
    options = options or ReadOptions()
    items = (result for path in partition.files for result in read_path(path, options))
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    failed: list[list[str]] = []
    pending: list[tuple[Any, Any]] = []
    count = 0
    latest: str | None = None  # the latest publication date so far in this partition

    def flush() -> None:
        nonlocal count, latest
        prints = builder.fingerprints([doc for _, doc in pending])
        for (item, doc), fp in zip(pending, prints, strict=True):
            record = doc.to_dict()
            month = _month(record)
            for table, row in table_rows([record]):
                rows.setdefault((table, month), []).append(row)
            rows.setdefault(("entities", month), []).extend(entity_rows(record))
            fingerprint, embedding, happenings = story_print(fp)
            published = record.get("published")
            latest = max(latest, published) if latest and published else (latest or published)
            rows.setdefault(("records", month), []).append({
                "doc_id": record["doc_id"], "partition": partition.id, "seq": count, "published": published,
                "arrived": latest, "origin": doc.source.origin, "raw_hash": item.raw_hash,
                "content_hash": content_hash(doc.text),
                "record": json.dumps(record, ensure_ascii=False), "fingerprint": fingerprint,
                "embedding": embedding, "happenings": happenings,
            })  # fmt: skip
            count += 1
        pending.clear()

    for outcome in process_items(items, pipeline):
        if isinstance(outcome, InputError):
            failed.append([outcome.origin, outcome.code.value, str(outcome)])
            continue
        pending.append(outcome)
        if len(pending) >= 256:
            flush()
    flush()
    months = sorted({month for _, month in rows})
    _write(folder, partition.id, months, rows)
    summary = {
        "id": partition.id, "index": partition.index, "files": list(partition.files), "documents": count,
        "failed": failed, "months": months, "latest": latest, "seconds": round(time.perf_counter() - start, 3),
        "worker": f"{socket.gethostname()}:{os.getpid()}", "started": round(started, 3),
    }  # fmt: skip
    _replace(done, json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"))
    return summary


def _write(
    folder: Path, partition_id: str, months: list[str], rows: dict[tuple[str, str], list[Any]]
) -> None:
    """Every table of every month the partition has documents in (a table without rows that
    month gets an empty file, so its columns are always there to read)."""
    for table in TABLES:
        for month in months:
            path = folder / table / f"month={month}" / f"part-{partition_id}.parquet"
            write_parquet(path, rows.get((table, month), []), table_columns(table))


def write_parquet(path: Path, rows: list[dict[str, Any]], cols: tuple[Column, ...]) -> None:
    """``rows`` as the Parquet file ``path``, written under a temporary name and renamed."""
    pa, pq = pyarrow_modules()
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(pa, cols)), str(temp))
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def read_rows(path: Path, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows of a Parquet file the batch wrote (only ``columns``, if given)."""
    _, pq = pyarrow_modules()
    try:
        return list(pq.read_table(str(path), columns=None if columns is None else list(columns)).to_pylist())
    except Exception as exc:  # pyarrow's errors share no base class
        raise BatchError(Code.BATCH_DATA, f"cannot read {path}: {exc}", "remove the partition's marker in "
                         "_partitions/ and run the batch again to write it anew") from exc  # fmt: skip


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    temp.write_bytes(data)
    os.replace(temp, path)
