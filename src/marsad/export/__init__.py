"""Exports: stored records as five flat tables (documents, events, quotes, claims, stories)
in JSONL, CSV or Parquet, with PLOVER field names for events and, on request, CAMEO roots.

    from marsad.export import export
    from marsad.store import open_store, queries

    with open_store("news.db", create=False) as store:
        export(queries.records(store), "out", "parquet", cameo=True)
"""

from __future__ import annotations

from marsad.export.tables import TABLES, CameoMap, Column, columns, table_rows
from marsad.export.writers import FORMATS, export

__all__ = ["FORMATS", "TABLES", "CameoMap", "Column", "columns", "export", "table_rows"]
