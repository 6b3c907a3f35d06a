"""Quality gate: extract the seed articles, score them, fail below the pinned floors.

Usage: python scripts/eval_gate.py [--shared ../shared] [--floors eval/floors.json] [--out FILE]

The seeds and their gold live in the shared folder beside the repository, which a
user's clone does not have; without it the gate says so and exits 0. The figures
come from ``marsad eval`` (our implementation); when the reference scorer is there
too, its figures are printed beside ours and must agree.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--floors", type=Path, default=ROOT / "eval" / "floors.json")
    parser.add_argument("--out", type=Path, help="keep the extracted JSONL here")
    args = parser.parse_args()
    seeds = sorted((args.shared / "seeds").glob("*.txt"))
    gold = args.shared / "eval" / "seeds.gold.json"
    if not seeds or not gold.exists():
        print(
            f"eval gate skipped: no seeds/gold under {args.shared} (it sits beside the repository in CI only)"
        )
        return 0
    marsad = shutil.which("marsad", path=str(Path(sys.executable).parent)) or "marsad"
    out = args.out or Path(tempfile.mkdtemp()) / "seeds.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        subprocess.run([marsad, "extract", *map(str, seeds), "--format", "jsonl"], stdout=handle, check=True)
    ours = subprocess.run(
        [marsad, "eval", str(gold), str(out), "--json"], capture_output=True, text=True, check=True
    )
    figures = json.loads(ours.stdout)
    reference = args.shared / "eval" / "score.py"
    if reference.exists():
        theirs = subprocess.run(
            [sys.executable, str(reference), str(gold), str(out), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        ref = json.loads(theirs.stdout[: theirs.stdout.rindex("}") + 1])
        differ = {
            k: (figures.get(k), v) for k, v in ref.items() if abs(float(figures.get(k, -1)) - float(v)) > 1e-9
        }
        if differ:
            print(f"marsad eval disagrees with the reference scorer: {differ}", file=sys.stderr)
            return 1
    gate = subprocess.run([marsad, "eval", str(gold), str(out), "--floors", str(args.floors)])
    return gate.returncode


if __name__ == "__main__":
    sys.exit(main())
