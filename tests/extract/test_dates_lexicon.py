"""The word alternations of the date expressions: a trie regex that matches as a longest-first list."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from marsad.extract.dates_lexicon import SP, _alt

WORDS = ["يناير", "يونيو", "يوليو", "يوم", "اليوم", "الأسبوع", "ذو القعدة", "ذو", "عام", "العام", "أعوام"]


def listed(words: list[str]) -> str:
    """The plain alternation: every word, longest first."""
    items = sorted(set(words), key=lambda w: (-len(w), w))
    parts = []
    for word in items:
        pieces = [re.escape(p) for p in word.split(" ")]
        if word.startswith("ال") and len(word.split(" ")[0]) > 2:
            pieces[0] = r"(?:ال|لل)" + re.escape(word.split(" ")[0][2:])
        parts.append(SP.join(pieces))
    return "(?:" + "|".join(parts) + ")"


def test_trie_matches_each_word_and_the_article_after_lam() -> None:
    pattern = re.compile(_alt(WORDS) + r"(?!\w)")
    for word in WORDS:
        assert pattern.fullmatch(word)
    assert pattern.fullmatch("للعام")  # ل + العام
    assert pattern.fullmatch("ذو  القعدة")  # any run of spaces
    assert pattern.match("يومين") is None
    assert pattern.match("اليوم التالي").group() == "اليوم"
    assert pattern.match("ذو القعدة الماضي").group() == "ذو القعدة"  # the longer phrase first
    assert _alt([]) == "(?!)"


@given(st.lists(st.sampled_from([*WORDS, "كلمة", "ال", " ", "ذ"]), min_size=1, max_size=8))
def test_trie_finds_what_the_longest_first_list_finds(pieces: list[str]) -> None:
    text = " ".join(pieces)
    trie = re.compile(rf"(?<!\w){_alt(WORDS)}(?!\w)")
    plain = re.compile(rf"(?<!\w){listed(WORDS)}(?!\w)")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
