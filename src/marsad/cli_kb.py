"""Command line for the knowledge base and the NER model: ``marsad kb …`` and ``marsad ner tag``.

Thin like :mod:`marsad.cli`: parse, call the library, print.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from marsad.kb.base import KnowledgeBase
from marsad.store import open_store, queries

OK = 0


def add_kb_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--kb", action="append", default=[], metavar="PATH",
        help="your own KB file or folder of TSV files, added to the bundled KB (repeatable)",
    )  # fmt: skip


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kb = sub.add_parser("kb", help="the knowledge base: stats, candidates, import",
                        description="Inspect and extend the knowledge base.")  # fmt: skip
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")

    p = kb_sub.add_parser(
        "stats", help="what the KB holds", description="Counts of entities, roles and forms."
    )
    add_kb_option(p)
    p.set_defaults(func=cmd_kb_stats)

    p = kb_sub.add_parser("import-petrarch", help="convert a PETRARCH actor dictionary into KB files",
                          description="Read a PETRARCH-format actor dictionary (names, dated codes) and write "
                          "KB tables that --kb can load. Rows are converted, not judged: check them.")  # fmt: skip
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", metavar="DIR", help="folder for the KB files (default: FILE's stem + '-kb')")
    p.set_defaults(func=cmd_kb_import)

    p = kb_sub.add_parser("candidates", help="provisional people seen in the store",
                          description="People the roles stage met with a title and country but no KB entry "
                          "(ids under marsad:), with counts and example sentences, to promote into a KB file.")  # fmt: skip
    p.add_argument("--db", default="marsad.db", metavar="FILE", help="SQLite store (default: marsad.db)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_kb_candidates)

    ner = sub.add_parser(
        "ner", help="the statistical NER model", description="Tag text with the packaged NER model."
    )
    ner_sub = ner.add_subparsers(dest="ner_command", required=True, metavar="NER_COMMAND")
    p = ner_sub.add_parser("tag", help="tag a CoNLL file", description="Read one token per line (blank lines "
                           "between sentences; a second column is ignored) and write 'token TAG' in BIO over "
                           "PERS/LOC/ORG/MISC.")  # fmt: skip
    p.add_argument("--conll", required=True, metavar="IN", help="input file, or - for stdin")
    p.add_argument("--out", metavar="OUT", help="output file (default: stdout)")
    p.set_defaults(func=cmd_ner_tag)


def cmd_kb_stats(args: argparse.Namespace, err: Console) -> int:
    kb = KnowledgeBase.load(args.kb)
    table = Table("figure", "value")
    for key, value in kb.stats().items():
        table.add_row(key, str(value))
    table.add_row("files", str(len(kb.sources)))
    Console(highlight=False).print(table)
    return OK


def cmd_kb_import(args: argparse.Namespace, err: Console) -> int:
    from marsad.kb.petrarch import import_dictionary

    path = Path(args.file)
    out = Path(args.out) if args.out else path.with_name(path.stem + "-kb")
    report = import_dictionary(path, out)
    for line in report.skipped[:20]:
        err.print(f"skipped {line}", markup=False)
    if len(report.skipped) > 20:
        err.print(f"… and {len(report.skipped) - 20} more skipped lines", markup=False)
    print(f"{report.actors} actors ({report.persons} with dated codes, {report.roles} dated codes), "
          f"{len(report.skipped)} lines skipped; wrote {', '.join(str(f) for f in report.files)}; "
          f"use them with --kb {out}")  # fmt: skip
    return OK


def cmd_kb_candidates(args: argparse.Namespace, err: Console) -> int:
    with open_store(args.db, create=False) as store:
        rows = queries.candidates(store, limit=args.limit)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return OK
    table = Table("id", "name", "country", "role", "documents", "example", show_lines=True)
    for r in rows:
        table.add_row(
            r["id"], r["name"], r["country"] or "", r["role"] or "", str(r["documents"]), r["examples"][0]
        )
    Console(highlight=False).print(table)
    err.print(f"{len(rows)} candidate(s)")
    return OK


def cmd_ner_tag(args: argparse.Namespace, err: Console) -> int:
    from marsad.ner.conll import tag_conll

    sentences = tag_conll("/dev/stdin" if args.conll == "-" else args.conll, args.out or "/dev/stdout")
    if args.out:
        err.print(f"{sentences} sentences tagged into {args.out}")
    return OK
