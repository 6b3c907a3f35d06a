"""The events stage's word lists: the trigger table and the function words around it.

Both are data: ``data/events/triggers.tsv`` (a trigger phrase, its PLOVER/POLECAT type and
mode, its part of speech, and the words one of which must follow it) and
``data/events/context.tsv`` (function words by kind: future, negation, place …).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from marsad.arabic.phrases import PhraseTable, phrase_keys

__all__ = ["EventWords", "Trigger", "trigger_table"]


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    mode: str | None
    pos: str
    requires: frozenset[str]


@dataclass(frozen=True, slots=True)
class EventWords:
    """Function words, folded, from ``data/events/context.tsv``."""

    future: frozenset[str]
    negation: frozenset[str]
    hypothetical: frozenset[str]
    together: frozenset[str]  # مع
    between: frozenset[str]  # بين
    light: frozenset[str]  # أجرى، عقد … before a verbal noun
    relative: frozenset[str]  # التي، الذي … a date after it is not the trigger's
    noun_cue: frozenset[str]  # مع، بعد … before a verbal noun written like a verb
    topic: frozenset[str]  # أن، إن … before a subject that its verb follows
    place: frozenset[str]  # في، داخل … before where it happened
    direction: frozenset[str]  # إلى، من … before a place that may also be a side
    discussion: frozenset[str]  # تطرق، ناقش … before a verbal noun that is a subject of talk
    existential: frozenset[str]  # تكن، هناك، توجد … between a negation and its trigger
    continuing: frozenset[str]  # تزال، يزال … after لا: "still", no negation

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> EventWords:
        """The words of ``(kind, word)`` rows, by the first key of each word."""
        words: dict[str, set[str]] = {}
        for row in rows:
            words.setdefault(row["kind"], set()).update(phrase_keys(row["word"])[:1])
        return cls(*(frozenset(words.get(f.name, ())) for f in fields(cls)))


def trigger_table(rows: Iterable[Mapping[str, str]]) -> PhraseTable[list[Trigger]]:
    """The triggers of ``data/events/triggers.tsv`` rows, by their phrase keys (a phrase may
    have several types); ``requires`` holds the first key of each word one of which must
    follow."""
    table: dict[tuple[str, ...], list[Trigger]] = {}
    for row in rows:
        requires = frozenset(k for w in row.get("requires", "").split("|") if w for k in phrase_keys(w)[:1])
        trig = Trigger(row["type"], row.get("mode") or None, row.get("pos", ""), requires)
        found = table.setdefault(phrase_keys(row["trigger"]), [])
        if trig not in found:
            found.append(trig)
    triggers: PhraseTable[list[Trigger]] = PhraseTable()
    for keys, trigs in table.items():
        triggers.add_keys(keys, trigs)
    return triggers
