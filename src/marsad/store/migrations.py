"""Schema migrations for the document store.

``MIGRATIONS`` is an ordered tuple of ``(version, name, sql)``. Never edit or renumber a
migration that has shipped: add a new one. The database records the ones it has in
``schema_migrations``; :func:`apply_migrations` runs the missing ones, in order, in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

from marsad.errors import Code, MarsadError

logger = logging.getLogger(__name__)

Migration = tuple[int, str, str]

_V1 = """
CREATE TABLE documents (
    rowid INTEGER PRIMARY KEY,
    doc_id TEXT UNIQUE NOT NULL,
    content_hash TEXT UNIQUE NOT NULL,
    title TEXT,
    published TEXT,
    published_source TEXT,
    agency TEXT,
    dateline TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    language TEXT,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_agency ON documents(agency);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid),
    origin TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    format TEXT,
    encoding TEXT,
    url TEXT,
    outlet TEXT,
    retrieved TEXT,
    first_seen TEXT NOT NULL,
    UNIQUE (origin, raw_hash)
);
CREATE INDEX sources_doc ON sources(doc_rowid);

CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    UNIQUE (origin, code)
);

-- Contentless: the index holds the folded search terms (marsad.arabic.tokenize
-- .search_terms), not the text itself, which lives once, in documents.text.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 0'
);
"""

_V2 = """
-- One row per event and per quote of each document, for the query commands; the
-- document's JSON (documents.data) stays the record of everything.
CREATE TABLE events (
    rowid INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid),
    n INTEGER NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    source_entity TEXT, source_name TEXT, source_country TEXT, source_sector TEXT, source_text TEXT,
    target_entity TEXT, target_name TEXT, target_country TEXT, target_sector TEXT, target_text TEXT,
    location TEXT,
    date TEXT,
    date_source TEXT,
    context TEXT NOT NULL DEFAULT '[]',
    evidence TEXT NOT NULL,
    UNIQUE (doc_rowid, n)
);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_source_country ON events(source_country);
CREATE INDEX events_target_country ON events(target_country);

CREATE TABLE quotes (
    rowid INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid),
    n INTEGER NOT NULL,
    direct INTEGER NOT NULL,
    cue TEXT,
    speaker_entity TEXT, speaker_name TEXT, speaker_country TEXT, speaker_text TEXT,
    text TEXT NOT NULL,
    UNIQUE (doc_rowid, n)
);
CREATE INDEX quotes_speaker ON quotes(speaker_name);

INSERT INTO events (doc_rowid, n, type, mode, source_entity, source_name, source_country, source_sector,
    source_text, target_entity, target_name, target_country, target_sector, target_text, location, date,
    date_source, context, evidence)
SELECT d.rowid, e.key, json_extract(e.value, '$.type'), json_extract(e.value, '$.mode'),
    json_extract(e.value, '$.source.entity'), json_extract(e.value, '$.source.name'),
    json_extract(e.value, '$.source.country'), json_extract(e.value, '$.source.sector'),
    json_extract(e.value, '$.source.text'),
    json_extract(e.value, '$.target.entity'), json_extract(e.value, '$.target.name'),
    json_extract(e.value, '$.target.country'), json_extract(e.value, '$.target.sector'),
    json_extract(e.value, '$.target.text'),
    json_extract(e.value, '$.location.name'), json_extract(e.value, '$.date'),
    json_extract(e.value, '$.date_source'), COALESCE(json_extract(e.value, '$.context'), '[]'),
    json_extract(e.value, '$.evidence.text')
FROM documents d, json_each(d.data, '$.events') e;

INSERT INTO quotes (doc_rowid, n, direct, cue, speaker_entity, speaker_name, speaker_country, speaker_text, text)
SELECT d.rowid, q.key, COALESCE(json_extract(q.value, '$.direct'), 1), json_extract(q.value, '$.cue'),
    json_extract(q.value, '$.speaker.entity'), json_extract(q.value, '$.speaker.name'),
    json_extract(q.value, '$.speaker.country'), json_extract(q.value, '$.speaker.text'),
    json_extract(q.value, '$.text')
FROM documents d, json_each(d.data, '$.quotes') q;
"""

_V3 = """
-- Stories across documents (marsad.corpus.stored): what story building compares of each
-- document (MinHash values, lead embedding, happenings), stored with it, and its story
-- (NULL until assigned), so later ingests add to the same stories without reading old
-- documents again. Documents join stories in rowid order.
CREATE TABLE stories (
    doc_rowid INTEGER PRIMARY KEY REFERENCES documents(rowid),
    story TEXT,
    fingerprint BLOB NOT NULL,
    embedding BLOB NOT NULL,
    happenings TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX stories_story ON stories(story);

-- One row per claim, with the documents that back it up or contradict it.
CREATE TABLE claims (
    rowid INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid),
    n INTEGER NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    qualifier TEXT,
    subject TEXT,
    time TEXT,
    holder_name TEXT, holder_country TEXT,
    text TEXT NOT NULL,
    corroborated_by TEXT NOT NULL DEFAULT '[]',
    contradicted_by TEXT NOT NULL DEFAULT '[]',
    UNIQUE (doc_rowid, n)
);
CREATE INDEX claims_subject ON claims(subject, unit);

INSERT INTO claims (doc_rowid, n, value, unit, qualifier, subject, time, holder_name, holder_country, text)
SELECT d.rowid, c.key, json_extract(c.value, '$.value'), json_extract(c.value, '$.unit'),
    json_extract(c.value, '$.qualifier'), json_extract(c.value, '$.subject'), json_extract(c.value, '$.time'),
    json_extract(c.value, '$.holder.name'), json_extract(c.value, '$.holder.country'),
    json_extract(c.value, '$.text')
FROM documents d, json_each(d.data, '$.claims') c;
"""

_V4 = """
-- Story fingerprints now hash word 4-grams from per-word CRC-32s instead of SHA-1 over
-- each shingle's text, so MinHash values stored before cannot be compared with new ones.
-- They are dropped; the next ingest (or marsad stories --update) fingerprints those
-- documents again from their stored text and places them in the same order as before.
DELETE FROM stories;
"""

MIGRATIONS: tuple[Migration, ...] = (
    (1, "documents, sources, errors, full-text index", _V1),
    (2, "events and quotes tables", _V2),
    (3, "stories and claims tables", _V3),
    (4, "story fingerprints hashed anew", _V4),
)

LATEST_VERSION = MIGRATIONS[-1][0]

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def split_statements(sql: str) -> list[str]:
    """Split a script into complete SQL statements (``;`` inside strings is kept)."""
    statements: list[str] = []
    buffer = ""
    for piece in sql.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if _code_of(buffer):
                statements.append(buffer.strip())
            buffer = ""
    if _code_of(buffer.rstrip(";")):
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()!r}")
    return statements


def _code_of(statement: str) -> str:
    lines = (line.split("--", 1)[0] for line in statement.splitlines())
    return " ".join(line.strip() for line in lines if line.strip()).strip(" ;")


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    """The migration versions recorded in the database (empty for a new file)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if exists is None:
        return set()
    return {int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations")}


def _check_not_newer(versions: set[int], path: str) -> None:
    newest = max(versions, default=0)
    if newest > LATEST_VERSION:
        raise MarsadError(
            Code.STORE_VERSION,
            f"the store {path} has schema version {newest}, newer than this marsad knows "
            f"(up to {LATEST_VERSION})",
            "upgrade marsad (pip install -U marsad) to read it, or use another --db file",
        )


def apply_migrations(conn: sqlite3.Connection, path: str = "") -> int:
    """Bring the schema up to date; return the schema version.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Opening an
    up-to-date database takes no write lock.
    """
    versions = applied_versions(conn)
    _check_not_newer(versions, path)
    if all(version in versions for version, _, _ in MIGRATIONS):
        return max(versions)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(_BOOKKEEPING)
        versions = applied_versions(conn)  # another process may have migrated meanwhile
        _check_not_newer(versions, path)
        for version, name, sql in MIGRATIONS:
            if version in versions:
                continue
            logger.info("applying store migration %d (%s) to %s", version, name, path)
            for statement in split_statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now()),
            )
            versions.add(version)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return max(versions)


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
