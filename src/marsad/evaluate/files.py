"""Reading the evaluator's inputs: a gold JSON file and a JSONL file of per-document outputs.

Every problem raises ``EvalError(Code.BAD_GOLD)`` whose hint names the file and the line.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from marsad.errors import Code, EvalError
from marsad.evaluate.gold import parse_gold
from marsad.evaluate.rules import Rules, default_rules

StrPath = str | os.PathLike[str]

_LINE_END = re.compile(r"\r\n|\r|\n")


def _read(path: StrPath, what: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise EvalError(
            Code.BAD_GOLD,
            f"cannot read the {what} {os.fspath(path)}: {err.strerror or err}",
            hint="check the path; the seeds gold lives in ../shared/eval/ beside the repository",
        ) from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise EvalError(
            Code.BAD_GOLD,
            f"the {what} is not UTF-8",
            hint=f"{os.fspath(path)}:{line}: re-save the file as UTF-8",
        ) from err


def _bad_json(path: StrPath, err: json.JSONDecodeError, line: int | None = None) -> EvalError:
    return EvalError(
        Code.BAD_GOLD,
        f"invalid JSON: {err.msg}",
        hint=f"{os.fspath(path)}:{line or err.lineno}:{err.colno}: fix the JSON there",
    )


def load_gold(path: StrPath, rules: Rules | None = None) -> dict[str, Any]:
    """The gold file's content, checked (see :func:`marsad.evaluate.gold.parse_gold`)."""
    text = _read(path, "gold file")
    try:
        gold = json.loads(text)
    except json.JSONDecodeError as err:
        raise _bad_json(path, err) from err
    if not isinstance(gold, dict):
        raise EvalError(
            Code.BAD_GOLD,
            "the gold file must hold one JSON object",
            hint=f'{os.fspath(path)}:1: start the file with {{"documents": {{...}}}}',
        )
    parse_gold(gold, (rules or default_rules()).coarse_types, origin=os.fspath(path))
    return gold


def load_outputs(path: StrPath) -> dict[str, dict[str, Any]]:
    """Per-document outputs from a JSONL file (one object per line, blank lines skipped), by ``doc_id``."""
    outputs: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    # Split on line ends only: JSON text may hold a raw U+2028, which str.splitlines() would cut.
    for number, line in enumerate(_LINE_END.split(_read(path, "output file")), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as err:
            raise _bad_json(path, err, number) from err
        where = f"{os.fspath(path)}:{number}"
        if not isinstance(doc, dict):
            raise EvalError(
                Code.BAD_GOLD, "an output line is not a JSON object", hint=f"{where}: one object a line"
            )
        doc_id = doc.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            raise EvalError(
                Code.BAD_GOLD,
                "an output object has no doc_id",
                hint=f'{where}: give each object its document\'s "doc_id" (output contract)',
            )
        if doc_id in outputs:
            raise EvalError(
                Code.BAD_GOLD,
                f"doc_id {doc_id!r} appears twice",
                hint=f"{where}: also on line {first_line[doc_id]}; keep one output per document",
            )
        outputs[doc_id] = doc
        first_line[doc_id] = number
    return outputs
