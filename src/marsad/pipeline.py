"""The default stages, in order, and the machinery that runs them.

A stage is any callable ``Document -> Document`` with a ``name`` and the sets of
annotations it ``requires`` and ``provides``. :class:`Pipeline` checks the order
when it is built, so a misordered pipeline fails at once with a numbered error
rather than midway through a corpus. Ingest provides ``raw``.

A stage may also have ``batch(docs) -> docs``, giving the same documents as calling it
on each one, but faster together (the names stage tags all their sentences in one
pass of the NER decoder). :meth:`Pipeline.process_many` and :meth:`Pipeline.stream`
run the stages a group of documents at a time and use it; one document's failure
still stays its own.

Default flow (read it top to bottom)::

    clean     raw            -> text, title, removed     (marsad.ingest.clean)
    tokenize  text           -> tokens, sentences        (marsad.arabic.tokenize)
    metadata  text, removed  -> published, agency, authors, dateline
    dates     text           -> dates                    (marsad.extract.dates)
    entities  tokens         -> entities                 (marsad.extract.entities, KB names)
    roles     entities       -> entities (titles → people) (marsad.extract.roles)
    names     entities       -> entities (unlinked names from the NER model) (marsad.extract.names)
    quotes    entities       -> quotes                   (marsad.extract.quotes)
    claims    tokens, dates  -> claims                   (marsad.extract.claims)
    events    entities, dates, quotes -> events          (marsad.extract.events)
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from typing import Protocol, runtime_checkable

from marsad.arabic.phrases import forget_documents
from marsad.arabic.tokenize import sentences, tokenize
from marsad.errors import Code, MarsadError, PipelineError
from marsad.extract.claims import ClaimsStage
from marsad.extract.dates import DatesStage
from marsad.extract.entities import EntitiesStage
from marsad.extract.events import EventsStage
from marsad.extract.names import NamesStage
from marsad.extract.quotes import QuotesStage
from marsad.extract.roles import RolesStage
from marsad.ingest.clean import Cleaner
from marsad.ingest.lexicon import Lexicon
from marsad.ingest.metadata import MetadataStage
from marsad.kb.base import KnowledgeBase
from marsad.model import Document, Hints, SourceInfo

INITIAL = frozenset({"raw"})


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: frozenset[str]
    provides: frozenset[str]

    def __call__(self, doc: Document) -> Document: ...


#: How many documents :meth:`Pipeline.stream` runs through the stages together.
GROUP_SIZE = 32


def run_stage(stage: Stage, docs: Sequence[Document]) -> list[Document]:
    """One stage over several documents: its ``batch`` method where it has one."""
    batch = getattr(stage, "batch", None)
    if batch is not None:
        out: list[Document] = batch(docs)
        return out
    return [stage(doc) for doc in docs]


class TokenizeStage:
    """Tokens (with clitics split) and sentence spans over the cleaned text."""

    name = "tokenize"
    requires = frozenset({"text"})
    provides = frozenset({"tokens", "sentences"})

    def __call__(self, doc: Document) -> Document:
        return replace(
            doc,
            tokens=tuple(tokenize(doc.text)),
            sentences=tuple(sentences(doc.text)),
            provided=doc.provided | self.provides,
        )


class Pipeline:
    """An ordered list of stages whose requirements are checked when it is built."""

    def __init__(self, stages: Sequence[Stage], initial: frozenset[str] = INITIAL) -> None:
        available = set(initial)
        names: set[str] = set()
        for number, stage in enumerate(stages, 1):
            if stage.name in names:
                raise PipelineError(
                    Code.PIPELINE_DUPLICATE,
                    f"stage {number} '{stage.name}' appears twice",
                    "give each stage a distinct name or remove the repeat",
                )
            missing = stage.requires - available
            if missing:
                raise PipelineError(
                    Code.PIPELINE_ORDER,
                    f"stage {number} '{stage.name}' requires {', '.join(sorted(missing))}, "
                    f"which no earlier stage provides",
                    f"put a stage that provides it before '{stage.name}' "
                    f"(available at that point: {', '.join(sorted(available))})",
                )
            names.add(stage.name)
            available |= stage.provides
        self.stages: tuple[Stage, ...] = tuple(stages)
        self.provides = frozenset(available)

    @classmethod
    def default(cls, lexicon: Lexicon | None = None, kb: KnowledgeBase | None = None) -> Pipeline:
        """The standard stages, with the bundled word lists, KB (or the ``kb`` given) and NER model."""
        from marsad.ner.model import NerModel

        lexicon = lexicon or Lexicon.load()
        kb = kb or KnowledgeBase.load()
        ner = NerModel.load()
        return cls(
            [
                Cleaner.load(lexicon),
                TokenizeStage(),
                MetadataStage(lexicon),
                DatesStage.load(),
                EntitiesStage(kb),
                RolesStage(kb, names=ner.tag),
                NamesStage(ner.name_spans),
                QuotesStage.load(),
                ClaimsStage.load(),
                EventsStage.load(kb),
            ]
        )

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    def process(self, doc: Document) -> Document:
        """Run every stage over one document."""
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def process_many(self, docs: Sequence[Document]) -> list[Document | MarsadError]:
        """Run every stage over several documents, stage by stage; each result is the
        processed document, or the error that stopped it (the others go on regardless).

        Python's cyclic garbage collector is paused meanwhile (see :func:`gc_paused`)."""
        with gc_paused():
            try:
                return self._process_many(docs)
            finally:
                forget_documents()  # the stages' per-document caches, no longer needed

    def _process_many(self, docs: Sequence[Document]) -> list[Document | MarsadError]:
        results: list[Document | MarsadError] = list(docs)
        live = list(range(len(docs)))
        for stage in self.stages:
            current = [results[i] for i in live]
            try:
                done = run_stage(stage, current)  # type: ignore[arg-type]
            except MarsadError:  # find which document: one at a time
                done = []
                for doc in current:
                    try:
                        done.append(stage(doc))  # type: ignore[arg-type]
                    except MarsadError as exc:
                        done.append(exc)  # type: ignore[arg-type]
            for i, doc in zip(live, done, strict=True):
                results[i] = doc
            live = [i for i in live if not isinstance(results[i], MarsadError)]
        return results

    def stream(self, docs: Iterable[Document], group: int = GROUP_SIZE) -> Iterator[Document]:
        """Run the stages over many documents, lazily, ``group`` documents at a time;
        the first error raises, as :meth:`process` does. Python's cyclic garbage collector
        is paused while a group is processed and handed out (:func:`gc_paused`)."""
        for chunk in batched(docs, max(group, 1)):
            # The collector stays paused while the caller handles the group, so it does not
            # walk documents that are about to be dropped.
            with gc_paused():
                yield from _raising(self.process_many(chunk))  # (its own pause is then a no-op)


def _raising(results: list[Document | MarsadError]) -> Iterator[Document]:
    """The documents, in order, until the first error, which is raised."""
    for result in results:
        if isinstance(result, MarsadError):
            raise result
        yield result


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the ``with`` block, if it was running.

    The stages allocate millions of small objects that reference counting frees; the
    collector, triggered by their number, would otherwise walk every live object (the
    KB, lexicons and caches) again and again, about a sixth of the pipeline's time on
    SaudiNewsNet. It runs as usual between groups of documents, so memory held in
    reference cycles is still reclaimed.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def make_document(
    text: str,
    *,
    doc_id: str | None = None,
    published: dt.date | None = None,
    origin: str = "<text>",
) -> Document:
    """A raw document for a piece of text; ``published`` is used when the text carries no date."""
    if doc_id is None:
        doc_id = "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Document(
        doc_id=doc_id,
        raw=text,
        source=SourceInfo(origin=origin, format="text"),
        hints=Hints(default_published=published),
    )
