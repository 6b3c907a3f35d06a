"""Read the package's data files (word lists, rules, KB tables).

Every data file is UTF-8 with a header line (TSV) or one entry per line (TXT);
lines starting with ``#`` are comments. Nothing here caches: callers load once and
keep the result on their own instance.
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path


def data_path(relpath: str) -> Path:
    """Path of a bundled data file, e.g. ``data_path("kb/agencies.tsv")``."""
    return Path(str(files("marsad") / "data" / relpath))


def read_lines(relpath: str) -> list[str]:
    """Non-empty, non-comment lines of a bundled ``.txt`` list, stripped."""
    text = data_path(relpath).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def read_tsv(relpath: str | Path) -> list[dict[str, str]]:
    """Rows of a TSV file with a header line; ``relpath`` may also be a user's own file."""
    path = relpath if isinstance(relpath, Path) else data_path(relpath)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
