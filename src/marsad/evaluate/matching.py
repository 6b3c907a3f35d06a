"""Matching system items to gold items: entities, events, quotes and claims of one document.

Counting follows one rule throughout: precision is the share of system items that
match some gold item (required or optional), recall the share of *required* gold items
found. Events, quotes and claims are matched one-to-one; entities are not (two system
entities may both match one gold entity).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marsad.evaluate.gold import GoldClaim, GoldEntity, GoldEvent, GoldQuote
from marsad.evaluate.rules import Rules
from marsad.evaluate.text import contains, cue_overlap, fold_arabic

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Tally:
    """``hits`` out of ``total`` checks."""

    hits: int = 0
    total: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.hits + other.hits, self.total + other.total)

    def ratio(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True)
class Matches:
    """Counts behind precision and recall."""

    correct: int = 0  # system items matching some gold item
    offered: int = 0  # system items
    found: int = 0  # required gold items matched
    wanted: int = 0  # required gold items

    def __add__(self, other: Matches) -> Matches:
        return Matches(
            self.correct + other.correct,
            self.offered + other.offered,
            self.found + other.found,
            self.wanted + other.wanted,
        )

    def precision(self) -> float:
        return self.correct / self.offered if self.offered else 0.0

    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 0.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0


def records(doc: Record, key: str) -> list[Record]:
    """The objects of a list field of an output document; anything else counts as absent."""
    value = doc.get(key)
    if not isinstance(value, (list, tuple)):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _ref(record: Record, key: str) -> Record:
    value = record.get(key)
    return value if isinstance(value, Mapping) else {}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# --- entities -------------------------------------------------------------------------------


def match_entities(gold: Sequence[GoldEntity], doc: Record, rules: Rules) -> Matches:
    """A system entity is right when it shares a name key and a coarse type with a gold entity."""
    system = [
        (rules.aliases.keys(e.get("name")), rules.coarse(e.get("type"))) for e in records(doc, "entities")
    ]
    wanted = [(frozenset[str]().union(*map(rules.aliases.keys, g.names)), g.coarse, g.required) for g in gold]

    def same(a: tuple[frozenset[str], str | None], keys: frozenset[str], coarse: str) -> bool:
        return a[1] == coarse and bool(a[0] & keys)

    required = [(keys, coarse) for keys, coarse, req in wanted if req]
    return Matches(
        correct=sum(any(same(s, keys, coarse) for keys, coarse, _ in wanted) for s in system),
        offered=len(system),
        found=sum(any(same(s, keys, coarse) for s in system) for keys, coarse in required),
        wanted=len(required),
    )


# --- events ---------------------------------------------------------------------------------


def actor_countries(event: Record) -> set[str]:
    """Countries of the source and target; an actor whose sector starts with IGO adds "IGO"."""
    found = set()
    for role in ("source", "target"):
        actor = _ref(event, role)
        country = actor.get("country")
        if country and isinstance(country, str):
            found.add(country)
        if _str(actor.get("sector")).upper().startswith("IGO"):
            found.add("IGO")
    return found


def date_ok(gold_date: str, system_date: object) -> bool:
    """A system date is right when it starts with the gold date ("2024-04" accepts "2024-04-15")."""
    return isinstance(system_date, str) and bool(system_date) and system_date.startswith(gold_date)


def _pick_event(gold: GoldEvent, system: Sequence[Record], taken: set[int]) -> int | None:
    """Index of the free system event of an acceptable type whose actors cover the gold
    actors, with the best cue overlap (the earliest one on a tie); ``None`` if there is none."""
    fits = [
        (cue_overlap(gold.cue, _ref(event, "evidence").get("text")), i)
        for i, event in enumerate(system)
        if i not in taken and event.get("type") in gold.types and gold.actors <= actor_countries(event)
    ]
    return max(fits, key=lambda fit: fit[0])[1] if fits else None


@dataclass(frozen=True)
class EventScore:
    matches: Matches
    dates: Tally  # matched events whose gold date the article fixes
    inferred: Tally  # matched events whose date needs sibling articles


def match_events(gold: Sequence[GoldEvent], doc: Record) -> EventScore:
    """Greedy one-to-one matching, required gold events first, in gold order."""
    system = records(doc, "events")
    taken: set[int] = set()
    matches, dates, inferred = Matches(offered=len(system)), Tally(), Tally()
    for event in sorted(gold, key=lambda e: not e.required):
        matches += Matches(wanted=int(event.required))
        pick = _pick_event(event, system, taken)
        if pick is None:
            continue
        taken.add(pick)
        matches += Matches(correct=1, found=int(event.required))
        system_date = system[pick].get("date")
        if event.date:
            dates += Tally(int(date_ok(event.date, system_date)), 1)
        elif event.date_inferable:
            inferred += Tally(int(date_ok(event.date_inferable, system_date)), 1)
    return EventScore(matches, dates, inferred)


# --- quotes ---------------------------------------------------------------------------------


def match_quotes(gold: Sequence[GoldQuote], doc: Record, rules: Rules) -> tuple[Matches, Tally]:
    """Direct quotes: a system quote matches the first gold quote whose folded cue it contains.
    Returns the matches and the attribution tally (matched quotes with the right speaker)."""
    system = [q for q in records(doc, "quotes") if q.get("direct", True) is not False]
    folded = [fold_arabic(q.get("text")) for q in system]
    taken: set[int] = set()
    matches, attribution = Matches(offered=len(system)), Tally()
    for quote in gold:
        matches += Matches(wanted=int(quote.required))
        pick = next(
            (i for i, text in enumerate(folded) if i not in taken and contains(text, quote.cue)), None
        )
        if pick is None:
            continue
        taken.add(pick)
        matches += Matches(correct=1, found=int(quote.required))
        speaker = _ref(system[pick], "speaker").get("name")
        attribution += Tally(int(rules.aliases.match(speaker, quote.speaker)), 1)
    return matches, attribution


# --- claims ---------------------------------------------------------------------------------


def claim_value(value: object) -> float | None:
    """A claim's value as a finite number (numeric strings accepted), else ``None``."""
    if not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if not math.isnan(number) else None


def _claim_fits(gold: GoldClaim, claim: Record, exact_units: Iterable[str]) -> bool:
    value = claim_value(claim.get("value"))
    if value is None or abs(value - gold.value) > 1e-6 * max(1.0, abs(gold.value)):
        return False
    return gold.unit not in exact_units or _str(claim.get("unit")).lower() == gold.unit.lower()


def match_claims(gold: Sequence[GoldClaim], doc: Record, rules: Rules) -> Matches:
    """A claim matches on value (relative tolerance 1e-6); money and distance must also
    agree on the unit, counting units (villages, companies, days) need not."""
    system = records(doc, "claims")
    taken: set[int] = set()
    matches = Matches(offered=len(system))
    for claim in gold:
        matches += Matches(wanted=int(claim.required))
        pick = next(
            (i for i, c in enumerate(system) if i not in taken and _claim_fits(claim, c, rules.exact_units)),
            None,
        )
        if pick is not None:
            taken.add(pick)
            matches += Matches(correct=1, found=int(claim.required))
    return matches
