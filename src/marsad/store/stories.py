"""Queries across stored documents: stories, timelines, and claims the reports disagree on.

A timeline has one row per story: the date, place and type of the story's events that
involve the actors asked for, the most frequent of them (ties go to what the story's other
events of that type say most, then to a day before a month), and the documents that report
them. Events flagged future, hypothetical, negated or historical are
no part of a timeline.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from marsad.store.db import Store
from marsad.store.facts import _who

__all__ = ["TIMELINE_COLUMNS", "contested_claims", "stories", "timeline"]

TIMELINE_COLUMNS = ("date", "place", "type", "story", "sources", "agencies", "reports")
_NOT_HAPPENED = ("future", "hypothetical", "negated", "historical")


def timeline(
    store: Store, actor: str, *, with_: str | None = None, type: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """One row per story in which ``actor`` (and ``with_``, on either side) took part."""
    src, a1 = _who("e.source", actor)
    tgt, a2 = _who("e.target", actor)
    where, args = [f"({src} OR {tgt})"], [*a1, *a2]
    if with_:
        src, b1 = _who("e.source", with_)
        tgt, b2 = _who("e.target", with_)
        where.append(f"({src} OR {tgt})")
        args += b1 + b2
    if type:
        where.append("e.type = ?")
        args.append(type.upper())
    select = (
        "SELECT e.type, e.date, e.location, e.context, d.doc_id, d.agency,"
        " coalesce(s.story, 'doc:' || d.doc_id) AS story FROM events e"
        " JOIN documents d ON d.rowid = e.doc_rowid LEFT JOIN stories s ON s.doc_rowid = e.doc_rowid"
    )
    conn = store.connection
    rows = conn.execute(select + " WHERE " + " AND ".join(where) + " ORDER BY e.doc_rowid, e.n", args)
    matched: dict[str, list[Any]] = {}
    for row in rows:
        if not set(json.loads(row["context"])) & set(_NOT_HAPPENED):
            matched.setdefault(row["story"], []).append(row)
    if not matched:
        return []
    # every event of those stories (of the type asked for) votes for the date and place
    marks = ",".join("?" * len(matched))
    story_events: dict[str, list[Any]] = {}
    also = (" AND e.type = ?", [type.upper()]) if type else ("", [])
    for row in conn.execute(
        select
        + f" WHERE coalesce(s.story, 'doc:' || d.doc_id) IN ({marks}){also[0]} ORDER BY e.doc_rowid, e.n",
        [*matched, *also[1]],
    ):
        if not set(json.loads(row["context"])) & set(_NOT_HAPPENED):
            story_events.setdefault(row["story"], []).append(row)
    out = []
    for story, events in matched.items():
        mine = Counter((e["date"], e["location"], e["type"]) for e in events)
        votes = Counter((e["date"], e["location"], e["type"]) for e in story_events.get(story, events))
        date, place, kind = max(mine, key=lambda k: (mine[k], votes[k], len(k[0] or ""), bool(k[1])))
        docs = list(dict.fromkeys(e["doc_id"] for e in events))
        agencies = list(dict.fromkeys(e["agency"] for e in events if e["agency"]))
        story_id = None if story.startswith("doc:") else story
        out.append({"date": date, "place": place, "type": kind, "story": story_id, "sources": docs,
                    "agencies": agencies, "reports": len(docs)})  # fmt: skip
    out.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["place"] or ""))
    return out[:limit]


def stories(store: Store, *, min_size: int = 1, limit: int = 100) -> list[dict[str, Any]]:
    """Stories, largest first: their documents, agencies, first and last publication dates,
    and the title of the first stored document that has one."""
    rows = store.connection.execute(
        "SELECT s.story, count(*) AS size, min(d.published) AS first, max(d.published) AS last,"
        " group_concat(d.doc_id, '|') AS docs, group_concat(DISTINCT d.agency) AS agencies,"
        " (SELECT d2.title FROM stories s2 JOIN documents d2 ON d2.rowid = s2.doc_rowid"
        "  WHERE s2.story = s.story AND d2.title IS NOT NULL ORDER BY s2.doc_rowid LIMIT 1) AS title"
        " FROM stories s JOIN documents d ON d.rowid = s.doc_rowid WHERE s.story IS NOT NULL"
        " GROUP BY s.story HAVING count(*) >= ? ORDER BY size DESC, first, s.story LIMIT ?",
        (min_size, limit),
    ).fetchall()
    return [
        {
            "story": r["story"],
            "documents": r["size"],
            "first": r["first"],
            "last": r["last"],
            "title": r["title"],
            "agencies": (r["agencies"] or "").split(",") if r["agencies"] else [],
            "doc_ids": r["docs"].split("|"),
        }
        for r in rows
    ]


def contested_claims(store: Store, *, limit: int = 100) -> list[dict[str, Any]]:
    """Claims that another report contradicts, with what each side says and who says it."""
    rows = store.connection.execute(
        "SELECT d.doc_id, d.published, d.agency, c.subject, c.value, c.unit, c.qualifier, c.text,"
        " c.contradicted_by, c.corroborated_by FROM claims c JOIN documents d ON d.rowid = c.doc_rowid"
        " WHERE c.contradicted_by != '[]' ORDER BY c.subject, c.unit, d.rowid, c.n LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        {
            "subject": r["subject"],
            "value": r["value"],
            "unit": r["unit"],
            "qualifier": r["qualifier"],
            "text": r["text"],
            "doc_id": r["doc_id"],
            "published": r["published"],
            "agency": r["agency"],
            "contradicted_by": json.loads(r["contradicted_by"]),
            "corroborated_by": json.loads(r["corroborated_by"]),
        }
        for r in rows
    ]
