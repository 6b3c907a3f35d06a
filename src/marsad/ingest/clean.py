"""Cleaning plain-text pages: drop page furniture, keep every sentence of the body.

The cleaner works line by line over the decoded input. Each line is either kept,
dropped as boilerplate (menus, share buttons, comment forms, agency disclaimers …),
or set aside as a *metadata line* (byline, date line, dateline, credit line) whose
facts the metadata stage reads. The phrase rules live in ``data/clean/rules.tsv``;
the shape rules here are general: a line with no Arabic letters and a few words is
interface text, a line that is only a date is a date line, a line that is only
"city/agency" is a dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np

from marsad.arabic.normalize import ARRAY_FOLD_MIN, Normalized, bmp_code_points, fold, normalize
from marsad.ingest.lexicon import Lexicon
from marsad.model import Document, Removal
from marsad.resources import read_lines, read_tsv

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_TERMINATOR = re.compile(r"[.!?؟](?:\s|$|[\"'»”)\]])")
_WORD = re.compile(r"\w+")
_SEPARATORS = re.compile(r"[>»›|/\\•·]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z.&'-]*")
_LABEL_SPLIT = re.compile(r"\s+[-–—|]\s+|\s*\|\s*")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_DATE_FILLER = re.compile(
    r"(?<!\w)(?:م|ه|هـ|ص|الساعه|الساعة|بتوقيت|توقيت|gmt|utc|تاريخ النشر|نشر في|نشر بتاريخ|نشر|محدث|اخر تحديث|"
    r"الموافق|الميلادي|الهجري|مكه المكرمه|القدس|غرينتش|am|pm)(?!\w)",
    re.IGNORECASE,
)

BODY_MIN_WORDS = 30
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250
TITLE_SEARCH_LINES = 8
TITLE_MIN_FULL_WORDS = 4
REPEAT_WINDOW = 12  # a headline repeated further down (a refrain) is text
UI_MAX_WORDS = 8
LABEL_MAX_WORDS = 3
BLOCK_ITEM_MAX_WORDS = 18


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: str
    scope: str
    max_words: int
    pattern: re.Pattern[str]
    #: Words (folded, without case) one of which every match of ``pattern`` contains; empty
    #: when the rule has none. A line without any of them is not searched.
    needles: tuple[str, ...] = ()

    def may_match(self, folded: str) -> bool:
        """Whether ``folded`` holds one of the rule's needles (always, for a rule without)."""
        return not self.needles or any(needle in folded for needle in self.needles)


def load_rules(rows: list[dict[str, str]]) -> list[Rule]:
    """Compile rule rows: fold the Arabic of each pattern and let any space match any run of spaces."""
    rules = []
    for row in rows:
        source = fold(row["pattern"]).replace(" ", r"\s+")
        needles = tuple(fold(n) for n in (row.get("needles") or "").split("|") if n)
        if any(not n or n != n.lower() or n != n.upper() or n.split() != [n] for n in needles):
            raise ValueError(
                f"clean rule {row['rule']!r}: needles must be single words without case, not {needles!r}"
            )
        rules.append(
            Rule(
                row["rule"],
                row["kind"],
                row["scope"],
                int(row["max_words"] or 0),
                re.compile(source, re.I),
                needles,
            )
        )
    return rules


@lru_cache(maxsize=1024)
def words(text: str) -> int:
    """How many words (runs of ``\\w``) ``text`` has (asked several times per line: the last
    lines are cached). A long line is counted on its code points as an array."""
    if len(text) >= ARRAY_COUNT_MIN and (count := _count_runs(text)) is not None:
        return count
    return len(_WORD.findall(text))


#: Lines at least this long are counted by :func:`_count_runs` (2.7 times as fast as
#: ``findall`` on SaudiNewsNet paragraphs): the length from which folding uses an array too.
ARRAY_COUNT_MIN = ARRAY_FOLD_MIN


@cache
def _word_chars() -> np.ndarray:
    """For each code point of the Basic Multilingual Plane, whether ``\\w`` matches it."""
    return np.array([_WORD.match(chr(code)) is not None for code in range(0x10000)])


def _count_runs(text: str) -> int | None:
    """How many runs of word characters ``text`` has, or None for a text with characters
    outside the Basic Multilingual Plane."""
    codes = bmp_code_points(text)
    if codes is None:
        return None
    word = _word_chars()[codes]
    return int(word[0]) + int(np.count_nonzero(word[1:] & ~word[:-1]))


def is_body(line: str) -> bool:
    """A body paragraph: a full sentence, or a long run of words."""
    n = words(line)
    if n >= BODY_MIN_WORDS:
        return True
    stripped = line.rstrip()
    if n <= 15 and stripped.endswith(("؟", "?", "!")) and not _TERMINATOR.search(stripped[:-1]):
        return False  # a headline asking a question
    return n >= 4 and bool(_TERMINATOR.search(stripped))


class Cleaner:
    """The ``clean`` stage: raw page text to cleaned text, title and removed lines."""

    name = "clean"
    requires = frozenset({"raw"})
    provides = frozenset({"text", "title", "removed"})

    def __init__(self, lexicon: Lexicon, rules: list[Rule], sections: list[str]) -> None:
        self.lexicon = lexicon
        self.rules = rules
        self.block_rules = frozenset(r.name for r in rules if r.scope == "block")
        folded_sections = sorted({fold(s) for s in sections}, key=len, reverse=True)
        self.section_words = frozenset(folded_sections)
        self.section_re = re.compile("|".join(re.escape(s) for s in folded_sections))

    @classmethod
    def load(cls, lexicon: Lexicon) -> Cleaner:
        return cls(lexicon, load_rules(read_tsv("clean/rules.tsv")), read_lines("clean/sections.txt"))

    def __call__(self, doc: Document) -> Document:
        lines = doc.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        body = [i for i, line in enumerate(lines) if line.strip() and is_body(line.strip())]
        first_body, last_body = (body[0], body[-1]) if body else (len(lines), -1)
        kept: list[tuple[int, str]] = []
        removed: list[Removal] = []
        foreign: list[tuple[int, str]] = []  # short non-Arabic lines inside the body zone: decided below
        in_block = False
        for number, line in enumerate(lines):
            stripped = line.strip()
            if not stripped:
                kept.append((number, ""))
                continue
            folded = normalize(stripped)
            edge = number < first_body or number > last_body
            verdict = self._classify(stripped, folded.text, edge)
            if in_block and verdict is None:
                if not is_body(stripped) and words(stripped) <= BLOCK_ITEM_MAX_WORDS:
                    removed.append(Removal("boilerplate", "related_block", stripped, number))
                    continue
                in_block = False
            if verdict is not None:
                kind, rule = verdict
                removed.append(Removal(kind, rule, stripped, number))
                in_block = rule in self.block_rules
                continue
            cut = self._tail(stripped, folded)
            if cut is not None:
                removed.append(Removal("boilerplate", cut[1], stripped[cut[0] :].strip(), number))
                stripped = stripped[: cut[0]].rstrip()
                if not stripped:
                    continue
            elif _is_foreign(stripped):
                foreign.append((number, stripped))
            kept.append((number, line.rstrip() if cut is None else stripped))
        kept = self._drop_foreign_ui(kept, removed, foreign)
        kept, title, crumbs = self._title(kept, doc.hints.title)
        removed.extend(crumbs)
        text = _join([line for _, line in kept])
        removed.sort(key=lambda r: r.line)
        provided = doc.provided | self.provides
        return replace(doc, text=text, title=title, removed=tuple(removed), provided=provided)

    @staticmethod
    def _drop_foreign_ui(
        kept: list[tuple[int, str]], removed: list[Removal], foreign: list[tuple[int, str]]
    ) -> list[tuple[int, str]]:
        """A short non-Arabic line amid the body is interface text only beside other furniture.

        "Baki" between a byline and a dateline goes; a list of English film titles inside
        an article stays.
        """
        if not foreign:
            return kept
        gone = {r.line for r in removed}
        filled = [number for number, line in kept if line.strip()]
        order = {number: i for i, number in enumerate(filled)}
        drop: set[int] = set()
        for number, line in foreign:
            i = order[number]
            before = filled[i - 1] if i > 0 else -1
            after = filled[i + 1] if i + 1 < len(filled) else None
            near = [n for n in range(before + 1, after if after is not None else number + 2) if n != number]
            if any(n in gone for n in near):
                drop.add(number)
                removed.append(Removal("boilerplate", "non_arabic_ui", line, number))
        return [(n, line) for n, line in kept if n not in drop]

    def _classify(self, line: str, flat: str, edge: bool) -> tuple[str, str] | None:
        """(kind, rule) for a line to set aside, or None to keep it.

        ``edge`` is true above the first and below the last body paragraph, where
        navigation and interface lines live; amid the body only the phrase rules and
        metadata shapes apply.
        """
        n = words(line)
        body = is_body(line)
        for rule in self.rules:
            if rule.scope == "tail" or (rule.max_words and n > rule.max_words):
                continue
            if rule.scope == "edge" and body:
                continue
            if rule.pattern.fullmatch(flat):
                return rule.kind, rule.name
        if body:
            return None
        if "|" in line and self.lexicon.find_dates(flat):
            return "metadata", "byline"
        if self.is_date_line(flat):
            return "metadata", "date_line"
        dateline = self.lexicon.dateline(line) if n <= 6 else None
        if dateline is not None:
            # "أميرة المولد – عين اليوم" is a writer and her outlet, not a place and an agency
            bylined = dateline.city is None and "/" not in line and "(" not in line
            return "metadata", "byline" if bylined else "dateline"
        if n <= 5 and self.lexicon.agency(line) is not None:
            return "metadata", "credit"
        if edge and _is_foreign(line):
            return "boilerplate", "non_arabic_ui"
        if edge and self.is_crumb(flat):
            return "boilerplate", "navigation"
        return None

    def _tail(self, line: str, folded: Normalized) -> tuple[int, str] | None:
        """Where a trailing disclaimer starts inside a line (original offset), with its rule."""
        for rule in self.rules:
            if rule.scope != "tail" or not rule.may_match(folded.text):
                continue
            for match in rule.pattern.finditer(folded.text):
                start = match.start()
                before = folded.text[:start].rstrip()
                if before and not before.endswith((".", "!", "؟", "?", "»", '"', "”")):
                    continue
                if rule.max_words and words(match.group(0)) > rule.max_words:
                    continue
                return folded.to_original(start), rule.name
        return None

    def is_date_line(self, flat: str) -> bool:
        """A line that holds a date and nothing else of substance (weekday, time, 'نشر في').

        A short section or outlet label set off by a dash or bar may come with it:
        "أخبار موريتانيا - الاثنين 20 نوفمبر 2023".
        """
        parts = [p for p in _LABEL_SPLIT.split(flat) if p.strip()]
        if len(parts) > 1:
            dated = [p for p in parts if self._only_date(p)]
            return len(dated) == 1 and all(p in dated or words(p) <= LABEL_MAX_WORDS for p in parts)
        return self._only_date(flat)

    def _only_date(self, flat: str) -> bool:
        found = self.lexicon.find_dates(flat)
        if not found:
            return False
        rest = flat
        for f in reversed(found):
            rest = rest[: f.start] + " " + rest[f.end :]
        rest = self.lexicon.weekday_re.sub(" ", rest)
        rest = _DATE_FILLER.sub(" ", _TIME.sub(" ", rest))
        return words(rest) == 0

    def is_crumb(self, flat: str) -> bool:
        """Navigation: section words, glued together or between separators, maybe a Latin site name."""
        core = _LATIN_WORD.sub(" ", flat)
        core_words = _WORD.findall(core)
        if not core_words:
            return False
        if " ".join(core_words) in self.section_words:
            return True
        letters = sum(len(w) for w in core_words)
        rest = self.section_re.sub("", "".join(core_words))
        hits = len(self.section_re.findall(core))
        glued = any(self.section_re.fullmatch(w) is None and self.section_re.match(w) for w in core_words)
        framed = len(_SEPARATORS.findall(flat)) >= 1
        return hits >= 2 and (glued or framed) and len(rest) <= 0.25 * letters

    def _title(
        self, kept: list[tuple[int, str]], hint: str | None
    ) -> tuple[list[tuple[int, str]], str | None, list[Removal]]:
        """Choose the title, put it first, and drop its repeats."""
        dropped: list[Removal] = []
        title: str | None = hint.strip() if hint and hint.strip() else None
        if title is None:
            index = self._title_index(kept)
            if index is not None:
                title = kept[index][1].strip()
                for number, earlier in kept[:index]:
                    if earlier.strip():
                        dropped.append(Removal("boilerplate", "before_title", earlier.strip(), number))
                kept = kept[index:]
        if title is None:
            return kept, None, dropped
        key = fold(" ".join(title.split()))
        body: list[tuple[int, str]] = []
        first = True
        seen = 0
        for number, line in kept:
            seen += bool(line.strip())
            if line.strip() and seen <= REPEAT_WINDOW and fold(" ".join(line.split())) == key:
                if first and not body:
                    first = False
                    continue
                dropped.append(Removal("boilerplate", "repeated_title", line.strip(), number))
                continue
            body.append((number, line))
        return [(-1, title), (-1, ""), *body], title, dropped

    @staticmethod
    def _title_index(kept: list[tuple[int, str]]) -> int | None:
        """The headline among the lines above the first body paragraph.

        A masthead or kicker ("نبض عمّان", "خاص") may sit above it: when a line of
        four words or more follows before the body, the shorter lines above it are
        not the title.
        """
        candidates: list[int] = []
        seen = 0
        for index, (_, line) in enumerate(kept):
            if not line.strip():
                continue
            seen += 1
            if seen > TITLE_SEARCH_LINES or is_body(line):
                break
            if _looks_like_title(line):
                candidates.append(index)
        for index in candidates:
            if words(kept[index][1]) >= TITLE_MIN_FULL_WORDS:
                return index
        return candidates[0] if candidates else None


def _is_foreign(line: str) -> bool:
    """A short line with no Arabic letter: "Ru En", "Bu haberi paylaşın", "Baki"."""
    return words(line) <= UI_MAX_WORDS and not _ARABIC_LETTER.search(line)


def _looks_like_title(line: str) -> bool:
    n = words(line)
    return 2 <= n <= TITLE_MAX_WORDS and len(line) <= TITLE_MAX_CHARS and bool(_ARABIC_LETTER.search(line))


def _join(lines: list[str]) -> str:
    """Join kept lines, with at most one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
