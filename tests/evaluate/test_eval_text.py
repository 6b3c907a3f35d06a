"""Folding for matching: Arabic orthography and romanised names."""

from __future__ import annotations

import pytest

from marsad.evaluate.text import cue_overlap, fold_arabic, fold_name


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("إلى أنوميناس", "الي انوميناس"),  # hamza forms, alef maqsura
        ("آمِنَةٌ", "امنه"),  # madda, harakat, ta marbuta
        ("مـــدينة", "مدينه"),  # tatweel
        ("مسؤول بيئي", "مسوول بييي"),  # hamza on waw and ya
        ("٢٠٢٤ و۱۲", "2024 و12"),  # Arabic-Indic and extended digits
        ("«قال»: نعم، لا!", "قال نعم لا"),  # punctuation becomes space, spaces collapse
        ("ﻻ", "لا"),  # presentation form, compatibility-normalised
        ("  ", ""),
    ],
)
def test_fold_arabic(raw: str, folded: str) -> None:
    assert fold_arabic(raw) == folded


@pytest.mark.parametrize("empty", [None, "", 0, [], 12])
def test_fold_anything_else_to_empty(empty: object) -> None:
    assert fold_arabic(empty) == ""
    assert fold_name(empty) == ""


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Abdel Fattah el-Sisi", "abdel fattah sisi"),
        ("Al-Ittihadiya Palace", "ittihadiya palace"),
        ("League of the Free Peoples", "league of free peoples"),  # the article goes anywhere
        ("Éowyn  Húrin", "eowyn hurin"),
        ("COP-29", "cop 29"),
        ("O'Neil", "o neil"),
        ("بوتين", ""),  # not romanised: nothing left
    ],
)
def test_fold_name(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


def test_cue_overlap() -> None:
    assert cue_overlap("زيارة رسمية لأرنور", "في زيارةٍ رسمية لارنور اليوم") == 1.0
    assert cue_overlap("زيارة رسمية لأرنور", "زيارة خاصة") == 1 / 3
    assert cue_overlap("", "أي نص") == 0.0
    assert cue_overlap("زيارة", None) == 0.0
