"""Plain-text rendering of the figures, in the layout of ``shared/eval/score.py``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from marsad.evaluate.gate import Shortfall

SUMMARY = ("entities.f1", "events.f1", "quotes.f1", "claims.f1", "metadata.accuracy")
"""The figures repeated on the summary line."""


def _line(name: str, value: float) -> str:
    return f"{name:28s} {value:.3f}" if isinstance(value, float) else f"{name:28s} {value}"


def format_table(figures: Mapping[str, float], shortfalls: Sequence[Shortfall] = ()) -> str:
    """One line per figure (name padded to 28, shares to 3 decimals, counts plain), then a
    summary line, opened by ``FAIL <shortfalls> |`` when there are shortfalls. No final newline."""
    summary = " ".join(f"{name}={figures[name]:.2f}" for name in SUMMARY if name in figures)
    if shortfalls:
        summary = f"FAIL {' '.join(map(str, shortfalls))} | {summary}"
    return "\n".join([*(_line(name, value) for name, value in figures.items()), summary])
