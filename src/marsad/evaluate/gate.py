"""The quality gate: floors under shares, ceilings over counts.

A limits file (``eval/floors.json``) reads::

    {"floors": {"events.f1": 0.8}, "ceilings": {"spans.invalid": 0}, "_note": "..."}

Keys starting with ``_`` are comments. Every name must be a figure of
:data:`~marsad.evaluate.figures.FIGURES`, so a misspelt floor fails loudly instead of
passing silently; ceilings apply to count figures only.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from marsad.errors import Code, EvalError
from marsad.evaluate.figures import COUNT_FIGURES, FIGURES

Kind = Literal["floor", "ceiling"]


@dataclass(frozen=True)
class Shortfall:
    """A figure on the wrong side of its limit. ``floor`` holds the limit crossed: a floor,
    or a ceiling when ``kind`` is ``"ceiling"``."""

    name: str
    value: float
    floor: float
    kind: Kind = "floor"

    def __str__(self) -> str:
        if self.kind == "ceiling":
            return f"{self.name}={self.value}>{self.floor}"
        return f"{self.name}={self.value:.3f}<{self.floor}"


@dataclass(frozen=True)
class Limits:
    """Floors (a figure must not fall below) and ceilings (a count must not rise above)."""

    floors: Mapping[str, float] = field(default_factory=dict)
    ceilings: Mapping[str, float] = field(default_factory=dict)


def _bad(message: str, hint: str) -> EvalError:
    return EvalError(Code.BAD_FLOORS, message, hint=hint)


def _check_limit(name: object, value: object, kind: Kind, origin: str) -> None:
    if not isinstance(name, str) or name not in FIGURES:
        near = difflib.get_close_matches(str(name), FIGURES, n=1)
        guess = f"did you mean {near[0]!r}? " if near else ""
        raise _bad(
            f"{origin}: {kind} for unknown figure {name!r}", f"{guess}figures are: {', '.join(FIGURES)}"
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise _bad(f"{origin}: the {kind} of {name} is {value!r}, not a number", f"give {name} a number")
    if kind == "ceiling" and name not in COUNT_FIGURES:
        raise _bad(
            f"{origin}: ceiling on {name}, which is not a count",
            f"ceilings apply to {', '.join(sorted(COUNT_FIGURES))}; give {name} a floor instead",
        )
    share = name not in COUNT_FIGURES
    if value < 0 or (share and value > 1):
        raise _bad(
            f"{origin}: the {kind} of {name} is {value}, out of range",
            f"{name} lies in [0, 1]" if share else f"{name} is a count, at least 0",
        )


def validate_limits(
    floors: Mapping[str, float], ceilings: Mapping[str, float] | None = None, origin: str = "floors"
) -> None:
    """Raise ``EvalError(BAD_FLOORS)`` for an unknown figure, a non-number or an impossible limit."""
    for name, value in floors.items():
        _check_limit(name, value, "floor", origin)
    for name, value in (ceilings or {}).items():
        _check_limit(name, value, "ceiling", origin)


def _section(data: Mapping[str, Any], key: str, origin: str) -> dict[str, float]:
    section = data.get(key, {})
    if not isinstance(section, dict):
        raise _bad(
            f"{origin}: {key!r} must be an object of figure names", f'write "{key}": {{"name": value}}'
        )
    return dict(section)


def load_limits(path: str | os.PathLike[str]) -> Limits:
    """Floors and ceilings from a limits file, checked by :func:`validate_limits`."""
    origin = os.fspath(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise _bad(f"cannot read the floors file {origin}: {err.strerror or err}", "check the path") from err
    except UnicodeDecodeError as err:
        raise _bad(f"the floors file {origin} is not UTF-8", "re-save it as UTF-8") from err
    except json.JSONDecodeError as err:
        raise _bad(
            f"invalid JSON: {err.msg}", f"{origin}:{err.lineno}:{err.colno}: fix the JSON there"
        ) from err
    if not isinstance(data, dict):
        raise _bad(f"{origin} must hold one JSON object", '{"floors": {...}, "ceilings": {...}}')
    unknown = [key for key in data if key not in ("floors", "ceilings") and not key.startswith("_")]
    if unknown:
        raise _bad(f"{origin}: unknown key {unknown[0]!r}", 'use "floors", "ceilings", or a "_" comment key')
    limits = Limits(_section(data, "floors", origin), _section(data, "ceilings", origin))
    validate_limits(limits.floors, limits.ceilings, origin)
    return limits


def load_floors(path: str | os.PathLike[str]) -> dict[str, float]:
    """The floors of a limits file (its ceilings: :func:`load_limits`)."""
    return dict(load_limits(path).floors)


def _value(figures: Mapping[str, float], name: str) -> float:
    if name not in figures:
        raise _bad(f"the figures lack {name!r}", "check the figures from marsad.evaluate.score()")
    return figures[name]


def check_floors(
    figures: Mapping[str, float],
    floors: Mapping[str, float],
    ceilings: Mapping[str, float] | None = None,
) -> list[Shortfall]:
    """Figures below their floor or above their ceiling, floors first, in the limits' order."""
    validate_limits(floors, ceilings)
    low = [Shortfall(n, v, f) for n, f in floors.items() if (v := _value(figures, n)) < f]
    high = [
        Shortfall(n, v, c, "ceiling") for n, c in (ceilings or {}).items() if (v := _value(figures, n)) > c
    ]
    return low + high
