"""Where the pipeline spends its time: py-spy samples of ``stages.py``, summed by function.

Usage: python benchmarks/profile.py [--shared ../shared] [--limit 4000] [--top 25] [--rate 100]

Runs ``benchmarks/stages.py --limit N`` under ``py-spy record`` (the ``bench`` extra
installs it) and prints two tables from the samples: the functions where the samples
fall (self time) and the Marsad functions with everything they call (total time), each
as a share of all samples. Skips with a message when the corpus or py-spy is absent.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from saudinewsnet import zips_or_skip

ROOT = Path(__file__).resolve().parents[1]


def shares(raw: Path) -> tuple[Counter[str], Counter[str], int]:
    """Self and total samples per frame from py-spy's raw (collapsed stacks) output."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    count = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = stack.split(";")
        count += int(n)
        own[frames[-1]] += int(n)
        for frame in set(frames):
            total[frame] += int(n)
    return own, total, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=4000, help="articles to run (default: 4000)")
    parser.add_argument("--top", type=int, default=25, help="rows per table")
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    args = parser.parse_args()
    if not zips_or_skip(args.shared, "profile"):
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print('profile skipped: py-spy is not installed (pip install "marsad[bench]")')
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "samples.txt"
        command = [spy, "record", "--format", "raw", "--rate", str(args.rate), "--output", str(raw), "--",
                   sys.executable, str(ROOT / "benchmarks" / "stages.py"), "--shared", str(args.shared),
                   "--limit", str(args.limit)]  # fmt: skip
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not raw.exists():
            print("profile failed: py-spy wrote no samples (it may need permission to trace processes)")
            return 1
        own, total, count = shares(raw)
    print(f"{count} samples over {args.limit or 'all'} articles\n")
    print("| self | function (file:line) |")
    print("|---:|---|")
    for frame, n in own.most_common(args.top):
        print(f"| {n / count:.1%} | {frame} |")
    print("\n| total | Marsad function (file:line) |")
    print("|---:|---|")
    ours = [(frame, n) for frame, n in total.most_common() if "marsad/" in frame]
    for frame, n in ours[: args.top]:
        print(f"| {n / count:.1%} | {frame} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
