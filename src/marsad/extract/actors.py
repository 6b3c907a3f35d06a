"""Actors and places of a document, by token position, for the events stage.

Every entity mention becomes an :class:`Slot` over the tokens it covers:

* people and organisations are actors, with their country and sector;
* a country is an actor, or a place when a preposition of place precedes it ("في أرمينيا");
* cities and regions are places;
* a group noun followed by a country adjective or name ("القوات الأرمينية", "حكومة
  أرمينيا") is one actor of that country and the noun's sector (ARM MIL, ARM GOV); a group
  noun that names an actor alone ("المتظاهرون") is one too, without a country;
* a country adjective right after another word ("غارة إسرائيلية", "الجهود المصرية")
  is an actor of that country, flagged ``adjective``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.arabic.phrases import token_starts
from marsad.extract.entities import name_start, token_range
from marsad.kb.base import KnowledgeBase
from marsad.model import ActorRef, Entity, EntityType, Location, Token

__all__ = ["Slot", "slots"]


@dataclass(frozen=True, slots=True)
class Slot:
    """An actor or a place at tokens [first, last)."""

    first: int
    last: int
    actor: ActorRef | None
    place: Location | None
    adjective: bool = False
    #: a country after a preposition of place ("في أرمينيا", "إلى أذربيجان"): a place, and
    #: the other side of a visit
    at_place: bool = False

    def key(self) -> str:
        a = self.actor
        if a is None:
            return ""
        return a.entity or f"{a.country}:{a.sector}:{a.text}"


def _ref(entity: Entity, text: str, sector: str | None = None) -> ActorRef:
    return ActorRef(
        text=text, entity=entity.id, name=entity.name, country=entity.country, sector=sector or entity.sector
    )


def _place_before(tokens: Sequence[Token], keys: Sequence[str], first: int, places: frozenset[str]) -> bool:
    if "ب" in tokens[first].prefixes:
        return True
    return first > 0 and keys[first - 1] in places


def slots(
    kb: KnowledgeBase,
    text: str,
    tokens: Sequence[Token],
    keys: Sequence[str],
    entities: Sequence[Entity],
    places: frozenset[str] = frozenset(),
    directions: frozenset[str] = frozenset(),
) -> list[Slot]:
    """Actors and places, ordered by position, never overlapping (the longer mention wins).

    ``places``: words before a place ("في باكو"; the proclitic بـ too): a country there is a
    place only. ``directions``: words before a place that may also be a side ("إلى
    أذربيجان", "من أرمينيا"): :attr:`Slot.place` is set, but not :attr:`Slot.at_place`.
    """
    starts = token_starts(tokens)
    raw: list[Slot] = []
    for e in entities:
        kb_entity = kb.entities.get(e.id)
        kind = kb_entity.kind if kb_entity else None
        for m in e.mentions:
            first, last = token_range(starts, m.start, m.end)
            if first < 0 or last <= first:
                continue
            if e.type in (EntityType.PERSON, EntityType.ORG):
                raw.append(Slot(first, last, _ref(e, m.text), None))
            elif kind == "country":
                if m.via == "nisba":
                    raw.append(Slot(first, last, _ref(e, m.text), None, adjective=True))
                elif _place_before(tokens, keys, first, places):
                    raw.append(Slot(first, last, _ref(e, m.text), Location(e.name, e.id), at_place=True))
                elif first > 0 and keys[first - 1] in directions:
                    raw.append(Slot(first, last, _ref(e, m.text), Location(e.name, e.id)))
                else:
                    raw.append(Slot(first, last, _ref(e, m.text), None))
            elif e.type in (EntityType.GPE, EntityType.LOC):
                raw.append(Slot(first, last, None, Location(e.name, e.id)))
    raw.sort(key=lambda s: (s.first, -(s.last - s.first)))
    out: list[Slot] = []
    for s in raw:
        if out and s.first < out[-1].last:
            continue
        out.append(s)
    return _groups(kb, text, tokens, keys, out)


def _groups(
    kb: KnowledgeBase, text: str, tokens: Sequence[Token], keys: Sequence[str], found: list[Slot]
) -> list[Slot]:
    """Fold "group noun + country" into one actor; add stand-alone group nouns."""
    by_first = {s.first: s for s in found}
    covered = {i for s in found for i in range(s.first, s.last)}
    out: list[Slot] = []
    skip: set[int] = set()
    # Only where a slot starts or a group noun may start can anything happen.
    stops = sorted({*by_first, *kb.groups.starts(keys)})
    after = 0  # tokens before this are taken
    for i in stops:
        if i < after:
            continue
        if i in covered:
            s = by_first.get(i)
            if s is not None and s.first not in skip:
                out.append(s)
            after = s.last if s is not None else i + 1
            continue
        hit = kb.groups.match_at(keys, i)
        if hit is None:
            continue
        end, group = hit
        nxt = by_first.get(end)
        ref_entity = nxt.actor.entity if nxt is not None and nxt.actor is not None else None
        country = kb.entities.get(ref_entity or "")
        text_start = name_start(tokens[i])
        if nxt is not None and country is not None and country.kind == "country":
            ref = ActorRef(
                text=text[text_start : tokens[nxt.last - 1].end], country=country.country, sector=group.sector
            )
            out.append(Slot(i, nxt.last, ref, None))
            skip.add(end)
            after = nxt.last
            continue
        if not group.needs_country:
            ref = ActorRef(text=text[text_start : tokens[end - 1].end], sector=group.sector)
            out.append(Slot(i, end, ref, None))
        after = end
    return out
