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
one into the earlier). "First" is the order added, or the ``rank`` a caller gives
:meth:`StoryBuilder.add_fingerprint` when it adds documents in another order than the one
that names stories (the store adds them by date and names stories after the first stored).

Memory stays bounded by the news of a week, not the corpus: a document is compared
only with documents published at most ``horizon_days`` before the newest one seen. Once a
document falls behind that horizon its MinHash, embedding and index entries are dropped;
what remains is its story link and its happenings (a few hundred bytes). Documents should
therefore arrive roughly in publication order, as a news feed does; the store replays
its documents in that order (:mod:`marsad.corpus.stored`). ``horizon_days=None`` keeps
everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from marsad.corpus.happenings import Signature, near, signatures
from marsad.corpus.shingles import minhash, shingle_hashes
from marsad.corpus.similarity import LeadEmbedder, Vector, lead
from marsad.model import Document

__all__ = [
    "Fingerprint",
    "Signature",
    "StoryBuilder",
    "StorySettings",
    "minhash",
    "shingle_hashes",
    "signatures",
]


def story_id(first: str) -> str:
    """The id of a story whose first document is ``first``."""
    return "s-" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:16]


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
    #: Days behind the newest publication date after which a document is no longer compared
    #: with new ones (None: never forgotten). The rules above look at most 2 days apart;
    #: a week leaves room for late reports. Near duplicates further apart are not joined.
    horizon_days: int | None = 7


@dataclass(slots=True)
class Fingerprint:
    """What story building keeps of a document: enough to compare later documents with it."""

    doc_id: str
    published: dt.date | None
    signatures: list[Signature]
    minhash: MinHash | None  # None once the document is behind the horizon
    embedding: Vector


_NOTHING: Vector = np.zeros(0, dtype=np.float32)


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
    _members: dict[str, tuple[Any, Fingerprint]] = field(default_factory=dict)  # doc id: (rank, print)
    _parent: dict[str, str] = field(default_factory=dict)  # union-find over doc ids
    _by_key: dict[tuple[str, frozenset[str]], dict[str, None]] = field(default_factory=dict)
    _by_day: dict[dt.date, _Days] = field(default_factory=dict)
    _active: dict[dt.date, list[str]] = field(default_factory=dict)  # dated, within the horizon
    _newest: dt.date | None = None
    _groups: dict[str, list[str]] | None = None  # root: members, until the next document
    _lsh: MinHashLSH | None = None
    #: How many documents added were near duplicates of one added before.
    near_duplicates: int = 0
    #: How many documents fell behind the horizon (see the module docstring).
    forgotten: int = 0

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

    def add_fingerprint(self, fp: Fingerprint, rank: Any = None) -> str:
        """Put a fingerprinted document in a story and return the story id. A story is
        named after its member of lowest ``rank`` (by default, the order added; ranks given
        must be comparable with each other)."""
        if fp.doc_id in self._members:
            return self.story(fp.doc_id)
        if fp.published is not None and (self._newest is None or fp.published > self._newest):
            self._newest = fp.published
            self._forget_before()  # before comparing: what is behind the horizon is not compared
        self._members[fp.doc_id] = (len(self._members) if rank is None else rank, fp)
        self._groups = None
        self._parent[fp.doc_id] = fp.doc_id
        assert self._lsh is not None and fp.minhash is not None
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
            nearest = max(matched, key=lambda m: (self._jaccard(m, fp.minhash), m))
            matched = [nearest]
        for other in matched + self._alike(fp):
            self._union(other, fp.doc_id)
        for sig in fp.signatures:
            self._by_key.setdefault(sig.key(), {})[fp.doc_id] = None
        if fp.published is not None:
            if fp.embedding.any():
                self._by_day.setdefault(fp.published, _Days()).append(fp.doc_id, fp.embedding)
            self._active.setdefault(fp.published, []).append(fp.doc_id)
        return self.story(fp.doc_id)

    # --- reading -----------------------------------------------------------------------

    def story(self, doc_id: str) -> str:
        """The story id of a document already added."""
        return story_id(self._find(doc_id))

    def happenings(self, doc_id: str) -> list[Signature]:
        """The happenings (:func:`signatures`) of a document already added."""
        return self.fingerprint(doc_id).signatures

    def members(self, doc_id: str) -> list[str]:
        """The doc ids of the story ``doc_id`` is in, in the order they were added (the
        stories are grouped once, and again only after documents were added)."""
        if self._groups is None:
            groups: dict[str, list[str]] = {}
            for member in self._members:
                groups.setdefault(self._find(member), []).append(member)
            self._groups = groups
        return list(self._groups[self._find(doc_id)])

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
                    near(sig.days, s.days, window) and sig.same_place(s)
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

    def _jaccard(self, doc_id: str, sketch: MinHash) -> float:
        theirs = self.fingerprint(doc_id).minhash
        return 0.0 if theirs is None else float(theirs.jaccard(sketch))

    def _forget_before(self) -> None:
        """Drop what compares documents published before the horizon (module docstring)."""
        if self.settings.horizon_days is None or self._newest is None:
            return
        cutoff = self._newest - dt.timedelta(days=self.settings.horizon_days)
        assert self._lsh is not None
        for day in [d for d in self._active if d < cutoff]:
            for doc_id in self._active.pop(day):
                order, fp = self._members[doc_id]
                if doc_id in self._lsh:
                    self._lsh.remove(doc_id)
                for sig in fp.signatures:
                    ids = self._by_key.get(sig.key())
                    if ids is not None:
                        ids.pop(doc_id, None)
                        if not ids:
                            del self._by_key[sig.key()]
                self._members[doc_id] = (
                    order,
                    Fingerprint(doc_id, fp.published, fp.signatures, None, _NOTHING),
                )
                self.forgotten += 1
            self._by_day.pop(day, None)

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
        self._parent[second] = first  # the story of the lower rank keeps its id
