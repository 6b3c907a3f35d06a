"""The plain-text table."""

from __future__ import annotations

from typing import Any

from marsad.evaluate import Shortfall, format_table, score


def test_table_lines_and_summary(tiny_gold: dict[str, Any], tiny_outputs: dict[str, dict[str, Any]]) -> None:
    figures = score(tiny_gold, tiny_outputs)
    lines = format_table(figures).split("\n")
    assert len(lines) == len(figures) + 1
    assert lines[0] == "documents.missing" + " " * 12 + "1"
    assert lines[1] == "metadata.accuracy" + " " * 12 + "0.600"
    assert "spans.invalid                1" in lines
    assert lines[-1] == "entities.f1=0.67 events.f1=0.63 quotes.f1=1.00 claims.f1=0.57 metadata.accuracy=0.60"


def test_table_with_shortfalls() -> None:
    figures = {"events.f1": 0.5, "spans.invalid": 2}
    shortfalls = [Shortfall("events.f1", 0.5, 0.8), Shortfall("spans.invalid", 2, 0, "ceiling")]
    last = format_table(figures, shortfalls).split("\n")[-1]
    assert last == "FAIL events.f1=0.500<0.8 spans.invalid=2>0 | events.f1=0.50"
