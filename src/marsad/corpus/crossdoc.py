"""Documents read together: their stories, and publication dates inferred from a story.

:class:`Corpus` takes documents the pipeline has processed, one at a time, puts them in
stories (:mod:`marsad.corpus.stories`) and, once all are in, gives each one's output record
with its ``story``. A document without a publication date that reports the same happening
as a dated document of its story gets that happening's day as ``published``, with
``published_source: "inferred"``; it is processed again with that date, so its relative
dates resolve ("الاثنين" becomes the Monday of that week), and events dated by it get
``date_source: "inferred"``. Claims are then linked across the documents
(:mod:`marsad.corpus.claims`).

Only each document's output record is kept (and the raw form of undated documents that
report a happening, which may need that second pass), not its tokens.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from marsad.corpus.claims import link_claims
from marsad.corpus.stories import StoryBuilder, StorySettings
from marsad.kb.base import KnowledgeBase
from marsad.model import Document
from marsad.pipeline import Pipeline

__all__ = ["Corpus"]


class Corpus:
    """Output records of documents read as one corpus."""

    def __init__(
        self, pipeline: Pipeline, kb: KnowledgeBase | None = None, settings: StorySettings | None = None
    ) -> None:
        """``kb`` tells which country each place is in (a city and its country are one place
        to a story); without it, places must be the same."""
        self.pipeline = pipeline
        countries = {e.id: e.country for e in kb.entities.values() if e.country} if kb is not None else {}
        self.stories = StoryBuilder(settings or StorySettings(), countries)
        self._records: list[dict[str, Any]] = []
        self._raw: dict[str, Document] = {}  # undated documents that report a happening

    def add(self, raw: Document, doc: Document) -> None:
        """Add a processed document (``raw`` is what the pipeline was given)."""
        self.stories.add(doc)
        self._records.append(doc.to_dict())
        if doc.published is None and self.stories.happenings(doc.doc_id):
            self._raw[doc.doc_id] = raw

    def records(self) -> list[dict[str, Any]]:
        """Every document's record, in the order added, with its story and inferred dates."""
        out: list[dict[str, Any]] = []
        for record in self._records:
            doc_id = record["doc_id"]
            day = self.stories.inferred_date(doc_id) if doc_id in self._raw else None
            if day is not None:
                raw = self._raw[doc_id]
                redone = self.pipeline.process(replace(raw, hints=replace(raw.hints, default_published=day)))
                events = tuple(
                    replace(e, date_source="inferred") if e.date_source == "publication" else e
                    for e in redone.events
                )
                record = replace(redone, published_source="inferred", events=events).to_dict()
            record["story"] = self.stories.story(doc_id)
            out.append(record)
        link_claims(out)
        return out
