"""The names stage: people, places and organisations the KB does not know, from the NER model.

The statistical tagger (:mod:`marsad.ner`, a CRF shipped in the package) reads each
sentence; every PERS, LOC or ORG span that no KB entity already covers becomes an
unlinked entity: its surface form is its name, with the tagger's type, and its id is
``marsad:ner:<type>:<folded name>``, the same in every document. MISC spans are left out.
KB-linked entities keep their canonical names and are never changed here.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import accumulate

from marsad.arabic.phrases import token_starts
from marsad.extract.entities import name_slug, name_start
from marsad.model import TOKEN_TEXT, Document, Entity, EntityType, Mention, Span, Token

__all__ = ["NameSpans", "NamesStage"]

#: The entity spans ``(start, end, type)`` of each of several sentences, given their words
#: (each sentence tagged on its own), as ``bio_spans`` gives them.
NameSpans = Callable[[Sequence[Sequence[str]]], list[list[tuple[int, int, str]]]]

TYPES = {"PERS": EntityType.PERSON, "LOC": EntityType.LOC, "ORG": EntityType.ORG}


class NamesStage:
    """Unlinked entities from the NER model, around the KB's."""

    name = "names"
    requires = frozenset({"text", "tokens", "sentences", "entities"})
    provides = frozenset({"names"})

    def __init__(self, spans: NameSpans) -> None:
        self.spans = spans

    def __call__(self, doc: Document) -> Document:
        return self.batch([doc])[0]

    def batch(self, docs: Sequence[Document]) -> list[Document]:
        """The stage over several documents, their sentences tagged in one call."""
        runs = [_runs(doc.tokens, doc.sentences) for doc in docs]
        words = [
            texts[lo:hi]
            for doc, doc_runs in zip(docs, runs, strict=True)
            for texts in [list(map(TOKEN_TEXT, doc.tokens))]
            for lo, hi in doc_runs
        ]
        spans = iter(self.spans(words))
        out = []
        for doc, doc_runs in zip(docs, runs, strict=True):
            found = self._entities(doc, doc_runs, [next(spans) for _ in doc_runs])
            out.append(replace(doc, entities=(*doc.entities, *found), provided=doc.provided | self.provides))
        return out

    def _entities(
        self,
        doc: Document,
        runs: Sequence[tuple[int, int]],
        run_spans: Sequence[Sequence[tuple[int, int, str]]],
    ) -> list[Entity]:
        """The unlinked entities of the model's spans in ``runs`` (token ranges of sentences)."""
        text, tokens = doc.text, doc.tokens
        taken = _Taken(sorted((m.start, m.end) for e in doc.entities for m in e.mentions))
        grouped: dict[str, Entity] = {}
        for (lo, _hi), spans in zip(runs, run_spans, strict=True):
            for a, b, kind in spans:
                etype = TYPES.get(kind)
                start, end = name_start(tokens[lo + a]), tokens[lo + b - 1].end
                if etype is None or taken.overlaps(start, end):
                    continue
                surface = text[start:end]
                eid = f"marsad:ner:{kind.lower()}:{name_slug(surface)}"
                mention = Mention(start, end, surface)
                old = grouped.get(eid)
                grouped[eid] = (
                    replace(old, mentions=(*old.mentions, mention))
                    if old
                    else Entity(id=eid, name=surface, type=etype, name_ar=surface, mentions=(mention,))
                )
        return list(grouped.values())


def _runs(tokens: Sequence[Token], sentences: Sequence[Span]) -> list[tuple[int, int]]:
    """The token range ``(first, past last)`` of each sentence that has tokens."""
    starts = token_starts(tokens)
    runs = []
    for sent in sentences:
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        if lo < hi:
            runs.append((lo, hi))
    return runs


class _Taken:
    """Spans already taken (sorted by start; they may nest), asked whether a range overlaps one."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self._starts = [start for start, _ in spans]
        # reach[i]: the furthest end among the first i spans, so one bisect answers a query.
        self._reach = [0, *accumulate((end for _, end in spans), max)]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps one of the spans."""
        return self._reach[bisect.bisect_left(self._starts, end)] > start
