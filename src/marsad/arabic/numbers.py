"""Numbers in Arabic text: digits, number words and mixes of both.

:func:`find_numbers` returns every number in a text as a :class:`NumberMention` whose
offsets index the text as given (``text[m.start:m.end] == m.text``). The text is folded
once (:func:`marsad.arabic.normalize.normalize`); one compiled regex then finds the
candidate tokens (a digit group, or a word of ``data/arabic/number_words.tsv``, each with
optional proclitics و ف ب ل) and a small grammar joins adjacent candidates.

Rules, chosen for precision:

* Digits: Arabic-Indic and Persian digits count like ASCII ones. ``٫`` is always a decimal
  mark and ``٬`` always a thousands mark. When several separators appear, the last one is
  the decimal mark if it differs from the others ("1,234.5", "1.234,5"); otherwise all are
  thousands marks and every group after the first must have three digits ("1.000.000",
  "1,000,000"). A single "." is a decimal mark ("12.7", even "1.000" = 1.0). A single ","
  is a decimal mark before one or two digits ("2,5"), a thousands mark before three
  ("1,000"); anything else ("19.08.2024", "1,2,3", "12,3456") is no number at all.
* Times and dates ("23:50", "19/08/2024", "2024-08-19", "19.08.2024") give no mention,
  nor do digits glued to letters ("F16", "COVID-19", "5G", "30km").
* Words: units, teens, tens, hundreds and scales with gender, dual and plural forms,
  joined by و ("خمسة وعشرون", "ثلاثة آلاف وخمسمئة"). A proclitic stays inside the span,
  since a span always covers whole tokens ("بثلاثة", "وعشرين"). A standalone "و" between
  two number words joins them too.
* Vague or ambiguous words give nothing: عشرات، مئات، آلاف/ملايين without a count, أحد and
  إحدى outside 11, accusative ألفا/مليونا without a count, ordinals (الثاني عشر).
* Digits times a scale word make one mention ("4 مليارات", "نحو 30 ألفا" → "30 ألفا").
* pyarabic's ``text2number`` reads number words but not digits, mixed forms ("4 مليارات"
  gives 1e9), oblique duals ("مليوني") or ordinals (it reads "الثاني عشر" as 10), and gives
  no offsets, so the reader is our own; pyarabic's ``int2str`` is the test oracle our
  parser must read back (tests/arabic/test_numbers_pyarabic.py).
* A "%" or "٪" (after at most one space) or "في المئة"/"بالمئة" after the number sets
  ``percent``; it is never part of the span (units are left to later stages).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import Match
from typing import Final

from marsad.arabic.normalize import Normalized, fold, normalize
from marsad.arabic.patterns import AfterClass
from marsad.arabic.trie import trie_alternation
from marsad.resources import read_tsv

__all__ = [
    "NUMBER_WORDS_FILE",
    "NumberMention",
    "NumberReader",
    "default_reader",
    "find_numbers",
    "parse_digits",
    "parse_number",
]

NUMBER_WORDS_FILE: Final = "arabic/number_words.tsv"

#: Roles of the word table (see the header of ``number_words.tsv``).
ROLES: Final = frozenset(
    {"unit", "teen_unit", "ten", "tens", "hundred", "scale", "scale_acc", "scale_plural"}
    | {"scale_dual", "fraction", "ordinal", "stop"}
)
_SCALES: Final = frozenset({"scale", "scale_acc", "scale_plural", "scale_dual"})
_COUNTS: Final = frozenset({"digits", "unit", "ten", "teen", "tens", "hundred"})
_SMALL: Final = frozenset({"unit", "teen_unit", "ten", "tens", "hundred", "digits"})
_STARTERS: Final = frozenset({"digits", "unit", "teen_unit", "ten", "tens", "hundred", "scale", "scale_dual"})
_PENDING: Final = frozenset({"teen_unit", "ordinal"})

#: Where a run of digits may start: at a digit (looked at first, so that the look-behinds
#: are tried only there) not glued to a word by "." "," ":" "/" or "-".
_DIGIT_START: Final = r"(?=[0-9])(?<![^\W_][.,:/])(?<![^\W\d_]-)"
_SKIP: Final = r"[0-9]+(?:[:/][0-9]+)+|[0-9]+-[0-9]+-[0-9]+"
_NUM: Final = r"[0-9]+(?:[.,][0-9]+)*"
#: Whitespace on one line between two candidates, with an optional standalone "و".
_GAP: Final = re.compile(r"[^\S\r\n]+(?:(?P<and>و)[^\S\r\n]+)?")
_PERCENT: Final = re.compile(r"[^\S\r\n]?[%٪]|[^\S\r\n]+(?:في[^\S\r\n]+|ب)الما?يه(?![^\W_])")
_SEPARATORS: Final = re.compile("[.,٫٬]")


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number: ``start``/``end`` index the original text, ``text`` is that slice.

    ``kind`` is ``digits``, ``words`` or ``mixed``; ``percent`` is true when a percent
    sign or "في المئة" follows (outside the span).
    """

    start: int
    end: int
    text: str
    value: float
    kind: str
    percent: bool = False


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int  # folded offsets
    end: int
    role: str
    value: float
    conj: bool  # joined to the previous candidate by و
    bound: bool  # carries ب or ل: cannot continue a compound
    alt: _Cand | None = None  # the و + word reading of a word that starts with و ("وأحد")


def parse_digits(folded: str, original: str) -> float | None:
    """Value of one digit group (folded digits, original separators), or None when unclear.

    See the module docstring for the separator rule; ``original`` tells ``٫``/``٬`` apart.
    """
    parts = re.split("[.,]", folded)
    seps = _SEPARATORS.findall(original)
    if not seps:
        return float(folded)
    if len(seps) != len(parts) - 1:
        return None
    last = seps[-1]
    if last == "٫" or (last != "٬" and any(s != last for s in seps)):
        decimal = True
    elif last == "٬" or len(seps) > 1:
        decimal = False
    elif last == ".":
        decimal = True
    elif len(parts[1]) == 3:
        decimal = False
    elif len(parts[1]) <= 2:
        decimal = True
    else:
        return None
    groups, frac = (parts[:-1], parts[-1]) if decimal else (parts, "")
    grouping = seps[:-1] if decimal else seps
    if grouping:
        if len(set(grouping)) != 1 or grouping[0] == "٫" or (decimal and grouping[0] == last):
            return None
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            return None
    return float("".join(groups) + ("." + frac if decimal else ""))


class _Number:
    """The state of one mention being read left to right."""

    __slots__ = ("cur", "dead", "digits", "end", "good", "last", "scale", "start", "total", "words")

    def __init__(self, c: _Cand) -> None:
        self.start, self.end = c.start, c.end
        self.total = 0.0
        self.cur = 0.0
        self.scale = float("inf")  # the smallest scale used so far; the next must be smaller
        self.last = c.role
        self.dead = c.role == "ordinal"  # an ordinal only swallows its عشر; never a number
        self.digits = self.words = False
        self.good: tuple[int, float, bool, bool] | None = None  # end, value, digits, words
        if c.role in {"scale", "scale_dual"}:
            self.total = c.value * (2 if c.role == "scale_dual" else 1)
            self.scale = c.value
        else:
            self.cur = c.value
        self._mark(c)

    def _mark(self, c: _Cand) -> None:
        self.end = c.end
        self.digits |= c.role == "digits"
        self.words |= c.role != "digits"
        if self.last not in _PENDING and not self.dead:
            self.good = (c.end, self.total + self.cur, self.digits, self.words)

    def add(self, c: _Cand, conj: bool) -> bool:
        """Take ``c`` into this number if the grammar allows it; False leaves state as is."""
        role, last, v = c.role, self.last, c.value
        if c.bound or last == "fraction" or (self.dead and last != "ordinal"):
            return False
        if last in _PENDING:
            ok = role == "ten" and not conj
            if ok:
                self.cur += 10
                self.last = "teen"
                self._mark(c)
            return ok
        if conj:
            if last in _SCALES:
                if role in _SMALL:
                    self.cur = v
                elif role in {"scale", "scale_dual"} and v < self.scale:
                    self.total += v * (2 if role == "scale_dual" else 1)
                    self.scale = v
                elif role == "fraction":
                    self.total += v * self.scale
                else:
                    return False
            elif (last == "hundred" and role in {"unit", "teen_unit", "ten", "tens"}) or (
                last == "unit" and role == "tens" and self.cur % 100 < 10  # خمسة وعشرون
            ):
                self.cur += v
            else:
                return False
        elif last in {"unit", "teen_unit"} and role == "ten":
            self.cur += 10
            role = "teen"
        elif last == "unit" and role == "hundred" and v == 100 and self.cur < 10:
            self.cur *= 100
        elif last in _COUNTS and role in {"scale", "scale_acc", "scale_plural"} and v < self.scale:
            self.total += self.cur * v
            self.cur = 0.0
            self.scale = v
        else:
            return False
        self.last = role
        self._mark(c)
        return True


class NumberReader:
    """Finds numbers in Arabic text; loads its word table once, then is read-only."""

    def __init__(self, path: str | Path = NUMBER_WORDS_FILE) -> None:
        self.words: dict[str, tuple[str, float]] = {}
        for row in read_tsv(path):
            word, role = fold(row["word"]), row["role"]
            if role not in ROLES or not word:
                raise ValueError(f"{path}: bad row {row!r}; role must be one of {sorted(ROLES)}")
            self.words[word] = (role, float(row["value"]))
        trie = trie_alternation(self.words)
        number = (
            rf"(?P<pre>[وف]?[بل]?)(?:{_DIGIT_START}(?:(?P<skip>{_SKIP})"
            rf"|(?P<num>{_NUM})(?P<glue>[^\W_])?)|(?P<word>{trie})(?![^\W_]))"
        )
        #: A number (or a span to skip) where no letter or digit comes before it.
        self.pattern = re.compile(rf"(?<![^\W_]){number}")
        self._numbers = AfterClass(number, r"[\W_]")  # the same matches, found faster

    def find(self, text: str | Normalized) -> list[NumberMention]:
        """Every number in ``text``, in order, with offsets into the original text.

        A :class:`Normalized` text a caller already has is used as is (no second fold).
        """
        norm = text if isinstance(text, Normalized) else normalize(text)
        folded, text = norm.text, norm.original
        out: list[NumberMention] = []
        number: _Number | None = None
        for c in self._candidates(folded, text, norm.to_original):
            if number is not None and self._extend(folded, number, c):
                continue
            if number is not None:
                self._emit(number, norm, folded, out)
            number = _Number(c) if c.role in _STARTERS or c.role == "ordinal" else None
        if number is not None:
            self._emit(number, norm, folded, out)
        return out

    def parse(self, s: str) -> float | None:
        """The value of ``s`` when all of it (spaces aside) is one number, else None."""
        found = self.find(s)
        if len(found) == 1 and found[0].text == s.strip():
            return found[0].value
        return None

    def _matches(self, folded: str) -> Iterator[Match[str]]:
        """The matches of :attr:`pattern` in ``folded``, in order; each match's own start
        is ``m.start("pre")`` (the character before it may be part of the match)."""
        return (m for _, m in self._numbers.finditer(folded))

    def _candidates(self, folded: str, text: str, to_original: Callable[[int], int]) -> Iterator[_Cand]:
        for m in self._matches(folded):
            pre = m["pre"]
            start = m.start("pre")
            if m["skip"] is not None:
                continue
            if m["num"] is not None:
                if m["glue"] is not None:
                    continue
                a, b = m.span("num")
                num = m["num"]
                value = (
                    float(num) if num.isdigit() else parse_digits(num, text[to_original(a) : to_original(b)])
                )
                if value is not None:
                    yield _Cand(start, b, "digits", value, pre[:1] == "و", "ب" in pre or "ل" in pre)
                continue
            token = folded[start : m.end()]
            for i in range(len(pre) + 1):  # "واحد" is one word, not و + أحد
                entry = self.words.get(token[i:])
                if entry is not None:
                    pre = token[:i]
                    break
            else:  # pragma: no cover - the regex only matches table words
                continue
            role, value = entry
            if role == "stop":
                continue
            other = self.words.get(token[1:]) if not pre and token[0] == "و" else None
            alt = None if other is None else _Cand(start, m.end(), *other, conj=True, bound=False)
            yield _Cand(start, m.end(), role, value, pre[:1] == "و", "ب" in pre or "ل" in pre, alt)

    def _extend(self, folded: str, number: _Number, c: _Cand) -> bool:
        """Add ``c`` (or its و reading) to ``number`` when it directly follows and fits."""
        for cand in (c,) if c.alt is None else (c, c.alt):
            conj = self._joined(folded, number.end, cand)
            if conj is not None and number.add(cand, conj):
                return True
        return False

    @staticmethod
    def _joined(folded: str, end: int, c: _Cand) -> bool | None:
        """None when ``c`` does not directly follow ``end``; else whether و joins them."""
        gap = _GAP.fullmatch(folded, end, c.start)
        if gap is None or (gap["and"] is not None and c.conj):
            return None
        return c.conj or gap["and"] is not None

    @staticmethod
    def _emit(number: _Number, norm: Normalized, folded: str, out: list[NumberMention]) -> None:
        if number.good is None:
            return
        end, value, digits, words = number.good
        if not math.isfinite(value):  # hundreds of digits
            return
        a, b = norm.span_to_original(number.start, end)
        kind = "mixed" if digits and words else "digits" if digits else "words"
        percent = _PERCENT.match(folded, end) is not None
        out.append(NumberMention(a, b, norm.original[a:b], value, kind, percent))


@lru_cache(maxsize=1)
def default_reader() -> NumberReader:
    """The reader of the bundled word table, built on first use."""
    return NumberReader()


def find_numbers(text: str | Normalized, reader: NumberReader | None = None) -> list[NumberMention]:
    """Every number in ``text`` (see the module docstring for the rules)."""
    return (reader or default_reader()).find(text)


def parse_number(s: str, reader: NumberReader | None = None) -> float | None:
    """The value of a single number expression such as "ثلاثة آلاف" or "١٢٫٥", else None."""
    return (reader or default_reader()).parse(s)
