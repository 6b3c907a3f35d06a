"""Where the benchmarks find SaudiNewsNet: the zips in the shared folder beside the repository.

A user's clone has no shared folder; a benchmark then says it is skipped and exits 0.
"""

from __future__ import annotations

from pathlib import Path


def zips(shared: Path) -> list[Path]:
    """The SaudiNewsNet zips under the shared folder, by day of collection."""
    return sorted((shared / "data" / "saudinewsnet").glob("*.zip"))


def zips_or_skip(shared: Path, what: str = "benchmark") -> list[Path]:
    """:func:`zips`; when there are none, print that ``what`` is skipped and why."""
    files = zips(shared)
    if not files:
        print(f"{what} skipped: no SaudiNewsNet zips under {shared}/data/saudinewsnet")
    return files
