"""Orthographic folding of Arabic text, with a map back to the original offsets.

:func:`fold` gives the *matching form* of a text: the spelling variants that Arabic
writers use interchangeably are folded to one letter, and the characters that carry no
letter (diacritics, tatweel, bidi controls, zero-width characters) are removed.

Every folding is one character to one character; only the removals change the length.
:class:`Normalized` therefore keeps just the sorted positions of the removed characters
and maps folded offsets back to original offsets with :mod:`bisect`.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache, lru_cache
from typing import Final

import numpy as np

from marsad.arabic.patterns import DELETED_CHAR, TRAILING_MARKS

__all__ = ["FOLD_TABLE", "Normalized", "bmp_code_points", "fold", "normalize"]


def _build_table() -> list[int | None]:
    mapping: dict[str, str] = {
        # hamza carriers and alef variants
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ (alef wasla)
        "\u0624": "\u0648",  # ؤ → و
        "\u0626": "\u064a",  # ئ → ي
        "\u0649": "\u064a",  # ى → ي
        "\u0629": "\u0647",  # ة → ه
        # Persian letter shapes found in some Arabic web text (also one-to-one)
        "\u06cc": "\u064a",  # ی → ي
        "\u06a9": "\u0643",  # ک → ك
        # decimal and thousands separators
        "\u066b": ".",  # ٫
        "\u066c": ",",  # ٬
    }
    for d in range(10):
        mapping[chr(0x0660 + d)] = str(d)  # Arabic-Indic digits
        mapping[chr(0x06F0 + d)] = str(d)  # Persian (extended Arabic-Indic) digits
    deleted: list[int] = [0x0640]  # tatweel
    deleted += range(0x0610, 0x061B)
    deleted += range(0x064B, 0x0660)
    deleted.append(0x0670)
    deleted += range(0x06D6, 0x06EE)
    deleted += range(0x200B, 0x2010)
    deleted += range(0x202A, 0x202F)
    deleted += range(0x2066, 0x206A)
    deleted += [0xFEFF, 0x061C]
    # A list indexed by code point, not a dict: str.translate looks a character up about
    # twice as fast in it. Characters past its end (outside the Basic Multilingual Plane)
    # raise IndexError in the lookup, which str.translate reads as "unchanged".
    table: list[int | None] = list(range(0x10000))
    for k, v in mapping.items():
        table[ord(k)] = ord(v)
    for code in deleted:
        table[code] = None
    return table


#: The ``str.translate`` table of :func:`fold` (built once, at import): for each code point
#: of the Basic Multilingual Plane, the code point it folds to, or None where it is removed.
FOLD_TABLE: Final[list[int | None]] = _build_table()


def fold(text: str) -> str:
    """Return the matching form of ``text``.

    أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي (also Persian ی → ي and ک → ك);
    Arabic-Indic and Persian digits → ASCII digits, ٫ → "." and ٬ → ",";
    tatweel, diacritics, bidi controls and zero-width characters are removed.
    Latin text keeps its case. Folding is idempotent.
    """
    return text.translate(FOLD_TABLE)


#: Texts at least this long are folded through a numpy array (:func:`_fold_array`): about
#: 4 times as fast as ``str.translate`` on a news article, slower on a word.
ARRAY_FOLD_MIN: Final = 256
_REMOVED: Final = 0xFFFFFFFF


@cache
def _fold_codes() -> np.ndarray:
    """:data:`FOLD_TABLE` as an array: the folded code point of each BMP code point, or
    :data:`_REMOVED`."""
    return np.array([_REMOVED if code is None else code for code in FOLD_TABLE], dtype=np.uint32)


def bmp_code_points(text: str) -> np.ndarray | None:
    """The code points of ``text`` as an array (lone surrogates included), or None when it
    has a character outside the Basic Multilingual Plane, which tables of 65,536 entries
    (indexed by code point) do not cover."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return None if codes.max(initial=0) > 0xFFFF else codes


def _fold_array(original: str) -> tuple[str, tuple[int, ...]] | None:
    """``(fold(original), removal gaps)`` computed on the code points as an array, or None
    for a text with characters outside the Basic Multilingual Plane (left to
    ``str.translate``). Lone surrogates pass through unchanged, as they do there."""
    codes = bmp_code_points(original)
    if codes is None:
        return None
    folded = _fold_codes()[codes]
    kept = folded != _REMOVED
    removed = np.flatnonzero(~kept)
    if len(removed):
        folded = folded[kept]
    text = folded.tobytes().decode("utf-32-le", "surrogatepass")
    return text, tuple((removed - np.arange(len(removed))).tolist())


class Normalized:
    """A text together with its folded form and a map from folded to original offsets.

    ``text`` is ``fold(original)``. Only the positions of the removed characters are
    stored; a text without removals maps every offset to itself at no cost.
    """

    __slots__ = ("_gaps", "original", "text")

    original: str
    text: str
    _gaps: tuple[int, ...]

    def __init__(self, original: str) -> None:
        self.original = original
        # For the m-th removed character at original position p, p - m is the folded
        # index of the first kept character after it. The sequence is non-decreasing,
        # so bisect counts the removals before any kept character.
        folded = _fold_array(original) if len(original) >= ARRAY_FOLD_MIN else None
        if folded is not None:
            self.text, self._gaps = folded
            return
        self.text = original.translate(FOLD_TABLE)
        if len(self.text) == len(original):
            self._gaps = ()
        else:
            self._gaps = tuple(m.start() - n for n, m in enumerate(DELETED_CHAR.finditer(original)))

    def __repr__(self) -> str:
        return f"Normalized({self.original!r})"

    def __len__(self) -> int:
        return len(self.text)

    @property
    def deletions(self) -> int:
        """How many characters folding removed."""
        return len(self._gaps)

    def to_original(self, i: int) -> int:
        """Map an index of ``text`` to the index of the same character in ``original``.

        ``i == len(text)`` maps to ``len(original)``. Removed characters before a kept
        character are skipped, so the result always points at the kept character.
        """
        if not 0 <= i <= len(self.text):
            raise IndexError(f"folded index {i} out of range 0..{len(self.text)}")
        if not self._gaps:
            return i
        return i + bisect_right(self._gaps, i)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the folded range ``text[start:end]`` to a range of ``original``.

        The original range starts at the first kept character and covers every character
        up to the last kept one, removed characters inside included. Diacritics and
        tatweel directly after the last kept character are included too, because they
        belong to that letter; bidi and zero-width characters there are not. An empty
        range maps to an empty range at the position of the next kept character.
        So ``fold(original[a:b]) == text[start:end]`` always holds.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"folded range {start}:{end} out of range 0..{len(self.text)}")
        if not self._gaps:
            return start, end
        begin = start + bisect_right(self._gaps, start)
        if start == end:
            return begin, begin
        last = end - 1 + bisect_right(self._gaps, end - 1)
        marks = TRAILING_MARKS.match(self.original, last + 1)  # always matches (``*``)
        return begin, marks.end() if marks is not None else last + 1


@lru_cache(maxsize=64)
def normalize(text: str) -> Normalized:
    """Fold ``text`` and keep the map back to its offsets (see :class:`Normalized`).

    The last 64 results are cached, more than the documents of a pipeline group: the
    stages fold the same document texts one stage after another (a :class:`Normalized`
    is never changed after it is made).
    """
    return Normalized(text)
