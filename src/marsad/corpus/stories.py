"""Stories: reports of one happening across documents, and dates inferred from them.

Two documents are one story when

* they are near duplicates: the Jaccard similarity of their word 4-gram shingles
  (stems, so spelling and clitics do not matter), estimated by MinHash and found through
  locality-sensitive hashing (datasketch), is at least ``near_duplicate``; or
* they report the same happening in their leads: an event of each, found in its first
  ``lead_sentences`` sentences (the title counts as one), has the same type, the same set
  of actor countries, the same place, and dates at most ``window_days`` apart (a document
  without any date matches on the rest), and their leads read alike at least as much as
  ``similar`` (cosine of multilingual USE embeddings, :mod:`marsad.corpus.similarity`).
  A happening recalled further down ("his last visit to Moscow in April") does not make
  a story; events flagged future, hypothetical, negated, historical or reported are no
  happening at all. An undated document whose events match several stories joins the
  one whose text is nearest; or
* their leads read alike at least as much as ``same_text`` and they were published at
  most ``text_window_days`` apart (this also links reports in different languages).

The thresholds are :class:`StorySettings`; how they were chosen, on pairs of SaudiNewsNet
articles labelled by hand, is in the README (``benchmarks/story_thresholds.py``).

Stories are built incrementally: :meth:`StoryBuilder.add` puts each new document in an
existing story or starts one. A story's id is made from its first document's id, so the
same documents added in the same order always give the same ids, and adding documents
never renames an existing story (a document that joins two stories merges the later
one into the earlier).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from marsad.arabic.tokenize import sentences
from marsad.corpus.similarity import LeadEmbedder, Vector, lead
from marsad.model import Document, Span

__all__ = [
    "Fingerprint",
    "Signature",
    "StoryBuilder",
    "StorySettings",
    "minhash",
    "shingle_hashes",
    "signatures",
]

#: datasketch's hashing scheme, named so that stored MinHash values can be read back.
MINHASH_SCHEME = "affine32"

#: Mixes the word hashes of a shingle into one (odd, so every step is a bijection).
_MIX = np.uint32(0x9E3779B1)


@functools.cache
def _permutations(num_perm: int) -> Any:
    """datasketch's permutations for ``num_perm`` (its default seed), made once and shared."""
    return MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME).permutations


def minhash(hashvalues: Any = None, num_perm: int = 128) -> MinHash:
    """A MinHash over shingle hashes (:func:`shingle_hashes`): empty, or with stored values."""
    return MinHash(
        num_perm=num_perm, scheme=MINHASH_SCHEME, hashfunc=int, hashvalues=hashvalues,
        permutations=_permutations(num_perm if hashvalues is None else len(hashvalues)),
    )  # fmt: skip


@functools.lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def shingle_hashes(words: Sequence[str], n: int = 4) -> list[int]:
    """32-bit hashes of a text's word ``n``-grams: each word hashed once (CRC-32 of its
    UTF-8), then ``n`` neighbours mixed together, so no shingle string is ever built.
    datasketch mixes these again (MurmurHash3's finalizer) before its permutations."""
    if not words:
        return []
    h = np.fromiter(map(_word_hash, words), dtype=np.uint32, count=len(words))
    count = max(len(h) - n + 1, 1)
    out = h[:count].copy()
    for k in range(1, min(n, len(h))):
        out *= _MIX
        out ^= h[k : k + count]
    hashes: list[int] = np.unique(out).tolist()
    return hashes


#: Event flags that make an event no report of a happening.
NOT_HAPPENED = frozenset({"future", "hypothetical", "negated", "historical", "reported"})


@dataclass(frozen=True, slots=True)
class StorySettings:
    """The thresholds of story building (see the module docstring)."""

    near_duplicate: float = 0.5
    window_days: int = 2
    shingle: int = 4
    num_perm: int = 128
    lead_sentences: int = 3
    #: Least lead similarity for a shared happening to make one story (0: any).
    similar: float = 0.4
    #: Lead similarity that alone makes one story, within ``text_window_days`` (above 1: never).
    same_text: float = 0.8
    text_window_days: int = 1


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


def _near(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None, window: dt.timedelta) -> bool:
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


@dataclass(slots=True)
class Fingerprint:
    """What story building keeps of a document: enough to compare later documents with it."""

    doc_id: str
    published: dt.date | None
    signatures: list[Signature]
    minhash: MinHash
    embedding: Vector


class _Days:
    """The embeddings of the dated documents of one publication day, as one growing matrix."""

    __slots__ = ("ids", "matrix")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.matrix = np.zeros((16, 512), dtype=np.float32)

    def append(self, doc_id: str, vector: Vector) -> None:
        if len(self.ids) == len(self.matrix):
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[len(self.ids)] = vector
        self.ids.append(doc_id)

    def above(self, vector: Vector, threshold: float) -> list[str]:
        scores = self.matrix[: len(self.ids)] @ vector
        return [self.ids[i] for i in np.flatnonzero(scores >= threshold)]


@dataclass(slots=True)
class StoryBuilder:
    """Groups documents into stories, one document at a time."""

    settings: StorySettings = field(default_factory=StorySettings)
    #: The country (ISO3) of each place id the KB knows.
    countries: Mapping[str, str] = field(default_factory=dict)
    embedder: LeadEmbedder = field(default_factory=LeadEmbedder)
    _members: dict[str, tuple[int, Fingerprint]] = field(default_factory=dict)  # doc id: (order added, print)
    _parent: dict[str, str] = field(default_factory=dict)  # union-find over doc ids
    _by_key: dict[tuple[str, frozenset[str]], list[str]] = field(default_factory=dict)
    _by_day: dict[dt.date, _Days] = field(default_factory=dict)
    _lsh: MinHashLSH | None = None
    #: How many documents added were near duplicates of one added before.
    near_duplicates: int = 0

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.settings.near_duplicate, num_perm=self.settings.num_perm)

    # --- fingerprints ------------------------------------------------------------------

    def fingerprints(
        self, docs: Sequence[Document | Mapping[str, Any]], words: Sequence[Sequence[str]] | None = None
    ) -> list[Fingerprint]:
        """What story building compares of each document (or output record; then ``words``,
        the stems of its words, must be given), leads embedded in one batch."""
        leads, prints = [], []
        for n, doc in enumerate(docs):
            if isinstance(doc, Document):
                stems = [t.stem for t in doc.tokens if t.is_word]
                doc_id, published, title, text = doc.doc_id, doc.published, doc.title, doc.text
            else:
                assert words is not None, "an output record's words must be given"
                stems, doc_id, title, text = list(words[n]), doc["doc_id"], doc.get("title"), doc["text"]
                published = dt.date.fromisoformat(doc["published"]) if doc.get("published") else None
            sigs = signatures(doc, self.countries, self.settings.lead_sentences)
            prints.append(
                Fingerprint(doc_id, published, sigs, self._hash_words(stems), np.zeros(0, np.float32))
            )
            leads.append(lead(title, text))
        for fp, vector in zip(prints, self.embedder.encode(leads), strict=True):
            fp.embedding = vector
        return prints

    def __len__(self) -> int:
        """How many documents were added."""
        return len(self._members)

    def fingerprint(self, doc_id: str) -> Fingerprint:
        """The fingerprint of a document already added."""
        return self._members[doc_id][1]

    # --- adding ------------------------------------------------------------------------

    def add(self, doc: Document) -> str:
        """Put ``doc`` in a story (a new one if it matches none) and return the story id."""
        if doc.doc_id in self._members:
            return self.story(doc.doc_id)
        return self.add_fingerprint(self.fingerprints([doc])[0])

    def add_all(self, docs: Iterable[Document], batch: int = 256) -> dict[str, str]:
        """Add every document; the story id of each, by doc id, once all are in."""
        ids: list[str] = []
        pending: list[Document] = []

        def flush() -> None:
            for fp in self.fingerprints([d for d in pending if d.doc_id not in self._members]):
                self.add_fingerprint(fp)
            pending.clear()

        for doc in docs:
            ids.append(doc.doc_id)
            pending.append(doc)
            if len(pending) >= batch:
                flush()
        flush()
        return {doc_id: self.story(doc_id) for doc_id in ids}

    def add_fingerprint(self, fp: Fingerprint) -> str:
        """Put a fingerprinted document in a story and return the story id."""
        if fp.doc_id in self._members:
            return self.story(fp.doc_id)
        self._members[fp.doc_id] = (len(self._members), fp)
        self._parent[fp.doc_id] = fp.doc_id
        assert self._lsh is not None
        if not fp.minhash.is_empty():  # a text without words is nobody's duplicate
            copies = self._lsh.query(fp.minhash)
            self.near_duplicates += bool(copies)
            for other in copies:
                self._union(other, fp.doc_id)
            self._lsh.insert(fp.doc_id, fp.minhash)
        matched = self._matches(fp)
        undated = fp.published is None and all(s.days is None for s in fp.signatures)
        if undated and len({self._find(m) for m in matched}) > 1:
            # an undated report of a happening that recurs: the story whose text is nearest
            nearest = max(matched, key=lambda m: (self.fingerprint(m).minhash.jaccard(fp.minhash), m))
            matched = [nearest]
        for other in matched + self._alike(fp):
            self._union(other, fp.doc_id)
        for sig in fp.signatures:
            self._by_key.setdefault(sig.key(), []).append(fp.doc_id)
        if fp.published is not None and fp.embedding.any():
            self._by_day.setdefault(fp.published, _Days()).append(fp.doc_id, fp.embedding)
        return self.story(fp.doc_id)

    # --- reading -----------------------------------------------------------------------

    def story(self, doc_id: str) -> str:
        """The story id of a document already added."""
        root = self._find(doc_id)
        return "s-" + hashlib.sha256(root.encode("utf-8")).hexdigest()[:16]

    def happenings(self, doc_id: str) -> list[Signature]:
        """The happenings (:func:`signatures`) of a document already added."""
        return self.fingerprint(doc_id).signatures

    def members(self, doc_id: str) -> list[str]:
        """The doc ids of the story ``doc_id`` is in, in the order they were added."""
        root = self._find(doc_id)
        return [d for d in self._members if self._find(d) == root]

    def inferred_date(self, doc_id: str) -> dt.date | None:
        """For a document without a publication date: the date of the happening it shares
        with a dated document of its story (the earliest such date), else None."""
        mine = self.fingerprint(doc_id)
        if mine.published is not None:
            return None
        keys = {s.key() for s in mine.signatures}
        days = [
            s.days[0]
            for other in self.members(doc_id)
            if other != doc_id
            for s in self.happenings(other)
            if s.key() in keys
            and s.days is not None
            and s.days[0] == s.days[1]
            and any(s.same_place(m) for m in mine.signatures)
        ]
        return min(days) if days else None

    # --- internals ---------------------------------------------------------------------

    def _hash_words(self, words: Sequence[str]) -> MinHash:
        sketch = minhash(num_perm=self.settings.num_perm)
        sketch.update_batch(shingle_hashes(words, self.settings.shingle))
        return sketch

    def _matches(self, fp: Fingerprint) -> list[str]:
        """Documents that report one of ``fp``'s happenings in their leads."""
        window = dt.timedelta(days=self.settings.window_days)
        found: list[str] = []
        for sig in fp.signatures:
            for other in self._by_key.get(sig.key(), ()):
                if other in found:
                    continue
                theirs = self.fingerprint(other)
                if any(
                    _near(sig.days, s.days, window) and sig.same_place(s)
                    for s in theirs.signatures
                    if s.key() == sig.key()
                ) and (
                    self.settings.similar <= 0
                    or float(fp.embedding @ theirs.embedding) >= self.settings.similar
                ):
                    found.append(other)
        return found

    def _alike(self, fp: Fingerprint) -> list[str]:
        """Dated documents within the window whose leads read like ``fp``'s."""
        if fp.published is None or self.settings.same_text > 1 or not fp.embedding.any():
            return []
        found: list[str] = []
        for offset in range(-self.settings.text_window_days, self.settings.text_window_days + 1):
            days = self._by_day.get(fp.published + dt.timedelta(days=offset))
            if days is not None:
                found += days.above(fp.embedding, self.settings.same_text)
        return found

    def _find(self, doc_id: str) -> str:
        parent = self._parent
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        first, second = sorted((ra, rb), key=lambda d: self._members[d][0])
        self._parent[second] = first  # the earlier story keeps its id
