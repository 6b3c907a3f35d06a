"""Folding used when the evaluator compares text: Arabic cues and English names.

Two forms exist because gold and output disagree in two ways:

* Arabic text (titles, cues, boilerplate) differs in orthography only: hamza and
  alef forms, alef maqsura, ta marbuta, diacritics, tatweel, Arabic-Indic digits,
  punctuation and spacing. :func:`fold_arabic` removes those differences.
* English names (entities, agencies, speakers) differ in accents, case, hyphens and
  a leading article ("al-", "el-", "the"). :func:`fold_name` removes those; true
  name variants ("Aliev"/"Aliyev") are the alias table's job (:mod:`.rules`).

Anything that is not a non-empty string folds to ``""``.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic marks that carry no letter identity: Quranic signs (U+0610-U+061A), harakat
# and their extensions (U+064B-U+065F), superscript alef (U+0670), Quranic annotation
# marks (U+06D6-U+06ED) and tatweel (U+0640).
_MARK_RANGES = ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640))

_LETTER_FOLDS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
}

# Arabic-Indic (U+0660..) and extended Arabic-Indic (U+06F0..) digits to ASCII.
_DIGIT_FOLDS = {chr(base + n): str(n) for base in (0x0660, 0x06F0) for n in range(10)}


def _arabic_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in {**_LETTER_FOLDS, **_DIGIT_FOLDS}.items()}
    for low, high in _MARK_RANGES:
        table.update(dict.fromkeys(range(low, high + 1)))
    return table


_ARABIC_TABLE = _arabic_table()
_NOT_WORD = re.compile(r"[^\w\s]")
_LEADING_ARTICLE = re.compile(r"\b(?:al|el|the)[\s-]+")
_NOT_NAME_CHAR = re.compile(r"[^a-z0-9 ]+")


def fold_arabic(text: object) -> str:
    """Orthography-free form of Arabic text: compatibility-normalised, marks dropped,
    letter variants and digits unified, punctuation turned to spaces, spaces collapsed."""
    if not text or not isinstance(text, str):
        return ""
    folded = unicodedata.normalize("NFKC", text).translate(_ARABIC_TABLE)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def fold_name(name: object) -> str:
    """Matching key of a (romanised) name: no accents, lower case, no leading article,
    only ASCII letters, digits and single spaces."""
    if not name or not isinstance(name, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    bare = _LEADING_ARTICLE.sub("", bare)
    return " ".join(_NOT_NAME_CHAR.sub(" ", bare).split())


def contains(haystack_folded: str, needle: object) -> bool:
    """Whether ``needle``, once folded, occurs in the already folded ``haystack_folded``."""
    return fold_arabic(needle) in haystack_folded


def cue_overlap(cue: object, text: object) -> float:
    """Share of the cue's folded words that also occur in ``text`` (0.0 for an empty cue)."""
    cue_words = set(fold_arabic(cue).split())
    if not cue_words:
        return 0.0
    return len(cue_words & set(fold_arabic(text).split())) / len(cue_words)
