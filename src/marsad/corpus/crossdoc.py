"""Documents read together: their stories, and publication dates inferred from a story.

:class:`Corpus` takes documents the pipeline has processed, one at a time, puts them in
stories (:mod:`marsad.corpus.stories`) and, once all are in, gives each one's output record
with its ``story``. A document without a publication date that reports the same happening
as a dated document of its story gets that happening's day as ``published``, with
``published_source: "inferred"``; it is processed again with that date, so its relative
dates resolve ("الاثنين" becomes the Monday of that week), and events dated by it get
``date_source: "inferred"``. An event still without a date takes the one date other
documents give the same happening (same type, the same two countries, the same place):
an undated "meeting in Moscow" that another report dates to April 2024
(:func:`infer_event_dates`). Claims are then linked across the documents
(:mod:`marsad.corpus.claims`).

Only each document's output record is kept (and the raw form of undated documents that
report a happening, which may need that second pass), not its tokens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from marsad.corpus.claims import link_claims
from marsad.corpus.stories import Fingerprint, StoryBuilder, StorySettings
from marsad.kb.base import KnowledgeBase
from marsad.model import Document
from marsad.pipeline import Pipeline

__all__ = ["Corpus", "happening_key", "infer_event_dates"]

#: Event flags under which a date says nothing about when the happening took place.
_UNDATABLE = frozenset({"future", "hypothetical", "negated"})


Happening = tuple[str, frozenset[str], str]


def happening_key(
    type: str, countries: Iterable[str | None], place: str | None, context: Iterable[str] = ()
) -> Happening | None:
    """What two reports of one happening share: the event type, its two countries and the
    place's name; None for an event that may not have happened (future, negated …)."""
    actors = frozenset(c for c in countries if c)
    if len(actors) < 2 or not place or _UNDATABLE & set(context):
        return None
    return type, actors, place


def _key(event: dict[str, Any]) -> Happening | None:
    countries = ((event.get(side) or {}).get("country") for side in ("source", "target"))
    return happening_key(
        event["type"], countries, (event.get("location") or {}).get("name"), event.get("context") or ()
    )


def infer_event_dates(
    records: list[dict[str, Any]], dated: Iterable[tuple[Happening, str, str]] | None = None
) -> int:
    """Date undated events from other documents that date the same happening, in place.

    When the other documents give a happening (:func:`happening_key`) exactly one date (of
    any granularity), an undated event of it takes that date with ``date_source:
    "inferred"``. ``dated`` lists ``(happening, date, doc_id)`` of the dated events to learn
    from (by default, those of ``records``). Returns how many events were dated.
    """
    if dated is None:
        dated = [
            (key, event["date"], record["doc_id"])
            for record in records
            for event in record.get("events") or []
            if event.get("date") and (key := _key(event)) is not None
        ]
    dates: dict[Happening, dict[str, set[str]]] = {}
    for key, date, doc_id in dated:
        dates.setdefault(key, {}).setdefault(date, set()).add(doc_id)
    count = 0
    for record in records:
        for event in record.get("events") or []:
            if event.get("date") or (key := _key(event)) is None:
                continue
            known = {d for d, docs in dates.get(key, {}).items() if docs - {record["doc_id"]}}
            if len(known) == 1:
                event["date"], event["date_source"] = known.pop(), "inferred"
                count += 1
    return count


class Corpus:
    """Output records of documents read as one corpus."""

    def __init__(
        self, pipeline: Pipeline, kb: KnowledgeBase | None = None, settings: StorySettings | None = None
    ) -> None:
        """``kb`` tells which country each place is in (a city and its country are one place
        to a story); without it, places must be the same."""
        self.pipeline = pipeline
        countries = kb.countries_of_places() if kb is not None else {}
        self.stories = StoryBuilder(settings or StorySettings(), countries)
        self._records: list[dict[str, Any]] = []
        self._prints: list[Fingerprint] = []
        self._raw: dict[str, Document] = {}  # undated documents that report a happening

    def add(self, raw: Document, doc: Document) -> None:
        """Add a processed document (``raw`` is what the pipeline was given)."""
        (fp,) = self.stories.fingerprints([doc])
        self._prints.append(fp)
        self._records.append(doc.to_dict())
        if doc.published is None and fp.signatures:
            self._raw[doc.doc_id] = raw

    def _place(self) -> dict[str, str]:
        """Every document in a story, in publication order as the store replays them (an
        undated one where it came, with the latest date before it); each story is named
        after its first document in the order added."""
        latest, keyed = "", []
        for n, fp in enumerate(self._prints):
            day = fp.published.isoformat() if fp.published else ""
            latest = max(latest, day)
            keyed.append(((day or latest, n), fp))
        for (_, n), fp in sorted(keyed, key=lambda pair: pair[0]):
            self.stories.add_fingerprint(fp, rank=n)
        return {fp.doc_id: self.stories.story(fp.doc_id) for fp in self._prints}

    def records(self) -> list[dict[str, Any]]:
        """Every document's record, in the order added, with its story and inferred dates."""
        story = self._place()
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
            record["story"] = story[doc_id]
            out.append(record)
        infer_event_dates(out)
        link_claims(out)
        return out
