"""Command line for ``marsad batch`` and ``marsad ingest-parquet``.

Thin like :mod:`marsad.cli`: parse, call :mod:`marsad.batch`, show progress and a summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from marsad.cli_kb import add_kb_option
from marsad.ingest.readers import ReadOptions

OK, SOME_FAILED = 0, 1


def register(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_input_options: Callable[[argparse.ArgumentParser], None],
    read_options: Callable[[argparse.Namespace], ReadOptions],
) -> None:
    p = sub.add_parser("batch", help="run the pipeline on a Dask cluster, Parquet by month out",
                       description="Run the pipeline over the inputs on Dask (a local cluster, or the scheduler "
                       "at --scheduler), write Parquet tables partitioned by publication month under DIR, then "
                       "place the documents in stories. Running it again with the same inputs resumes it: "
                       "finished partitions are skipped. Needs marsad[batch].")  # fmt: skip
    add_input_options(p)
    p.add_argument("--out", required=True, metavar="DIR", help="batch folder (created if missing)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, metavar="N",
                       help="worker processes of the local cluster (default: 1)")  # fmt: skip
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (Slurm, Kubernetes)")  # fmt: skip
    p.add_argument("--files-per-partition", type=int, default=64, metavar="N",
                   help="article files per partition (an archive is one partition; default: 64)")  # fmt: skip
    p.add_argument("--no-dashboard", action="store_true", help="do not serve the Dask dashboard")
    add_kb_option(p)
    p.set_defaults(func=lambda args, err: cmd_batch(args, err, read_options))

    p = sub.add_parser("ingest-parquet", help="load a batch result into the store",
                       description="Load the result of marsad batch into the SQLite store, then update its "
                       "stories, inferred dates and claim links, so the query commands and the web layer "
                       "read it. Inputs already stored are skipped.")  # fmt: skip
    p.add_argument("folder", metavar="DIR", help="the --out folder of a marsad batch run")
    p.add_argument("--db", default="marsad.db", metavar="FILE", help="SQLite store (default: marsad.db)")
    p.add_argument("--no-stories", action="store_true",
                   help="skip stories, inferred dates and claim links across documents")  # fmt: skip
    add_kb_option(p)
    p.set_defaults(func=cmd_ingest_parquet)


def _progress(err: Console, unit: str) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
                    TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True)  # fmt: skip


def cmd_batch(
    args: argparse.Namespace, err: Console, read_options: Callable[[argparse.Namespace], ReadOptions]
) -> int:
    from marsad.batch import BatchReport, plan, run_batch

    # Dask logs every connection at INFO; keep its warnings for -v
    logging.getLogger("distributed").setLevel(logging.WARNING if args.verbose else logging.ERROR)
    partitions, _ = plan(args.paths, args.files_per_partition)
    options = dataclasses.replace(read_options(args), stdin=None)
    with _progress(err, "partitions") as progress:
        task = progress.add_task("batch", total=len(partitions))

        shown: list[str] = []

        def tick(report: BatchReport, running: int) -> None:
            if report.dashboard and not shown:
                shown.append(report.dashboard)
                err.print(f"Dask dashboard: {report.dashboard}", markup=False)
            progress.update(task, completed=len(partitions) - running)

        report = run_batch(
            args.paths, args.out, workers=args.workers, scheduler=args.scheduler, kb_paths=args.kb,
            options=options, files_per_partition=args.files_per_partition, dashboard=not args.no_dashboard,
            progress=tick,
        )  # fmt: skip
    for _origin, message in report.failed:
        err.print(f"failed: {message}", markup=False, soft_wrap=True)
    print(f"{report.partitions} partitions ({report.skipped} already done): {report.documents} documents in "
          f"{report.stories} stories, {len(report.failed)} failed, {report.seconds:.1f} s (batch: {args.out})")  # fmt: skip
    return OK if report.ok else SOME_FAILED


def cmd_ingest_parquet(args: argparse.Namespace, err: Console) -> int:
    from marsad.batch import load_batch
    from marsad.corpus.stories import StoryBuilder
    from marsad.ingest.run import IngestReport
    from marsad.kb.base import KnowledgeBase
    from marsad.pipeline import Pipeline
    from marsad.store import open_store

    kb = KnowledgeBase.load(args.kb)
    pipeline, stories = None, None
    if not args.no_stories:
        pipeline, stories = Pipeline.default(kb=kb), StoryBuilder(countries=kb.countries_of_places())
    with open_store(args.db) as store, _progress(err, "documents") as progress:
        task = progress.add_task("loading", total=None)

        def tick(report: IngestReport) -> None:
            progress.update(task, completed=report.seen)

        report = load_batch(args.folder, store, pipeline=pipeline, stories=stories, progress=tick)
    print(f"{report.seen} documents: {report.documents_added} new, {report.duplicates} duplicates, "
          f"{report.skipped} already stored (store: {args.db})")  # fmt: skip
    if (c := report.corpus) is not None:
        print(f"{c.documents} documents in {c.stories} stories: {c.assigned} placed, {c.inferred_published} "
              f"publication dates and {c.inferred_event_dates} event dates inferred, {c.claim_links} claims "
              f"linked to other reports")  # fmt: skip
    return OK
