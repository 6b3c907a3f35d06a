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


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles sit in ../shared, beside the repository")
def test_seeds_in_a_store_over_two_ingests_give_the_timeline(tmp_path: Path) -> None:
    from marsad.cli import main

    paths = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    db = str(tmp_path / "seeds.db")
    assert main(["ingest", *paths[:3], "--db", db]) == 0  # 000, 001, 002: 002 has no date yet
    assert main(["ingest", *paths[3:], "--db", db]) == 0  # 003 dates it

    from marsad.store import open_store
    from marsad.store import stories as corpus
    from marsad.store.queries import get_document

    with open_store(db, create=False) as store:
        rows = corpus.timeline(store, "Ilham Aliyev", with_="Vladimir Putin", type="CONSULT")
        assert [(r["date"], r["place"]) for r in rows] == [
            ("2021-11-26", "Sochi"), ("2024-04", "Moscow"), ("2024-08-19", "Baku")
        ]  # fmt: skip
        assert rows[2]["sources"] == ["002_df422cbc89eb26dc", "003_13b6d9220f9f62f4"]
        late = get_document(store, "002_df422cbc89eb26dc")
        assert (late["published"], late["published_source"]) == ("2024-08-19", "inferred")
        assert late["story"] == get_document(store, "003_13b6d9220f9f62f4")["story"]
        trade = next(c for c in late["claims"] if c["subject"] == "trade volume")
        assert sorted(trade["corroborated_by"]) == ["001_6d63aa4750321e4e", "003_13b6d9220f9f62f4"]
        sizes = sorted(s["documents"] for s in corpus.stories(store))
        assert sizes == [1, 1, 1, 2]
        # 000: Armenia returned 4 villages; 003: Azerbaijan recovered 3
        contested = {(c["doc_id"][:3], c["value"], c["unit"]) for c in corpus.contested_claims(store)}
        assert contested == {("000", 4, "village"), ("003", 3, "village")}
