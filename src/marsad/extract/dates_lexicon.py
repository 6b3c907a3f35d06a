"""Word lists and compiled patterns of the dates stage.

:class:`DateWords` holds the folded word lists (months and weekdays from
``data/arabic``, the rest from ``data/dates``); :class:`DatePatterns` compiles them into
one master expression, whose alternatives are named after the *form* they recognize, and
a few small helpers. All patterns run over folded text (:func:`marsad.arabic.normalize.fold`).

Forms, in the order they are tried at one position (group names are prefixed by the form):

``N`` numeric date "19.08.2024", "2024-08-19";  ``G`` year range "1988ـ 1994";
``M`` anything with a month name "27 سبتمبر/ أيلول 2020", "أبريل الماضي";
``W`` weekday "مساء يوم الأحد";  ``R`` relative day "أمس";  ``U`` unit "الشهر الماضي";
``Y`` year "عام 2023", "في 2022", "2023م".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from marsad.arabic.normalize import fold
from marsad.arabic.patterns import AfterClass
from marsad.arabic.trie import trie_alternation

__all__ = ["ANCHOR_REACH", "DatePatterns", "DateWords", "key", "word_starts"]

SP = r"[^\S\r\n]+"
OSP = r"[^\S\r\n]*"
_COMMA = rf"(?:{OSP}[،,])?{OSP}"
_YEAR = r"(?:1\d{3}|20\d{2})"
_NOT_AFTER_NUMBER = r"(?![.,:/\-]\d)"
#: How far (in characters of folded text) a date may reach before and after the digit or
#: word that anchors it. Over all SaudiNewsNet (72,247 date mentions) the most is 22 characters
#: before ("الموافق للتاسع من شهر ذي القعدة") and 12 after; dates never span a line break.
ANCHOR_REACH = 60
_BEFORE_NUMBER = r"(?<![.,:/\-])"
#: Proclitics that may sit on the first word of a date: و/ف, then ب/ل ("وبالأمس", "للعام").
_CLITICS = r"(?:[وف](?=\w))?(?:[بل](?=\w))?"

_RELATIVE_KINDS = frozenset({"day", "day_bound", "unit", "shift", "this", "part"})
_MARKER_KINDS = frozenset(
    {
        "cue", "month_noun", "day_noun", "year_noun", "of", "range_noun", "range_from",
        "range_join", "linker", "era", "ordinal", "not_today_before", "not_today_after", "not_weekday_before",
    }
)  # fmt: skip
_TIME_KINDS = frozenset(
    {"daypart", "time_noun", "hour", "ampm", "zone", "zone_lead", "time_cue", "time_link"}
)


def key(text: str) -> str:
    """The lookup key of a word or matched phrase: folded, with single spaces."""
    return " ".join(fold(text).split())


_ARTICLE_ATOM: Final = r"(?:ال|لل)"


def _atoms(word: str) -> tuple[str, ...]:
    """A word or phrase as regex pieces: one per character, :data:`SP` for a space, and
    the article as ``(?:ال|لل)`` (after the preposition ل the article loses its alef:
    ل + العام = للعام, one word)."""
    first = word.split(" ")[0]
    head: tuple[str, ...] = ()
    if word.startswith("ال") and len(first) > 2:
        head, word = (_ARTICLE_ATOM,), word[2:]
    return head + tuple(SP if ch == " " else re.escape(ch) for ch in word)


def _needle(word: str) -> str:
    """The first word of ``word`` as :func:`_atoms` matches it literally (no article):
    every text the word's expression matches contains it."""
    first = word.split(" ")[0]
    return first[2:] if first.startswith("ال") and len(first) > 2 else first


#: A space or line break: where a searched stretch of text may end.
_SPACE = re.compile(r"\s")
#: A character that is no word character, before one that is: a word starts after it.
_BEFORE_WORD = re.compile(r"\W(?=\w)")
_WORD_CHAR = re.compile(r"\w")


def word_starts(folded: str, start: int, last: int) -> list[int]:
    """The offsets in ``start..last`` where a word starts: the only places the master
    expression, which begins with ``(?<!\\w)`` and a word character, can match."""
    found = [0] if start == 0 and _WORD_CHAR.match(folded) is not None else []
    return found + [m.end() for m in _BEFORE_WORD.finditer(folded, max(start - 1, 0), last + 1)]


def _alt(words: Iterable[str]) -> str:
    """One group matching any of ``words`` (see :mod:`marsad.arabic.trie`)."""
    return trie_alternation(_atoms(w) for w in set(words))


def _by_kind(
    rows: Iterable[Mapping[str, str]], kinds: frozenset[str], name: str
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {kind: {} for kind in kinds}
    for row in rows:
        kind = row.get("kind", "")
        if kind not in out:
            raise ValueError(f"{name}: unknown kind {kind!r} (expected one of {', '.join(sorted(kinds))})")
        out[kind][key(row["word"])] = row.get("value", "")
    return out


def _ints(items: Mapping[str, str], name: str) -> dict[str, int]:
    try:
        return {k: int(v) for k, v in items.items()}
    except ValueError as exc:
        raise ValueError(f"{name}: a value is not a whole number ({exc})") from None


@dataclass(frozen=True, slots=True)
class DateWords:
    """The folded word lists of the dates stage (see the headers of the data files)."""

    months: Mapping[str, int]
    hijri_months: Mapping[str, int]
    weekdays: Mapping[str, int]
    relative: Mapping[str, Mapping[str, str]]
    markers: Mapping[str, Mapping[str, str]]
    times: Mapping[str, Mapping[str, str]]

    @classmethod
    def from_rows(
        cls,
        months: Iterable[Mapping[str, str]],
        weekdays: Iterable[Mapping[str, str]],
        relative: Iterable[Mapping[str, str]],
        markers: Iterable[Mapping[str, str]],
        times: Iterable[Mapping[str, str]],
    ) -> DateWords:
        gregorian: dict[str, int] = {}
        hijri: dict[str, int] = {}
        for row in months:
            table = hijri if row["system"] == "hijri" else gregorian
            table[key(row["name"])] = int(row["month"])
        return cls(
            months=gregorian,
            hijri_months=hijri,
            weekdays={key(r["name"]): int(r["weekday"]) for r in weekdays},
            relative=_by_kind(relative, _RELATIVE_KINDS, "relative.tsv"),
            markers=_by_kind(markers, _MARKER_KINDS, "markers.tsv"),
            times=_by_kind(times, _TIME_KINDS, "times.tsv"),
        )


class DatePatterns:
    """The compiled expressions and lookup tables built from one :class:`DateWords`."""

    def __init__(self, words: DateWords) -> None:
        rel, mk, tm = words.relative, words.markers, words.times
        self.months = dict(words.months)
        self.hijri_months = dict(words.hijri_months)
        self.weekdays = dict(words.weekdays)
        self.days = _ints({**rel["day"], **rel["day_bound"]}, "relative.tsv day")
        self.bound_days = frozenset(rel["day_bound"])
        self.units = dict(rel["unit"])
        self.shifts = _ints(rel["shift"], "relative.tsv shift")
        self.eras = dict(mk["era"])
        self.ordinals = _ints(mk["ordinal"], "markers.tsv ordinal")
        for unit in self.units.values():
            if unit not in {"week", "month", "year"}:
                raise ValueError(f"relative.tsv: unit value {unit!r} is not week, month or year")

        dp, dayn, of = _alt(tm["daypart"]), _alt(mk["day_noun"]), _alt(mk["of"])
        cue, part, shift, this = _alt(mk["cue"]), _alt(rel["part"]), _alt(rel["shift"]), _alt(rel["this"])
        yearn, era = _alt(mk["year_noun"]), _alt(mk["era"])
        unit = _alt(rel["unit"])
        year_unit = _alt(w for w, u in self.units.items() if u == "year")
        mon, mon_g = _alt([*self.months, *self.hijri_months]), _alt(self.months)
        wd_all = _alt(self.weekdays)
        wd_def = _alt(w for w in self.weekdays if w.startswith("ال"))
        days = _alt(self.days)
        free_days = _alt(w for w in self.days if w not in self.bound_days)

        def weekday_prefix(p: str) -> str:
            # "مساء يوم الأحد الموافق " before a numbered day
            return (
                rf"(?:(?P<{p}dp>{dp}){SP})?(?:{dayn}{SP})?"
                rf"(?:(?P<{p}wd>{wd_def}){_COMMA}(?:{_alt(mk['linker'])}{SP})?)?"
            )

        numeric = (
            rf"(?P<N>(?P<N_s>{weekday_prefix('N_')}(?<![\d.,:/\-])"
            r"(?:(?P<N_d>\d{1,2})(?P<N_sep>[./\-])(?P<N_m>\d{1,2})(?P=N_sep)(?P<N_y>(?:19|20)\d{2})"
            r"|(?P<N_y2>(?:19|20)\d{2})(?P<N_sep2>[./\-])(?P<N_m2>\d{1,2})(?P=N_sep2)(?P<N_d2>\d{1,2}))"
            rf"(?!\d){_NOT_AFTER_NUMBER}))"
        )
        year_range = (
            rf"(?P<G>(?:(?P<G_cue>{cue}){SP})?(?:(?P<G_pre>(?:{_alt(mk['range_from'])}{SP})?(?:{_alt(mk['range_noun'])}|{yearn})){OSP})?"
            rf"{_BEFORE_NUMBER}(?P<G_y1>{_YEAR})(?!\d)(?:{OSP}(?P<G_e1>{era})(?!\w))?"
            rf"(?:(?P<G_dash>{OSP}[\-–—]{OSP})|{SP}(?P<G_join>{_alt(mk['range_join'])}){OSP}(?:{yearn}{OSP})?"
            rf"|(?P<G_sp>{SP}))"
            rf"(?P<G_y2>{_YEAR})(?!\d)(?:{OSP}(?P<G_e2>{era}))?(?!\w){_NOT_AFTER_NUMBER}"
            # two years glued by a tatweel that folding removed: "1988ـ1994"
            rf"|{_BEFORE_NUMBER}(?P<G_y3>{_YEAR})(?P<G_y4>{_YEAR})(?!\w){_NOT_AFTER_NUMBER})"
        )
        month = (
            rf"(?P<M>(?:(?P<M_cue>{cue}){SP})?(?P<M_s>{weekday_prefix('M_')}"
            rf"(?:(?P<M_part>{part}){SP})?"
            rf"(?:(?:ال)?(?P<M_d>[0-3]?\d)(?!\d){OSP}(?:{of}{SP})?|(?P<M_o>{_alt(self.ordinals)}){SP}{of}{SP})?"
            rf"(?:(?P<M_mn>{_alt(mk['month_noun'])}){SP})?"
            rf"(?P<M_m>{mon})(?!\w)"
            rf"(?:{OSP}[/\\\-–—]{OSP}(?P<M_m2>{mon_g})(?!\w)|{OSP}\({OSP}(?P<M_m3>{mon_g}){OSP}\))?"
            rf"(?:{_COMMA}(?:{of}{SP})?(?:(?P<M_yn>{yearn}){OSP})?(?P<M_y>{_YEAR})(?!\d)"
            rf"(?:{OSP}(?P<M_era>{era})(?!\w))?(?!\w)"
            rf"|{SP}(?:{of}{SP})?(?:(?P<M_yth>{this}){SP}{year_unit}|{year_unit}{SP}(?P<M_ysh>{shift}))(?!\w)"
            rf"|{SP}(?P<M_msh>{shift})(?!\w))?))"
        )
        weekday = (
            rf"(?P<W>(?P<W_s>(?:(?P<W_dp>{dp}){SP})?(?:(?P<W_r>{free_days}){SP})?"
            rf"(?:{dayn}{SP}(?P<W_wd>{wd_all})|(?P<W_wd2>{wd_def}))(?!\w)"
            rf"(?:{SP}(?P<W_sh>{shift})(?!\w))?))"
        )
        relday = rf"(?P<R>(?P<R_s>(?:(?P<R_dp>{dp}){SP})?(?:(?P<R_yw>{dayn}){SP})?(?P<R_r>{days})(?!\w)))"
        unit_form = (
            rf"(?P<U>(?P<U_s>(?:(?P<U_part>{part}){SP})?"
            rf"(?:(?P<U_th>{this}){SP}(?P<U_u>{unit})|(?P<U_u2>{unit}){SP}(?P<U_sh>{shift}))(?!\w)))"
        )
        year = (
            rf"(?P<Y>(?:(?P<Y_cue>{cue}){SP})?(?P<Y_s>(?:(?P<Y_part>{part}){SP})?(?:(?P<Y_yn>{yearn}){OSP})?"
            rf"{_BEFORE_NUMBER}(?P<Y_y>{_YEAR})(?!\d)(?:{OSP}(?P<Y_era>{era})(?!\w))?)(?!\w){_NOT_AFTER_NUMBER})"
        )
        forms = [numeric, year_range, month, weekday, relday, unit_form, year]
        #: The form names, in the order they are tried.
        self.forms: tuple[str, ...] = ("N", "G", "M", "W", "R", "U", "Y")
        #: The one pass over a folded text.
        self.master = re.compile(rf"(?<!\w){_CLITICS}(?:{'|'.join(forms)})")
        #: What every date form holds: a month, weekday, relative-day or unit word, or a
        #: year (a run of 4 or more digits: every form with digits and no such word has
        #: one), or digits glued to a word ("26سبتمبر", where the month is no word start).
        #: Text far from all of these cannot hold a date, so the master expression only
        #: runs near them (see :data:`ANCHOR_REACH`). Numbers of 1–3 digits, common in
        #: news, are thus no anchors of their own.
        anchors = _alt([*self.months, *self.hijri_months, *self.weekdays, *self.days, *self.units])
        anchor_word = rf"{_CLITICS}(?:ال)?{anchors}(?!\w)"
        self.anchor = re.compile(rf"\d{{4,}}|\d+(?=[^\W\d_])|(?<!\w){anchor_word}")
        # The same anchors, found faster (:meth:`anchor_spans`): digit runs by an expression
        # that begins with a digit, words as an AfterClass (neither begins with a look-behind).
        self._digit_anchor = re.compile(r"\d(?:\d{3,}|\d*(?=[^\W\d_]))")
        self._word_anchor = AfterClass(anchor_word, r"\W")
        #: For each form, the forms after it: tried at the same position when a match of
        #: that form turns out not to be a date (a month name used as a word, ...).
        self.after: dict[str, re.Pattern[str]] = {
            name: re.compile(rf"(?<!\w){_CLITICS}(?:{'|'.join(forms[i + 1 :])})")
            for i, name in enumerate(self.forms[:-1])
        }

        clock = r"\d{1,2}(?:[:.]\d{2}){0,2}(?!\d)"
        #: A clock time ("الساعة 23:50", "في الساعة العاشرة صباحا بتوقيت غرينتش"); group ``t``.
        time = (
            rf"(?:{_alt(tm['time_cue'])}{SP})?"
            rf"(?P<t>(?:{_alt(tm['time_noun'])}{OSP}(?:{clock}|{_alt(tm['hour'])}(?!\w))"
            rf"|(?<![\d.:/])\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d))"
            rf"(?:{SP}{_alt(tm['ampm'])}(?!\w))?"
            rf"(?:{SP}(?:{_alt(tm['zone'])}|{_alt(tm['zone_lead'])}{SP}[^\W\d_]+)(?!\w))?)"
        )
        self.time = re.compile(rf"(?<!\w){time}")
        self._times = AfterClass(time, r"\W")  # the same times, found faster (:meth:`times`)
        #: What every clock time holds: a time noun (its first word, without the article),
        #: or the colon of "23:50". A text with none of them has no clock time to look for.
        self.time_needles: tuple[str, ...] = (":", *sorted({_needle(w) for w in tm["time_noun"]}))
        #: What may stand between a date and a clock time after it.
        self.gap_after = re.compile(_COMMA)
        #: What may stand between a clock time and a date after it.
        self.gap_before = re.compile(rf"{_COMMA}(?:{_alt(tm['time_link'])}{SP})?")
        #: After "اليوم": a word that makes it "that day", not "today" (matched at its end).
        #: A word with the article does ("اليوم الأول"), but not the preposition إلى (folded الي).
        self.not_today_after = re.compile(rf"{SP}(?:(?!الي(?!\w))ال\w|{_alt(mk['not_today_after'])}(?!\w))")
        #: Before "اليوم" (searched up to its start).
        self.not_today_before = re.compile(rf"(?<!\w){_alt(mk['not_today_before'])}{SP}\Z")
        #: Before a weekday name (searched up to its start).
        self.not_weekday_before = re.compile(rf"(?<!\w){_alt(mk['not_weekday_before'])}{SP}\Z")

    def anchor_spans(self, folded: str) -> list[tuple[int, int]]:
        """The spans of :attr:`anchor`'s matches in ``folded``, in order. Digits and words
        never overlap, so they are found apart: digit runs, and the anchor words at the
        text's start or after a character that is no word character."""
        spans = [m.span() for m in self._digit_anchor.finditer(folded)]
        spans += [(start, m.end()) for start, m in self._word_anchor.finditer(folded)]
        spans.sort()
        return spans

    def times(self, folded: str) -> list[tuple[int, int, int]]:
        """``(start, end, start of group t)`` of :attr:`time`'s matches in ``folded``, in
        order: at the text's start, and after a character that is no word character."""
        return [(start, m.end(), m.start("t")) for start, m in self._times.finditer(folded)]

    def regions(self, folded: str) -> list[tuple[int, int, int]]:
        """The stretches of the text that may hold a date: each anchor (a digit, a month,
        weekday, relative-day or unit word) with :data:`ANCHOR_REACH` characters around it
        (to the next space after), overlapping stretches merged; with each, the last
        character of its last anchor. A date holds the start of an anchor: of one found
        here, or of one inside it (the search gives no overlapping anchors: "الاول من امس"
        hides "امس"). So it starts no later than that character: the master expression is
        tried only at the word starts up to there, and may run on to the stretch's end."""
        regions: list[tuple[int, int, int]] = []
        limit = len(folded)
        for first, past in self.anchor_spans(folded):
            start, end = max(first - ANCHOR_REACH, 0), min(past + ANCHOR_REACH, limit)
            # End on a space: the expressions' look-aheads then see there what they would see
            # in the whole text (a word character cut off would look like the text's end).
            space = _SPACE.search(folded, end)
            end = space.start() if space is not None else limit
            if regions and start <= regions[-1][1]:
                regions[-1] = (regions[-1][0], end, past - 1)
            else:
                regions.append((start, end, past - 1))
        return regions
