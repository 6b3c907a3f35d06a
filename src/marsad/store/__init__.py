"""The document store: an SQLite file of processed documents, their sources and failures.

:class:`Store` is the only writer; :mod:`marsad.store.queries` holds the named reads.
"""

from __future__ import annotations

from marsad.store.db import BatchResult, Failure, Store, content_hash, open_store, raw_hash

__all__ = ["BatchResult", "Failure", "Store", "content_hash", "open_store", "raw_hash"]
