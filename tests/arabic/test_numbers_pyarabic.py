"""Cross-check of our number-word parser against pyarabic, an independent implementation.

pyarabic writes integers out in Arabic words (``ArNumbers.int2str``); our parser must read
every one of them back. Where pyarabic's own reader (``text2number``) is not right for
news text, we keep ours; the cases are listed here so the choice stays checked.
"""

from __future__ import annotations

import random

import pytest

from marsad.arabic.numbers import parse_number

number = pytest.importorskip("pyarabic.number")


def test_reads_back_every_number_pyarabic_writes() -> None:
    writer = number.ArNumbers()
    rng = random.Random(20241119)
    values = [*range(1, 1200), *(rng.randint(1, 10**9) for _ in range(3000))]
    wrong = [(v, writer.int2str(str(v))) for v in values if parse_number(writer.int2str(str(v))) != v]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "ours", "pyarabic"),
    [
        ("4 مليارات", 4e9, 1e9),  # digits times a scale word
        ("12.7", 12.7, 0),  # digits
        ("٣٠", 30, 0),  # Arabic-Indic digits
        ("مليوني", 2e6, 0),  # oblique dual
        ("الثاني عشر", None, 10),  # an ordinal is not a count
    ],
)
def test_where_we_differ_from_pyarabic(text: str, ours: float | None, pyarabic: float) -> None:
    assert parse_number(text) == ours
    assert number.text2number(text) == pyarabic
