"""Claims across documents: which reports back a figure up, and which give another one.

Two claims of different documents are about the same thing when they have the same
subject (``trade volume``) and unit, the same time where both give one, and their
documents are in one story, or share a pair of actor countries (from their events) and
were published at most ``window_days`` apart (an undated document fits any date). Their
values then either agree, within ``tolerance`` of the larger one (and the qualifiers
allow it: "more than 4 billion" agrees with "4.2 billion"), and each claim lists the other
document in ``corroborated_by``; or they do not, and each lists it in ``contradicted_by``.

A claim without a subject is about the happenings it is part of: each event whose evidence
holds the figure (not one flagged future, hypothetical or negated) names its type and its
two countries, and claims of the same unit in the same kind of happening between the same
two countries are compared ("the return of 4 villages" by Armenia to Azerbaijan and
"Azerbaijan recovered 3 villages from Armenia": contradicted). A bare figure in no such
event is left unlinked.

This works on output records (the JSON contract), so it serves ``marsad extract`` and
any set of stored documents alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ClaimSettings", "actor_pairs", "agree", "claim_keys", "link_claims"]

_NOT_HAPPENED = frozenset({"future", "hypothetical", "negated"})

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    tolerance: float = 0.05
    window_days: int = 30


def actor_pairs(record: Mapping[str, Any]) -> set[frozenset[str]]:
    """The pairs of countries the document's events set against each other."""
    pairs: set[frozenset[str]] = set()
    for event in record.get("events") or []:
        source, target = ((event.get(k) or {}).get("country") for k in ("source", "target"))
        if source and target and source != target:
            pairs.add(frozenset((str(source), str(target))))
    return pairs


def agree(a: Mapping[str, Any], b: Mapping[str, Any], tolerance: float) -> bool:
    """Whether two values of the same thing are consistent, given their qualifiers."""
    x, y = float(a["value"]), float(b["value"])
    if abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9):
        return True
    for low, high in ((a, b), (b, a)):  # "more than 4" agrees with 4.5; "less than 4" with 3
        lo, hi = float(low["value"]), float(high["value"])
        if (
            low.get("qualifier") in ("more_than", "at_least")
            and hi > lo
            and high.get("qualifier") != "less_than"
        ):
            return True
        if (
            high.get("qualifier") in ("less_than", "at_most")
            and lo < hi
            and low.get("qualifier") != "more_than"
        ):
            return True
    return False


def _day(record: Mapping[str, Any]) -> dt.date | None:
    published = record.get("published")
    return dt.date.fromisoformat(published) if published else None


def _related(
    a: Mapping[str, Any], b: Mapping[str, Any], pairs: tuple[set[frozenset[str]], ...], window: dt.timedelta
) -> bool:
    """Whether two documents are in one story, or share an actor pair (``pairs``: theirs) within ``window``."""
    if a.get("story") and a.get("story") == b.get("story"):
        return True
    if not pairs[0] & pairs[1]:
        return False
    da, db = _day(a), _day(b)
    return da is None or db is None or abs(da - db) <= window


def claim_keys(record: Mapping[str, Any], claim: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What a claim is about: its subject and unit, or for a claim without a subject, the
    type and countries of each event around it, with its unit (a sentence may report
    talks and a handover at once); empty when neither is known."""
    unit = claim.get("unit")
    if not unit:
        return []
    if claim.get("subject"):
        return [(str(claim["subject"]), str(unit))]
    start, end = claim.get("start"), claim.get("end")
    if start is None or end is None:
        return []
    keys: list[tuple[str, str]] = []
    for event in record.get("events") or []:
        evidence = event.get("evidence") or {}
        if _NOT_HAPPENED & set(event.get("context") or ()) or not (
            evidence.get("start", end) <= start and end <= evidence.get("end", start)
        ):
            continue
        countries = sorted(
            {str(c) for side in ("source", "target") if (c := (event.get(side) or {}).get("country"))}
        )
        key = (f"{event['type']} {'|'.join(countries)}", str(unit))
        if len(countries) == 2 and key not in keys:
            keys.append(key)
    return keys


def link_claims(records: Sequence[Record], settings: ClaimSettings | None = None) -> None:
    """Fill ``corroborated_by`` and ``contradicted_by`` of every claim, in place."""
    settings = settings or ClaimSettings()
    window = dt.timedelta(days=settings.window_days)
    pairs = [actor_pairs(record) for record in records]
    by_thing: dict[tuple[str, str], list[tuple[int, Record]]] = {}
    for n, record in enumerate(records):
        for claim in record.get("claims") or []:
            claim.setdefault("corroborated_by", [])
            claim.setdefault("contradicted_by", [])
            for key in claim_keys(record, claim):
                by_thing.setdefault(key, []).append((n, claim))
    for claims in by_thing.values():
        for i, j in _candidates(claims, records, pairs):
            (n, a), (m, b) = claims[i], claims[j]
            if n == m or (a.get("time") and b.get("time") and a["time"] != b["time"]):
                continue
            if not _related(records[n], records[m], (pairs[n], pairs[m]), window):
                continue
            field = "corroborated_by" if agree(a, b, settings.tolerance) else "contradicted_by"
            for claim, other in ((a, records[m]["doc_id"]), (b, records[n]["doc_id"])):
                if other not in claim[field]:
                    claim[field].append(other)


def _candidates(
    claims: Sequence[tuple[int, Record]], records: Sequence[Record], pairs: Sequence[set[frozenset[str]]]
) -> list[tuple[int, int]]:
    """Index pairs ``i < j`` of claims whose documents share a story or an actor pair, in order."""
    buckets: dict[object, list[int]] = {}
    for i, (n, _claim) in enumerate(claims):
        if story := records[n].get("story"):
            buckets.setdefault(("story", story), []).append(i)
        for pair in pairs[n]:
            buckets.setdefault(pair, []).append(i)
    found = {(i, j) for members in buckets.values() for x, i in enumerate(members) for j in members[x + 1 :]}
    return sorted(found)
