"""The dates stage: date expressions in the cleaned text, resolved against the publication date.

:class:`DatesStage` fills ``doc.dates`` with :class:`~marsad.model.DateMention` records whose
``start``/``end`` index ``doc.text``. Matching runs over the folded text with one compiled
expression (:mod:`marsad.extract.dates_lexicon`); offsets are mapped back with the
:class:`~marsad.arabic.normalize.Normalized` offset map.

What is recognized, and what it resolves to (``published`` = ``doc.published``):

* numeric dates, day first: "19.08.2024", "٢٦/١١/٢٠٢١"; year first: "2024-08-19" → day;
* month names of every system, alone or paired ("27 سبتمبر/ أيلول 2020", "سبتمبر 2023",
  "في نوفمبر/تشرين الثاني", "أبريل/ نيسان الماضي", "10 نوفمبر من العام الماضي",
  "مطلع يونيو") → day or month. Without a year: the most recent such month (or day) on or
  before publication, strictly before with الماضي, strictly after with المقبل, in the
  publication year with الجاري. A month name alone ("مارس" is also a verb) needs a day, a
  year, a pair, a cue ("في", "شهر", "مطلع") or a shift word to count as a date;
* Hijri dates "20 صفر 1446 هـ" → Gregorian day, through the optional ``hijridate`` package;
  other Hijri expressions (a month, a year "1445هـ") are kept with value None;
* years "عام 2023", "في 2022", "2023م" → year; ranges "1988ـ 1994", "بين عامي 2020 و2021"
  give **two** year mentions, one per year, each spanning its number (and era mark);
* weekdays "الاثنين", "مساء يوم الأحد", "اليوم الجمعة", "الأحد المقبل" → the most recent such
  day on or before publication (before the previous day with "أمس", strictly before with
  الماضي, the next one after publication with المقبل/القادم);
* relative days اليوم/أمس/أول أمس/غدا/بعد غد → day; الشهر/العام الماضي/المقبل/الجاري →
  month/year; week expressions ("الأسبوع الماضي") are kept with value None;
* a clock time ("الساعة 23:50") joins the span of a day-level date right before or after it,
  and is never a date by itself. Durations ("44 يوما", "منذ ما يزيد عن سنتين") are not dates.

Without a publication date, every relative expression gets value None and granularity None;
absolute dates resolve as usual. An impossible date ("31/02/2024") is not a mention; in
"31 نوفمبر 2023" only "نوفمبر 2023" is (the month and year are still fixed by the text).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from marsad.arabic.normalize import Normalized, normalize
from marsad.extract.dates_calendar import (
    HijriConverter,
    Value,
    day_value,
    hijri_converter,
    month_value,
    recent_day,
    recent_month,
    shift_month,
    weekday_date,
    year_value,
)
from marsad.extract.dates_lexicon import DatePatterns, DateWords, key, word_starts
from marsad.model import DateMention, Document, Granularity
from marsad.resources import read_tsv

__all__ = ["DatesStage"]

Match = re.Match[str]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Hit:
    """A date found in the folded text (folded offsets)."""

    start: int
    end: int
    value: str | None = None
    granularity: Granularity | None = None
    dayish: bool = False  # a day-level expression, which a clock time may join


def _hit(m: Match, group: str, value: Value | None, dayish: bool = False) -> _Hit:
    start, end = m.span(group)
    if value is None:
        return _Hit(start, end, dayish=dayish)
    return _Hit(start, end, value[0], value[1], dayish)


def _canon(table: Mapping[str, object], text: str) -> str:
    """The key of ``text`` in ``table``, also for a word with the preposition ل fused to
    its article ("للعام" = ل + العام)."""
    word = key(text)
    if word not in table and word.startswith("لل") and "ا" + word[1:] in table:
        return "ا" + word[1:]
    return word


def _lookup(table: Mapping[str, _T], text: str) -> _T:
    return table[_canon(table, text)]


def _removed_between(norm: Normalized, start: int, end: int) -> bool:
    """Whether folding removed a character between folded ``start - 1`` and ``end``."""
    return norm.to_original(end) - norm.to_original(start - 1) - 1 > end - start


def _span_hit(span: tuple[int, int], value: Value | None) -> _Hit:
    if value is None:
        return _Hit(*span)
    return _Hit(span[0], span[1], value[0], value[1])


Handler = Callable[[Match, dt.date | None, Normalized], list[_Hit] | None]


class DatesStage:
    """Date mentions of ``doc.text``, resolved against ``doc.published``."""

    name = "dates"
    requires = frozenset({"text"})
    provides = frozenset({"dates"})

    def __init__(
        self,
        months: Iterable[Mapping[str, str]],
        weekdays: Iterable[Mapping[str, str]],
        relative: Iterable[Mapping[str, str]],
        markers: Iterable[Mapping[str, str]],
        times: Iterable[Mapping[str, str]],
        *,
        hijri: HijriConverter | None = None,
    ) -> None:
        """Build the matchers from the rows of the five word lists (see :meth:`load`).

        ``hijri`` converts Hijri dates; without it they are kept with value None.
        """
        self.patterns = DatePatterns(DateWords.from_rows(months, weekdays, relative, markers, times))
        self.hijri = hijri
        self._handlers: dict[str, Handler] = {
            "N": self._numeric,
            "G": self._range,
            "M": self._month,
            "W": self._weekday,
            "R": self._relative_day,
            "U": self._unit,
            "Y": self._year,
        }

    @classmethod
    def load(cls, *, hijri: bool = True) -> DatesStage:
        """The bundled word lists; Hijri conversion if ``hijri`` and ``hijridate`` is installed."""
        return cls(
            read_tsv("arabic/months.tsv"),
            read_tsv("arabic/weekdays.tsv"),
            read_tsv("dates/relative.tsv"),
            read_tsv("dates/markers.tsv"),
            read_tsv("dates/times.tsv"),
            hijri=hijri_converter() if hijri else None,
        )

    def __call__(self, doc: Document) -> Document:
        return replace(doc, dates=self.find(doc.text, doc.published), provided=doc.provided | self.provides)

    def find(self, text: str, published: dt.date | None = None) -> tuple[DateMention, ...]:
        """The date mentions of ``text``, in order; offsets index ``text``."""
        norm = normalize(text)
        folded = norm.text
        hits: list[_Hit] = []
        match = self.patterns.master.match
        pos = 0
        for start, end, last in self.patterns.regions(folded):
            pos = max(pos, start)
            for at in word_starts(folded, pos, last):
                if at >= pos and (m := match(folded, at, end)) is not None:
                    pos = self._read(m, published, norm, hits)
        return self._mentions(text, norm, self._attach_times(folded, hits))

    def _read(self, m: Match, published: dt.date | None, norm: Normalized, hits: list[_Hit]) -> int:
        """Add the hits of a master match to ``hits``; return where to look on."""
        found = self._parse(m, published, norm)
        if found is None:
            return m.start() + 1
        hits.extend(found[0])
        return max(found[1], m.start() + 1)

    @staticmethod
    def _mentions(text: str, norm: Normalized, hits: Sequence[_Hit]) -> tuple[DateMention, ...]:
        """The hits as mentions, with offsets into the original ``text``."""
        folded = norm.text
        mentions = []
        for hit in hits:
            start, end = norm.span_to_original(hit.start, hit.end)
            if folded[hit.end - 1].isdigit():
                end = norm.to_original(hit.end - 1) + 1  # a tatweel after a digit is a dash
            mentions.append(DateMention(text[start:end], start, end, hit.value, hit.granularity))
        return tuple(mentions)

    def _parse(self, m: Match, published: dt.date | None, norm: Normalized) -> tuple[list[_Hit], int] | None:
        """The hits of a master match, trying the later forms at its start if it is no date."""
        while True:
            form = m.lastgroup
            assert form is not None
            found = self._handlers[form](m, published, norm)
            if found is not None:
                return found, m.end()
            after = self.patterns.after.get(form)
            if after is None:
                return None
            next_match = after.match(norm.text, m.start())
            if next_match is None:
                return None
            m = next_match

    # --- forms ---------------------------------------------------------------------------

    def _numeric(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        if m["N_d"] is not None:
            day, month, year = int(m["N_d"]), int(m["N_m"]), int(m["N_y"])
        else:
            day, month, year = int(m["N_d2"]), int(m["N_m2"]), int(m["N_y2"])
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        return [_hit(m, "N_s", day_value(date), dayish=True)]

    def _range(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        p = self.patterns
        if m["G_y3"] is not None:
            # glued digits are two years only where folding removed something between them
            if not _removed_between(norm, m.end("G_y3"), m.start("G_y4")):
                return None
            spans = [m.span("G_y3"), m.span("G_y4")]
            eras: list[str | None] = [None, None]
        else:
            introduced = m["G_pre"] is not None or m["G_cue"] is not None
            if m["G_join"] is not None and not introduced:
                return None
            if m["G_sp"] is not None and not introduced and not _removed_between(norm, *m.span("G_sp")):
                return None
            eras = [p.eras.get(key(e)) if e else None for e in (m["G_e1"], m["G_e2"])]
            spans = [
                (m.start("G_y1"), m.end("G_e1") if m["G_e1"] else m.end("G_y1")),
                (m.start("G_y2"), m.end("G_e2") if m["G_e2"] else m.end("G_y2")),
            ]
        first, second = (int(m.string[a : a + 4]) for a, _ in spans)
        if first >= second or "bc" in eras:
            return None
        hijri = "hijri" in eras
        return [
            _span_hit(span, None if hijri else year_value(y))
            for span, y in zip(spans, (first, second), strict=True)
        ]

    def _month(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        p = self.patterns
        name = key(m["M_m"])
        is_hijri = name not in p.months
        month = p.hijri_months[name] if is_hijri else p.months[name]
        day: int | None = None
        if m["M_d"] is not None:
            day = int(m["M_d"])
        elif m["M_o"] is not None:
            day = _lookup(p.ordinals, m["M_o"])
        if day is not None and not 1 <= day <= 31:
            return None
        year = int(m["M_y"]) if m["M_y"] is not None else None
        era = p.eras.get(key(m["M_era"])) if m["M_era"] else None
        if era == "bc":
            return None
        month_shift = _lookup(p.shifts, m["M_msh"]) if m["M_msh"] else None
        year_shift = 0 if m["M_yth"] else _lookup(p.shifts, m["M_ysh"]) if m["M_ysh"] else None
        named = m["M_mn"] is not None
        dayish = day is not None
        if is_hijri:
            if year is None and not named and month_shift is None and year_shift is None:
                return None
            if day is None or year is None or era == "gregorian" or self.hijri is None:
                return [_hit(m, "M_s", None, dayish)]
            date = self.hijri(year, month, day)
            return [_hit(m, "M_s", day_value(date) if date else None, dayish)]
        cued = m["M_cue"] is not None or m["M_part"] is not None or named
        paired = m["M_m2"] is not None or m["M_m3"] is not None
        fixed = dayish or year is not None or month_shift is not None or year_shift is not None
        if not (fixed or cued or paired):
            return None
        if era == "hijri":
            return [_hit(m, "M_s", None, dayish)]
        if year is None:
            if published is None:
                return [_hit(m, "M_s", None, dayish)]
            if year_shift is not None:
                year = published.year + year_shift
            elif day is not None:
                date = recent_day(published, month, day, month_shift)
                return [_hit(m, "M_s", day_value(date) if date else None, dayish)]
            else:
                year = recent_month(published, month, month_shift)
        if day is None:
            return [_hit(m, "M_s", month_value(year, month))]
        try:
            return [_hit(m, "M_s", day_value(dt.date(year, month, day)), dayish)]
        except ValueError:
            return None  # "31 نوفمبر 2023": no such day; the search goes on at "نوفمبر"

    def _weekday(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        p = self.patterns
        start = m.start("W_s")
        if m.start("W_s") == m.start("W_wd2") and p.not_weekday_before.search(
            m.string, max(0, start - 12), start
        ):
            return None
        if published is None:
            return [_hit(m, "W_s", None, True)]
        weekday = _lookup(p.weekdays, m["W_wd"] or m["W_wd2"])
        shift = _lookup(p.shifts, m["W_sh"]) if m["W_sh"] else None
        offset = _lookup(p.days, m["W_r"]) if m["W_r"] else 0
        date = weekday_date(published, weekday, shift, offset)
        return [_hit(m, "W_s", day_value(date) if date else None, True)]

    def _relative_day(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        p = self.patterns
        word = _canon(p.days, m["R_r"])
        if word in p.bound_days and m["R_dp"] is None and m["R_yw"] is None:
            return None
        offset = _lookup(p.days, word)
        if offset == 0:
            start, end = m.span("R_r")
            if p.not_today_after.match(norm.text, end) or p.not_today_before.search(
                norm.text, max(0, start - 12), start
            ):
                return None
        if published is None:
            return [_hit(m, "R_s", None, True)]
        try:
            date = published + dt.timedelta(days=offset)
        except OverflowError:
            return [_hit(m, "R_s", None, True)]
        return [_hit(m, "R_s", day_value(date), True)]

    def _unit(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        p = self.patterns
        unit = _lookup(p.units, m["U_u"] or m["U_u2"])
        shift = 0 if m["U_th"] else _lookup(p.shifts, m["U_sh"])
        if unit == "week" or published is None:
            return [_hit(m, "U_s", None)]
        if unit == "month":
            return [_hit(m, "U_s", month_value(*shift_month(published.year, published.month, shift)))]
        return [_hit(m, "U_s", year_value(published.year + shift))]

    def _year(self, m: Match, published: dt.date | None, norm: Normalized) -> list[_Hit] | None:
        p = self.patterns
        year = int(m["Y_y"])
        era = p.eras.get(key(m["Y_era"])) if m["Y_era"] else None
        if era == "bc":
            return None
        # with only a preposition, "في 2022" is a year but "في 1500" more likely a count
        bare = m["Y_part"] is None and m["Y_yn"] is None and era is None
        if bare and (m["Y_cue"] is None or not 1900 <= year <= 2099):
            return None
        return [_hit(m, "Y_s", None if era == "hijri" else year_value(year))]

    # --- clock times ---------------------------------------------------------------------

    def _attach_times(self, folded: str, hits: list[_Hit]) -> list[_Hit]:
        """Extend day-level hits over an adjacent clock time."""
        p = self.patterns
        if not hits or not any(needle in folded for needle in p.time_needles):
            return hits
        starts = [h.start for h in hits]
        for t_start, t_end, t_clock in p.times(folded):
            i = bisect_right(starts, t_start) - 1
            if i >= 0 and hits[i].end > t_start:
                continue  # inside a date
            if i >= 0 and hits[i].dayish and p.gap_after.fullmatch(folded, hits[i].end, t_start):
                hits[i] = replace(hits[i], end=t_end)
                continue
            j = i + 1
            if (
                j < len(hits)
                and hits[j].dayish
                and t_end <= hits[j].start
                and p.gap_before.fullmatch(folded, t_end, hits[j].start)
            ):
                hits[j] = replace(hits[j], start=t_clock)
                starts[j] = t_clock
        return hits
