"""Marsad: Arabic news to verifiable political event data.

Public API::

    import marsad
    doc = marsad.process("…Arabic article text…", published="2024-08-19")
    doc.to_dict()          # the output contract
    with marsad.open_store("news.db") as store: ...
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

__version__ = "0.1.0"

from marsad.model import Document
from marsad.pipeline import Pipeline, make_document
from marsad.store import open_store

__all__ = ["Document", "Pipeline", "__version__", "open_store", "process"]


@lru_cache(maxsize=1)
def _default_pipeline() -> Pipeline:
    """Built once per process: the word lists are loaded on first use and never change."""
    return Pipeline.default()


def process(text: str, *, published: dt.date | str | None = None, doc_id: str | None = None) -> Document:
    """Run the default pipeline over one article's text.

    ``published`` (a date or ``"YYYY-MM-DD"``) is used when the text itself carries no
    publication date. ``doc_id`` defaults to a hash of the text.
    """
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return _default_pipeline().process(make_document(text, doc_id=doc_id, published=published))
