"""Character classes and compiled regular expressions of the Arabic layer.

Everything here is an immutable module-level constant, compiled once at import, but
for :class:`AfterClass`, a way to search an expression that starts with a look-behind.
The character-class strings are exported too, so that tests and other modules can
build on exactly the same definitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

# --- character classes (bodies of ``[...]`` sets) -------------------------------

#: Arabic diacritics, Quranic annotation marks and superscript alef, removed by folding.
ARABIC_MARKS: Final = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
#: The Arabic elongation character (kashida), removed by folding.
TATWEEL: Final = "\u0640"
#: Bidi controls, zero-width characters and the BOM, removed by folding.
INVISIBLES: Final = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c"
#: Combining marks that may sit inside a word (Arabic marks plus Latin combining marks).
WORD_MARKS: Final = ARABIC_MARKS + "\u0300-\u036f"
#: Separators that may join digits into one number token: 12.7, 23:50, 1,000, 19/08, ١٢٫٥.
NUMBER_SEPARATORS: Final = ".,:/\u066b\u066c"
#: Characters that end a sentence wherever they appear (a full stop is handled apart).
TERMINATORS: Final = "!?\u061f\u061b;\u06d4"
#: Closing quotes and brackets that stay with the sentence a terminator ends.
CLOSERS: Final = "\u00bb\u203a\u201d\u2019\"')\\]}"

# --- folding ------------------------------------------------------------------

#: One character that folding deletes (the only change of length in folding).
DELETED_CHAR: Final = re.compile(f"[{ARABIC_MARKS}{TATWEEL}{INVISIBLES}]")
#: A run of marks and tatweel; they belong to the letter before them.
TRAILING_MARKS: Final = re.compile(f"[{ARABIC_MARKS}{TATWEEL}]*")

# --- tokens -------------------------------------------------------------------

# A word starts with a letter or digit that folding keeps (not tatweel, not "_") and goes on
# over letters, digits, marks, tatweel, bidi/zero-width characters that sit between
# two word characters, and number separators that sit between two digits. Each
# repetition starts after a maximal run of letters and nothing follows the group, so
# the first greedy match is taken and matching stays linear.
_WORD: Final = (
    r"[^\W_\u0640\u06e5\u06e6][^\W_]*"
    rf"(?:(?:[{WORD_MARKS}]+|[{INVISIBLES}]+(?=[^\W_]|[{WORD_MARKS}])"
    rf"|(?<=\d)[{NUMBER_SEPARATORS}](?=\d))[^\W_]*)*"
)
# Any other visible character is a one-character punctuation token. Stray marks,
# stray tatweel and invisible characters outside words produce no token at all.
_PUNCT: Final = rf"[^\s\w{WORD_MARKS}{INVISIBLES}]|_"

#: Words (group ``w``) and single punctuation marks (group ``p``).
TOKEN: Final = re.compile(f"(?P<w>{_WORD})|(?P<p>{_PUNCT})")
#: The same tokens as one group, for ``split``: what lies between tokens, then a token.
TOKEN_SPLIT: Final = re.compile(f"({_WORD}|{_PUNCT})")

# --- sentences and clauses ----------------------------------------------------

_CLOSE: Final = f"[{CLOSERS}]*"
_LINE_BREAK: Final = r"(?P<nl>\r\n?|[\n\x0b\x0c\x85\u2028\u2029])"
_TERMINATOR: Final = rf"(?P<term>[.\u2026]*[{TERMINATORS}][.\u2026{TERMINATORS}]*{_CLOSE})"
# An ellipsis ("..." or "…") alone is a pause, not a sentence end; matched so that its
# dots are not taken for full stops.
_ELLIPSIS: Final = r"(?P<ell>(?:\.\.+|\u2026)[.\u2026]*)"
# A full stop that is not between two digits (12.7, 19.08.2024, 3.5% stay whole).
_DOT: Final = rf"(?P<dot>(?:(?<!\d)\.|\.(?!\d)){_CLOSE})"
# A comma that is not between two digits (1,000 stays whole), or an Arabic comma.
_COMMA: Final = rf"(?P<comma>(?:\u060c|(?<!\d),|,(?!\d)){_CLOSE})"

# Every match starts with one of these characters. Saying so in a lookahead lets the
# regular expression engine skip other characters quickly instead of trying each branch
# at every position (about 7 times faster over news text).
_BOUNDARY_START: Final = "\r\n\x0b\x0c\x85\u2028\u2029.\u2026" + TERMINATORS

#: Candidate sentence ends; a ``dot`` match still has to pass the abbreviation checks.
SENTENCE_BOUNDARY: Final = re.compile(
    f"(?=[{re.escape(_BOUNDARY_START)}])(?:{_LINE_BREAK}|{_TERMINATOR}|{_ELLIPSIS}|{_DOT})"
)
#: Clause ends within a sentence: commas.
COMMA_BOUNDARY: Final = re.compile(f"(?=[,\u060c]){_COMMA}")

#: The letters right before a full stop (``word``), and a digit just before them (``num``):
#: searched with ``endpos`` at the full stop.
ABBREVIATION_TAIL: Final = re.compile(rf"(?P<num>\d[^\S\n]*)?(?P<word>(?:[^\W\d_]|[{ARABIC_MARKS}])+)\Z")
#: A name follows: optional spaces on the same line, then a letter.
NAME_AHEAD: Final = re.compile(r"[^\S\n]*[^\W\d_]")
#: An ASCII letter or digit, as in "aljazeera.net", "U.S" or "v1.2" (no sentence end).
ASCII_ALNUM: Final = re.compile(r"[A-Za-z0-9]")
#: A letter (no digit, no underscore).
LETTER: Final = re.compile(r"[^\W\d_]")
#: Whitespace and invisible characters at the start of a segment.
LEADING_BLANK: Final = re.compile(rf"[\s{INVISIBLES}]*")
#: Every character ``str.isspace`` accepts, plus the invisibles, for ``str.rstrip``.
BLANK_CHARS: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
)


class AfterClass:
    """The matches of ``body`` at a text's start or right after a character of ``before``
    (``AfterClass(body, r"\\W")`` finds what ``(?<!\\w)body`` finds), in order and not
    overlapping, as one ``finditer`` gives them.

    An expression that begins with a look-behind is tried at every position of a text.
    This one begins by consuming a character of a class, which the regular expression
    engine skips to; a text's start is tried on its own.
    """

    def __init__(self, body: str, before: str) -> None:
        self._at_start = re.compile(body)
        self._after = re.compile(rf"{before}(?P<after_class>{body})")

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """``(start, match)`` of each match: where the match of ``body`` starts, and the
        match (whose own span may take in the character before)."""
        first = self._at_start.match(text)
        if first is not None:
            yield first.start(), first
        for m in self._after.finditer(text, 0 if first is None else first.end()):
            yield m.start("after_class"), m
