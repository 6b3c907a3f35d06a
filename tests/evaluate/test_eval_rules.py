"""The evaluator's data files and the alias loader."""

from __future__ import annotations

import pytest

from marsad.evaluate import alias_rows_from_tsv, build_aliases, default_rules
from marsad.evaluate.rules import packaged_alias_rows, read_tsv


def test_packaged_rules_load() -> None:
    rules = default_rules()
    assert rules.coarse("GPE") == rules.coarse("LOC") == "LOC"
    assert rules.coarse("NORP") is None and rules.coarse(None) is None
    assert "USD" in rules.exact_units and "village" not in rules.exact_units
    assert rules.aliases.match("Ilham Aliev", "Ilham Aliyev")
    assert rules.aliases.match("AA", "anadolu agency")
    assert not rules.aliases.match("Baku", "Moscow")
    assert len(packaged_alias_rows()) >= 20


def test_alias_rows_from_tsv() -> None:
    text = "# a comment\n\ncanonical\tvariants\nGondor\tKingdom of Gondor| Stoningland |\nRohan\t\n"
    assert alias_rows_from_tsv(text) == [("Gondor", ("Kingdom of Gondor", "Stoningland")), ("Rohan", ())]


def test_alias_groups_merge_when_rows_share_a_name() -> None:
    aliases = build_aliases(
        [("Gondor", ["Stoningland"]), ("Kingdom of Gondor", ["gondor"]), ("Rohan", ["Mark"])]
    )
    assert aliases.match("Stoningland", "Kingdom of Gondor")
    assert not aliases.match("Gondor", "Mark")
    assert aliases.keys("Unknown Land") == frozenset({"unknown land"})


def test_unromanised_variants_do_not_join_everything() -> None:
    aliases = build_aliases([("Gondor", ["غوندور"])])
    assert not aliases.match("Gondor", "أرنور")  # both Arabic names fold to ""; "" joins no group
    assert aliases.match("", "")


def test_extra_alias_rows_extend_the_packaged_ones() -> None:
    rules = default_rules(extra_aliases=[("Ilham Aliyev", ["Ilham Heydar oglu Aliyev"])])
    assert rules.aliases.match("Ilham Aliev", "Ilham Heydar oglu Aliyev")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name\tvariants\nx\ty\n", "header"),
        ("", "header"),
        ("canonical\tvariants\nonly-one-cell\n", ":2:"),
        ("canonical\tvariants\n\tempty canonical\n", ":2:"),
    ],
)
def test_bad_tsv(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        read_tsv(text, ("canonical", "variants"), "aliases.tsv")
