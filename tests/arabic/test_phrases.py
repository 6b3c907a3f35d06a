"""Phrase tables: where a phrase may start, from one pass over a document's keys for all tables."""

from __future__ import annotations

import copy
import gc
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic.first_keys import FIRST_KEYS
from marsad.arabic.phrases import PhraseTable, forget_documents, token_keys
from marsad.arabic.tokenize import tokenize

WORDS = ["وزير", "الخارجية", "قال", "في", "مدينة", "ميناس", "تيريث", "أمس", "الحكومة", "روهان"]
phrases = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), max_size=6)


def table_of(rows: list[list[str]]) -> PhraseTable[int]:
    return PhraseTable((" ".join(words), n) for n, words in enumerate(rows))


def scan(table: PhraseTable[int], keys: list[str]) -> list[int]:
    """Where a phrase of ``table`` may start, by looking at every key."""
    return [i for i, key in enumerate(keys) if key in table.first_keys]


@settings(max_examples=100, deadline=None)
@given(st.lists(phrases, min_size=1, max_size=4), st.lists(st.sampled_from(WORDS), max_size=30))
def test_each_table_gets_its_own_starts_from_the_shared_pass(
    tables: list[list[list[str]]], text: list[str]
) -> None:
    built = [table_of(rows) for rows in tables]
    keys = token_keys(tuple(tokenize(" ".join(text))))
    assert [t.starts(keys) for t in built] == [scan(t, keys) for t in built]
    assert [t.starts(list(keys)) for t in built] == [scan(t, keys) for t in built]  # a list of its own
    forget_documents()


def test_a_phrase_added_after_a_pass_is_found() -> None:
    table = table_of([["وزير", "الخارجية"]])
    keys = token_keys(tuple(tokenize("قال وزير الخارجية في ميناس")))
    assert table.starts(keys) == [1]
    table.add("في ميناس", 9)
    assert table.starts(keys) == [1, 3]
    forget_documents()


def test_copies_and_unpickled_tables_find_their_starts() -> None:
    table = table_of([["مدينة", "ميناس"]])
    keys = token_keys(tuple(tokenize("زار مدينة ميناس أمس")))
    for other in (copy.deepcopy(table), pickle.loads(pickle.dumps(table))):
        other.add("أمس", 5)
        assert other.starts(keys) == [1, 3]
    assert table.starts(keys) == [1]
    forget_documents()


def test_a_collected_table_gives_its_bit_and_keys_back() -> None:
    gc.collect()
    before = dict(FIRST_KEYS.masks)
    table = table_of([["تيريث"], ["روهان", "الحكومة"]])
    assert "روهان" in FIRST_KEYS.masks
    del table
    gc.collect()
    assert FIRST_KEYS.masks == before
