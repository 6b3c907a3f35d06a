"""Typed records shared by every stage.

Every record is a frozen, slotted dataclass. Stages never mutate a document: they
return a new one with :func:`dataclasses.replace`. Spans are character offsets into
``Document.text`` (the cleaned text), and ``text[start:end]`` always equals the
span's own ``text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from operator import itemgetter
from typing import Any, Final, NamedTuple


class EntityType(str, Enum):
    PERSON = "PERSON"
    GPE = "GPE"
    LOC = "LOC"
    ORG = "ORG"
    FAC = "FAC"
    EVENT = "EVENT"
    MISC = "MISC"


class Granularity(str, Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the cleaned text: ``doc.text[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


class Token(NamedTuple):
    """One word or punctuation mark, with its clitics split off.

    ``start``/``end`` index the text the token came from. ``norm`` is the folded form
    of the whole token, ``stem`` the folded form with proclitics removed, and
    ``prefixes`` the proclitics removed, in reading order (e.g. ``("و", "ب", "ال")``).
    A named tuple, not a frozen dataclass: a text has a token per word, and a tuple is
    made three times faster (the tokenize stage's main cost over a large corpus).
    """

    text: str
    start: int
    end: int
    norm: str
    stem: str
    prefixes: tuple[str, ...] = ()
    is_word: bool = True


#: Getters of one :class:`Token` field, for ``map`` over a document's tokens (an item getter
#: is faster than the attribute there).
TOKEN_TEXT: Final = itemgetter(Token._fields.index("text"))
TOKEN_START: Final = itemgetter(Token._fields.index("start"))
TOKEN_NORM: Final = itemgetter(Token._fields.index("norm"))
TOKEN_STEM: Final = itemgetter(Token._fields.index("stem"))


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text naming an entity; ``via`` says how it was linked when not by name:
    ``nisba`` (a country adjective), ``surname``, ``title`` (an office holder on the
    document's date), ``title-undated`` (no document date: the latest holder), ``counterpart``
    ("نظيره الروسي"), ``context`` (an ambiguous name settled by the other entities)."""

    start: int
    end: int
    text: str
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "via": self.via}


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    name_ar: str | None = None
    country: str | None = None
    sector: str | None = None
    mentions: tuple[Mention, ...] = ()
    role: str | None = None  # the office a provisional (discovered) person was seen in

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_ar": self.name_ar,
            "type": self.type.value,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class ActorRef:
    text: str
    entity: str | None = None
    name: str | None = None
    country: str | None = None
    sector: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id}


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    evidence: Span
    mode: str | None = None
    context: tuple[str, ...] = ()
    source: ActorRef | None = None
    target: ActorRef | None = None
    location: Location | None = None
    date: str | None = None
    date_source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "location": self.location.to_dict() if self.location else None,
            "date": self.date,
            "date_source": self.date_source,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int
    direct: bool = True
    cue: str | None = None
    speaker: ActorRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "direct": self.direct,
            "cue": self.cue,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Claim:
    value: float
    text: str
    start: int
    end: int
    unit: str | None = None
    qualifier: str = "exact"
    subject: str | None = None
    holder: ActorRef | None = None
    time: str | None = None
    kind: str | None = None
    subject_ar: str | None = None
    corroborated_by: tuple[str, ...] = ()
    contradicted_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        return {
            "value": value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "subject": self.subject,
            "subject_ar": self.subject_ar,
            "kind": self.kind,
            "holder": self.holder.to_dict() if self.holder else None,
            "time": self.time,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "corroborated_by": list(self.corroborated_by),
            "contradicted_by": list(self.contradicted_by),
        }


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    start: int
    end: int
    value: str | None
    granularity: Granularity | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "granularity": self.granularity.value if self.granularity else None,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Removal:
    """A line or passage the cleaner took out of the text, and why.

    ``kind`` is ``boilerplate`` (page furniture, thrown away) or ``metadata`` (a
    byline, date line, dateline or credit line whose facts the metadata stage reads).
    ``line`` is the 0-based line number in the raw text.
    """

    kind: str
    rule: str
    text: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rule": self.rule, "text": self.text, "line": self.line}


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where a document came from. One document may have several sources in the store."""

    origin: str
    format: str
    encoding: str | None = None
    url: str | None = None
    outlet: str | None = None
    retrieved: str | None = None


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata that came with the input (HTML meta tags, JSONL fields, CLI options)."""

    title: str | None = None
    published: dt.date | None = None
    published_from: str | None = None
    authors: tuple[str, ...] = ()
    agency: str | None = None
    default_published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    raw: str
    source: SourceInfo
    hints: Hints = field(default_factory=Hints)
    text: str = ""
    title: str | None = None
    published: dt.date | None = None
    published_source: str | None = None
    agency: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    language: str = "ar"
    story: str | None = None
    tokens: tuple[Token, ...] = ()
    sentences: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    dates: tuple[DateMention, ...] = ()
    removed: tuple[Removal, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()
    provided: frozenset[str] = frozenset({"raw"})

    def to_dict(self) -> dict[str, Any]:
        """The per-document JSON of the output contract, plus a few extra fields."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source,
            "agency": self.agency,
            "authors": list(self.authors),
            "dateline": self.dateline,
            "language": self.language,
            "text": self.text,
            "story": self.story,
            "entities": [e.to_dict() for e in self.entities],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
            "dates": [d.to_dict() for d in self.dates],
            "metadata_evidence": dict(self.evidence),
            "removed": [r.to_dict() for r in self.removed],
            "source": {
                "origin": self.source.origin,
                "format": self.source.format,
                "encoding": self.source.encoding,
                "url": self.source.url,
                "outlet": self.source.outlet,
                "retrieved": self.source.retrieved,
            },
        }
