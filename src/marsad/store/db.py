"""The document store: one SQLite file, and the only code in marsad that writes to it."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeAlias

from marsad.arabic.tokenize import search_terms
from marsad.errors import Code, InputError, MarsadError
from marsad.model import Document
from marsad.store.migrations import apply_migrations, now

logger = logging.getLogger(__name__)

#: What story building keeps of a document (:mod:`marsad.corpus.stored`): MinHash values,
#: lead embedding, happenings as JSON.
StoryPrint: TypeAlias = tuple[bytes, bytes, str]

#: A failed input: ``(origin, code, message)`` (``code`` a :class:`Code` or its string,
#: e.g. ``"MRS013"``), or the :class:`InputError` itself.
Failure: TypeAlias = tuple[str, str | Code, str] | InputError


def content_hash(text: str) -> str:
    """sha256 (hex) of ``text`` with whitespace runs collapsed to one space and stripped.

    The same article read from two files that differ only in line endings, indentation
    or trailing spaces gets the same hash, and so is one document.
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def raw_hash(raw: str) -> str:
    """sha256 (hex) of the raw decoded input, as :meth:`Store.write_batch` expects it."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one :meth:`Store.write_batch` call changed.

    ``duplicates`` counts the documents of the batch that added no document row (same
    content already stored, possibly from another origin): ``documents_added +
    duplicates == len(documents)``.
    """

    documents_added: int = 0
    sources_added: int = 0
    duplicates: int = 0
    errors_recorded: int = 0


class Store:
    """A marsad store file. Open it, write batches, close it.

    ``Store(path)`` creates the file if needed (unless ``create=False``), switches it to
    WAL and applies pending migrations. Readers use :mod:`marsad.store.queries`.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).is_file():
            raise MarsadError(
                Code.NOT_FOUND,
                f"no store at {self.path}",
                "ingest some documents first (`marsad ingest ... --db FILE`) or check --db",
            )
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self.schema_version = apply_migrations(conn, self.path)
        except BaseException:
            conn.close()
            raise
        self._conn: sqlite3.Connection | None = conn

    # -- lifecycle -------------------------------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection (rows are :class:`sqlite3.Row`). Read with it; never write."""
        if self._conn is None:
            raise ValueError(f"the store {self.path} is closed")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

    # -- reads used by writers -----------------------------------------------------------

    def is_known(self, origin: str, raw_hash: str) -> bool:
        """Whether this exact input (same origin, same raw text) is already stored."""
        row = self.connection.execute(
            "SELECT 1 FROM sources WHERE origin = ? AND raw_hash = ?", (origin, raw_hash)
        ).fetchone()
        return row is not None

    # -- writes --------------------------------------------------------------------------

    def write_batch(
        self,
        documents: Sequence[tuple[Document | Mapping[str, Any], str]],
        failures: Sequence[Failure] = (),
        prints: Sequence[StoryPrint] | None = None,
    ) -> BatchResult:
        """Store processed documents and failed inputs, all in one transaction.

        ``documents`` are ``(document, raw_hash)`` pairs, ``raw_hash`` being
        :func:`raw_hash` of the raw decoded input; the origin is
        ``document.source.origin``. A document may also be its output record
        (``Document.to_dict()``, as ``marsad batch`` writes it). A document whose :func:`content_hash` is already
        stored adds only a source row. A stored origin's past errors are cleared. ``prints``,
        one per document, are kept for story building (a new document's story is assigned
        later, by :meth:`write_corpus`).
        ``failures`` are upserted into the error log (same origin and code: ``count``
        goes up). Either the whole batch is stored or none of it.
        """
        conn = self.connection
        stamp = now()
        added = sources = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            for n, (doc, raw) in enumerate(documents):
                new_doc, new_source = self._write_document(
                    conn, doc, raw, stamp, prints[n] if prints else None
                )
                added += new_doc
                sources += new_source
            for failure in failures:
                self._write_failure(conn, failure, stamp)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        result = BatchResult(added, sources, len(documents) - added, len(failures))
        logger.debug("stored batch in %s: %s", self.path, result)
        return result

    def _write_document(
        self,
        conn: sqlite3.Connection,
        doc: Document | Mapping[str, Any],
        raw: str,
        stamp: str,
        story_print: StoryPrint | None,
    ) -> tuple[int, int]:
        if isinstance(doc, Document):
            data, body = doc.to_dict(), _body_terms(doc)
        else:
            data, body = dict(doc), _index_text(doc["text"])
        source = data["source"]
        origin = source["origin"]
        digest = content_hash(data["text"])
        row = conn.execute("SELECT rowid FROM documents WHERE content_hash = ?", (digest,)).fetchone()
        new_doc = 0
        if row is None:
            rowid = self._insert_document(conn, data, body, digest, stamp)
            new_doc = 1
            if story_print is not None:
                conn.execute(
                    "INSERT INTO stories (doc_rowid, fingerprint, embedding, happenings) VALUES (?, ?, ?, ?)",
                    (rowid, *story_print),
                )
        else:
            rowid = int(row[0])
        cursor = conn.execute(
            "INSERT INTO sources (doc_rowid, origin, raw_hash, format, encoding, url, outlet,"
            " retrieved, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (origin, raw_hash) DO NOTHING",
            (
                rowid,
                origin,
                raw,
                source["format"],
                source.get("encoding"),
                source.get("url"),
                source.get("outlet"),
                source.get("retrieved"),
                stamp,
            ),
        )
        conn.execute("DELETE FROM errors WHERE origin = ?", (origin,))
        return new_doc, max(cursor.rowcount, 0)

    def _insert_document(
        self, conn: sqlite3.Connection, data: dict[str, Any], body: str, digest: str, stamp: str
    ) -> int:
        doc_id = self._free_doc_id(conn, data["doc_id"], digest)
        data["doc_id"] = doc_id
        cursor = conn.execute(
            "INSERT INTO documents (doc_id, content_hash, title, published, published_source,"
            " agency, dateline, authors, language, text, data, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, digest, data.get("title"), data["published"], data.get("published_source"),
             data.get("agency"), data.get("dateline"), json.dumps(list(data.get("authors") or ()), ensure_ascii=False),
             data.get("language"), data["text"], json.dumps(data, ensure_ascii=False), stamp),
        )  # fmt: skip
        rowid = cursor.lastrowid
        assert rowid is not None
        conn.execute(
            "INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)",
            (rowid, _index_text(data.get("title")), body),
        )
        _insert_facts(conn, rowid, data)
        return rowid

    @staticmethod
    def _free_doc_id(conn: sqlite3.Connection, wanted: str, digest: str) -> str:
        """``wanted``, or ``wanted-<hash prefix>`` when other content already holds it."""
        candidates = [wanted] + [f"{wanted}-{digest[:n]}" for n in (8, 16, 64)]
        for candidate in candidates:
            taken = conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (candidate,)).fetchone()
            if taken is None:
                return candidate
        raise AssertionError(f"no free document id for {wanted!r}")  # full hash is unique

    @staticmethod
    def _write_failure(conn: sqlite3.Connection, failure: Failure, stamp: str) -> None:
        if isinstance(failure, InputError):
            origin, code, message = failure.origin, failure.code.value, failure.message
            if failure.hint:
                message = f"{message}; {failure.hint}"
        else:
            origin, raw_code, message = failure
            code = raw_code.value if isinstance(raw_code, Code) else str(raw_code)
        conn.execute(
            "INSERT INTO errors (origin, code, message, first_seen, last_seen, count)"
            " VALUES (?, ?, ?, ?, ?, 1)"
            " ON CONFLICT (origin, code) DO UPDATE SET count = count + 1,"
            " last_seen = excluded.last_seen, message = excluded.message",
            (origin, code, message, stamp, stamp),
        )

    def write_prints(self, prints: Sequence[tuple[int, StoryPrint]]) -> None:
        """Keep the story fingerprints of stored documents that have none (``(rowid, print)``)."""
        conn = self.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT OR IGNORE INTO stories (doc_rowid, fingerprint, embedding, happenings) VALUES (?, ?, ?, ?)",
                [(rowid, *p) for rowid, p in prints],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def write_corpus(
        self,
        stories: Sequence[tuple[int, str]] = (),
        documents: Sequence[tuple[int, dict[str, Any]]] = (),
        claim_links: Sequence[tuple[int, int, list[str], list[str]]] = (),
    ) -> None:
        """Store what reading documents together found, in one transaction.

        ``stories``: ``(doc rowid, story id)``; ``documents``: ``(rowid, record)`` for a
        document processed again (a publication date inferred from its story), whose
        events, quotes and claims rows are replaced; ``claim_links``: ``(doc rowid, claim
        index, corroborated_by, contradicted_by)``.
        """
        conn = self.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("UPDATE stories SET story = ? WHERE doc_rowid = ?", [(s, r) for r, s in stories])
            for rowid, data in documents:
                conn.execute(
                    "UPDATE documents SET data = ?, published = ?, published_source = ? WHERE rowid = ?",
                    (json.dumps(data, ensure_ascii=False), data.get("published"), data.get("published_source"),
                     rowid),
                )  # fmt: skip
                for table in ("events", "quotes", "claims"):
                    conn.execute(f"DELETE FROM {table} WHERE doc_rowid = ?", (rowid,))
                _insert_facts(conn, rowid, data)
            conn.executemany(
                "UPDATE claims SET corroborated_by = ?, contradicted_by = ? WHERE doc_rowid = ? AND n = ?",
                [(json.dumps(c, ensure_ascii=False), json.dumps(x, ensure_ascii=False), r, n)
                 for r, n, c, x in claim_links],
            )  # fmt: skip
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def rebuild_index(self) -> int:
        """Re-fill the full-text index from the stored texts (after a tokenizer change).

        Returns the number of documents indexed.
        """
        conn = self.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')")
            rows = conn.execute("SELECT rowid, title, text FROM documents").fetchall()
            for row in rows:
                conn.execute(
                    "INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)",
                    (row["rowid"], _index_text(row["title"]), _index_text(row["text"])),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(rows)


def _side(ref: dict[str, Any] | None) -> tuple[Any, ...]:
    ref = ref or {}
    return (ref.get("entity"), ref.get("name"), ref.get("country"), ref.get("sector"), ref.get("text"))


def _insert_facts(conn: sqlite3.Connection, rowid: int, data: dict[str, Any]) -> None:
    """The document's events, quotes and claims, one row each, for the query commands."""
    for n, e in enumerate(data.get("events") or []):
        conn.execute(
            "INSERT INTO events (doc_rowid, n, type, mode, source_entity, source_name, source_country,"
            " source_sector, source_text, target_entity, target_name, target_country, target_sector,"
            " target_text, location, date, date_source, context, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, n, e["type"], e.get("mode"), *_side(e.get("source")), *_side(e.get("target")),
             (e.get("location") or {}).get("name"), e.get("date"), e.get("date_source"),
             json.dumps(e.get("context") or [], ensure_ascii=False), e["evidence"]["text"]),
        )  # fmt: skip
    for n, q in enumerate(data.get("quotes") or []):
        speaker = q.get("speaker") or {}
        conn.execute(
            "INSERT INTO quotes (doc_rowid, n, direct, cue, speaker_entity, speaker_name, speaker_country,"
            " speaker_text, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, n, int(q.get("direct", True)), q.get("cue"), speaker.get("entity"), speaker.get("name"),
             speaker.get("country"), speaker.get("text"), q["text"]),
        )  # fmt: skip
    for n, c in enumerate(data.get("claims") or []):
        holder = c.get("holder") or {}
        conn.execute(
            "INSERT INTO claims (doc_rowid, n, value, unit, qualifier, subject, time, holder_name,"
            " holder_country, text, corroborated_by, contradicted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, n, c["value"], c.get("unit"), c.get("qualifier"), c.get("subject"), c.get("time"),
             holder.get("name"), holder.get("country"), c["text"],
             json.dumps(c.get("corroborated_by") or [], ensure_ascii=False),
             json.dumps(c.get("contradicted_by") or [], ensure_ascii=False)),
        )  # fmt: skip


def _body_terms(doc: Document) -> str:
    """Index terms of the body, reusing the pipeline's tokens when it made them.

    A token's ``stem`` is exactly what :func:`search_terms` yields for it, so both
    paths index the same terms.
    """
    if "tokens" in doc.provided:
        return " ".join(t.stem.lower() for t in doc.tokens if t.is_word)
    return _index_text(doc.text)


def _index_text(text: str | None) -> str:
    return " ".join(search_terms(text)) if text else ""


def open_store(path: str | os.PathLike[str], *, create: bool = True) -> Store:
    """Open (and create, unless ``create=False``) the store at ``path``."""
    return Store(path, create=create)
