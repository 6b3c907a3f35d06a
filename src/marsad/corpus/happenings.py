"""Happenings: what a document reports in its lead, as story building compares it.

A happening (:class:`Signature`) is an event's type, the countries of its two sides, its
place and the days its date may be. :func:`signatures` reads them from the lead of a
document (or of its output record); an event flagged as not having happened (future,
hypothetical, negated, historical or reported) is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.arabic.tokenize import sentences
from marsad.model import Document, Span

__all__ = ["NOT_HAPPENED", "Signature", "lead_end", "near", "signatures"]

#: Event flags that make an event no report of a happening.
NOT_HAPPENED = frozenset({"future", "hypothetical", "negated", "historical", "reported"})


@dataclass(frozen=True, slots=True)
class Signature:
    """What identifies a happening: event type, actor countries, place, and the first and
    last day its date may be (one day, a whole month or year; None when undated)."""

    type: str
    actors: frozenset[str]
    place: str
    days: tuple[dt.date, dt.date] | None
    #: The place's country (ISO3), when known, and whether the place is that country itself.
    country: str | None = None
    whole_country: bool = False

    def key(self) -> tuple[str, frozenset[str]]:
        return self.type, self.actors

    def to_dict(self) -> dict[str, Any]:
        days = [d.isoformat() for d in self.days] if self.days else None
        return {"type": self.type, "actors": sorted(self.actors), "place": self.place, "days": days,
                "country": self.country, "whole_country": self.whole_country}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Signature:
        days = data.get("days")
        span = (dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[1])) if days else None
        return cls(data["type"], frozenset(data["actors"]), data["place"], span, data.get("country"),
                   bool(data.get("whole_country")))  # fmt: skip

    def same_place(self, other: Signature) -> bool:
        """The same place, or a country and a place inside it ("أرنور" and "أنوميناس")."""
        if self.place == other.place:
            return True
        broad = self.whole_country or other.whole_country
        return broad and self.country is not None and self.country == other.country


def _days(date: str | None) -> tuple[dt.date, dt.date] | None:
    """The days an ISO date of any granularity (``2024-08-19``, ``2024-08``, ``2024``) covers."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        return first, (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def near(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None, window: dt.timedelta) -> bool:
    """Whether two date ranges lie within ``window`` of each other (an unknown date fits any)."""
    return a is None or b is None or (a[0] - window <= b[1] and b[0] - window <= a[1])


def lead_end(text: str, spans: Sequence[Span] = (), count: int = 3) -> int:
    """Where a document's lead ends: after its first ``count`` sentences (``spans``, or
    split from ``text``)."""
    spans = spans or sentences(text[:4000])
    return spans[min(count, len(spans)) - 1].end if spans else 0


def signatures(
    doc: Document | Mapping[str, Any], countries: Mapping[str, str] | None = None, lead_sentences: int = 3
) -> list[Signature]:
    """The happenings a document (or its output record) reports in its lead: events with two
    sides of known country and a place, whose evidence starts in the first ``lead_sentences``
    sentences. ``countries`` gives the country of a place id (from the KB); a place id that
    is a key of ``countries`` with its own code's ``country:`` id is a whole country."""
    if isinstance(doc, Document):
        events = [e.to_dict() for e in doc.events]
        end = lead_end(doc.text, doc.sentences, lead_sentences)
    else:
        events = list(doc.get("events") or [])
        end = lead_end(str(doc.get("text") or ""), (), lead_sentences)
    countries = countries or {}
    out: list[Signature] = []
    for event in events:
        location = event.get("location")
        if (
            NOT_HAPPENED & set(event.get("context") or ())
            or not location
            or event["evidence"]["start"] >= end
        ):
            continue
        sides = (event.get("source"), event.get("target"))
        actors = frozenset(str(a["country"]) for a in sides if a and a.get("country"))
        if len(actors) < 2:
            continue
        place = location.get("id") or location["name"]
        country = countries.get(place)
        whole = country is not None and place == f"country:{country}"
        out.append(Signature(event["type"], actors, place, _days(event.get("date")), country, whole))
    return out
