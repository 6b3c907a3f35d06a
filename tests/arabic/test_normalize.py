"""Folding rules and the folded-to-original offset map."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.arabic.normalize import ARRAY_FOLD_MIN, FOLD_TABLE, Normalized, fold, normalize

# Letters, marks, invisibles, digits, Latin and punctuation: the characters the
# folding rules care about, mixed with ordinary ones.
ARABICISH = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱىةؤئ"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0610\u06d6\u06ed\u0640"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u061c"
    "٠١٢٣٤٥٦٧٨٩۰۱۲۹٫٬0123456789"
    "AbcZé.,:;!?؟،؛«»\"'()- \n\t"
)
arabicish_text = st.text(alphabet=ARABICISH, max_size=80)
any_text = st.one_of(arabicish_text, st.text(max_size=80))


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أحمد", "احمد"),
        ("إيران", "ايران"),
        ("آسيا", "اسيا"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("العاصمة", "العاصمه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("ی", "ي"),
        ("ک", "ك"),
    ],
)
def test_letter_folding(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("كـــبير", "كبير"),  # tatweel
        ("مُحَمَّدٌ", "محمد"),  # harakat and shadda
        ("سَلامٌ عَلَيْكُمْ", "سلام عليكم"),
        ("كتابً", "كتاب"),  # tanween fath
        ("هٰذا", "هذا"),  # superscript alef U+0670
        ("صلى\u0610", "صلي"),  # U+0610
        ("ابن\u061a", "ابن"),  # U+061A
        ("قال\u065f", "قال"),  # U+065F
        ("آية\u06d6", "ايه"),  # U+06D6
        ("كلمة\u06ed", "كلمه"),  # U+06ED
    ],
)
def test_removes_tatweel_and_diacritics(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("١٢٫٥", "12.5"),
        ("١٬٠٠٠", "1,000"),
        ("عام ٢٠٢١", "عام 2021"),
    ],
)
def test_digits_and_separators(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\ufeff",
        "\u061c",
    ],
)
def test_removes_bidi_and_zero_width(invisible: str) -> None:
    assert fold(f"مد{invisible}ينة") == "مدينه"
    assert fold(f"{invisible}abc{invisible}") == "abc"


@pytest.mark.parametrize("text", ["Baku", "NATO", "Élysée", "iPhone 15", "   "])
def test_latin_keeps_case(text: str) -> None:
    assert fold(text) == text


@given(any_text)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_normalized_without_deletions_is_identity() -> None:
    n = normalize("وصل الوفد إلى باكو")
    assert n.text == "وصل الوفد الي باكو"
    assert n.deletions == 0
    assert len(n) == len(n.original)
    assert [n.to_original(i) for i in range(len(n) + 1)] == list(range(len(n) + 1))
    assert n.span_to_original(4, 9) == (4, 9)


def test_normalized_maps_around_deletions() -> None:
    original = "\ufeffكَتَبَ الوزير"
    n = Normalized(original)
    assert n.text == "كتب الوزير"
    assert n.deletions == 4
    assert n.to_original(0) == 1  # skips the BOM
    assert n.to_original(1) == 3  # ت after the fatha
    assert n.to_original(len(n.text)) == len(original)
    # the final fatha belongs to ب and is included
    assert n.span_to_original(0, 3) == (1, 7)
    assert original[1:7] == "كَتَبَ"


def test_span_excludes_trailing_invisibles_but_keeps_marks() -> None:
    original = "نعمّ\u200f لا"
    n = normalize(original)
    assert n.text == "نعم لا"
    start, end = n.span_to_original(0, 3)
    assert original[start:end] == "نعمّ"


def test_empty_span_maps_to_next_kept_character() -> None:
    n = normalize("اَب")
    assert n.span_to_original(1, 1) == (2, 2)
    assert n.span_to_original(2, 2) == (3, 3)


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (2, 1), (0, 99)])
def test_span_out_of_range(start: int, end: int) -> None:
    with pytest.raises(IndexError):
        normalize("مَرحبا").span_to_original(start, end)
    with pytest.raises(IndexError):
        normalize("مَرحبا").to_original(99)


@given(any_text, st.data())
def test_span_to_original_round_trip(text: str, data: st.DataObject) -> None:
    n = normalize(text)
    assert n.text == fold(text)
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    a, b = n.span_to_original(start, end)
    assert 0 <= a <= b <= len(text)
    assert fold(text[a:b]) == n.text[start:end]


@given(any_text)
def test_to_original_is_monotonic_and_points_at_kept_chars(text: str) -> None:
    n = normalize(text)
    positions = [n.to_original(i) for i in range(len(n.text) + 1)]
    assert positions == sorted(set(positions))
    assert positions[-1] == len(text)
    for i, p in enumerate(positions[:-1]):
        assert fold(text[p]) == n.text[i]


def test_characters_outside_the_basic_plane_are_kept() -> None:
    """The folding table covers the Basic Multilingual Plane; past it, nothing changes."""
    assert fold("أ😀ـب\U0001d400") == "ا😀ب\U0001d400"


long_text = st.text(alphabet=ARABICISH, min_size=ARRAY_FOLD_MIN, max_size=3 * ARRAY_FOLD_MIN)


def _kept_positions(text: str) -> list[int]:
    """Where the characters that folding keeps stand in ``text`` (a reference written
    from the table, not from the code under test)."""
    return [p for p, ch in enumerate(text) if ord(ch) >= len(FOLD_TABLE) or FOLD_TABLE[ord(ch)] is not None]


@given(st.one_of(long_text, st.text(min_size=ARRAY_FOLD_MIN, max_size=600)))
def test_array_folding_of_long_texts_equals_translate(text: str) -> None:
    """Long texts are folded through a numpy array: the same text and offset map as the
    ``str.translate`` path that short texts take."""
    n = Normalized(text)
    assert n.text == text.translate(FOLD_TABLE)
    assert [n.to_original(i) for i in range(len(n.text) + 1)] == [*_kept_positions(text), len(text)]


@pytest.mark.parametrize("odd", ["\ud800", "😀", "\U0001d400"])
def test_array_folding_keeps_surrogates_and_other_planes(odd: str) -> None:
    text = ("أحمـد " + odd) * ARRAY_FOLD_MIN
    n = Normalized(text)
    assert n.text == text.translate(FOLD_TABLE)
    assert n.to_original(len(n.text) - 1) == len(text) - 1
    assert n.deletions == ARRAY_FOLD_MIN
