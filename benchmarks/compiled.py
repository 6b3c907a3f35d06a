"""What compiling Marsad's token-level modules with mypyc would gain, measured.

Usage: python benchmarks/compiled.py [--shared ../shared] [--limit 4000] [--rounds 2]

Marsad ships as pure Python. This benchmark copies the package's source to a temporary
folder, compiles its ``arabic``, ``extract`` and ``ner`` modules there with mypyc (the
compiler that comes with mypy, from the same typed source), and runs
``benchmarks/stages.py --digest`` over the first ``--limit`` SaudiNewsNet articles with the
package as it ships and with the compiled copy, in turn, ``--rounds`` times each. It prints
the mean time per stage of both, and whether their output digests agree. It is the
measurement behind the README's word on compiled code, for anyone weighing a compiled
build against the pure-Python package.

Needs mypy (the ``test`` extra) and a C compiler. Skips with a message when SaudiNewsNet
or mypyc is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from saudinewsnet import zips_or_skip

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("arabic", "extract", "ner")


def compile_copy(folder: Path) -> tuple[Path, list[str]] | str:
    """A copy of ``src`` under ``folder`` with the :data:`PACKAGES` compiled, and the modules
    compiled; or why it could not be built."""
    src = folder / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.egg-info"))
    modules = sorted(str(p.relative_to(src)) for pkg in PACKAGES for p in (src / "marsad" / pkg).glob("*.py"))
    done = subprocess.run([sys.executable, "-m", "mypyc", *modules], cwd=src, capture_output=True, text=True)
    if done.returncode != 0:
        return f"mypyc failed:\n{(done.stdout + done.stderr)[-3000:]}"
    missing = [m for m in modules if not list((src / m).parent.glob(Path(m).stem + ".*.so"))]
    if missing:
        return f"mypyc left modules uncompiled: {', '.join(missing)}"
    return src, [m.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for m in modules]


def stages(src: Path, shared: Path, limit: int, out: Path) -> dict[str, Any]:
    """``benchmarks/stages.py --digest`` with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, str(ROOT / "benchmarks" / "stages.py"), "--shared", str(shared),
               "--limit", str(limit), "--json", str(out), "--digest"]  # fmt: skip
    subprocess.run(command, env=env, check=True, capture_output=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=4000, help="articles per run (0: all)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each build, taken in turn")
    args = parser.parse_args()
    if not zips_or_skip(args.shared):
        return 0
    if importlib.util.find_spec("mypyc") is None:
        print('benchmark skipped: mypyc is not installed (it comes with mypy: pip install "marsad[test]")')
        return 0
    with tempfile.TemporaryDirectory(prefix="marsad-mypyc-") as temp:
        built = compile_copy(Path(temp))
        if isinstance(built, str):
            print(built)
            return 1
        compiled_src, modules = built
        builds = {"pure Python": ROOT / "src", "mypyc": compiled_src}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in builds}
        for i in range(args.rounds):
            for name, src in builds.items():
                runs[name].append(
                    stages(src, args.shared, args.limit, Path(temp) / f"{i}-{len(runs[name])}.json")
                )
    pure, fast = runs["pure Python"], runs["mypyc"]
    loaded = set(fast[0]["compiled_modules"])
    if pure[0]["compiled_modules"] or "marsad.arabic.tokenize" not in loaded or not loaded <= set(modules):
        print("the runs did not load the builds they were given; see compiled_modules in stages.py --json")
        return 1
    digests = {r["digest"] for r in pure + fast}
    print(f"{pure[0]['articles']} articles, {pure[0]['tokens']:,} tokens; {len(modules)} modules compiled; "
          f"{args.rounds} run(s) of each, taken in turn; same output: {'yes' if len(digests) == 1 else 'NO'}")  # fmt: skip
    print()
    print("| stage | pure Python (s) | mypyc (s) | speed-up |")
    print("|---|---:|---:|---:|")

    def mean(results: list[dict[str, Any]], stage: str | None) -> float:
        return sum(
            sum(r["seconds"].values()) if stage is None else r["seconds"][stage] for r in results
        ) / len(results)

    for stage in [*pure[0]["seconds"], None]:
        a, b = mean(pure, stage), mean(fast, stage)
        print(f"| {stage or 'all stages'} | {a:.2f} | {b:.2f} | {a / b if b else float('nan'):.2f}× |")
    total = mean(fast, None)
    print(f"\nmypyc: {pure[0]['articles'] / total:,.0f} articles/s, "
          f"{total / mean(fast, 'tokenize'):.1f}× its tokenize floor")  # fmt: skip
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
