"""Command line for stored facts: ``marsad events`` and ``marsad quotes`` (table, JSON or CSV).

Thin like :mod:`marsad.cli`: parse, call :mod:`marsad.store.facts`, print.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from marsad.cli_kb import add_kb_option
from marsad.store import facts, open_store
from marsad.store import stories as corpus

OK = 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("events", help="stored events, filtered", description="Events in the store: who did what "
                       "to whom, where, when, with the sentence they came from.")  # fmt: skip
    p.add_argument("--actor", help="source or target: ISO3 country (AZE), entity id or name")
    p.add_argument("--target", help="target only: ISO3 country, entity id or name")
    p.add_argument("--type", help="PLOVER/POLECAT type, e.g. CONSULT")
    p.add_argument("--place", help="location name, e.g. Baku")
    p.add_argument("--since", metavar="DATE", help="events dated on or after YYYY-MM-DD (or YYYY-MM, YYYY)")
    p.add_argument("--until", metavar="DATE", help="events dated on or before YYYY-MM-DD (or YYYY-MM, YYYY)")
    _common(p)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser(
        "quotes", help="stored quotes, filtered", description="Quotes in the store with their speakers."
    )
    p.add_argument("--speaker", help='ISO3 country, entity id or name, e.g. "Vladimir Putin"')
    p.add_argument("--direct-only", action="store_true", help="only words in quotation marks")
    _common(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("timeline", help="one row per story an actor took part in",
                       description="A timeline: for each story the actor took part in, the date, place and "
                       "type its reports agree on, and the documents that report it.")  # fmt: skip
    p.add_argument("actor", help='ISO3 country, entity id or name, e.g. "Ilham Aliyev"')
    p.add_argument(
        "--with", dest="with_", metavar="ACTOR", help="only stories where this actor is the other side"
    )
    p.add_argument("--type", help="PLOVER/POLECAT type, e.g. CONSULT")
    _common(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("stories", help="stories across documents", description="Stories: reports of one "
                       "happening across documents, largest first.")  # fmt: skip
    p.add_argument("--min-size", type=int, default=1, help="only stories of at least N documents")
    p.add_argument("--update", action="store_true",
                   help="first give a story to stored documents without one (stored before stories were "
                   "kept, or with --no-stories), then list")  # fmt: skip
    add_kb_option(p)
    _common(p)
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("claims", help="claims across reports", description="Claims that other reports "
                       "contradict, with their sources.")  # fmt: skip
    p.add_argument("--contested", action="store_true", required=True,
                   help="list the claims another report contradicts")  # fmt: skip
    _common(p)
    p.set_defaults(func=cmd_claims)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default="marsad.db", metavar="FILE", help="SQLite store (default: marsad.db)")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")


def _print(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, err: Console, what: str) -> None:
    if fmt == "json":
        print(json.dumps(list(rows), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("|".join(v) if isinstance(v, list) else v) for k, v in row.items()})
        return
    table = Table(*columns, show_lines=True)
    for row in rows:
        table.add_row(*("" if row[c] is None else ("|".join(row[c]) if isinstance(row[c], list) else str(row[c]))
                        for c in columns))  # fmt: skip
    Console(highlight=False).print(table)
    err.print(f"{len(rows)} {what}")


def cmd_events(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        rows = facts.events(
            store, actor=args.actor, target=args.target, type=args.type, place=args.place,
            since=args.since, until=args.until, limit=args.limit,
        )  # fmt: skip
    columns = facts.EVENT_COLUMNS if args.format != "table" else (
        "date", "type", "mode", "source_name", "source_country", "target_name", "target_country", "location", "doc_id")  # fmt: skip
    _print(rows, columns, args.format, err, "event(s)")
    return OK


def cmd_quotes(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        rows = facts.quotes(store, speaker=args.speaker, direct_only=args.direct_only, limit=args.limit)
    _print(rows, facts.QUOTE_COLUMNS, args.format, err, "quote(s)")
    return OK


def cmd_timeline(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        rows = corpus.timeline(store, args.actor, with_=args.with_, type=args.type, limit=args.limit)
    _print(rows, corpus.TIMELINE_COLUMNS if args.format != "table" else ("date", "place", "type", "sources"),
           args.format, err, "stories")  # fmt: skip
    return OK


def cmd_stories(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        if args.update:
            from marsad.corpus.stored import fingerprint_stored, update_corpus
            from marsad.corpus.stories import StoryBuilder
            from marsad.kb.base import KnowledgeBase
            from marsad.pipeline import Pipeline

            kb = KnowledgeBase.load(args.kb)
            builder = StoryBuilder(countries=kb.countries_of_places())
            added = fingerprint_stored(store, builder)
            fresh = StoryBuilder(builder.settings, builder.countries, builder.embedder)
            report = update_corpus(store, Pipeline.default(kb=kb), fresh)
            err.print(f"{added} documents fingerprinted; {report.documents} documents in {report.stories} stories, "
                      f"{report.assigned} placed")  # fmt: skip
        rows = corpus.stories(store, min_size=args.min_size, limit=args.limit)
    columns = ("story", "documents", "first", "last", "title", "agencies", "doc_ids")
    _print(rows, columns if args.format != "table" else columns[:6], args.format, err, "stories")
    return OK


def cmd_claims(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        rows = corpus.contested_claims(store, limit=args.limit)
    columns = ("subject", "value", "unit", "qualifier", "text", "doc_id", "published", "agency",
               "contradicted_by", "corroborated_by")  # fmt: skip
    _print(rows, columns, args.format, err, "contested claim(s)")
    return OK
