"""Floors and ceilings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import Code, EvalError
from marsad.evaluate import FIGURES, Shortfall, check_floors, load_floors, load_limits, score

REPO_FLOORS = Path(__file__).parents[2] / "eval" / "floors.json"


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "floors.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_repository_floors_file_is_valid() -> None:
    limits = load_limits(REPO_FLOORS)
    assert set(limits.floors) <= set(FIGURES) and limits.floors
    assert limits.ceilings == {"spans.invalid": 0, "documents.missing": 0}


def test_shortfalls_and_ceilings(tiny_gold: dict[str, Any], tiny_outputs: dict[str, dict[str, Any]]) -> None:
    figures = score(tiny_gold, tiny_outputs)
    floors = {"metadata.accuracy": 0.6, "events.f1": 0.9, "quotes.f1": 1.0}
    ceilings = {"spans.invalid": 0, "documents.missing": 1}
    assert check_floors(figures, floors, ceilings) == [
        Shortfall("events.f1", figures["events.f1"], 0.9),
        Shortfall("spans.invalid", 1, 0, "ceiling"),
    ]
    assert check_floors(figures, {"metadata.accuracy": 0.6}) == []  # equal to the floor passes


def test_load_floors_and_limits(tmp_path: Path) -> None:
    path = write(tmp_path, {"_note": "why", "floors": {"events.f1": 0.5}, "ceilings": {"spans.invalid": 0}})
    assert load_floors(path) == {"events.f1": 0.5}
    assert load_limits(path).ceilings == {"spans.invalid": 0}
    assert load_floors(write(tmp_path, {"floors": {}})) == {}


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"floors": {"event.f1": 0.5}}, "did you mean 'events.f1'"),  # a typo must not pass
        ({"floors": {"events.f1": "high"}}, "not a number"),
        ({"floors": {"events.f1": True}}, "not a number"),
        ({"floors": {"events.f1": 80}}, "out of range"),
        ({"floors": {"spans.invalid": -1}}, "out of range"),
        ({"ceilings": {"events.f1": 0.2}}, "not a count"),
        ({"ceilings": {"spans.invald": 0}}, "unknown figure"),
        ({"floor": {"events.f1": 0.5}}, "unknown key 'floor'"),
        ({"floors": [["events.f1", 0.5]]}, "must be an object"),
        ([1, 2], "one JSON object"),
        ('{"floors": {', "floors.json:1:"),
    ],
)
def test_bad_floors(tmp_path: Path, data: Any, needle: str) -> None:
    with pytest.raises(EvalError) as caught:
        load_limits(write(tmp_path, data))
    assert caught.value.code is Code.BAD_FLOORS
    assert needle in str(caught.value)


def test_missing_floors_file(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="MRS041"):
        load_floors(tmp_path / "none.json")


def test_check_floors_rejects_unknown_names() -> None:
    with pytest.raises(EvalError) as caught:
        check_floors({"events.f1": 1.0}, {"events.F1": 0.5})
    assert caught.value.code is Code.BAD_FLOORS
    with pytest.raises(EvalError, match=r"lack 'events\.f1'"):
        check_floors({}, {"events.f1": 0.5})
