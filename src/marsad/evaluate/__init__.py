"""Evaluation: score per-document outputs against a gold file, and gate on the figures.

>>> figures = score(load_gold("gold.json"), load_outputs("out.jsonl"))   # doctest: +SKIP
>>> limits = load_limits("eval/floors.json")                             # doctest: +SKIP
>>> shortfalls = check_floors(figures, limits.floors, limits.ceilings)   # doctest: +SKIP
>>> format_table(figures, shortfalls)                                    # doctest: +SKIP

Figure names and values agree with ``shared/eval/score.py``; ``spans.checked`` and
``spans.invalid`` are ours.
"""

from marsad.evaluate.figures import COUNT_FIGURES, FIGURES, score
from marsad.evaluate.files import load_gold, load_outputs
from marsad.evaluate.gate import Limits, Shortfall, check_floors, load_floors, load_limits, validate_limits
from marsad.evaluate.report import format_table
from marsad.evaluate.rules import Aliases, Rules, alias_rows_from_tsv, build_aliases, default_rules

__all__ = [
    "COUNT_FIGURES",
    "FIGURES",
    "Aliases",
    "Limits",
    "Rules",
    "Shortfall",
    "alias_rows_from_tsv",
    "build_aliases",
    "check_floors",
    "default_rules",
    "format_table",
    "load_floors",
    "load_gold",
    "load_limits",
    "load_outputs",
    "score",
    "validate_limits",
]
