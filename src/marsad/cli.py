"""Command line: parse arguments, call the library, print. Nothing else lives here.

Exit codes: 0 = all went well, 1 = some inputs failed (the rest were processed),
2 = usage error (bad arguments, unreadable gold file, failed quality gate).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad import __version__
from marsad.cli_batch import register as register_batch
from marsad.cli_export import register as register_export
from marsad.cli_kb import add_kb_option, register
from marsad.cli_query import register as register_queries
from marsad.errors import MarsadError
from marsad.ingest.readers import ReadOptions, read_all
from marsad.ingest.run import IngestReport, ingest, process_items
from marsad.pipeline import Pipeline
from marsad.store import open_store, queries

OK, SOME_FAILED, USAGE = 0, 1, 2


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"MRS021 {value!r} is not a date; use YYYY-MM-DD") from None


def _field(value: str) -> tuple[str, str]:
    ours, _, theirs = value.partition("=")
    if ours not in ("id", "title", "text", "published", "url", "source", "author") or not theirs:
        raise argparse.ArgumentTypeError(f"{value!r}: use OURS=THEIRS, e.g. text=body, with OURS one of "
                                         "id, title, text, published, url, source, author")  # fmt: skip
    return ours, theirs


def _read_options(args: argparse.Namespace) -> ReadOptions:
    return ReadOptions(
        max_bytes=args.max_bytes, encoding=args.encoding, fields=dict(args.field or []),
        published=args.published, stdin=sys.stdin.buffer,
    )  # fmt: skip


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, directories (recursive), globs, or - for stdin"
    )
    p.add_argument(
        "--published", type=_date, metavar="YYYY-MM-DD", help="publication date for inputs that carry none"
    )
    p.add_argument(
        "--encoding", help="force a text encoding (default: detect UTF-8/UTF-16/windows-1256/ISO-8859-6)"
    )
    p.add_argument("--field", type=_field, action="append", metavar="OURS=THEIRS",
                   help="JSONL/JSON field mapping, e.g. --field text=body (repeatable)")  # fmt: skip
    p.add_argument("--max-bytes", type=int, default=10 * 1024 * 1024, help="size limit for one article file")


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default="marsad.db", metavar="FILE", help="SQLite store (default: marsad.db)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="Arabic news to verifiable political event data."
    )
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log warnings and progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="read inputs into the store", description="Read inputs into the SQLite store. "
                       "Re-running adds nothing new; failed inputs are listed and recorded in the errors table.")  # fmt: skip
    _add_input_options(p)
    _add_db(p)
    p.add_argument(
        "--batch-size", type=int, default=200, help="documents per transaction (and held in memory)"
    )
    p.add_argument("--no-stories", action="store_true",
                   help="skip story building, inferred dates and claim links across documents")  # fmt: skip
    add_kb_option(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("extract", help="print the contract JSON for inputs", description="Process inputs and print "
                       "one contract object per document, without storing anything.")  # fmt: skip
    _add_input_options(p)
    p.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    add_kb_option(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "show", help="print one stored document", description="Print a stored document's JSON."
    )
    p.add_argument("doc_id", metavar="DOC_ID")
    _add_db(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("search", help="full-text search", description="Search stored documents. Words are matched "
                       "with clitics and spelling variants folded; \"double quotes\" make a phrase.")  # fmt: skip
    p.add_argument("query", metavar="QUERY")
    _add_db(p)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "stats", help="counts of documents, sources and errors", description="Store statistics."
    )
    _add_db(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "errors", help="list inputs that failed", description="Inputs recorded as failed, and why."
    )
    _add_db(p)
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_errors)

    p = sub.add_parser("eval", help="score output against a gold file", description="Score extractor output "
                       "(JSONL, one contract object per line) against a gold file; with --floors, fail below them.")  # fmt: skip
    p.add_argument("gold", metavar="GOLD")
    p.add_argument("output", metavar="OUTPUT.jsonl")
    p.add_argument(
        "--floors", metavar="FILE", help="JSON file of pinned floors and ceilings (exit 1 below them)"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=cmd_eval)
    register(sub)
    register_queries(sub)
    register_export(sub)
    register_batch(sub, _add_input_options, _read_options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s"
    )
    err = Console(stderr=True, highlight=False)
    try:
        return int(args.func(args, err))
    except MarsadError as exc:
        err.print(f"error: {exc}", markup=False)
        return USAGE
    except BrokenPipeError:
        return OK


def cmd_ingest(args: argparse.Namespace, err: Console) -> int:
    store = open_store(args.db)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} inputs"),
                        TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True)  # fmt: skip
    with store, progress:
        task = progress.add_task("ingesting", total=None)

        def tick(report: IngestReport) -> None:
            progress.update(task, completed=report.seen)

        from marsad.corpus.stories import StoryBuilder
        from marsad.kb.base import KnowledgeBase

        kb = KnowledgeBase.load(args.kb)
        stories = None if args.no_stories else StoryBuilder(countries=kb.countries_of_places())
        report = ingest(
            args.paths, store, options=_read_options(args), batch_size=args.batch_size, progress=tick,
            pipeline=Pipeline.default(kb=kb), stories=stories,
        )  # fmt: skip
    for _origin, message in report.failed:
        err.print(f"failed: {message}", markup=False, soft_wrap=True)
    print(f"{report.seen} inputs: {report.documents_added} new documents, {report.sources_added} new sources, "
          f"{report.duplicates} duplicates, {report.skipped} already stored, {len(report.failed)} failed "
          f"(store: {args.db})")  # fmt: skip
    if (c := report.corpus) is not None:
        print(f"{c.documents} documents in {c.stories} stories: {c.assigned} placed, {c.inferred_published} "
              f"publication dates and {c.inferred_event_dates} event dates inferred, {c.claim_links} claims "
              f"linked to other reports")  # fmt: skip
    return OK if report.ok else SOME_FAILED


def _pipeline(args: argparse.Namespace) -> Pipeline:
    from marsad.kb.base import KnowledgeBase

    return Pipeline.default(kb=KnowledgeBase.load(args.kb))


def cmd_extract(args: argparse.Namespace, err: Console) -> int:
    from marsad.corpus.crossdoc import Corpus
    from marsad.kb.base import KnowledgeBase

    kb = KnowledgeBase.load(args.kb)
    pipeline = Pipeline.default(kb=kb)
    failed = 0
    corpus = Corpus(pipeline, kb)  # several documents are read as a corpus: stories, inferred dates
    for outcome in process_items(read_all(args.paths, _read_options(args)), pipeline):
        if isinstance(outcome, MarsadError):
            failed += 1
            err.print(f"failed: {outcome}", markup=False, soft_wrap=True)
            continue
        corpus.add(outcome[0].doc, outcome[1])
    records = corpus.records()
    if args.format == "jsonl":
        sys.stdout.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    else:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    return SOME_FAILED if failed else OK


def cmd_show(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        print(json.dumps(queries.get_document(store, args.doc_id), ensure_ascii=False, indent=2))
    return OK


def cmd_search(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        hits = queries.search(store, args.query, limit=args.limit)
    if args.format == "json":
        print(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return OK
    table = Table("doc_id", "published", "agency", "title / snippet", show_lines=True)
    for hit in hits:
        table.add_row(hit.doc_id, hit.published or "", hit.agency or "", f"{hit.title or ''}\n{hit.snippet}")
    Console(highlight=False).print(table)
    err.print(f"{len(hits)} result(s)")
    return OK


def cmd_stats(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        figures = queries.stats(store)
    if args.format == "json":
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return OK
    table = Table("figure", "value")
    for key, value in figures.items():
        table.add_row(
            key, json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
        )
    Console(highlight=False).print(table)
    return OK


def cmd_errors(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        rows = queries.list_errors(store, limit=args.limit)
    for row in rows:
        print(f"{row['origin']}\t{row['code']}\t{row['message']}")
    return OK


def cmd_eval(args: argparse.Namespace, err: Console) -> int:
    from marsad import evaluate

    figures = evaluate.score(evaluate.load_gold(args.gold), evaluate.load_outputs(args.output))
    print(json.dumps(figures, indent=2) if args.json else evaluate.format_table(figures))
    if not args.floors:
        return OK
    limits = evaluate.load_limits(args.floors)
    shortfalls = evaluate.check_floors(figures, limits.floors, limits.ceilings)
    for s in shortfalls:
        err.print(f"quality gate: {s.name} = {s.value} is {'below its floor' if s.kind == 'floor' else 'above its ceiling'} "
                  f"{s.floor} ({args.floors})", markup=False)  # fmt: skip
    return SOME_FAILED if shortfalls else OK


if __name__ == "__main__":
    sys.exit(main())
