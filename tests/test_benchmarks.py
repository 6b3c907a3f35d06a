"""The benchmarks run from a user's clone, which has no SaudiNewsNet beside it: each says it
is skipped and why, and exits 0, instead of failing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
ON_SAUDINEWSNET = sorted(
    p.name
    for p in BENCHMARKS.glob("*.py")
    if "zips_or_skip" in p.read_text(encoding="utf-8") and p.stem != "saudinewsnet"
)


def test_the_corpus_benchmarks_are_found() -> None:
    assert {"stages.py", "throughput.py", "batch.py", "compiled.py"} <= set(ON_SAUDINEWSNET)


@pytest.mark.parametrize("script", ON_SAUDINEWSNET)
def test_a_benchmark_without_the_corpus_says_it_is_skipped(script: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--shared", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "skipped: no SaudiNewsNet zips under" in done.stdout
