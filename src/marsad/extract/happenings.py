"""Which events to keep, and when two events are one happening (for the events stage).

* :func:`acceptable`: diplomatic events need both sides, each with a country or an
  international organisation; attacks, coercion, protests and mobilisations count with
  whatever sides are known; a person is never his own country's counterpart.
* :func:`identity` and :func:`merge_undated`: one happening is one event.
"""

from __future__ import annotations

from dataclasses import replace

from marsad.kb.base import KnowledgeBase
from marsad.model import ActorRef, Event

__all__ = ["ANY_SIDES", "SYMMETRIC", "acceptable", "identity", "merge_undated"]

#: Types where "X with Y" and "Y with X" are the same happening.
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
#: Types reported even when no side is known: an attack, an arrest, a protest or a troop
#: build-up with an unknown or unnamed author is still a happening conflict monitors count
#: ("ووقع الهجوم فجر أمس في منطقة …").
ANY_SIDES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"})


def _countable(ref: ActorRef | None) -> bool:
    return ref is not None and (bool(ref.country) or (ref.sector or "").startswith("IGO"))


def acceptable(kind: str, source: ActorRef | None, target: ActorRef | None, kb: KnowledgeBase) -> bool:
    """Both sides known (any for attacks, coercion, protests, mobilisations), never a person and his country."""
    if kind in ANY_SIDES:
        return not _same_country_junk(source, target, kb)
    if not (_countable(source) and _countable(target)):
        return False
    return not _same_country_junk(source, target, kb)


def _same_country_junk(source: ActorRef | None, target: ActorRef | None, kb: KnowledgeBase) -> bool:
    """A side that is the other side's own country ("السيسي" → "مصر")."""
    if source is None or target is None or not source.country or source.country != target.country:
        return False
    return any(
        r.entity in kb.entities and kb.entities[r.entity].kind == "country"
        for r in (source, target)
        if r.entity
    )


def identity(event: Event) -> tuple[object, ...]:
    def who(ref: ActorRef | None) -> str:  # by country: "علييف" and "أذربيجان" are one side
        return "" if ref is None else (ref.country or ref.entity or ref.text)

    sides = (who(event.source), who(event.target))
    actors = tuple(sorted(sides)) if event.type in SYMMETRIC else sides
    return (event.type, event.mode, actors, event.date)


def merge_undated(events: list[Event]) -> list[Event]:
    """An event dated only by publication that repeats a happening dated in the text takes that date.

    "قصف القوات الأرمينية لمواقع أذربيجانية" in the lead and "قصفت … مساء يوم الأحد" further
    down are one shelling; the first keeps its evidence and gets Sunday's date. When the
    text gives several dates for such events (two visits), nothing is merged. Of the
    mentions of one happening, the first is kept, or the first that names the place when
    an earlier one does not (a headline "لقاء علييف وبوتين", then "جرى اليوم بمسكو لقاء …").
    """
    dated: dict[tuple[object, ...], set[str]] = {}
    for e in events:
        if e.date_source == "text" and e.date:
            dated.setdefault(identity(e)[:3], set()).add(e.date)
    out: dict[tuple[object, ...], Event] = {}
    for e in events:
        dates = dated.get(identity(e)[:3], set())
        if e.date_source == "publication" and len(dates) == 1:
            e = replace(e, date=next(iter(dates)), date_source="text")
        key = identity(e)
        first = out.get(key)
        if first is None:
            out[key] = e
            continue
        # the first mention keeps the evidence, unless only a later one says where it happened
        kept = e if first.location is None and e.location is not None else first
        if kept.date_source != "text" and "text" in (first.date_source, e.date_source):
            kept = replace(kept, date_source="text")  # same day, read in the text
        out[key] = kept
    return list(out.values())
