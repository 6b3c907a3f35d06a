"""Command line for ``marsad export``: the store as five tables in JSONL, CSV or Parquet.

Thin like :mod:`marsad.cli`: parse, call :func:`marsad.export.export`, print a summary.
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from marsad.export import FORMATS, TABLES, export
from marsad.export.writers import target
from marsad.store import open_store, queries

OK = 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="write the store as documents/events/quotes/claims/stories tables",
                       description="Write every stored document as five tables (documents, events, quotes, "
                       "claims, stories) under DIR, one file each. Events use PLOVER field names. Files of "
                       "an earlier export are replaced only once the new ones are complete.")  # fmt: skip
    p.add_argument("--db", default="marsad.db", metavar="FILE", help="SQLite store (default: marsad.db)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--format", choices=FORMATS, default="jsonl",
                   help='jsonl (default), csv (lists joined with "|") or parquet (needs marsad[parquet])')  # fmt: skip
    p.add_argument(
        "--cameo", action="store_true", help="add each event's CAMEO root code (cameo_root, 01-20)"
    )
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        counts = export(queries.records(store), args.out, args.format, cameo=args.cameo)
    table = Table("table", "rows", "file")
    for name in TABLES:
        table.add_row(name, str(counts[name]), target(args.out, name, args.format).name)
    err.print(table)
    err.print(
        f"{sum(counts.values())} rows from {args.db} written to {args.out}", markup=False, soft_wrap=True
    )
    return OK
