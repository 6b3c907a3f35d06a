"""Reading gold and output files; every problem names the file and the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import Code, EvalError
from marsad.evaluate import load_gold, load_outputs, score


def bad_gold(path: Path) -> str:
    with pytest.raises(EvalError) as caught:
        load_gold(path)
    assert caught.value.code is Code.BAD_GOLD
    return str(caught.value)


def test_round_trip(
    tmp_path: Path, tiny_gold: dict[str, Any], tiny_outputs: dict[str, dict[str, Any]]
) -> None:
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(tiny_gold, ensure_ascii=False), encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    lines = [json.dumps(doc, ensure_ascii=False) for doc in tiny_outputs.values()]
    out_path.write_text("\ufeff" + "\n\n".join(lines) + "\n", encoding="utf-8")  # a BOM and a blank line
    assert score(load_gold(gold_path), load_outputs(out_path)) == score(tiny_gold, tiny_outputs)


def test_line_separator_inside_a_json_string(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text(
        json.dumps({"doc_id": "a", "text": "سطر\u2028سطر"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    assert load_outputs(path)["a"]["text"] == "سطر\u2028سطر"


def test_gold_not_json(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text('{\n  "documents": {\n    "a": {,}\n  }\n}', encoding="utf-8")
    assert f"{path}:3:" in bad_gold(path)


def test_gold_missing_and_not_utf8(tmp_path: Path) -> None:
    assert "cannot read" in bad_gold(tmp_path / "none.json")
    path = tmp_path / "gold.json"
    path.write_bytes(b'{"documents": {}}\n{"x": "\xff"}')
    assert f"{path}:2:" in bad_gold(path)


@pytest.mark.parametrize(
    ("gold", "place"),
    [
        ([], "must hold one JSON object"),
        ({}, "'documents' object"),
        ({"documents": {"a": []}}, "documents.a must be a JSON object"),
        (
            {"documents": {"a": {"events": [{"type": ["CONSULT"], "actors": []}]}}},
            "documents.a.events[0].cue",
        ),
        (
            {"documents": {"a": {"events": [{"type": [], "actors": [], "cue": "x"}]}}},
            "documents.a.events[0].type",
        ),
        (
            {"documents": {"a": {"claims": [{"cue": "x", "value": "4", "unit": "USD"}]}}},
            "documents.a.claims[0].value",
        ),
        ({"documents": {"a": {"quotes": [{"cue": "x"}]}}}, "needs a speaker"),
        ({"documents": {"a": {"quotes": [{"cue": "x", "speaker": None, "required": "no"}]}}}, "required"),
        ({"documents": {"a": {"metadata": {"authors": "Faramir"}}}}, "documents.a.metadata.authors"),
        ({"documents": {"a": {"boilerplate": "x"}}}, "documents.a.boilerplate"),
        ({"documents": {"a": {}}, "stories": [{"members": ["a", "b"]}]}, "'b', which is not a gold document"),
    ],
)
def test_gold_structure_problems_are_placed(tmp_path: Path, gold: Any, place: str) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    message = bad_gold(path)
    assert place in message and str(path) in message


def test_seeds_gold_loads(seeds_gold_path: Path) -> None:
    assert len(load_gold(seeds_gold_path)["documents"]) == 5


@pytest.mark.parametrize(
    ("lines", "needle"),
    [
        (['{"doc_id": "a"}', "{nope"], ":2:"),
        (['{"doc_id": "a"}', "[1]"], ":2: one object a line"),
        (['{"doc_id": "a"}', "", '{"text": "x"}'], ":3: give each object"),
        (['{"doc_id": "a"}', '{"doc_id": "b"}', '{"doc_id": "a"}'], ":3: also on line 1"),
    ],
)
def test_bad_outputs(tmp_path: Path, lines: list[str], needle: str) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(EvalError) as caught:
        load_outputs(path)
    assert caught.value.code is Code.BAD_GOLD
    assert f"{path}{needle}" in str(caught.value)
