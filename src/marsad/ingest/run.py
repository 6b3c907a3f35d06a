"""Drive a whole ingest: read inputs, run the pipeline, store in batches.

A batch is one transaction, so an interrupted run leaves whole batches behind and
the next run picks up where it stopped: inputs already stored (same origin, same
content) are skipped before any processing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from marsad.corpus.stored import CorpusReport, fingerprint_stored, story_print, update_corpus
from marsad.corpus.stories import StoryBuilder
from marsad.errors import Code, InputError, MarsadError
from marsad.ingest.readers import Item, ReadOptions, read_all
from marsad.model import Document
from marsad.pipeline import GROUP_SIZE, Pipeline, gc_paused
from marsad.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    """What a run did. ``failed`` lists ``(origin, message)`` for every input that could not be read."""

    seen: int = 0
    skipped: int = 0
    documents_added: int = 0
    sources_added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: What reading the store's documents together changed (None without story building).
    corpus: CorpusReport | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def process_items(
    results: Iterable[Item | InputError], pipeline: Pipeline, group: int = GROUP_SIZE
) -> Iterator[tuple[Item, Document] | InputError]:
    """Run the pipeline over readable items, ``group`` documents at a time, in input order;
    a document whose processing fails becomes an error, and the others go on."""
    pending: list[Item | InputError] = []

    def run() -> Iterator[tuple[Item, Document] | InputError]:
        with gc_paused():  # as Pipeline.stream: until the caller has handled the group
            yield from outcomes()
        pending.clear()

    def outcomes() -> Iterator[tuple[Item, Document] | InputError]:
        items = [r for r in pending if isinstance(r, Item)]
        done = iter(pipeline.process_many([item.doc for item in items]))
        for result in pending:
            if isinstance(result, InputError):
                yield result
                continue
            origin = result.doc.source.origin
            doc = next(done)
            if isinstance(doc, MarsadError):
                yield InputError(doc.code, origin, doc.message, doc.hint)
            elif "text" in doc.provided and not doc.text.strip():
                yield InputError(Code.NO_BODY, origin, "nothing is left once page furniture is removed",
                                 "the input holds no article body")  # fmt: skip
            else:
                yield result, doc

    for result in results:
        pending.append(result)
        if len(pending) >= group:
            yield from run()
    yield from run()


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    options: ReadOptions | None = None,
    pipeline: Pipeline | None = None,
    batch_size: int = 200,
    progress: Callable[[IngestReport], None] | None = None,
    stories: StoryBuilder | None = None,
) -> IngestReport:
    """Read ``paths`` into ``store``. Never raises for a bad input: it is recorded and the run goes on.

    With ``stories`` (an empty builder: its settings, KB countries and embedder), each new
    document is fingerprinted as it is stored, and once all are in, the store's stories,
    inferred dates and claim links are brought up to date (:mod:`marsad.corpus.stored`).
    """
    options = options or ReadOptions()
    pipeline = pipeline or Pipeline.default()
    report = IngestReport()
    docs: list[tuple[Document, str]] = []
    failures: list[tuple[str, str, str]] = []

    def fresh(results: Iterable[Item | InputError]) -> Iterator[Item | InputError]:
        for result in results:
            report.seen += 1
            if isinstance(result, Item) and store.is_known(result.doc.source.origin, result.raw_hash):
                report.skipped += 1
                continue
            yield result

    def flush() -> None:
        if not docs and not failures:
            return
        prints = (
            [story_print(fp) for fp in stories.fingerprints([d for d, _ in docs])]
            if stories is not None
            else None
        )
        batch = store.write_batch(docs, failures, prints)
        report.documents_added += batch.documents_added
        report.sources_added += batch.sources_added
        report.duplicates += batch.duplicates
        docs.clear()
        failures.clear()

    for outcome in process_items(fresh(read_all(paths, options)), pipeline):
        if isinstance(outcome, InputError):
            failures.append((outcome.origin, outcome.code.value, str(outcome)))
            report.failed.append((outcome.origin, str(outcome)))
            log.info("%s", outcome)
        else:
            item, doc = outcome
            docs.append((doc, item.raw_hash))
        if len(docs) + len(failures) >= batch_size:
            flush()
            if progress:
                progress(report)
    flush()
    if stories is not None:
        # documents stored without a fingerprint (--no-stories, older stores) join too
        fingerprint_stored(store, stories)
        fresh_builder = StoryBuilder(stories.settings, stories.countries, stories.embedder)
        report.corpus = update_corpus(store, pipeline, fresh_builder)
    if progress:
        progress(report)
    return report
