"""A batch's partitions: its input files in fixed groups, each named by what it holds.

A partition is the unit of work a Dask worker runs and the unit a resumed batch skips.
Its id is a hash of its files' paths, sizes and modification times, so the same inputs
always give the same partitions. A file that changed, or files added among article files,
make other partitions: a batch folder of the earlier inputs refuses them (MRS081). An
archive is a partition of its own, so archives added to the inputs only add partitions.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.errors import Code, InputError
from marsad.ingest.readers import discover

__all__ = ["FILES_PER_PARTITION", "Partition", "plan"]

#: Files per partition: enough to keep a worker busy for a few seconds on article files;
#: an archive (JSONL, JSON or ZIP) of many articles is a partition of its own.
FILES_PER_PARTITION = 64
_ARCHIVES = (".jsonl", ".json", ".zip")


@dataclass(frozen=True, slots=True)
class Partition:
    """Some input files, processed together. ``index`` is the partition's place in the
    plan: documents join stories in plan order, then in the order their files hold them.
    ``size`` is its files' bytes when planned, the measure of its work that a batch
    schedules by (0 where unknown)."""

    index: int
    id: str
    files: tuple[str, ...]
    size: int = 0


def _named(index: int, files: Sequence[str]) -> Partition:
    stats = [os.stat(path) for path in files]
    signature = "".join(
        f"{os.path.abspath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
        for path, stat in zip(files, stats, strict=True)
    )
    digest = hashlib.sha256(signature.encode("utf-8")).hexdigest()[:16]
    return Partition(index, digest, tuple(files), sum(stat.st_size for stat in stats))


def plan(
    paths: Sequence[str], files_per_partition: int = FILES_PER_PARTITION
) -> tuple[list[Partition], list[InputError]]:
    """The partitions of ``paths`` (files, directories, globs, as ``marsad ingest`` reads
    them) and the inputs that cannot be part of one (missing paths, standard input)."""
    partitions: list[Partition] = []
    errors: list[InputError] = []
    group: list[str] = []

    def close() -> None:
        if group:
            partitions.append(_named(len(partitions), group))
            group.clear()

    for found in discover(paths):
        if isinstance(found, InputError):
            errors.append(found)
        elif found == "-":
            errors.append(InputError(Code.UNSUPPORTED, "-", "a batch cannot read standard input",
                                     "save the input to a file, or use marsad ingest -"))  # fmt: skip
        elif found.lower().endswith(_ARCHIVES):
            close()
            group.append(found)
            close()
        else:
            group.append(found)
            if len(group) >= max(1, files_per_partition):
                close()
    close()
    return partitions, errors
