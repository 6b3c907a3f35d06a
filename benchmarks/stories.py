"""Story building over SaudiNewsNet: time, stories, their sizes, and the duplicate rate.

Usage: python benchmarks/stories.py [--shared ../shared] [--limit N] [--sample K] [--horizon DAYS]
                                    [--memory]

Every non-empty article runs through the default pipeline first, published on the day it
was collected, in the order of those days as a news feed brings them (not timed here: see
``stages.py``); then all documents are added to one :class:`StoryBuilder`, and only that
is timed: fingerprints (MinHash, lead embedding, happenings) and placing them. Peak RSS
is printed after 10,000 documents and at the end; ``--memory`` then places the same
fingerprints again under tracemalloc, with and without the horizon, to show what story
building holds as the corpus grows. Prints the number of stories, how many documents they hold (1, 2, 3–5, 6–10,
more), the share of documents that are near duplicates of an earlier one, and ``--sample``
random multi-document stories (titles and dates) for reading by hand. Skips with a message
when the corpus is absent.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, as the target says; set before numpy loads

import argparse
import copy
import datetime as dt
import gc
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from saudinewsnet import zips_or_skip
from stages import records

from marsad.corpus.stories import Fingerprint, StoryBuilder, StorySettings
from marsad.model import Document
from marsad.pipeline import Pipeline, make_document

ROOT = Path(__file__).resolve().parents[1]
BINS = ((1, 1), (2, 2), (3, 5), (6, 10), (11, 10**9))


def by_day(files: list[Path], limit: int) -> Iterator[tuple[str, dt.date | None]]:
    """The content and collection day of SaudiNewsNet's records with some content, in order of
    those days (outlets in file order within a day); at most ``limit`` (0: all). Every
    content is read first, as UTF-8, so the memory it takes is the same at any point."""
    found: list[tuple[str, int, bytes]] = []
    for record in records(files, limit):
        day = (record.get("date_extracted") or "")[:10]
        found.append((day, len(found), record["content"].encode("utf-8")))
    found.sort()
    for day, _, content in found:
        yield content.decode("utf-8"), dt.date.fromisoformat(day) if day else None


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def held(prints: list[Fingerprint], horizon: int | None) -> None:
    """What story building allocates (tracemalloc, MB) as the same fingerprints are placed
    again, every 2,500 documents; the fingerprints themselves were allocated before."""
    marks = list(range(2500, len(prints) + 1, 2500))
    print("| documents | " + " | ".join(f"{m:,}" for m in marks) + " |")
    print("|---|" + "---:|" * len(marks))
    for days in (None, horizon):
        gc.collect()
        tracemalloc.start()
        builder = StoryBuilder(StorySettings(horizon_days=days))
        row = []
        for n, fp in enumerate(prints, 1):
            builder.add_fingerprint(copy.copy(fp))
            if n % 2500 == 0:
                row.append(tracemalloc.get_traced_memory()[0] / 2**20)
        tracemalloc.stop()
        label = "no horizon" if days is None else f"{days}-day horizon"
        print(f"| {label} (MB) | " + " | ".join(f"{mb:.0f}" for mb in row) + " |")
        del builder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=0, help="stop after N articles (0: all)")
    parser.add_argument("--sample", type=int, default=0, help="print K random multi-document stories")
    parser.add_argument("--horizon", type=int, default=StorySettings().horizon_days,
                        help="StorySettings.horizon_days (default: as shipped)")  # fmt: skip
    parser.add_argument("--memory", action="store_true",
                        help="then place the same fingerprints again under tracemalloc, with no horizon "
                        "and with --horizon, and print what story building holds every 2,500 documents")  # fmt: skip
    args = parser.parse_args()
    files = zips_or_skip(args.shared)
    if not files:
        return 0
    pipeline = Pipeline.default()
    builder = StoryBuilder(StorySettings(horizon_days=args.horizon))
    titles: dict[str, tuple[str, str]] = {}
    seconds = 0.0
    docs = (
        make_document(content, doc_id=f"snn-{i}", published=day)
        for i, (content, day) in enumerate(by_day(files, args.limit))
    )
    pending: list[Document] = []
    kept: list[Fingerprint] | None = [] if args.memory else None

    def build() -> float:
        t = time.perf_counter()
        for fp in builder.fingerprints(pending):  # leads are embedded in batches
            builder.add_fingerprint(fp)
            if kept is not None:
                kept.append(fp)
        pending.clear()
        return time.perf_counter() - t

    early = None
    for doc in pipeline.stream(docs):
        titles[doc.doc_id] = (str(doc.published), (doc.title or doc.text[:80]).replace("\n", " "))
        pending.append(doc)
        if len(pending) >= 256:
            seconds += build()
        if early is None and len(titles) >= 10_000:
            seconds += build()
            early = rss_mb()
    seconds += build()
    stories: dict[str, list[str]] = {}
    for doc_id in titles:
        stories.setdefault(builder.story(doc_id), []).append(doc_id)
    sizes = Counter(len(m) for m in stories.values())
    print(f"{len(titles)} documents, {len(stories)} stories, story building {seconds:.1f} s "
          f"({len(titles) / seconds:,.0f} documents/s), peak RSS {rss_mb():.0f} MB"
          + (f" ({early:.0f} MB after 10,000 documents)" if early else ""))  # fmt: skip
    print(f"documents behind the {builder.settings.horizon_days}-day horizon at the end: {builder.forgotten}")
    near = builder.near_duplicates
    print(f"near duplicates of an earlier document: {near} ({near / len(titles):.1%})")
    print()
    print("| documents in the story | stories |")
    print("|---|---:|")
    for low, high in BINS:
        label = str(low) if low == high else (f"{low}–{high}" if high < 10**9 else f"{low}+")
        print(f"| {label} | {sum(n for size, n in sizes.items() if low <= size <= high)} |")
    if kept is not None:
        print()
        held(kept, args.horizon)
    multi = [m for m in stories.values() if len(m) > 1]
    for members in random.Random(7).sample(multi, min(args.sample, len(multi))):
        print()
        for doc_id in members[:6]:
            print("   ", doc_id, *titles[doc_id])
    return 0


if __name__ == "__main__":
    sys.exit(main())
