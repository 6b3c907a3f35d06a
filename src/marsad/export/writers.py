"""Write the export tables as files: ``DIR/<table>.jsonl``, ``.csv`` or ``.parquet``.

- **JSONL**: one JSON object per row, UTF-8, non-ASCII characters as they are; lists stay lists.
- **CSV**: UTF-8 with a header line; a list is joined with ``|``, a missing value is empty,
  a boolean is ``true``/``false``.
- **Parquet** (needs pyarrow: ``pip install "marsad[parquet]"``): an explicit schema per
  table (strings, 64-bit integers and floats, booleans, lists as ``list<string>``), written
  a row group at a time as the records stream.

Every table is written to a temporary file beside its target, and the five are renamed into
place only once all of them are complete: an export that fails leaves the tables of an earlier
export as they were, never a half-written one.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Protocol

from marsad.errors import Code, ExportError
from marsad.export.tables import TABLES, CameoMap, Column, columns, table_rows

__all__ = ["BATCH_ROWS", "FORMATS", "arrow_schema", "export", "pyarrow_modules"]

FORMATS = ("jsonl", "csv", "parquet")
BATCH_ROWS = 2000  # rows per Parquet row group (and held in memory per table)
_PARQUET_HINT = 'install it with: pip install "marsad[parquet]" (or export --format jsonl or csv)'


class _Sink(Protocol):
    path: Path

    def write(self, row: dict[str, Any]) -> None: ...

    def close(self) -> None: ...

    def discard(self) -> None: ...


class _FileSink:
    """A text file written under a temporary name."""

    def __init__(self, path: Path, cols: tuple[Column, ...]) -> None:
        self.path = path
        self.cols = cols
        self.handle: IO[str] = path.open("x", encoding="utf-8", newline="")

    def close(self) -> None:
        self.handle.close()

    def discard(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


class _JsonlSink(_FileSink):
    def write(self, row: dict[str, Any]) -> None:
        line = json.dumps({c.name: row.get(c.name) for c in self.cols}, ensure_ascii=False)
        self.handle.write(line + "\n")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(item) for item in value)
    return value


class _CsvSink(_FileSink):
    def __init__(self, path: Path, cols: tuple[Column, ...]) -> None:
        super().__init__(path, cols)
        self.writer = csv.writer(self.handle)
        self.writer.writerow([c.name for c in cols])

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow([_cell(row.get(c.name)) for c in self.cols])


class _ParquetSink:
    """A Parquet file with a fixed schema, one row group per ``batch_rows`` rows."""

    def __init__(
        self, path: Path, cols: tuple[Column, ...], modules: tuple[Any, Any], batch_rows: int
    ) -> None:
        pa, pq = modules
        self.path = path
        self.pa = pa
        self.schema = arrow_schema(pa, cols)
        self.names = [c.name for c in cols]
        self.batch_rows = max(1, batch_rows)
        self.rows: list[dict[str, Any]] = []
        path.touch(exist_ok=False)  # claim the name, as the text sinks do
        self.writer = pq.ParquetWriter(str(path), self.schema)

    def write(self, row: dict[str, Any]) -> None:
        self.rows.append({name: row.get(name) for name in self.names})
        if len(self.rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_batch(self.pa.RecordBatch.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()

    def discard(self) -> None:
        self.rows = []
        try:
            self.writer.close()
        finally:
            self.path.unlink(missing_ok=True)


def arrow_schema(pa: Any, cols: tuple[Column, ...]) -> Any:
    """The Arrow schema of a table's columns (pyarrow passed in: it is optional)."""
    types = {
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
        "bytes": pa.binary(),
    }
    return pa.schema([pa.field(c.name, types[c.kind]) for c in cols])


def pyarrow_modules() -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)``, or the error that says how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise ExportError(Code.NO_PYARROW, "Parquet output needs pyarrow, which is not installed",
                          _PARQUET_HINT) from exc  # fmt: skip
    return pyarrow, pyarrow.parquet


def target(out_dir: str | os.PathLike[str], table: str, fmt: str) -> Path:
    """Where ``table`` is written: ``out_dir/<table>.<fmt>``."""
    return Path(out_dir) / f"{table}.{fmt}"


def export(
    records: Iterable[dict[str, Any]],
    out_dir: str | os.PathLike[str],
    fmt: str,
    *,
    cameo: bool = False,
    batch_rows: int = BATCH_ROWS,
) -> dict[str, int]:
    """Write contract ``records`` as the five tables under ``out_dir`` (created if missing).

    Returns the number of rows written per table. ``cameo`` adds a ``cameo_root`` column to
    events. Raises :class:`~marsad.errors.ExportError` for an unknown format (MRS071), a
    missing pyarrow (MRS070, before anything is written) or a folder that cannot be written
    (MRS072); the files of an earlier export stay in place whenever an export fails.
    """
    if fmt not in FORMATS:
        raise ExportError(
            Code.EXPORT_FORMAT, f"unknown export format {fmt!r}", f"use one of {', '.join(FORMATS)}"
        )
    modules = pyarrow_modules() if fmt == "parquet" else None
    out = Path(out_dir)
    mapping = CameoMap.load() if cameo else None
    counts = dict.fromkeys(TABLES, 0)
    sinks: dict[str, _Sink] = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        for table in TABLES:
            temp = out / f".{table}.{fmt}.{tag}.part"
            cols = columns(table, cameo=cameo)
            sinks[table] = (
                _ParquetSink(temp, cols, modules, batch_rows) if modules is not None
                else (_JsonlSink if fmt == "jsonl" else _CsvSink)(temp, cols)
            )  # fmt: skip
        for table, row in table_rows(records, cameo=mapping):
            sinks[table].write(row)
            counts[table] += 1
        for sink in sinks.values():
            sink.close()
        for table, sink in sinks.items():
            os.replace(sink.path, target(out, table, fmt))
    except BaseException as exc:
        for sink in sinks.values():
            with contextlib.suppress(Exception):  # already closed or renamed: nothing to remove
                sink.discard()
        if isinstance(exc, OSError):
            raise ExportError(Code.EXPORT_WRITE, f"cannot write the export to {out}: {exc}",
                              "check that the folder is writable and has room; files of an "
                              "earlier export there are unchanged") from exc  # fmt: skip
        raise
    return counts
