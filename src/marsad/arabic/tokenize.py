"""Tokens, clitics, search terms, sentences and clauses of Arabic text.

All offsets index the text as given (not its folded form): ``text[t.start:t.end]`` is
``t.text`` for every token and ``text[s.start:s.end]`` is ``s.text`` for every span.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Final

from marsad.arabic.normalize import FOLD_TABLE, fold
from marsad.arabic.patterns import (
    ABBREVIATION_TAIL,
    ASCII_ALNUM,
    BLANK_CHARS,
    COMMA_BOUNDARY,
    LEADING_BLANK,
    LETTER,
    NAME_AHEAD,
    SENTENCE_BOUNDARY,
    TOKEN_SPLIT,
)
from marsad.model import Span, Token

__all__ = ["clauses", "search_terms", "sentences", "split_clitics", "surface_forms", "tokenize"]

CLITIC_EXCEPTIONS_FILE: Final = "clitic_exceptions.txt"
ABBREVIATIONS_FILE: Final = "abbreviations.txt"

_ARTICLE: Final = "ال"
#: First letters of every word the splitter may change; any other word is returned as is.
_CLITIC_INITIALS: Final = frozenset("وفبلكسا")
_CONJUNCTIONS: Final = frozenset("وف")
_PREPOSITIONS: Final = frozenset("بلك")
_PRESENT_PREFIXES: Final = frozenset("يتنا")
_CONJUNCTIONS_AND_PREPOSITIONS: Final = _CONJUNCTIONS | _PREPOSITIONS
#: Suffixes under which a listed exception stays protected ("وقعت" ← "وقع" + "ت").
_SUFFIXES: Final = frozenset(
    [
        "ت",
        "ه",
        "ها",
        "هم",
        "هما",
        "هن",
        "ا",
        "وا",
        "ان",
        "ين",
        "ون",
        "ات",
        "ي",
        "يه",
        "يين",
        "نا",
        "تم",
        "تا",
        "ته",
        "تها",
        "تهم",
        "كم",
        "ك",
    ]
)
_SUFFIX_LENGTHS: Final = tuple(sorted({len(x) for x in _SUFFIXES}))
#: How far back (in characters) a full stop looks for an abbreviation.
_ABBREVIATION_WINDOW: Final = 24


@lru_cache(maxsize=8)
def load_wordlist(name: str) -> frozenset[str]:
    """Read a word list from ``marsad/data/arabic`` once: folded, lower-cased entries.

    One entry per line; text after ``#`` is a comment; blank lines are skipped.
    """
    resource = files("marsad") / "data" / "arabic" / name
    words: set[str] = set()
    for line in resource.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            words.add(fold(entry).lower())
    return frozenset(words)


# --- clitics --------------------------------------------------------------------


def _protected(word: str, exceptions: frozenset[str]) -> bool:
    """Whether ``word`` is a listed exception, alone or followed by a common suffix."""
    if word in exceptions:
        return True
    for n in _SUFFIX_LENGTHS:
        if len(word) - n >= 2 and word[-n:] in _SUFFIXES and word[:-n] in exceptions:
            return True
    return False


@lru_cache(maxsize=1 << 14)
def _split(word: str) -> tuple[tuple[str, ...], str]:
    if len(word) < 3 or word[0] not in _CLITIC_INITIALS:
        if len(word) == 2 and word[0] in _CONJUNCTIONS_AND_PREPOSITIONS and "0" <= word[1] <= "9":
            return (word[0],), word[1:]  # و5
        return (), word
    if word[0] in _CONJUNCTIONS_AND_PREPOSITIONS and "0" <= word[1] <= "9":
        return (word[0],), word[1:]  # و2020 ب1,000
    if word[0] in _CONJUNCTIONS and word[1] in _PREPOSITIONS and "0" <= word[2] <= "9":
        return (word[0], word[1]), word[2:]  # وب2020
    exceptions = load_wordlist(CLITIC_EXCEPTIONS_FILE)
    if _protected(word, exceptions):
        return (), word
    prefixes: tuple[str, ...] = ()
    rest = word
    # 1. conjunction و / ف (bare: only from a remainder of 4+ letters)
    if rest[0] in _CONJUNCTIONS and len(rest) > 3:
        prefixes, rest = (rest[0],), rest[1:]
        if _protected(rest, exceptions):
            return prefixes, rest
    # 2. preposition ب / ل / ك, or future س before a present-tense prefix
    head = rest[0]
    if head == "ل" and len(rest) > 3 and _protected(rest[1:], exceptions):
        # ل before a listed word, including one that starts with ل: للقاء → ل + لقاء
        return (*prefixes, "ل"), rest[1:]
    if rest.startswith("لل"):
        # ل + ال with the alef dropped: للرئيس → ل + ال + رئيس
        if rest == "لله":
            return (*prefixes, "ل"), "الله"
        if len(rest) >= 4:
            return (*prefixes, "ل", _ARTICLE), rest[2:]
        return prefixes, rest
    if head in _PREPOSITIONS and len(rest) > 3:
        prefixes, rest = (*prefixes, head), rest[1:]
        if _protected(rest, exceptions):
            return prefixes, rest
    elif head == "س" and len(rest) > 3 and rest[1] in _PRESENT_PREFIXES:
        return (*prefixes, "س"), rest[1:]
    # 3. article ال (keeping a stem of 2+ letters)
    if rest.startswith(_ARTICLE) and len(rest) >= 4:
        return (*prefixes, _ARTICLE), rest[2:]
    return prefixes, rest


def split_clitics(folded_word: str) -> tuple[tuple[str, ...], str]:
    """Split the proclitics off a folded word: ``(prefixes, stem)``.

    Proclitics, in order: conjunction و/ف; preposition ب/ل/ك or future س (only before
    ي/ت/ن/ا); article ال (لل is ل + ال). The splitter is conservative: the stem keeps at
    least 2 letters; a bare clitic (no ال after it) is stripped only from a remainder of
    4+ letters; words in ``data/arabic/clitic_exceptions.txt`` (also under a common
    suffix) are never split. ``split_clitics("بالعاصمه") == (("ب", "ال"), "عاصمه")``.
    """
    return _split(folded_word)


# --- tokens ---------------------------------------------------------------------


#: Words seen lately, by surface form: ``(text, norm, stem, prefixes, is_word)``. Most
#: tokens of a corpus are words seen before, so a token costs a dictionary lookup instead
#: of folding and clitic splitting, and the tokens of one word share their strings (whose
#: hashes are then computed once for every later lookup). Two generations of at most
#: ``_SURFACES_MAX`` entries each: when the current one is full it becomes the old one,
#: and a word found only in the old one moves back, so the words in use stay (together
#: about 45 MB).
_Surface = tuple[str, str, str, tuple[str, ...], bool]
_surfaces: dict[str, _Surface] = {}
_old_surfaces: dict[str, _Surface] = {}
_SURFACES_MAX: Final = 1 << 16
_PREFIXES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _surface(surface: str, is_word: bool) -> _Surface:
    """Fold and split a surface form not in :data:`_surfaces`, and remember it."""
    global _surfaces, _old_surfaces
    value = _old_surfaces.get(surface)
    if value is None:
        norm = surface.translate(FOLD_TABLE)
        if norm == surface:
            norm = surface  # one string, not two equal ones
        if is_word:
            prefixes, stem = _split(norm)
            prefixes = _PREFIXES.setdefault(prefixes, prefixes)  # a few dozen tuples, shared
            value = (surface, norm, stem, prefixes, True)
        else:
            value = (surface, norm, norm, (), False)
    if len(_surfaces) >= _SURFACES_MAX:
        _old_surfaces, _surfaces = _surfaces, {}
    _surfaces[surface] = value
    return value


def _entry(surface: str) -> _Surface:
    """The entry of ``surface`` in :data:`_surfaces`, made when it is not there (a token
    that starts with a letter or digit is a word)."""
    return _surfaces.get(surface) or _surface(surface, surface[:1].isalnum())


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word and punctuation tokens with offsets into ``text``.

    A word is a run of letters and digits, with the marks, tatweel and bidi/zero-width
    characters inside it; digits joined by ``. , : /`` or ٫ ٬ form one number (12.7,
    23:50, 19.08.2024, 1,000). Every other visible character is a one-character token
    with ``is_word=False``. Whitespace and stray invisible characters give no token.
    """
    new = tuple.__new__  # Token(...) without the named tuple's keyword-handling wrapper
    known = _surfaces.get
    out: list[Token] = []
    append = out.append
    # The split alternates what lies between tokens and the tokens themselves, so the
    # offsets add up from the lengths, with no match object per token. A word starts with
    # a letter or digit (``isalnum``); a punctuation token never does.
    parts = iter(TOKEN_SPLIT.split(text))
    end = 0
    for gap in parts:
        surface = next(parts, None)
        if surface is None:
            break
        start = end + len(gap)
        end = start + len(surface)
        # :func:`_entry`, inlined: this is the loop every token goes through
        surface, norm, stem, prefixes, is_word = known(surface) or _surface(surface, surface[0].isalnum())
        append(new(Token, (surface, start, end, norm, stem, prefixes, is_word)))
    return out


def surface_forms(surface: str) -> tuple[str, str, tuple[str, ...]]:
    """The folded form, stem and proclitics the tokenizer gives the token ``surface`` (a
    word, or one punctuation mark); of a word seen lately, without folding and splitting
    it again."""
    _, norm, stem, prefixes, _ = _entry(surface)
    return norm, stem, prefixes


def search_terms(text: str) -> list[str]:
    """The index terms of ``text``: the stems of its words, in order, Latin lower-cased.

    Used both for the documents stored in the full-text index and for the queries run
    against it, so a word always gives the same term however it is spelled or prefixed
    (العاصمة and بالعاصمة, الأذربيجاني and الاذربيجاني, الرئيس and للرئيس).
    """
    # Every other part of the split is a token (see :func:`tokenize`).
    return [entry[2].lower() for entry in map(_entry, TOKEN_SPLIT.split(text)[1::2]) if entry[4]]


# --- sentences and clauses ----------------------------------------------------------


def sentences(text: str) -> list[Span]:
    """Sentence spans of ``text``, whitespace-trimmed, never empty.

    A sentence ends at a newline, at ! ? ؟ ؛ ; (with any closing quotes or brackets right
    after them) and at a full stop, except a full stop between digits (12.7, 19.08.2024),
    one followed directly by an ASCII letter or digit (aljazeera.net), and one after an
    abbreviation from ``data/arabic/abbreviations.txt`` followed by a name (د. محمد).
    An ellipsis ("..." or "…") does not end a sentence.
    """
    return _segments(text)


def clauses(text: str, sentence_spans: Sequence[Span] | None = None) -> list[Span]:
    """Like :func:`sentences`, but also split after "،" and "," (not inside 1,000).

    ``sentence_spans``, when given, must be ``sentences(text)`` (a document's
    ``sentences``): each is then split at its commas, without finding them again.
    """
    spans: list[Span] = []
    for sentence in sentences(text) if sentence_spans is None else sentence_spans:
        start = sentence.start
        for m in COMMA_BOUNDARY.finditer(text, start, sentence.end):
            _append_trimmed(text, start, m.end(), spans)
            start = m.end()
        _append_trimmed(text, start, sentence.end, spans)
    return spans


def _segments(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in SENTENCE_BOUNDARY.finditer(text):
        kind = m.lastgroup
        if kind == "ell" or (kind == "dot" and not _full_stop_ends(text, m.start())):
            continue
        end = m.end()
        _append_trimmed(text, start, end, spans)
        start = end
    _append_trimmed(text, start, len(text), spans)
    return spans


def _full_stop_ends(text: str, at: int) -> bool:
    """Whether the full stop at ``text[at]`` (not between digits) ends a sentence."""
    after = at + 1
    if ASCII_ALNUM.match(text, after):
        return False
    tail = ABBREVIATION_TAIL.search(text, max(0, at - _ABBREVIATION_WINDOW), at)
    if tail is None:
        return True
    word = tail.group("word")
    single_initial = len(word) == 1 and "A" <= word <= "Z"
    if not single_initial and fold(word).lower() not in load_wordlist(ABBREVIATIONS_FILE):
        return True
    if LETTER.match(text, after):  # أ.د  ق.م
        return False
    if tail.group("num"):  # الساعة 5 م.
        return True
    return NAME_AHEAD.match(text, after) is None


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    blank = LEADING_BLANK.match(text, start, end)
    if blank is not None:
        start = blank.end()
    if start >= end:
        return
    chunk = text[start:end].rstrip(BLANK_CHARS)
    if chunk:
        spans.append(Span(start, start + len(chunk), chunk))
