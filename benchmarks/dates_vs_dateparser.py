"""Arabic date resolution: the dates stage against dateparser, accuracy and speed.

Usage: python benchmarks/dates_vs_dateparser.py [--data TSV] [--repeat N] [--seeds DIR] [--json PATH]

Each row of ``benchmarks/data/date_sentences.tsv`` is a short news sentence holding one date
expression, its publication date and the value a careful reader resolves it to, as ISO text
at its true granularity ("2024-08-18", "2024-04", "2020"). The ``note`` column names the form
(``weekday``, ``paired-month``, ``hijri``...) and groups the per-form table.

Scoring, the same rule for both systems: a sentence counts as correct when the *first* date
the system finds in it resolves to the expected value.

* The dates stage gives ISO text with its own granularity: it must equal the expected value
  exactly, so a day given for a month expression is wrong.
* dateparser (``search_dates`` with ``languages=["ar"]``, the publication date as
  ``RELATIVE_BASE`` and ``PREFER_DATES_FROM="past"``) returns datetimes, which cannot say
  "a month" or "a year". Its first datetime is truncated to the expected granularity before
  the comparison (lenient: for "أبريل الماضي" any day of April 2024 counts).

The "any" column relaxes the first-found rule: correct when any date found matches.

Times are the mean per sentence over ``--repeat`` passes, after one warm-up pass (dateparser
loads its language data on the first call). The speed ratio is each system's time over the
dates stage's. The dates stage also runs over the seed articles in ``shared/seeds`` beside the
repository when that folder exists (mention counts and time only: those articles carry no
publication date, so relative expressions stay unresolved there).

Without dateparser installed the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "date_sentences.tsv"
SEEDS = ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Row:
    id: str
    published: dt.date
    sentence: str
    expected: str
    note: str


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(r["id"], dt.date.fromisoformat(r["published"]), r["sentence"], r["expected"], r["note"])
            for r in reader
        ]


# A system maps (sentence, publication date) to the ISO values it found, in order; a
# value is cut to the expected length by the scorer only where the system has no granularity.
Resolver = Callable[[str, dt.date], list[str]]


def ours() -> Resolver:
    from marsad.extract.dates import DatesStage

    stage = DatesStage.load()

    def resolve(sentence: str, published: dt.date) -> list[str]:
        return [m.value for m in stage.find(sentence, published) if m.value is not None]

    return resolve


def dateparser_resolver() -> Resolver:
    from dateparser.search import search_dates

    def resolve(sentence: str, published: dt.date) -> list[str]:
        base = dt.datetime(published.year, published.month, published.day)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        found = search_dates(sentence, languages=["ar"], settings=settings) or []
        return [when.date().isoformat() for _, when in found]

    return resolve


def matches(value: str, expected: str, truncate: bool) -> bool:
    return (value[: len(expected)] if truncate else value) == expected


@dataclass
class Result:
    name: str
    first: list[bool]
    any: list[bool]
    found: list[list[str]]
    micros: float


def evaluate(name: str, resolve: Resolver, rows: Sequence[Row], repeat: int, truncate: bool) -> Result:
    found = [resolve(r.sentence, r.published) for r in rows]  # also the warm-up pass
    start = time.perf_counter()
    for _ in range(repeat):
        for r in rows:
            resolve(r.sentence, r.published)
    micros = (time.perf_counter() - start) / (repeat * len(rows)) * 1e6
    first = [bool(f) and matches(f[0], r.expected, truncate) for f, r in zip(found, rows, strict=True)]
    any_ = [any(matches(v, r.expected, truncate) for v in f) for f, r in zip(found, rows, strict=True)]
    return Result(name, first, any_, found, micros)


def seed_run(folder: Path, repeat: int) -> dict[str, Any] | None:
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        return None
    from marsad.extract.dates import DatesStage

    stage = DatesStage.load()
    texts = [p.read_text(encoding="utf-8") for p in files]
    counts = [stage.find(t) for t in texts]  # warm-up
    start = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            stage.find(t)
    micros = (time.perf_counter() - start) / (repeat * len(texts)) * 1e6
    return {
        "articles": len(texts),
        "chars": sum(len(t) for t in texts),
        "mentions": sum(len(c) for c in counts),
        "mentions_with_value": sum(1 for c in counts for m in c if m.value is not None),
        "per_article": [len(c) for c in counts],
        "mean_us_per_article": micros,
    }


def pct(ok: Sequence[bool]) -> str:
    return f"{100 * sum(ok) / len(ok):.1f}%" if ok else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="sentences TSV")
    parser.add_argument("--repeat", type=int, default=10, help="timed passes over the sentences")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="folder of seed articles (.txt)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--show-misses", action="store_true", help="list every sentence a system got wrong")
    args = parser.parse_args(argv)

    try:
        theirs = dateparser_resolver()
    except ImportError:
        print("dateparser is not installed (pip install dateparser); nothing to compare against.")
        return 0
    import dateparser

    rows = read_rows(args.data)
    results = [
        evaluate("marsad dates stage", ours(), rows, args.repeat, truncate=False),
        evaluate(f"dateparser {dateparser.__version__}", theirs, rows, args.repeat, truncate=True),
    ]
    base = results[0].micros

    print(f"{len(rows)} sentences, one date expression each; times are means over {args.repeat} passes.\n")
    print("| system | correct | accuracy | any-hit accuracy | mean µs/sentence | speed ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.name} | {sum(r.first)}/{len(rows)} | {pct(r.first)} | {pct(r.any)} "
            f"| {r.micros:,.1f} | {r.micros / base:.1f}× |"
        )

    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[row.note].append(i)
    print("\n| form | n | " + " | ".join(r.name for r in results) + " |")
    print("|---|---:|" + "---:|" * len(results))
    for note, idx in groups.items():
        cells = " | ".join(pct([r.first[i] for i in idx]) for r in results)
        print(f"| {note} | {len(idx)} | {cells} |")

    for r in results if args.show_misses else results[:1]:
        misses = [i for i, ok in enumerate(r.first) if not ok]
        if misses:
            print(f"\nMissed by {r.name}:")
            for i in misses:
                row = rows[i]
                got = ", ".join(r.found[i]) or "nothing"
                print(f"- {row.id} ({row.published}) {row.sentence} — expected {row.expected}, got {got}")

    seeds = seed_run(args.seeds, args.repeat)
    if seeds is None:
        print(f"\nNo seed articles under {args.seeds}; skipped.")
    else:
        print(
            f"\nSeed articles: {seeds['articles']} ({seeds['chars']:,} characters), "
            f"{seeds['mentions']} date mentions ({seeds['mentions_with_value']} with a value, "
            f"no publication date given), {seeds['mean_us_per_article']:,.1f} µs/article."
        )

    if args.json is not None:
        figures = {
            "sentences": len(rows),
            "repeat": args.repeat,
            "python": sys.version.split()[0],
            "systems": [
                {
                    "name": r.name,
                    "correct": sum(r.first),
                    "accuracy": sum(r.first) / len(rows),
                    "any_hit_accuracy": sum(r.any) / len(rows),
                    "mean_us_per_sentence": r.micros,
                    "speed_ratio": r.micros / base,
                    "by_form": {
                        note: {"n": len(idx), "correct": sum(r.first[i] for i in idx)}
                        for note, idx in groups.items()
                    },
                    "misses": [
                        {"id": rows[i].id, "expected": rows[i].expected, "found": r.found[i]}
                        for i, ok in enumerate(r.first)
                        if not ok
                    ],
                }
                for r in results
            ],
            "seeds": seeds,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
