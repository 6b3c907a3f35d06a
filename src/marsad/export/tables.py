"""Contract records as rows of five flat tables: documents, events, quotes, claims, stories.

:func:`table_rows` reads records one at a time (as :func:`marsad.store.queries.records`
yields them) and yields ``(table, row)`` pairs, so a corpus of any size streams through;
only the ``stories`` summaries (a few fields and the document ids per story) are kept
until the end, when their rows come last.

Every row has exactly the columns of :func:`columns` for its table, in that order, with a
missing value as ``None``. Column kinds (``str``, ``int``, ``float``, ``bool``, ``list``
of strings) let the writers type each format.

Event columns follow the PLOVER data-interchange field names (the "Data Fields" chapter of
the PLOVER manual), flattened, because the manual's event record nests actors and places
in objects. From our contract (``docs/output-contract.md``):

================================  =================================================
column                            contract field
================================  =================================================
``id``                            ``<doc_id>-e<index>``: unique within an export
``doc_id``, ``story``, ``index``  the document, its story, the event's position in it
``date``                          ``date`` (ISO; may be ``YYYY-MM`` or ``YYYY``, never padded)
``date_source``                   ``date_source`` (``text``, ``publication``, ``inferred``)
``event``                         ``type`` (one PLOVER/POLECAT type per row)
``mode``                          ``mode``
``context``                       ``context`` (a list)
``cameo_root``                    only with ``cameo=True``: see :class:`CameoMap`
``actor_code``                    ``source.country`` (ISO 3166-1 alpha-3; ``None`` for an
                                  international organisation, whose sector is ``IGO``)
``actor_sector``                  ``source.sector`` (PLOVER sector code: GOV, MIL, REB …)
``actor_entity_text``             ``source.text`` (the words in the document)
``actor_identifier_id``           ``source.entity`` (Wikidata Q-id or ``marsad:`` id)
``actor_identifier_text``         ``source.name`` (canonical English name)
``recipient_*``                   the same five from ``target``
``resolved_place``                ``location.name`` (canonical English name)
``resolved_place_id``             ``location.id`` (knowledge-base id, not a GeoNames id)
``event_text``                    ``evidence.text``
``start``, ``end``                ``evidence.start`` / ``evidence.end`` (offsets into the
                                  document's ``text``, as PLOVER's text-info object)
================================  =================================================

PLOVER allows lists in ``event`` and ``mode``; our records carry one of each per event.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from marsad.resources import read_tsv

__all__ = ["TABLES", "CameoMap", "Column", "columns", "entity_rows", "story_rows", "table_rows"]

log = logging.getLogger(__name__)

Kind = Literal["str", "int", "float", "bool", "list", "bytes"]
TABLES = ("documents", "events", "quotes", "claims", "stories")
CAMEO_FILE = "export/cameo.tsv"
_ROOTS = frozenset(f"{n:02d}" for n in range(1, 21))


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind = "str"


def _cols(spec: str) -> tuple[Column, ...]:
    """``"a b:int c:list"`` -> columns; a column without ``:kind`` is a string."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append(Column(name, cast(Kind, kind or "str")))
    return tuple(out)


def _side(prefix: str) -> str:
    return " ".join(
        f"{prefix}_{f}" for f in ("code", "sector", "entity_text", "identifier_id", "identifier_text")
    )


_COLUMNS: dict[str, tuple[Column, ...]] = {
    "documents": _cols(
        "doc_id title published published_source agency dateline authors:list language story text"
        " event_count:int quote_count:int claim_count:int"
    ),
    "events": _cols(
        "id doc_id story index:int date date_source event mode context:list cameo_root "
        f"{_side('actor')} {_side('recipient')} resolved_place resolved_place_id event_text start:int end:int"
    ),
    "quotes": _cols(
        "doc_id story index:int speaker_entity speaker_name speaker_country speaker_sector speaker_text"
        " direct:bool cue text start:int end:int"
    ),
    "claims": _cols(
        "doc_id story index:int value:float unit qualifier subject time holder_entity holder_name"
        " holder_country text start:int end:int corroborated_by:list contradicted_by:list"
    ),
    "stories": _cols(
        "story document_count:int doc_ids:list first_published last_published agencies:list title"
    ),
    # not one of the five exported tables: ``marsad batch`` writes it as well
    "entities": _cols(
        "doc_id story index:int entity_id name name_ar type country sector role mention_count:int"
        " mention_texts:list start:int end:int"
    ),
}


def columns(table: str, *, cameo: bool = False) -> tuple[Column, ...]:
    """The columns of ``table``, in order; ``cameo_root`` only when ``cameo`` is set."""
    cols = _COLUMNS[table]
    return cols if cameo else tuple(c for c in cols if c.name != "cameo_root")


class CameoMap:
    """PLOVER type (and mode) -> CAMEO root code, from ``data/export/cameo.tsv``.

    A mode without a row of its own takes its type's default row (empty mode); an unknown
    type gives ``None``.
    """

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        self._roots: dict[tuple[str, str], str] = {}
        self._unknown: set[str] = set()  # types already warned about
        for row in rows:
            key, root = (row["type"], row.get("mode", "")), row["cameo_root"]
            if root not in _ROOTS or not key[0] or key in self._roots:
                raise ValueError(f"bad CAMEO mapping row {row!r}: a type, a mode or none, a root 01-20, once")
            self._roots[key] = root

    @classmethod
    def load(cls) -> CameoMap:
        return cls(read_tsv(CAMEO_FILE))

    @property
    def types(self) -> frozenset[str]:
        """Types with a default row."""
        return frozenset(t for t, mode in self._roots if not mode)

    def root(self, type: str | None, mode: str | None = None) -> str | None:
        if not type:
            return None
        found = self._roots.get((type, mode or "")) or self._roots.get((type, ""))
        if found is None and type not in self._unknown:
            self._unknown.add(type)
            log.warning("no CAMEO root for event type %r; its cameo_root is left empty", type)
        return found


@dataclass(slots=True)
class _Story:
    """What a ``stories`` row needs, gathered as documents stream past."""

    doc_ids: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    agencies: set[str] = field(default_factory=set)
    lead_key: tuple[str, int] | None = None
    title: str | None = None

    def add(self, record: dict[str, Any], seq: int) -> None:
        self.doc_ids.append(record["doc_id"])
        published = record.get("published")
        if published:
            self.first = published if self.first is None else min(self.first, published)
            self.last = published if self.last is None else max(self.last, published)
        if record.get("agency"):
            self.agencies.add(record["agency"])
        # The title of the story's first document that has one: the earliest published, an
        # undated one after every dated one, ties in stored order.
        key = (published or "\uffff", seq)
        if record.get("title") and (self.lead_key is None or key < self.lead_key):
            self.lead_key, self.title = key, record.get("title")


def table_rows(
    records: Iterable[dict[str, Any]], *, cameo: CameoMap | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(table, row)`` for every record's document, events, quotes and claims, in the order
    read, then one ``stories`` row per story in order of its first document."""
    stories = _Stories()
    for record in records:
        events = record.get("events") or []
        quotes = record.get("quotes") or []
        claims = record.get("claims") or []
        yield "documents", document_row(record, len(events), len(quotes), len(claims))
        for index, event in enumerate(events):
            yield "events", event_row(record, index, event, cameo)
        for index, quote in enumerate(quotes):
            yield "quotes", quote_row(record, index, quote)
        for index, claim in enumerate(claims):
            yield "claims", claim_row(record, index, claim)
        stories.add(record)
    for row in stories.rows():
        yield "stories", row


def story_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The ``stories`` rows of records that have a story (only ``doc_id``, ``story``,
    ``published``, ``agency`` and ``title`` are read), in order of each story's first record."""
    stories = _Stories()
    for record in records:
        stories.add(record)
    return stories.rows()


class _Stories:
    """The ``stories`` rows of records read one at a time."""

    def __init__(self) -> None:
        self.summaries: dict[str, _Story] = {}
        self.seq = 0

    def add(self, record: dict[str, Any]) -> None:
        if record.get("story"):
            self.summaries.setdefault(record["story"], _Story()).add(record, self.seq)
        self.seq += 1

    def rows(self) -> Iterator[dict[str, Any]]:
        for story, summary in self.summaries.items():
            yield {
                "story": story,
                "document_count": len(summary.doc_ids),
                "doc_ids": summary.doc_ids,
                "first_published": summary.first,
                "last_published": summary.last,
                "agencies": sorted(summary.agencies),
                "title": summary.title,
            }


def document_row(record: dict[str, Any], events: int, quotes: int, claims: int) -> dict[str, Any]:
    return {
        "doc_id": record["doc_id"],
        "title": record.get("title"),
        "published": record.get("published"),
        "published_source": record.get("published_source"),
        "agency": record.get("agency"),
        "dateline": record.get("dateline"),
        "authors": list(record.get("authors") or []),
        "language": record.get("language"),
        "story": record.get("story"),
        "text": record.get("text"),
        "event_count": events,
        "quote_count": quotes,
        "claim_count": claims,
    }


def _actor(prefix: str, ref: dict[str, Any] | None) -> dict[str, Any]:
    ref = ref or {}
    return {
        f"{prefix}_code": ref.get("country"),
        f"{prefix}_sector": ref.get("sector"),
        f"{prefix}_entity_text": ref.get("text"),
        f"{prefix}_identifier_id": ref.get("entity"),
        f"{prefix}_identifier_text": ref.get("name"),
    }


def event_row(
    record: dict[str, Any], index: int, event: dict[str, Any], cameo: CameoMap | None
) -> dict[str, Any]:
    evidence = event.get("evidence") or {}
    location = event.get("location") or {}
    row: dict[str, Any] = {
        "id": f"{record['doc_id']}-e{index}",
        "doc_id": record["doc_id"],
        "story": record.get("story"),
        "index": index,
        "date": event.get("date"),
        "date_source": event.get("date_source"),
        "event": event.get("type"),
        "mode": event.get("mode"),
        "context": list(event.get("context") or []),
    }
    if cameo is not None:
        row["cameo_root"] = cameo.root(event.get("type"), event.get("mode"))
    row.update(_actor("actor", event.get("source")))
    row.update(_actor("recipient", event.get("target")))
    row.update(
        resolved_place=location.get("name"),
        resolved_place_id=location.get("id"),
        event_text=evidence.get("text"),
        start=evidence.get("start"),
        end=evidence.get("end"),
    )
    return row


def quote_row(record: dict[str, Any], index: int, quote: dict[str, Any]) -> dict[str, Any]:
    speaker = quote.get("speaker") or {}
    return {
        "doc_id": record["doc_id"],
        "story": record.get("story"),
        "index": index,
        "speaker_entity": speaker.get("entity"),
        "speaker_name": speaker.get("name"),
        "speaker_country": speaker.get("country"),
        "speaker_sector": speaker.get("sector"),
        "speaker_text": speaker.get("text"),
        "direct": quote.get("direct"),
        "cue": quote.get("cue"),
        "text": quote.get("text"),
        "start": quote.get("start"),
        "end": quote.get("end"),
    }


def claim_row(record: dict[str, Any], index: int, claim: dict[str, Any]) -> dict[str, Any]:
    holder = claim.get("holder") or {}
    return {
        "doc_id": record["doc_id"],
        "story": record.get("story"),
        "index": index,
        "value": claim.get("value"),
        "unit": claim.get("unit"),
        "qualifier": claim.get("qualifier"),
        "subject": claim.get("subject"),
        "time": claim.get("time"),
        "holder_entity": holder.get("entity"),
        "holder_name": holder.get("name"),
        "holder_country": holder.get("country"),
        "text": claim.get("text"),
        "start": claim.get("start"),
        "end": claim.get("end"),
        "corroborated_by": list(claim.get("corroborated_by") or []),
        "contradicted_by": list(claim.get("contradicted_by") or []),
    }


def entity_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One ``entities`` row per entity of a record: who and what it is, and its mentions
    (how many, their distinct words, and where the first one is)."""
    for index, entity in enumerate(record.get("entities") or []):
        mentions = entity.get("mentions") or []
        first = mentions[0] if mentions else {}
        yield {
            "doc_id": record["doc_id"], "story": record.get("story"), "index": index,
            "entity_id": entity.get("id"), "name": entity.get("name"), "name_ar": entity.get("name_ar"),
            "type": entity.get("type"), "country": entity.get("country"), "sector": entity.get("sector"),
            "role": entity.get("role"), "mention_count": len(mentions),
            "mention_texts": list(dict.fromkeys(m.get("text") for m in mentions if m.get("text"))),
            "start": first.get("start"), "end": first.get("end"),
        }  # fmt: skip
