"""Stories: reports of one happening across documents, and dates inferred from them.

Two documents are one story when

* they are near duplicates: the Jaccard similarity of their word 4-gram shingles
  (stems, so spelling and clitics do not matter), estimated by MinHash and found through
  locality-sensitive hashing (datasketch), is at least ``near_duplicate``; or
* they report the same happening: an event of each has the same type, the same set of
  actor countries, the same place, and dates at most ``window_days`` apart (a document
  without any date matches on the rest). Events flagged future, hypothetical, negated,
  historical or reported are no happening of the story. An undated document whose
  events match several stories joins the one whose text is nearest.

Stories are built incrementally: :meth:`StoryBuilder.add` puts each new document in an
existing story or starts one. A story's id is made from its first document's id, so the
same documents added in the same order always give the same ids, and adding documents
never renames an existing story (a document that joins two stories merges the later
one into the earlier).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from marsad.model import Document

__all__ = ["Signature", "StoryBuilder", "StorySettings", "signatures"]

#: Event flags that make an event no report of a happening.
NOT_HAPPENED = frozenset({"future", "hypothetical", "negated", "historical", "reported"})


@dataclass(frozen=True, slots=True)
class StorySettings:
    """The thresholds of story building (see the module docstring)."""

    near_duplicate: float = 0.8
    window_days: int = 2
    shingle: int = 4
    num_perm: int = 128


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


def signatures(doc: Document, countries: Mapping[str, str] | None = None) -> list[Signature]:
    """The happenings a document reports: its events with two sides of known country and a
    place. ``countries`` gives the country of a place id (from the KB); a place id that is
    a key of ``countries`` with its own code's ``country:`` id is a whole country."""
    countries = countries or {}
    out: list[Signature] = []
    for event in doc.events:
        if NOT_HAPPENED & set(event.context) or event.location is None:
            continue
        actors = frozenset(a.country for a in (event.source, event.target) if a is not None and a.country)
        if len(actors) < 2:
            continue
        place = event.location.id or event.location.name
        country = countries.get(place)
        whole = country is not None and place == f"country:{country}"
        out.append(Signature(event.type, actors, place, _days(event.date), country, whole))
    return out


@dataclass(slots=True)
class _Member:
    seq: int  # the order it was added in
    doc_id: str
    published: dt.date | None
    signatures: list[Signature]
    minhash: MinHash


@dataclass(slots=True)
class StoryBuilder:
    """Groups documents into stories, one document at a time."""

    settings: StorySettings = field(default_factory=StorySettings)
    #: The country (ISO3) of each place id the KB knows.
    countries: Mapping[str, str] = field(default_factory=dict)
    _members: dict[str, _Member] = field(default_factory=dict)
    _parent: dict[str, str] = field(default_factory=dict)  # union-find over doc ids
    _by_key: dict[tuple[str, frozenset[str]], list[str]] = field(default_factory=dict)
    _lsh: MinHashLSH | None = None
    #: How many documents added were near duplicates of one added before.
    near_duplicates: int = 0

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.settings.near_duplicate, num_perm=self.settings.num_perm)

    def add(self, doc: Document) -> str:
        """Put ``doc`` in a story (a new one if it matches none) and return the story id."""
        if doc.doc_id in self._members:
            return self.story(doc.doc_id)
        member = _Member(
            len(self._members), doc.doc_id, doc.published, signatures(doc, self.countries), self._minhash(doc)
        )
        self._members[doc.doc_id] = member
        self._parent[doc.doc_id] = doc.doc_id
        assert self._lsh is not None
        copies = self._lsh.query(member.minhash)
        self.near_duplicates += bool(copies)
        for other in copies:
            self._union(other, doc.doc_id)
        self._lsh.insert(doc.doc_id, member.minhash)
        matched = self._matches(member)
        undated = member.published is None and all(s.days is None for s in member.signatures)
        if undated and len({self._find(m) for m in matched}) > 1:
            # an undated report of a happening that recurs: the story whose text is nearest
            nearest = max(matched, key=lambda m: (self._members[m].minhash.jaccard(member.minhash), m))
            matched = [nearest]
        for other in matched:
            self._union(other, doc.doc_id)
        for sig in member.signatures:
            self._by_key.setdefault(sig.key(), []).append(doc.doc_id)
        return self.story(doc.doc_id)

    def add_all(self, docs: Iterable[Document]) -> dict[str, str]:
        """Add every document; the story id of each, by doc id, once all are in."""
        ids = []
        for doc in docs:
            self.add(doc)
            ids.append(doc.doc_id)
        return {doc_id: self.story(doc_id) for doc_id in ids}

    def story(self, doc_id: str) -> str:
        """The story id of a document already added."""
        root = self._find(doc_id)
        return "s-" + hashlib.sha256(root.encode("utf-8")).hexdigest()[:16]

    def happenings(self, doc_id: str) -> list[Signature]:
        """The happenings (:func:`signatures`) of a document already added."""
        return self._members[doc_id].signatures

    def members(self, doc_id: str) -> list[str]:
        """The doc ids of the story ``doc_id`` is in, in the order they were added."""
        root = self._find(doc_id)
        return [d for d in self._members if self._find(d) == root]

    def inferred_date(self, doc_id: str) -> dt.date | None:
        """For a document without a publication date: the date of the happening it shares
        with a dated document of its story (the earliest such date), else None."""
        member = self._members[doc_id]
        if member.published is not None:
            return None
        keys = {s.key() for s in member.signatures}
        days = [
            s.days[0]
            for other in self.members(doc_id)
            if other != doc_id
            for s in self._members[other].signatures
            if s.key() in keys
            and s.days is not None
            and s.days[0] == s.days[1]
            and any(s.same_place(mine) for mine in member.signatures)
        ]
        return min(days) if days else None

    # --- internals ---------------------------------------------------------------------

    def _minhash(self, doc: Document) -> MinHash:
        words = [t.stem for t in doc.tokens if t.is_word]
        n = self.settings.shingle
        shingles = {" ".join(words[i : i + n]).encode("utf-8") for i in range(max(len(words) - n + 1, 1))}
        minhash = MinHash(num_perm=self.settings.num_perm)
        minhash.update_batch(list(shingles))
        return minhash

    def _matches(self, member: _Member) -> list[str]:
        window = dt.timedelta(days=self.settings.window_days)
        found: list[str] = []
        for sig in member.signatures:
            for other in self._by_key.get(sig.key(), ()):
                if other in found:
                    continue
                if any(
                    _near(sig.days, s.days, window) and sig.same_place(s)
                    for s in self._members[other].signatures
                    if s.key() == sig.key()
                ):
                    found.append(other)
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
        first, second = sorted((ra, rb), key=lambda d: self._members[d].seq)
        self._parent[second] = first  # the earlier story keeps its id
