"""The evaluation figures: one gold file and the extractor's per-document outputs in, named numbers out.

The figures and their meaning (names and values agree with ``shared/eval/score.py``):

=========================== ==================================================================
documents.missing           gold documents with no output (a count)
metadata.accuracy           published, title, agency, dateline and authors right, per field;
                            nothing counts as right for a document whose output has no text
clean.boilerplate_removed   share of gold boilerplate lines absent from the output text
clean.body_kept             share of gold cues (events, quotes, claims) present in the text
spans.valid                 share of output spans with ``text[start:end] == span text``
                            (0.0 when there is no span at all: see ``spans.checked``)
spans.checked, .invalid     counts behind ``spans.valid`` (ours; score.py lacks them)
entities.p/r/f1             name (with aliases) and coarse type (GPE = LOC) agree
events.p/r/f1               type among the gold's, actor countries covered, best cue overlap
events.date_accuracy        matched events with a gold date: system date starts with it
crossdoc.inferred_dates     dates reachable only across articles: publication and events
quotes.p/r/f1               direct quotes containing the gold cue
quotes.attribution          matched quotes whose speaker is the gold speaker
claims.p/r/f1               value within 1e-6 (relative); money/distance units must agree
stories.p, stories.r        same-story document pairs, against the gold stories
=========================== ==================================================================

Only gold documents are scored: outputs for other documents are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from itertools import combinations
from typing import Any

from marsad.evaluate.gold import Gold, GoldDocument, GoldMetadata, parse_gold
from marsad.evaluate.matching import (
    Matches,
    Record,
    Tally,
    match_claims,
    match_entities,
    match_events,
    match_quotes,
    records,
)
from marsad.evaluate.rules import Aliases, Rules, default_rules
from marsad.evaluate.text import contains, fold_arabic, fold_name

FIGURES: tuple[str, ...] = (
    "documents.missing",
    "metadata.accuracy",
    "clean.boilerplate_removed",
    "clean.body_kept",
    "spans.valid",
    "spans.checked",
    "spans.invalid",
    "entities.p",
    "entities.r",
    "entities.f1",
    "events.p",
    "events.r",
    "events.f1",
    "events.date_accuracy",
    "crossdoc.inferred_dates",
    "quotes.p",
    "quotes.r",
    "quotes.f1",
    "quotes.attribution",
    "claims.p",
    "claims.r",
    "claims.f1",
    "stories.p",
    "stories.r",
)
"""Every figure :func:`score` returns, in order."""

COUNT_FIGURES = frozenset({"documents.missing", "spans.checked", "spans.invalid"})
"""Figures that are counts (ints), not shares in [0, 1]."""

# Where spans sit in an output document: (list field, span field of each item or None for the item itself).
_SPAN_HOLDERS = (
    ("entities", "mentions"),
    ("events", "evidence"),
    ("quotes", None),
    ("claims", None),
    ("dates", None),
)


@dataclass(frozen=True)
class _Totals:
    """Counts summed over documents."""

    missing: int = 0
    metadata: Tally = field(default_factory=Tally)
    leaks: Tally = field(default_factory=Tally)  # hits = leaked boilerplate lines
    body: Tally = field(default_factory=Tally)
    bad_spans: Tally = field(default_factory=Tally)  # hits = invalid spans
    entities: Matches = field(default_factory=Matches)
    events: Matches = field(default_factory=Matches)
    dates: Tally = field(default_factory=Tally)
    inferred: Tally = field(default_factory=Tally)
    quotes: Matches = field(default_factory=Matches)
    attribution: Tally = field(default_factory=Tally)
    claims: Matches = field(default_factory=Matches)

    def __add__(self, other: _Totals) -> _Totals:
        return _Totals(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


# --- spans ----------------------------------------------------------------------------------


def _spans(doc: Record) -> Iterator[Record]:
    """Every object with ``start`` and ``end`` that the output offers as a span."""
    for list_field, span_field in _SPAN_HOLDERS:
        for item in records(doc, list_field):
            held = item.get(span_field) if span_field else item
            candidates = (
                [held] if isinstance(held, Mapping) else held if isinstance(held, (list, tuple)) else []
            )
            for span in candidates:
                if isinstance(span, Mapping) and "start" in span and "end" in span:
                    yield span


def span_ok(text: str, span: Record) -> bool:
    """Whether ``text[start:end]`` (Python slicing) equals the span's ``text``."""
    start, end = span["start"], span["end"]
    if (start is None or isinstance(start, int)) and (end is None or isinstance(end, int)):
        return text[start:end] == span.get("text")
    return False


def _check_spans(doc: Record, text: str) -> Tally:
    checked = list(_spans(doc))
    return Tally(sum(not span_ok(text, span) for span in checked), len(checked))


# --- metadata -------------------------------------------------------------------------------


def _published_ok(meta: GoldMetadata, got: object) -> bool:
    if meta.published is None and meta.published_inferable:
        return got is None or got == meta.published_inferable  # leaving it empty is no error
    return got == meta.published


def _name_ok(want: str | None, got: object, aliases: Aliases) -> bool:
    if want is None:
        return not got
    return got is not None and aliases.match(want, got)


def _author_keys(value: object) -> set[str] | None:
    if isinstance(value, (list, tuple)):
        return {fold_name(name) for name in value}
    return None if value else set()


def _check_metadata(meta: GoldMetadata, doc: Record, has_text: bool, aliases: Aliases) -> Tally:
    checks = (
        _published_ok(meta, doc.get("published")),
        fold_arabic(meta.title) == fold_arabic(doc.get("title")),
        _name_ok(meta.agency, doc.get("agency"), aliases),
        _name_ok(meta.dateline, doc.get("dateline"), aliases),
        _author_keys(meta.authors) == _author_keys(doc.get("authors")),
    )
    return Tally(sum(ok and has_text for ok in checks), len(checks))


def _inferred_published(meta: GoldMetadata, doc: Record) -> Tally:
    if not meta.published_inferable:
        return Tally()
    return Tally(int(doc.get("published") == meta.published_inferable), 1)


# --- one document ---------------------------------------------------------------------------


def _score_document(gold: GoldDocument, output: object, rules: Rules) -> _Totals:
    doc: Record = output if isinstance(output, Mapping) else {}
    raw_text = doc.get("text")
    text = raw_text if isinstance(raw_text, str) else ""
    folded = fold_arabic(text)
    events = match_events(gold.events, doc)
    quotes, attribution = match_quotes(gold.quotes, doc, rules)
    return _Totals(
        missing=int(output is None),
        metadata=_check_metadata(gold.metadata, doc, bool(text), rules.aliases),
        leaks=Tally(
            sum(not folded or contains(folded, line) for line in gold.boilerplate), len(gold.boilerplate)
        ),
        body=Tally(sum(contains(folded, cue) for cue in gold.cues), len(gold.cues)),
        bad_spans=_check_spans(doc, text),
        entities=match_entities(gold.entities, doc, rules),
        events=events.matches,
        dates=events.dates,
        inferred=_inferred_published(gold.metadata, doc) + events.inferred,
        quotes=quotes,
        attribution=attribution,
        claims=match_claims(gold.claims, doc, rules),
    )


# --- stories --------------------------------------------------------------------------------


def _story_figures(gold: Gold, outputs: Mapping[str, Any]) -> tuple[float, float]:
    """Pairwise precision and recall of "same story" over the gold documents."""
    label: dict[str, object] = {}
    for document in gold.documents:
        output = outputs.get(document.doc_id)
        label[document.doc_id] = output.get("story") if isinstance(output, Mapping) else None

    def together(a: str, b: str) -> bool:
        return bool(label[a]) and label[a] == label[b]

    gold_pairs = [pair for members in gold.stories for pair in combinations(members, 2)]
    system_pairs = {frozenset(pair) for pair in combinations(label, 2) if together(*pair)}
    right = system_pairs & {frozenset(pair) for pair in gold_pairs}
    precision = len(right) / len(system_pairs) if system_pairs else 0.0
    recall = sum(together(*pair) for pair in gold_pairs) / len(gold_pairs) if gold_pairs else 0.0
    return precision, recall


# --- all figures ----------------------------------------------------------------------------


def _prf(prefix: str, matches: Matches) -> dict[str, float]:
    return {f"{prefix}.p": matches.precision(), f"{prefix}.r": matches.recall(), f"{prefix}.f1": matches.f1()}


def _figures(totals: _Totals, stories: tuple[float, float]) -> dict[str, float]:
    spans = totals.bad_spans
    return {
        "documents.missing": totals.missing,
        "metadata.accuracy": totals.metadata.ratio(),
        "clean.boilerplate_removed": 1 - totals.leaks.ratio(),
        "clean.body_kept": totals.body.ratio(),
        "spans.valid": 1 - spans.ratio() if spans.total else 0.0,
        "spans.checked": spans.total,
        "spans.invalid": spans.hits,
        **_prf("entities", totals.entities),
        **_prf("events", totals.events),
        "events.date_accuracy": totals.dates.ratio(),
        "crossdoc.inferred_dates": totals.inferred.ratio(),
        **_prf("quotes", totals.quotes),
        "quotes.attribution": totals.attribution.ratio(),
        **_prf("claims", totals.claims),
        "stories.p": stories[0],
        "stories.r": stories[1],
    }


def score(
    gold: Mapping[str, Any],
    outputs: Mapping[str, Mapping[str, Any]],
    rules: Rules | None = None,
) -> dict[str, float]:
    """Score per-document outputs (keyed by ``doc_id``) against a gold file's content.

    Pure: reads nothing but the packaged rule data (when ``rules`` is not given) and
    returns the figures of :data:`FIGURES`, in that order; counts are ints. A malformed
    gold raises ``EvalError(BAD_GOLD)``; malformed outputs only score low.
    """
    rules = rules or default_rules()
    parsed = parse_gold(gold, rules.coarse_types)
    totals = _Totals()
    for document in parsed.documents:
        totals += _score_document(document, outputs.get(document.doc_id), rules)
    return _figures(totals, _story_figures(parsed, outputs))
