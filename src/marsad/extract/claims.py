"""The claims stage: typed numeric claims with unit, qualifier, subject, time and offsets.

Every number of the cleaned text (:mod:`marsad.arabic.numbers`) is a candidate. It becomes
a :class:`~marsad.model.Claim` when it counts or measures something:

* a unit follows it (``data/claims/units.tsv``): money as ISO 4217 ("4 مليارات دولار" →
  USD), measures ("12.7 كيلومترا" → km), percent ("5%", "بالمئة"), durations ("44 يوما"
  → day) or a counted noun ("أربع قرى" → village, "30 شركة" → company);
* or it is "واحد/واحدة" after a unit of money or measure ("متر واحد" → 1 m);
* or it carries a scale word and no unit ("6 مليار."), in which case it takes the currency
  of the money figure just before it in the same paragraph, if any, else no unit.

Numbers inside date expressions (years, days of a month, times: ``doc.dates``) and bare
numbers with nothing counted after them ("كوب 29", "القرار 2254") are not claims.

The **qualifier** comes from the words right before the number ("يتجاوز" → more_than,
"نحو" → about, "لا يتجاوز" → at_most), or right after the unit ("تقريبا"); the
**subject** is the nearest phrase of ``subjects.tsv`` before the number in its sentence
("حجم التبادل التجاري" → trade volume), kept in Arabic as found and in English; the
**time** is a date that directly follows the figure ("في عام 2023"), else the last date
before it in the sentence. One document states a figure once: a repeat with the same
value, unit and subject keeps the first evidence.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from marsad.arabic.normalize import fold
from marsad.arabic.numbers import NumberMention, NumberReader, default_reader
from marsad.arabic.phrases import PhraseTable, token_keys, token_starts
from marsad.model import Claim, DateMention, Document, Span, Token
from marsad.resources import read_tsv

__all__ = ["ClaimsStage", "Unit"]

#: How far (in tokens) the subject search looks back from the figure.
SUBJECT_WINDOW = 16
#: How far (in characters) a currency carries over to a later scaled figure.
CARRY_CHARS = 400
_PROCLITICS = frozenset("وفبل")


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of ``units.tsv``: ``codes`` has several values for a bare shared currency name."""

    codes: tuple[str, ...]
    kind: str

    @property
    def code(self) -> str:
        return self.codes[0]


class ClaimsStage:
    """Numeric claims of ``doc.text``; needs tokens, sentences and dates."""

    name = "claims"
    requires = frozenset({"text", "tokens", "sentences", "dates"})
    provides = frozenset({"claims"})

    def __init__(
        self,
        units: Iterable[Mapping[str, str]],
        qualifiers: Iterable[Mapping[str, str]],
        subjects: Iterable[Mapping[str, str]],
        words: Iterable[Mapping[str, str]] = (),
        scales: Iterable[Mapping[str, str]] = (),
        reader: NumberReader | None = None,
    ) -> None:
        """``words``: rows of ``claims/words.tsv``; ``scales``: rows of ``arabic/number_words.tsv``."""
        self.units: PhraseTable[Unit] = PhraseTable(
            (r["form"], Unit(tuple(r["unit"].split("|")), r["kind"])) for r in units
        )
        rows = list(qualifiers)
        self.before: PhraseTable[str] = PhraseTable(
            (r["form"], r["qualifier"]) for r in rows if r["position"] == "before"
        )
        self.after: PhraseTable[str] = PhraseTable(
            (r["form"], r["qualifier"]) for r in rows if r["position"] == "after"
        )
        self.subjects: PhraseTable[str] = PhraseTable((r["phrase"], r["subject"]) for r in subjects)
        self.reader = reader or default_reader()
        kinds: dict[str, set[str]] = {"time_link": set(), "one": set()}
        for r in words:
            kinds[r["kind"]].add(fold(r["word"]))
        self.time_links, self.one = frozenset(kinds["time_link"]), frozenset(kinds["one"])
        self.scales = frozenset(fold(r["word"]) for r in scales if r.get("role", "").startswith("scale"))

    @classmethod
    def load(cls) -> ClaimsStage:
        return cls(
            read_tsv("claims/units.tsv"),
            read_tsv("claims/qualifiers.tsv"),
            read_tsv("claims/subjects.tsv"),
            read_tsv("claims/words.tsv"),
            read_tsv("arabic/number_words.tsv"),
        )

    def __call__(self, doc: Document) -> Document:
        claims = self.find(doc.text, doc.tokens, doc.sentences, doc.dates)
        return replace(doc, claims=claims, provided=doc.provided | self.provides)

    def find(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Span],
        dates: Sequence[DateMention] = (),
    ) -> tuple[Claim, ...]:
        """The claims of ``text``, given its tokens, sentence spans and date mentions."""
        if not tokens:
            return ()
        keys = token_keys(tokens)
        starts = token_starts(tokens)
        date_spans = sorted((d.start, d.end) for d in dates)
        sent_starts = [s.start for s in sentences]
        out: list[Claim] = []
        seen: set[tuple[float, str | None, str | None]] = set()
        last_money: Claim | None = None
        for number in self.reader.find(text):
            if _inside(date_spans, number.start, number.end):
                continue
            first = bisect.bisect_left(starts, number.start)
            after = bisect.bisect_left(starts, number.end)
            if first >= len(tokens) or after <= first:
                continue
            claim = self._claim(text, tokens, keys, number, first, after, last_money)
            if claim is None:
                continue
            claim = self._context(claim, text, tokens, keys, starts, first, sentences, sent_starts, dates)
            if claim.kind == "money":
                last_money = claim
            key = (claim.value, claim.unit, claim.subject)
            if key in seen:
                continue
            seen.add(key)
            out.append(claim)
        return tuple(out)

    def _claim(
        self,
        text: str,
        tokens: Sequence[Token],
        keys: Sequence[str],
        number: NumberMention,
        first: int,
        after: int,
        last_money: Claim | None,
    ) -> Claim | None:
        start, end = number.start, max(number.end, tokens[after - 1].end)
        if text[start] in _PROCLITICS and text[start + 1 : start + 2].isdigit():
            start += 1  # "و5%": the conjunction is not part of the figure
        unit: Unit | None = None
        hit = self.units.match_at(keys, after)
        if number.percent:
            unit = Unit(("percent",), "percent")
            hit = self.units.match_at(keys, after)
            if hit is not None and hit[1].kind == "percent":
                end = tokens[hit[0] - 1].end
        elif hit is not None:
            unit = hit[1]
            end = tokens[hit[0] - 1].end
        elif keys[first] in self.one and after - first == 1 and first > 0:
            before = self.units.match_before(keys, first, max(0, first - 3))
            if before is None or before[1].kind not in ("money", "measure"):
                return None
            unit, start = before[1], tokens[before[0]].start
        elif keys[after - 1] in self.scales and number.kind != "words":
            carried = last_money
            if (
                carried is not None
                and number.start - carried.end <= CARRY_CHARS
                and "\n" not in text[carried.end : number.start]
            ):
                unit = Unit((carried.unit or "",), "money")
        else:
            return None
        if unit is None and number.value < 1000:
            return None
        if unit is None:
            return Claim(value=number.value, text=text[start:end], start=start, end=end)
        kind = unit.kind
        if unit.code == "year" and text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            kind = "age"  # "بيليه (74 عاما)"
        return Claim(number.value, text[start:end], start, end, unit=unit.code, kind=kind)

    def _context(
        self,
        claim: Claim,
        text: str,
        tokens: Sequence[Token],
        keys: Sequence[str],
        starts: Sequence[int],
        first: int,
        sentences: Sequence[Span],
        sent_starts: Sequence[int],
        dates: Sequence[DateMention],
    ) -> Claim:
        s = bisect.bisect_right(sent_starts, claim.start) - 1
        sent_start = sentences[s].start if s >= 0 else 0
        sent_end = sentences[s].end if s >= 0 else len(text)
        floor = bisect.bisect_left(starts, sent_start, max(0, first - SUBJECT_WINDOW), first)
        qualifier = "exact"
        subject_end = first
        hit = self.before.match_before(keys, first, floor)
        if hit is not None:
            qualifier, subject_end = hit[1], hit[0]
        else:
            last = bisect.bisect_left(starts, claim.end)
            after_hit = self.after.match_at(keys, last)
            if after_hit is not None:
                qualifier = after_hit[1]
        subject: str | None = None
        subject_ar: str | None = None
        for j in range(subject_end, floor, -1):
            found = self.subjects.match_before(keys, j, floor)
            if found is not None:
                subject = found[1]
                subject_ar = text[tokens[found[0]].start : tokens[j - 1].end]
                break
        return replace(
            claim,
            qualifier=qualifier,
            subject=subject,
            subject_ar=subject_ar,
            time=_time(text, claim, dates, sent_start, sent_end, self.time_links),
        )


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def _time(
    text: str,
    claim: Claim,
    dates: Sequence[DateMention],
    sent_start: int,
    sent_end: int,
    links: frozenset[str],
) -> str | None:
    """The date that directly follows the figure, else the last one before it in the sentence."""
    previous: str | None = None
    for d in dates:
        if d.value is None or d.end <= sent_start or d.start >= sent_end:
            continue
        if d.start >= claim.end:
            between = [w for w in text[claim.end : d.start].split() if w.strip("،,")]
            if len(between) <= 3 and all(fold(w).lstrip("و") in links for w in between):
                return d.value
            break
        if d.end <= claim.start:
            previous = d.value
    return previous
