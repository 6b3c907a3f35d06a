"""marsad batch over SaudiNewsNet with one and with two local Dask workers: wall time, speed-up,
and whether both wrote the same tables.

Usage: python benchmarks/batch.py [--shared ../shared] [--workers 1,2] [--keep DIR]

Each run writes a fresh batch folder (under a temporary folder, or ``--keep``) from the 18
SaudiNewsNet archives, so 18 partitions; one BLAS thread per process. The tables of every
run are then compared row by row with the first run's. A second table splits each run's
time by the partitions' own records of where and when they ran: the start-up before the
first partition (the cluster, its workers, their models), the partition phase with each
worker's busy seconds, the time a worker waited for the last partition to end, and the
corpus stage. Peak RSS is given for this process (the scheduler and the corpus stage) and
for the largest worker process. Skips with a message when the corpus or Dask is absent.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core per process; the workers inherit it

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from saudinewsnet import zips_or_skip

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("documents", "events", "quotes", "claims", "entities", "doc_stories")


def rows(folder: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    out: list[dict[str, Any]] = []
    for path in sorted((folder / table).glob("month=*/*.parquet")):
        out += pq.read_table(str(path)).to_pylist()
    return sorted(out, key=lambda r: (r["doc_id"], r.get("index") or 0))


def phases(folder: Path, began: float) -> dict[str, Any] | None:
    """Where a run's time went, from its partitions' markers (``began``: its start, epoch s);
    None for markers without a worker and start time (as earlier versions wrote them)."""
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in (folder / "_partitions").glob("*.json")]
    if not runs or any("started" not in r for r in runs):
        return None
    ends: dict[str, float] = {}
    busy: dict[str, float] = {}
    for r in runs:
        ends[r["worker"]] = max(ends.get(r["worker"], 0.0), r["started"] + r["seconds"])
        busy[r["worker"]] = busy.get(r["worker"], 0.0) + r["seconds"]
    first = min(r["started"] for r in runs)
    return {
        "startup": first - began,
        "partitions": max(ends.values()) - first,
        "busy": sorted(busy.values(), reverse=True),
        "waited": max(ends.values()) - min(ends.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--keep", type=Path, help="write the batch folders here and keep them")
    args = parser.parse_args()
    files = zips_or_skip(args.shared)
    if not files:
        return 0
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        print('benchmark skipped: Dask is not installed (pip install "marsad[batch]")')
        return 0
    from marsad.batch import run_batch

    base = args.keep or Path(tempfile.mkdtemp(prefix="marsad-batch-"))
    results = []
    for workers in (int(w) for w in args.workers.split(",")):
        out = base / f"workers-{workers}"
        began = time.time()
        start = time.perf_counter()
        report = run_batch([str(f) for f in files], out, workers=workers, dashboard=False)
        seconds = time.perf_counter() - start
        results.append((workers, seconds, report, out, phases(out, began)))
        print(f"{workers} worker(s): {report.partitions} partitions, {report.documents} documents, "
              f"{report.stories} stories, {len(report.failed)} inputs failed, {seconds:.1f} s "
              f"(stories {report.stories_seconds:.1f} s)")  # fmt: skip
    first = results[0]
    print()
    print(
        "| workers | wall time | of which stories | documents/s | speed-up | same tables as the first run |"
    )
    print("|---:|---:|---:|---:|---:|---|")
    for workers, seconds, report, out, _ in results:
        same = all(rows(out, t) == rows(first[3], t) for t in TABLES)
        print(f"| {workers} | {seconds:.1f} s | {report.stories_seconds:.1f} s | {report.documents / seconds:,.0f} | "
              f"{first[1] / seconds:.2f}× | {'yes' if same else 'NO'} |")  # fmt: skip
    print()
    print("| workers | start-up | partition phase | busy per worker | a worker waited at the end | stories |")
    print("|---:|---:|---:|---|---:|---:|")
    for workers, _, report, _, phase in results:
        if phase is None:
            continue
        busy = ", ".join(f"{b:.1f} s" for b in phase["busy"])
        print(f"| {workers} | {phase['startup']:.1f} s | {phase['partitions']:.1f} s | {busy} | "
              f"{phase['waited']:.1f} s | {report.stories_seconds:.1f} s |")  # fmt: skip
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: this process {me:.0f} MB, largest worker {children:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
