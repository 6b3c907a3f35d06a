"""Stories, inferred dates and claim links over the documents of a store.

:class:`~marsad.corpus.crossdoc.Corpus` reads the documents of one ``marsad extract`` call
together; this does the same for a store that grows over many ingests. Ingest keeps each
new document's fingerprint (:func:`story_print`: MinHash values, lead embedding, the
happenings of its lead) next to it, and :func:`update_corpus` then

* rebuilds story building from the stored fingerprints, in the order the documents were
  stored, and adds the new ones: a story keeps its id as documents join it, and the same
  documents stored in the same order get the same stories however many ingests it took;
* gives an undated document the date its story gives it (``published_source:
  "inferred"``) and processes it again, so its relative dates resolve;
* dates undated events from the happenings other documents date
  (:func:`~marsad.corpus.crossdoc.infer_event_dates`);
* links every claim to the documents that corroborate or contradict it.

Documents stored without a fingerprint (before stories were kept, or with ``marsad ingest
--no-stories``) get one from their stored text with :func:`fingerprint_stored` (``marsad
stories --update``).

Everything is written in one transaction: an interrupted update leaves the store as it
was, and the next one does the work again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from marsad.arabic.tokenize import tokenize
from marsad.corpus.claims import link_claims
from marsad.corpus.crossdoc import happening_key, infer_event_dates
from marsad.corpus.happenings import Signature
from marsad.corpus.shingles import minhash
from marsad.corpus.stories import Fingerprint, StoryBuilder
from marsad.pipeline import Pipeline, make_document
from marsad.store.db import Store, StoryPrint

__all__ = ["CorpusReport", "fingerprint_stored", "stored_fingerprint", "story_print", "update_corpus"]


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """What :func:`update_corpus` found and changed."""

    documents: int = 0
    stories: int = 0
    assigned: int = 0  # documents whose story was set or changed
    inferred_published: int = 0
    inferred_event_dates: int = 0
    claim_links: int = 0  # claims whose links changed


def story_print(fp: Fingerprint) -> StoryPrint:
    """A fingerprint as the store keeps it."""
    assert fp.minhash is not None, "a fingerprint is stored before story building sees it"
    happenings = json.dumps([s.to_dict() for s in fp.signatures], ensure_ascii=False)
    return fp.minhash.hashvalues.astype("<u8").tobytes(), fp.embedding.astype("<f4").tobytes(), happenings


def stored_fingerprint(row: Any) -> Fingerprint:
    """A fingerprint from its stored form: a row (store or batch) with ``doc_id``,
    ``published``, ``fingerprint``, ``embedding``, ``happenings`` and, in a store,
    ``published_source`` (an inferred date is not the document's own)."""
    published = None
    inferred = "published_source" in row.keys() and row["published_source"] == "inferred"  # noqa: SIM118 (sqlite3.Row)
    if row["published"] and not inferred:  # as it was when stored
        published = dt.date.fromisoformat(row["published"])
    return Fingerprint(
        row["doc_id"],
        published,
        [Signature.from_dict(s) for s in json.loads(row["happenings"])],
        minhash(np.frombuffer(row["fingerprint"], dtype="<u8")),
        np.frombuffer(row["embedding"], dtype="<f4").copy(),
    )


def fingerprint_stored(store: Store, builder: StoryBuilder, batch: int = 256) -> int:
    """Fingerprint the stored documents that have no fingerprint (stored before stories
    were kept, or ingested without them), from their stored text; returns how many.

    ``builder`` only fingerprints (its settings, countries, embedder); nothing is added to it.
    """
    rows = store.connection.execute(
        "SELECT d.rowid, d.data FROM documents d LEFT JOIN stories s ON s.doc_rowid = d.rowid"
        " WHERE s.doc_rowid IS NULL ORDER BY d.rowid"
    ).fetchall()
    for start in range(0, len(rows), batch):
        part = rows[start : start + batch]
        records = [json.loads(row["data"]) for row in part]
        words = [[t.stem for t in tokenize(r["text"]) if t.is_word] for r in records]
        prints = builder.fingerprints(records, words)
        store.write_prints([(row["rowid"], story_print(fp)) for row, fp in zip(part, prints, strict=True)])
    return len(rows)


def update_corpus(store: Store, pipeline: Pipeline, builder: StoryBuilder) -> CorpusReport:
    """Assign stories to the documents that have none, then infer dates and link claims.

    ``builder`` must be empty: it is filled from the store (its settings, countries and
    embedder are used).
    """
    assert not len(builder), "the builder must be empty"
    conn = store.connection
    rowid: dict[str, int] = {}
    before: dict[str, str | None] = {}
    for row in conn.execute(_REPLAY):
        # placed in publication order; a story is named after its first stored document, so
        # an older report stored later does not rename it
        builder.add_fingerprint(stored_fingerprint(row), rank=row["doc_rowid"])
        rowid[row["doc_id"]], before[row["doc_id"]] = row["doc_rowid"], row["story"]
    story = {doc_id: builder.story(doc_id) for doc_id in rowid}
    stories = [(rowid[d], story[d]) for d in rowid if story[d] != before[d]]
    redone = _infer_published(store, pipeline, builder, rowid)
    dated = _infer_event_dates(store, redone)
    links = _claim_links(store, {rowid[d]: story[d] for d in rowid}, redone)
    store.write_corpus(stories, list(redone.items()), links)
    return CorpusReport(
        len(rowid), len(set(story.values())), len(stories),
        sum(1 for data in redone.values() if data.get("published_source") == "inferred"), dated, len(links),
    )  # fmt: skip


#: The stored fingerprints in publication order (an undated document where it was stored:
#: with the latest publication date stored before it), then in the order stored.
_REPLAY = """
SELECT doc_rowid, story, fingerprint, embedding, happenings, doc_id, published, published_source,
    max(own) OVER (ORDER BY doc_rowid ROWS UNBOUNDED PRECEDING) AS arrived
FROM (SELECT s.*, d.doc_id, d.published, d.published_source,
          CASE WHEN d.published_source = 'inferred' THEN NULL ELSE d.published END AS own
      FROM stories s JOIN documents d ON d.rowid = s.doc_rowid)
ORDER BY coalesce(own, arrived), doc_rowid
"""


def _infer_published(
    store: Store, pipeline: Pipeline, builder: StoryBuilder, rowid: dict[str, int]
) -> dict[int, dict[str, Any]]:
    """Records of undated documents processed again with the date their story gives them."""
    out: dict[int, dict[str, Any]] = {}
    conn = store.connection
    for doc_id, n in rowid.items():
        fp = builder.fingerprint(doc_id)
        if fp.published is not None or not fp.signatures or (day := builder.inferred_date(doc_id)) is None:
            continue
        row = conn.execute("SELECT data, published FROM documents WHERE rowid = ?", (n,)).fetchone()
        if row["published"] == day.isoformat():
            continue  # inferred before
        old = json.loads(row["data"])
        doc = pipeline.process(make_document(old["text"], doc_id=doc_id, published=day))
        events = tuple(
            replace(e, date_source="inferred") if e.date_source == "publication" else e for e in doc.events
        )
        data = replace(doc, published_source="inferred", events=events).to_dict()
        for kept in ("doc_id", "source", "title", "agency", "authors", "dateline"):
            data[kept] = old.get(kept)
        out[n] = data
    return out


def _infer_event_dates(store: Store, redone: dict[int, dict[str, Any]]) -> int:
    """Date the undated events of undated documents from the happenings stored documents date."""
    conn = store.connection
    pending = dict(redone)
    for row in conn.execute(
        "SELECT DISTINCT d.rowid, d.data FROM documents d JOIN events e ON e.doc_rowid = d.rowid"
        " WHERE e.date IS NULL"
    ):
        if row["rowid"] not in pending:
            pending[row["rowid"]] = json.loads(row["data"])
    if not pending:
        return 0
    dated = [
        (key, row["date"], row["doc_id"])
        for row in conn.execute(
            "SELECT e.type, e.source_country, e.target_country, e.location, e.context, e.date, d.doc_id"
            " FROM events e JOIN documents d ON d.rowid = e.doc_rowid WHERE e.date IS NOT NULL"
            " AND e.source_country IS NOT NULL AND e.target_country IS NOT NULL AND e.location IS NOT NULL"
        )
        if (
            key := happening_key(
                row["type"],
                (row["source_country"], row["target_country"]),
                row["location"],
                json.loads(row["context"]),
            )
        )
        is not None
    ]
    records = list(pending.values())
    count = infer_event_dates(records, dated)
    changed = {
        n for n, data in pending.items() if any(e.get("date_source") == "inferred" for e in data["events"])
    }
    for n in changed:
        redone[n] = pending[n]
    return count


def _claim_links(
    store: Store, story: dict[int, str], redone: dict[int, dict[str, Any]]
) -> list[tuple[int, int, list[str], list[str]]]:
    """Claim links recomputed over all stored claims with a unit; the changed ones.

    Claims with a subject need only their rows; a document with a claim without one is read
    whole, since what such a claim is about comes from the event around it.
    """
    conn = store.connection
    whole = {
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT doc_rowid FROM claims WHERE subject IS NULL AND unit IS NOT NULL"
        )
    }
    records: dict[int, dict[str, Any]] = {}
    for row in conn.execute(
        "SELECT c.doc_rowid, c.n, c.value, c.unit, c.qualifier, c.subject, c.time, c.corroborated_by,"
        " c.contradicted_by, d.doc_id, d.published FROM claims c JOIN documents d ON d.rowid = c.doc_rowid"
        " WHERE c.unit IS NOT NULL ORDER BY c.doc_rowid, c.n"
    ):
        n = row["doc_rowid"]
        record = records.setdefault(
            n, {"doc_id": row["doc_id"], "published": row["published"], "story": story.get(n), "events": [],
                "claims": [], "_before": {}},
        )  # fmt: skip
        record["_before"][row["n"]] = (json.loads(row["corroborated_by"]), json.loads(row["contradicted_by"]))
        if n not in redone and n not in whole and row["subject"] is not None:
            record["claims"].append(
                {k: row[k] for k in ("n", "value", "unit", "qualifier", "subject", "time")}
            )
    for n in whole - set(redone):
        (data,) = conn.execute("SELECT data FROM documents WHERE rowid = ?", (n,)).fetchone()
        _whole_record(records, n, json.loads(data), story)
    for n, data in redone.items():
        _whole_record(records, n, data, story)
        records[n]["_before"] = {}
    for row in conn.execute(
        "SELECT doc_rowid, source_country, target_country FROM events"
        " WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
    ):
        if row[0] in records and row[0] not in whole and row[0] not in redone:
            records[row[0]]["events"].append({"source": {"country": row[1]}, "target": {"country": row[2]}})
    link_claims(list(records.values()))
    changed = []
    for n, record in records.items():
        for claim in record["claims"]:
            links = (claim["corroborated_by"], claim["contradicted_by"])
            before = record["_before"].get(claim["n"], ([], []))
            if n in redone or tuple(map(sorted, before)) != tuple(map(sorted, links)):
                changed.append((n, claim["n"], *links))
    return changed


def _whole_record(
    records: dict[int, dict[str, Any]], n: int, data: dict[str, Any], story: dict[int, str]
) -> None:
    """A document's claims with a unit and its events, from its whole record."""
    record = records.setdefault(n, {"doc_id": data["doc_id"], "_before": {}})
    record.update(
        published=data.get("published"), story=story.get(n), events=data.get("events") or [],
        claims=[{**c, "n": i, "corroborated_by": [], "contradicted_by": []}
                for i, c in enumerate(data.get("claims") or []) if c.get("unit")],
    )  # fmt: skip
