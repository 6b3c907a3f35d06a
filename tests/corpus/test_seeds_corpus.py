"""The seed articles read as one corpus: the Baku visit is one story and the trade figure is
corroborated. Skipped where ../shared is absent (a user's clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.corpus.crossdoc import Corpus
from marsad.ingest.readers import Item, ReadOptions, read_all
from marsad.ingest.run import process_items
from marsad.kb.base import KnowledgeBase
from marsad.pipeline import Pipeline

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles sit in ../shared, beside the repository")
def test_seeds_as_a_corpus() -> None:
    kb = KnowledgeBase.load()
    pipeline = Pipeline.default(kb=kb)
    corpus = Corpus(pipeline, kb)
    for outcome in process_items(
        read_all([str(p) for p in sorted(SEEDS.glob("*.txt"))], ReadOptions()), pipeline
    ):
        assert not isinstance(outcome, Exception)
        item, doc = outcome
        assert isinstance(item, Item)
        corpus.add(item.doc, doc)
    records = {r["doc_id"][:3]: r for r in corpus.records()}
    assert records["002"]["story"] == records["003"]["story"]
    assert len({r["story"] for r in records.values()}) == 4
    assert (records["002"]["published"], records["002"]["published_source"]) == ("2024-08-19", "inferred")
    trade = {
        key: next(c for c in r["claims"] if c["subject"] == "trade volume")
        for key, r in records.items()
        if key in ("001", "002", "003")
    }
    for key, c in trade.items():
        assert sorted(d[:3] for d in c["corroborated_by"]) == sorted(set(trade) - {key})
