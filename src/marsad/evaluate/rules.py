"""The evaluator's data: name-alias groups, coarse entity types and exact claim units.

All three live in ``marsad/data/eval/*.tsv`` and are read with :mod:`importlib.resources`.
The alias loader takes plain rows, so other sources (the knowledge base) can add groups::

    rules = default_rules(extra_aliases=[("Gondor", ["Kingdom of Gondor"])])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from marsad.evaluate.text import fold_name

AliasRow = tuple[str, Sequence[str]]
"""A canonical name and its accepted variants."""


@dataclass(frozen=True)
class Aliases:
    """Name-variant groups, keyed by folded name (see :func:`~marsad.evaluate.text.fold_name`)."""

    groups: Mapping[str, frozenset[str]]

    def keys(self, name: object) -> frozenset[str]:
        """Every folded form ``name`` is known by (just its own when it is in no group)."""
        key = fold_name(name)
        return self.groups.get(key, frozenset((key,)))

    def match(self, a: object, b: object) -> bool:
        """Whether two names fold to the same key or share an alias group."""
        return bool(self.keys(a) & self.keys(b))


def build_aliases(rows: Iterable[AliasRow]) -> Aliases:
    """Alias groups from ``(canonical, variants)`` rows; rows sharing a folded name merge."""
    groups: dict[str, frozenset[str]] = {}
    for canonical, variants in rows:
        group = {fold_name(name) for name in (canonical, *variants)} - {""}
        for key in tuple(group):
            group |= groups.get(key, frozenset())
        merged = frozenset(group)
        for key in merged:
            groups[key] = merged
    return Aliases(groups)


def read_tsv(text: str, header: Sequence[str], origin: str) -> list[list[str]]:
    """Rows of a data TSV: ``#`` comment and blank lines skipped, header checked, widths checked."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and line[0] != "#"]
    if not lines or lines[0][1].split("\t") != list(header):
        raise ValueError(f"{origin}: the first non-comment line must be the header {'<TAB>'.join(header)}")
    rows = []
    for number, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != len(header) or not cells[0].strip():
            raise ValueError(f"{origin}:{number}: expected {len(header)} tab-separated cells, got {cells!r}")
        rows.append([cell.strip() for cell in cells])
    return rows


def alias_rows_from_tsv(text: str, origin: str = "aliases.tsv") -> list[AliasRow]:
    """``canonical<TAB>variants`` rows, variants ``|``-separated."""
    return [
        (canonical, tuple(v.strip() for v in variants.split("|") if v.strip()))
        for canonical, variants in read_tsv(text, ("canonical", "variants"), origin)
    ]


def _packaged(name: str) -> str:
    return (resources.files("marsad") / "data" / "eval" / name).read_text(encoding="utf-8")


def packaged_alias_rows() -> list[AliasRow]:
    """The alias rows shipped in ``marsad/data/eval/aliases.tsv``."""
    return alias_rows_from_tsv(_packaged("aliases.tsv"), "marsad/data/eval/aliases.tsv")


def packaged_coarse_types() -> dict[str, str]:
    """Entity type -> coarse class, from ``marsad/data/eval/entity_types.tsv``."""
    rows = read_tsv(_packaged("entity_types.tsv"), ("type", "coarse"), "marsad/data/eval/entity_types.tsv")
    return {kind: coarse for kind, coarse in rows}


def packaged_exact_units() -> frozenset[str]:
    """Claim units compared exactly, from ``marsad/data/eval/exact_units.tsv``."""
    rows = read_tsv(_packaged("exact_units.tsv"), ("unit",), "marsad/data/eval/exact_units.tsv")
    return frozenset(unit for (unit,) in rows)


@dataclass(frozen=True)
class Rules:
    """Everything the scorer knows besides the gold and the outputs."""

    aliases: Aliases
    coarse_types: Mapping[str, str]
    exact_units: frozenset[str]

    def coarse(self, entity_type: object) -> str | None:
        """Coarse class of an entity type, ``None`` for an unknown one."""
        return self.coarse_types.get(entity_type) if isinstance(entity_type, str) else None


def default_rules(extra_aliases: Iterable[AliasRow] = ()) -> Rules:
    """The packaged rules, with optional extra alias rows merged into the packaged groups."""
    return Rules(
        aliases=build_aliases([*packaged_alias_rows(), *extra_aliases]),
        coarse_types=packaged_coarse_types(),
        exact_units=packaged_exact_units(),
    )
