"""The ``metadata`` stage: published date, agency, dateline and authors.

Facts come from the input's own metadata first (HTML meta tags, JSONL fields), then
from the metadata lines the cleaner set aside (byline, date line, dateline, credit
line, agency disclaimer) and the dateline that opens the first paragraph. Dates in
the body are never taken as the publication date: "في سبتمبر 2023" is an event's
date, not the article's. Each value records the line it came from in
``Document.evidence``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from marsad.arabic.normalize import fold
from marsad.ingest.lexicon import Dateline, Lexicon, Named
from marsad.model import Document, Removal

# rules whose lines may name the agency that supplied the article
_CREDIT_RULES = frozenset(
    {"credit", "source_credit", "dateline", "byline", "agency_disclaimer", "subscribe_agency"}
)
# rules whose lines may carry the publication date
_DATE_RULES = ("date_line", "published_line", "byline")
_BYLINE_PREFIX = re.compile(r"^\s*(?:بقلم|كتب|كتبت|كتبه|بواسطة|إعداد|اعداد|by)\s*:?\s*", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:[,،;؛&]|\band\b|\sو(?=\s))\s*")
_GLUED_AND = re.compile(r"\s+و(?=\w{2})")
_BYLINE_PARTS = re.compile(r"\s*\|\s*|\s+[-–—]\s+|\s*[–—]\s*")
_UPDATED = re.compile(r"(?:محدث|آخر تحديث|اخر تحديث|updated)", re.IGNORECASE)


class MetadataStage:
    name = "metadata"
    requires = frozenset({"text", "removed"})
    provides = frozenset({"published", "agency", "authors", "dateline"})

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, doc: Document) -> Document:
        evidence: dict[str, str] = dict(doc.evidence)
        published, published_source = self._published(doc, evidence)
        agency, dateline = self._agency_dateline(doc, evidence)
        authors = self._authors(doc, evidence)
        return replace(
            doc,
            published=published,
            published_source=published_source,
            agency=agency,
            dateline=dateline,
            authors=authors,
            evidence=tuple(sorted(evidence.items())),
            provided=doc.provided | self.provides,
        )

    def _published(self, doc: Document, evidence: dict[str, str]) -> tuple[dt.date | None, str | None]:
        if doc.hints.published:
            evidence["published"] = doc.hints.published_from or "input metadata"
            return doc.hints.published, "metadata"
        for rule in _DATE_RULES:
            for removal in _removed(doc, {rule}):
                found = self.lexicon.find_dates(fold(removal.text))
                if found:
                    evidence["published"] = removal.text
                    return found[0].value, "text"
        dateline = self._find_dateline(doc, {})
        if dateline is not None and dateline.date is not None:
            evidence["published"] = dateline.text
            return dateline.date, "text"
        if doc.hints.default_published:
            evidence["published"] = "--published option"
            return doc.hints.default_published, "metadata"
        return None, None

    def _agency_dateline(self, doc: Document, evidence: dict[str, str]) -> tuple[str | None, str | None]:
        """The agency credited in the text wins over the outlet that published the page."""
        agency: Named | None = None
        dateline: str | None = None
        found = self._find_dateline(doc, evidence)
        if found is not None:
            dateline = found.city.name if found.city else None
            agency = found.agency
            if agency:
                evidence["agency"] = evidence["dateline"]
        if agency is None:
            for removal in _removed(doc, _CREDIT_RULES):
                agency = self.lexicon.find_agency(removal.text)
                if agency:
                    evidence["agency"] = removal.text
                    break
        if agency is None and doc.hints.agency:
            evidence["agency"] = "input metadata"
            agency = self.lexicon.agency_named(doc.hints.agency)
            if agency is None:
                return doc.hints.agency, dateline
        return (agency.name if agency else None), dateline

    def _find_dateline(self, doc: Document, evidence: dict[str, str]) -> Dateline | None:
        for removal in _removed(doc, {"dateline"}):
            found = self.lexicon.dateline(removal.text)
            if found:
                evidence["dateline"] = removal.text
                return found
        first = _first_paragraph(doc)
        found = self.lexicon.inline_dateline(first)
        if found:
            evidence["dateline"] = first[: len(found.text)]
        return found

    def _authors(self, doc: Document, evidence: dict[str, str]) -> tuple[str, ...]:
        if doc.hints.authors:
            evidence["authors"] = "input metadata"
            return doc.hints.authors
        for removal in _removed(doc, {"byline"}):
            names: list[str] = []
            for part in _BYLINE_PARTS.split(removal.text):
                if self.lexicon.find_dates(fold(part)) or _UPDATED.search(part):
                    continue
                part = _BYLINE_PREFIX.sub("", part)
                for name in _NAME_SPLIT.split(part):
                    names.extend(_split_glued_and(name.strip().strip(" .-")))
            names = [n for n in names if n and len(n.split()) <= 5 and self.lexicon.agency(n) is None]
            if names:
                evidence["authors"] = removal.text
                return tuple(names)
        return ()


def _split_glued_and(name: str) -> list[str]:
    """ "ليلى حسن وعمر فاروق" is two people; "سامي وليد" is one (each part needs two words)."""
    parts = _GLUED_AND.split(name)
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return [p.strip() for p in parts]
    return [name]


def _removed(doc: Document, rules: set[str] | frozenset[str]) -> list[Removal]:
    return [r for r in doc.removed if r.rule in rules]


def _first_paragraph(doc: Document) -> str:
    """The first paragraph after the title line."""
    paragraphs = [p for p in doc.text.split("\n") if p.strip()]
    if doc.title and paragraphs and paragraphs[0].strip() == doc.title:
        paragraphs = paragraphs[1:]
    return paragraphs[0] if paragraphs else ""
