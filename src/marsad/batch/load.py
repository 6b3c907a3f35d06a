"""``marsad ingest-parquet``: a batch result into the embedded store.

The query commands and the web layer read the SQLite store; a batch writes Parquet. This
loads a batch folder's ``records`` table (each document's whole output record, where it
came from, and its story fingerprint) into a store, partition by partition in the order of
the batch's plan (the order ``marsad ingest`` would store the same inputs), then updates the store's stories, inferred dates and claim
links (:func:`marsad.corpus.stored.update_corpus`). The store then holds what ``marsad
ingest`` of the same inputs would hold, with the same story ids as the batch's
``doc_stories``; already-stored inputs (same origin, same content) are skipped, so loading
twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marsad.batch.partition import read_rows
from marsad.batch.plan import Partition
from marsad.corpus.stored import update_corpus
from marsad.corpus.stories import StoryBuilder
from marsad.errors import BatchError, Code
from marsad.ingest.run import IngestReport
from marsad.pipeline import Pipeline
from marsad.store import Store

__all__ = ["load_batch"]


def _partitions(folder: Path) -> list[Partition]:
    manifest = folder / "_batch.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return [
            Partition(int(p["index"]), p["id"], tuple(p["files"]), int(p.get("size", 0)))
            for p in data["partitions"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BatchError(Code.BATCH_DATA, f"{folder} is not a finished batch result ({manifest.name}: {exc})",
                         "give the --out folder of a marsad batch run that completed") from exc  # fmt: skip


def load_batch(
    folder: str | Path,
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    stories: StoryBuilder | None = None,
    batch_size: int = 256,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Load the batch in ``folder`` into ``store``; with ``pipeline`` and ``stories`` (an
    empty builder), update the store's stories, inferred dates and claim links after."""
    folder = Path(folder)
    report = IngestReport()
    for partition in _partitions(folder):
        rows: list[dict[str, Any]] = []
        for path in sorted(folder.glob(f"records/month=*/part-{partition.id}.parquet")):
            rows += read_rows(path)
        rows.sort(key=lambda r: r["seq"])
        for start in range(0, len(rows), batch_size):
            _store_rows(store, rows[start : start + batch_size], report)
            if progress:
                progress(report)
    if pipeline is not None and stories is not None:
        report.corpus = update_corpus(store, pipeline, stories)
    return report


def _store_rows(store: Store, rows: list[dict[str, Any]], report: IngestReport) -> None:
    report.seen += len(rows)
    fresh = [r for r in rows if not store.is_known(r["origin"], r["raw_hash"])]
    report.skipped += len(rows) - len(fresh)
    if fresh:
        batch = store.write_batch(
            [(json.loads(r["record"]), r["raw_hash"]) for r in fresh],
            prints=[(r["fingerprint"], r["embedding"], r["happenings"]) for r in fresh],
        )
        report.documents_added += batch.documents_added
        report.sources_added += batch.sources_added
        report.duplicates += batch.duplicates
