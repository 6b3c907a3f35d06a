"""Typed view of a gold file (format: ``shared/eval/seeds.gold.json``), checked on the way in.

Only what the scorer reads is checked; other keys (``location``, ``persons``, ``mode``,
``qualifier``, ...) are documentation for people and pass through untouched. Items are
required unless they say ``"required": false``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from marsad.errors import Code, EvalError

T = TypeVar("T")


@dataclass(frozen=True)
class GoldMetadata:
    published: str | None
    published_inferable: str | None
    title: str | None
    agency: str | None
    dateline: str | None
    authors: tuple[str, ...]


@dataclass(frozen=True)
class GoldEntity:
    names: tuple[str, ...]  # the canonical name, then the gold's own aliases
    coarse: str
    required: bool


@dataclass(frozen=True)
class GoldEvent:
    types: tuple[str, ...]  # acceptable types, where the category is debatable
    actors: frozenset[str]  # ISO3 countries of the actors, "IGO" for an organisation
    cue: str
    date: str | None
    date_inferable: str | None  # reachable only by reading sibling articles
    required: bool


@dataclass(frozen=True)
class GoldQuote:
    cue: str
    speaker: str | None
    required: bool


@dataclass(frozen=True)
class GoldClaim:
    cue: str
    value: float
    unit: str
    required: bool


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    metadata: GoldMetadata
    entities: tuple[GoldEntity, ...]
    events: tuple[GoldEvent, ...]
    quotes: tuple[GoldQuote, ...]
    claims: tuple[GoldClaim, ...]
    boilerplate: tuple[str, ...]

    @property
    def cues(self) -> tuple[str, ...]:
        """Body phrases that cleaning must keep: every event, quote and claim cue."""
        return (*(e.cue for e in self.events), *(q.cue for q in self.quotes), *(c.cue for c in self.claims))


@dataclass(frozen=True)
class Gold:
    documents: tuple[GoldDocument, ...]
    stories: tuple[tuple[str, ...], ...]  # member doc_ids of each multi-report story


class _Reader:
    """Reads one JSON object, naming the exact place of any problem."""

    def __init__(self, value: object, where: str, origin: str) -> None:
        self.origin = origin
        self.where = where
        if not isinstance(value, Mapping):
            self.fail(f"must be a JSON object, not {type(value).__name__}")
        self.data: Mapping[str, Any] = value

    def fail(self, problem: str, where: str | None = None) -> NoReturn:
        place = where or self.where
        raise EvalError(
            Code.BAD_GOLD,
            f"gold {place} {problem}",
            hint=f"correct {place} in {self.origin} (format: shared/eval/seeds.gold.json)",
        )

    def child(self, key: str) -> _Reader:
        return _Reader(self.data.get(key, {}), f"{self.where}.{key}", self.origin)

    def text(self, key: str, *, optional: bool = False) -> str | None:
        value = self.data.get(key)
        if isinstance(value, str) or (value is None and optional):
            return value
        self.fail("must be a string" + (" or null" if optional else ""), f"{self.where}.{key}")

    def required_text(self, key: str) -> str:
        value = self.text(key)
        assert value is not None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("must be a list of strings", f"{self.where}.{key}")
        return tuple(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail("must be true or false", f"{self.where}.{key}")
        return value

    def items(self, key: str, parse: Callable[[_Reader], T]) -> tuple[T, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail("must be a list", f"{self.where}.{key}")
        return tuple(
            parse(_Reader(item, f"{self.where}.{key}[{n}]", self.origin)) for n, item in enumerate(value)
        )


def _metadata(r: _Reader) -> GoldMetadata:
    return GoldMetadata(
        published=r.text("published", optional=True),
        published_inferable=r.text("published_inferable", optional=True),
        title=r.text("title", optional=True),
        agency=r.text("agency", optional=True),
        dateline=r.text("dateline", optional=True),
        authors=r.texts("authors"),
    )


def _entity(r: _Reader, coarse_types: Mapping[str, str]) -> GoldEntity:
    kind = r.required_text("type")
    if kind not in coarse_types:
        r.fail(f"has type {kind!r}; use one of {', '.join(coarse_types)}", f"{r.where}.type")
    return GoldEntity(
        (r.required_text("name"), *r.texts("aliases")), coarse_types[kind], r.flag("required", True)
    )


def _event(r: _Reader) -> GoldEvent:
    raw = r.data.get("type")
    types = (raw,) if isinstance(raw, str) else r.texts("type")
    if not types:
        r.fail("must name at least one event type", f"{r.where}.type")
    return GoldEvent(
        types=types,
        actors=frozenset(r.texts("actors")),
        cue=r.required_text("cue"),
        date=r.text("date", optional=True),
        date_inferable=r.text("date_inferable", optional=True),
        required=r.flag("required", True),
    )


def _quote(r: _Reader) -> GoldQuote:
    if "speaker" not in r.data:
        r.fail("needs a speaker (the canonical English name, or null)")
    return GoldQuote(r.required_text("cue"), r.text("speaker", optional=True), r.flag("required", True))


def _claim(r: _Reader) -> GoldClaim:
    value = r.data.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        r.fail("must be a number", f"{r.where}.value")
    return GoldClaim(r.required_text("cue"), float(value), r.required_text("unit"), r.flag("required", True))


def _document(doc_id: str, r: _Reader, coarse_types: Mapping[str, str]) -> GoldDocument:
    return GoldDocument(
        doc_id=doc_id,
        metadata=_metadata(r.child("metadata")),
        entities=r.items("entities", lambda e: _entity(e, coarse_types)),
        events=r.items("events", _event),
        quotes=r.items("quotes", _quote),
        claims=r.items("claims", _claim),
        boilerplate=r.texts("boilerplate"),
    )


def parse_gold(gold: object, coarse_types: Mapping[str, str], origin: str = "the gold") -> Gold:
    """Check ``gold`` and return its typed view; a problem raises ``EvalError(BAD_GOLD)``
    whose hint names ``origin`` and the place (e.g. ``documents.d1.events[2].type``)."""
    top = _Reader(gold, "(top level)", origin)
    docs = top.data.get("documents")
    if not isinstance(docs, Mapping):
        top.fail("needs a 'documents' object mapping doc_id to its annotation", "documents")
    documents = tuple(
        _document(doc_id, _Reader(doc, f"documents.{doc_id}", origin), coarse_types)
        for doc_id, doc in docs.items()
    )
    known = set(docs)

    def story(r: _Reader) -> tuple[str, ...]:
        members = r.texts("members")
        for member in members:
            if member not in known:
                r.fail(f"names {member!r}, which is not a gold document", f"{r.where}.members")
        return members

    return Gold(documents, top.items("stories", story))
