"""Named reads over a :class:`~marsad.store.db.Store`. Callers never write SQL."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.arabic.tokenize import search_terms, sentences
from marsad.errors import Code, QueryError
from marsad.store.db import Store

SNIPPET_WIDTH = 200

_QUERY_HINT = (
    'search for one or more words, e.g. marsad search "العاصمة"; put a phrase in double quotes; '
    "operators (AND, OR, NEAR, *, -) are searched as plain words"
)
_NO_DOCUMENT_HINT = "list ids with `marsad search` or `marsad stats`"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``score`` is the negated bm25 rank: higher is better."""

    doc_id: str
    title: str | None
    published: str | None
    agency: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "published": self.published,
            "agency": self.agency,
            "snippet": self.snippet,
            "score": self.score,
        }


# -- documents ---------------------------------------------------------------------------


def get_document(store: Store, doc_id: str) -> dict[str, Any]:
    """The stored document JSON (the output contract, with its story and claim links) plus its ``sources``."""
    conn = store.connection
    row = conn.execute(
        "SELECT d.rowid, d.data, s.story FROM documents d LEFT JOIN stories s ON s.doc_rowid = d.rowid"
        " WHERE d.doc_id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        raise QueryError(
            Code.NO_DOCUMENT, f"no document with id {doc_id!r} in {store.path}", _NO_DOCUMENT_HINT
        )
    data: dict[str, Any] = json.loads(row["data"])
    _complete(data, row["story"], _claim_links(store, row["rowid"]))
    data["sources"] = [
        dict(source)
        for source in conn.execute(
            "SELECT origin, format, encoding, url, outlet, first_seen FROM sources"
            " WHERE doc_rowid = ? ORDER BY first_seen, id",
            (row["rowid"],),
        )
    ]
    return data


def records(store: Store) -> Iterator[dict[str, Any]]:
    """Every stored document's record (the output contract), in the order stored, with its
    ``story`` and its claims' ``corroborated_by`` and ``contradicted_by`` filled."""
    links = _claim_links(store)
    rows = store.connection.execute(
        "SELECT d.rowid, d.data, s.story FROM documents d LEFT JOIN stories s ON s.doc_rowid = d.rowid"
        " ORDER BY d.rowid"
    )
    for row in rows:
        data: dict[str, Any] = json.loads(row["data"])
        _complete(data, row["story"], links.get(row["rowid"], {}))
        yield data


def _claim_links(store: Store, rowid: int | None = None) -> dict[Any, Any]:
    """Links of claims that have any: ``{n: (corroborated_by, contradicted_by)}`` for one
    document, else ``{rowid: {n: ...}}`` for all."""
    sql = (
        "SELECT doc_rowid, n, corroborated_by, contradicted_by FROM claims"
        " WHERE (corroborated_by != '[]' OR contradicted_by != '[]')"
    )
    found: dict[int, dict[int, tuple[list[str], list[str]]]] = {}
    args: tuple[int, ...] = ()
    if rowid is not None:
        sql, args = sql + " AND doc_rowid = ?", (rowid,)
    for row in store.connection.execute(sql, args):
        found.setdefault(row[0], {})[row[1]] = (json.loads(row[2]), json.loads(row[3]))
    return found.get(rowid, {}) if rowid is not None else found


def _complete(data: dict[str, Any], story: str | None, links: dict[int, tuple[list[str], list[str]]]) -> None:
    data["story"] = story
    for n, claim in enumerate(data.get("claims") or []):
        claim["corroborated_by"], claim["contradicted_by"] = links.get(n, ([], []))


# -- search ------------------------------------------------------------------------------


def parse_query(query: str) -> tuple[str, frozenset[str]]:
    """Turn what a user typed into an FTS5 MATCH expression and the set of its terms.

    Double-quoted parts are phrases (an unclosed quote runs to the end), everything else
    is single words; all go through :func:`search_terms` and are emitted as FTS5 string
    literals joined with AND, so nothing the user types is ever FTS syntax. Raises
    :class:`QueryError` (MRS030) when no searchable word is left.
    """
    clauses: list[str] = []
    terms: set[str] = set()
    for index, part in enumerate(query.split('"')):
        words = [term for term in search_terms(part) if _searchable(term)]
        if not words:
            continue
        terms.update(words)
        pieces = [" ".join(words)] if index % 2 == 1 else words
        for piece in pieces:
            literal = '"' + piece.replace('"', '""') + '"'
            if literal not in clauses:
                clauses.append(literal)
    if not clauses:
        raise QueryError(Code.BAD_QUERY, f"nothing to search for in {query!r}", _QUERY_HINT)
    return " AND ".join(clauses), frozenset(terms)


def _searchable(term: str) -> bool:
    # The unicode61 tokenizer drops everything but letters and digits.
    return any(char.isalnum() for char in term)


def search(store: Store, query: str, limit: int = 20) -> list[SearchHit]:
    """Documents matching every word and phrase of ``query``, best (bm25) first."""
    if limit < 1:
        raise QueryError(Code.BAD_QUERY, f"limit must be at least 1, not {limit}", "pass --limit 1 or more")
    expression, terms = parse_query(query)
    try:
        rows = store.connection.execute(
            "SELECT d.doc_id, d.title, d.published, d.agency, d.text,"
            " bm25(documents_fts, 2.0, 1.0) AS rank"
            " FROM documents_fts JOIN documents AS d ON d.rowid = documents_fts.rowid"
            " WHERE documents_fts MATCH ? ORDER BY rank, d.rowid LIMIT ?",
            (expression, limit),
        ).fetchall()
    except sqlite3.OperationalError as exc:  # should not happen: the expression is ours
        raise QueryError(Code.BAD_QUERY, f"cannot search for {query!r}: {exc}", _QUERY_HINT) from exc
    return [
        SearchHit(
            doc_id=row["doc_id"],
            title=row["title"],
            published=row["published"],
            agency=row["agency"],
            snippet=snippet(row["text"], terms),
            score=round(-float(row["rank"]), 6),
        )
        for row in rows
    ]


def snippet(text: str, terms: frozenset[str] | set[str], width: int = SNIPPET_WIDTH) -> str:
    """The first sentence of ``text`` holding one of ``terms``, trimmed to about ``width``."""
    spans = sentences(text)
    for span in spans:
        if terms.intersection(search_terms(span.text)):
            return _trim(span.text, terms, width)
    return _trim(spans[0].text if spans else text, terms, width)


def _trim(sentence: str, terms: frozenset[str] | set[str], width: int) -> str:
    flat = " ".join(sentence.split())
    if len(flat) <= width:
        return flat
    start = 0
    for word in _WORD.finditer(flat):
        if terms.intersection(search_terms(word.group())):
            start = max(0, word.start() - width // 4)
            break
    if start > 0:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + width // 4 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = flat[start:end].strip()
    return ("…" if start > 0 else "") + body + ("…" if end < len(flat) else "")


# -- overview ----------------------------------------------------------------------------


def stats(store: Store) -> dict[str, Any]:
    """Counts and ranges for ``marsad stats``."""
    conn = store.connection

    def scalar(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    documents = int(scalar("SELECT count(*) FROM documents"))
    sources = int(scalar("SELECT count(*) FROM sources"))
    by_agency = {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT agency, count(*) AS n FROM documents WHERE agency IS NOT NULL"
            " GROUP BY agency ORDER BY n DESC, agency LIMIT 20"
        )
    }
    by_format = {
        row[0]: row[1]
        for row in conn.execute(
            "SELECT coalesce(format, 'unknown') AS f, count(*) AS n FROM sources"
            " GROUP BY f ORDER BY n DESC, f"
        )
    }
    published_min, published_max = conn.execute(
        "SELECT min(published), max(published) FROM documents"
    ).fetchone()
    return {
        "documents": documents,
        "sources": sources,
        "duplicates": sources - documents,
        "errors": int(scalar("SELECT count(*) FROM errors")),
        "error_occurrences": int(scalar("SELECT coalesce(sum(count), 0) FROM errors")),
        "by_agency": by_agency,
        "by_format": by_format,
        "published_min": published_min,
        "published_max": published_max,
        "schema_version": int(scalar("SELECT max(version) FROM schema_migrations")),
    }


def list_errors(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    """The inputs that failed and were not fixed since, most recent first."""
    if limit < 1:
        raise QueryError(Code.BAD_QUERY, f"limit must be at least 1, not {limit}", "pass --limit 1 or more")
    return [
        dict(row)
        for row in store.connection.execute(
            "SELECT origin, code, message, count, first_seen, last_seen FROM errors"
            " ORDER BY last_seen DESC, origin, code LIMIT ?",
            (limit,),
        )
    ]


def candidates(store: Store, limit: int = 50, examples: int = 3) -> list[dict[str, Any]]:
    """Provisional entities (ids under ``marsad:``) across stored documents, most seen first.

    Each comes with the number of documents it appears in and example sentences, so that an
    analyst can decide whether to promote it into a KB file.
    """
    found: dict[str, dict[str, Any]] = {}
    rows = store.connection.execute(
        "SELECT doc_id, data FROM documents WHERE data LIKE '%\"marsad:%' ORDER BY rowid"
    )
    for doc_id, data in rows:
        doc = json.loads(data)
        text = doc.get("text") or ""
        for entity in doc.get("entities") or []:
            if not str(entity.get("id", "")).startswith("marsad:"):
                continue
            item = found.setdefault(
                entity["id"],
                {"id": entity["id"], "name": entity.get("name"), "type": entity.get("type"),
                 "country": entity.get("country"), "role": entity.get("role"), "documents": 0,
                 "doc_ids": [], "examples": []},
            )  # fmt: skip
            item["documents"] += 1
            item["doc_ids"].append(doc_id)
            mentions = entity.get("mentions") or []
            if mentions and len(item["examples"]) < examples:
                item["examples"].append(_sentence_around(text, mentions[0]["start"], mentions[-1]["end"]))
    ranked = sorted(found.values(), key=lambda r: (-r["documents"], r["id"]))
    return ranked[:limit]


def _sentence_around(text: str, start: int, end: int) -> str:
    for span in sentences(text):
        if span.start <= start < span.end:
            return text[span.start : max(span.end, min(end, len(text)))]
    return text[max(0, start - 80) : end + 80]
