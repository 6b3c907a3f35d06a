"""Ingest throughput over SaudiNewsNet: articles/s, MB/s, peak RSS, tokenize-only ratio, re-ingest time.

Usage: python benchmarks/throughput.py [--shared ../shared] [--limit-files N] [--keep DB]

Each measured run happens in a fresh child process, so its peak RSS is its own.
SaudiNewsNet sits in the shared folder beside the repository, which a user's clone
does not have; without it the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from saudinewsnet import zips_or_skip

ROOT = Path(__file__).resolve().parents[1]

CHILD_INGEST = """
import json, sys, time
from marsad.ingest.run import ingest
from marsad.store import open_store
t = time.perf_counter()
with open_store(sys.argv[1]) as store:
    report = ingest(sys.argv[2:], store)
print(json.dumps({"seconds": time.perf_counter() - t, "seen": report.seen, "added": report.documents_added,
                  "sources": report.sources_added, "skipped": report.skipped, "failed": len(report.failed)}))
"""

CHILD_TOKENIZE = """
import json, sys, time
from marsad.arabic.tokenize import tokenize
from marsad.ingest.readers import Item, ReadOptions, read_all
t = time.perf_counter()
chars = tokens = docs = 0
for item in read_all(sys.argv[1:], ReadOptions()):
    if isinstance(item, Item):
        docs += 1
        chars += len(item.doc.raw.encode("utf-8"))
        tokens += len(tokenize(item.doc.raw))
print(json.dumps({"seconds": time.perf_counter() - t, "docs": docs, "bytes": chars, "tokens": tokens}))
"""


def child(code: str, *args: str) -> tuple[dict[str, float], float]:
    """Run ``code`` in a fresh interpreter; return its JSON result and its peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: measure in order of growth, or alone
    return json.loads(out.stdout.strip().splitlines()[-1]), max(peak, before) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit-files", type=int, default=0, help="use only the first N zip files")
    parser.add_argument("--keep", type=Path, help="write the store here instead of a temporary file")
    args = parser.parse_args()
    files = zips_or_skip(args.shared)
    if not files:
        return 0
    if args.limit_files:
        files = files[: args.limit_files]
    paths = [str(f) for f in files]
    db = args.keep or Path(tempfile.mkdtemp()) / "bench.db"
    if db.exists():
        db.unlink()
    floor, _ = child(CHILD_TOKENIZE, *paths)
    first, rss = child(CHILD_INGEST, str(db), *paths)
    again, _ = child(CHILD_INGEST, str(db), *paths)
    mb = floor["bytes"] / 1e6
    rows = [
        ("machine", f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"),
        ("inputs", f"{len(files)} zip files, {first['seen']} articles, {mb:.1f} MB of text"),
        ("stored", f"{first['added']} documents, {first['sources']} sources, {first['failed']} errors"),
        ("ingest time", f"{first['seconds']:.1f} s"),
        ("articles/s", f"{first['seen'] / first['seconds']:.0f}"),
        ("MB/s", f"{mb / first['seconds']:.2f}"),
        ("peak RSS", f"{rss:.0f} MB"),
        ("tokenize-only pass", f"{floor['seconds']:.1f} s ({floor['tokens'] / floor['seconds']:.0f} tokens/s)"),
        ("ratio to tokenize-only", f"{first['seconds'] / floor['seconds']:.1f}x"),
        ("re-ingest", f"{again['seconds']:.1f} s ({100 * again['seconds'] / first['seconds']:.1f}% of the first run), "
                      f"{again['added']} added, {again['skipped']} skipped"),
        ("store size", f"{db.stat().st_size / 1e6:.0f} MB"),
    ]  # fmt: skip
    width = max(len(k) for k, _ in rows)
    print(f"| {'figure'.ljust(width)} | value |\n|{'-' * (width + 2)}|-------|")
    for key, value in rows:
        print(f"| {key.ljust(width)} | {value} |")
    lost = first["seen"] - first["added"] - (first["sources"] - first["added"]) - first["failed"]
    duplicates = first["sources"] - first["added"]
    print(f"\nevery article accounted for: {first['seen']} seen = {first['added']} documents + "
          f"{duplicates} duplicate sources + {first['failed']} errors (unaccounted: {lost})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
