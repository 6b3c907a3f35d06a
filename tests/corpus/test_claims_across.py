"""Claims across documents: corroborated and contradicted figures, on made-up records."""

from __future__ import annotations

from typing import Any

from marsad.corpus.claims import actor_pairs, agree, link_claims

PAIR = [{"type": "CONSULT", "source": {"country": "ARN"}, "target": {"country": "GND"}}]


def claim(
    value: float, subject: str | None = "trade volume", unit: str = "USD", **extra: Any
) -> dict[str, Any]:
    return {
        "value": value,
        "unit": unit,
        "subject": subject,
        "qualifier": extra.pop("qualifier", "exact"),
        **extra,
    }


def record(doc_id: str, claims: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"doc_id": doc_id, "published": None, "story": None, "events": [], "claims": claims, **extra}


def test_the_same_figure_in_three_reports_is_corroborated_twice() -> None:
    records = [record(d, [claim(4e9, qualifier="more_than")], events=PAIR) for d in ("a", "b", "c")]
    link_claims(records)
    for r in records:
        (c,) = r["claims"]
        assert sorted(c["corroborated_by"]) == sorted({"a", "b", "c"} - {r["doc_id"]})
        assert c["contradicted_by"] == []


def test_another_figure_is_a_contradiction_listed_on_both_sides() -> None:
    a, b = record("a", [claim(4e9)], story="s-1"), record("b", [claim(3e9)], story="s-1")
    link_claims([a, b])
    assert a["claims"][0]["contradicted_by"] == ["b"] and b["claims"][0]["contradicted_by"] == ["a"]


def test_only_related_documents_and_the_same_thing_are_compared() -> None:
    unrelated = [record("a", [claim(4e9)], events=PAIR), record("b", [claim(9e9)])]  # no shared pair or story
    far = [
        record("a", [claim(4e9)], events=PAIR, published="2024-01-01"),
        record("b", [claim(9e9)], events=PAIR, published="2024-06-01"),
    ]
    other_unit = [record("a", [claim(4e9)], story="s"), record("b", [claim(9.0, unit="percent")], story="s")]
    other_time = [
        record("a", [claim(4e9, time="2022")], story="s"),
        record("b", [claim(5e9, time="2023")], story="s"),
    ]
    no_subject = [
        record("a", [claim(4, None, "village")], story="s"),
        record("b", [claim(3, None, "village")], story="s"),
    ]
    for records in (unrelated, far, other_unit, other_time, no_subject):
        link_claims(records)
        assert all(
            not c["corroborated_by"] and not c["contradicted_by"] for r in records for c in r["claims"]
        )


def test_values_agree_within_tolerance_and_qualifiers() -> None:
    assert agree(claim(4.0e9), claim(4.1e9), 0.05)
    assert not agree(claim(4.0e9), claim(4.5e9), 0.05)
    assert agree(claim(4.0e9, qualifier="more_than"), claim(4.5e9), 0.05)
    assert not agree(claim(4.0e9, qualifier="more_than"), claim(3.0e9), 0.05)
    assert agree(claim(10, qualifier="less_than"), claim(7), 0.05)


def test_actor_pairs_come_from_events_with_two_countries() -> None:
    events = [
        *PAIR,
        {"source": {"country": "ARN"}, "target": None},
        {"source": {"country": "ARN"}, "target": {"country": "ARN"}},
    ]
    assert actor_pairs({"events": events}) == {frozenset({"ARN", "GND"})}


def test_claims_without_subject_are_compared_within_the_same_happening() -> None:
    from marsad.corpus.claims import claim_keys

    def report(doc_id: str, value: int, kind: str, published: str | None) -> dict:
        event = {"type": kind, "context": [], "source": {"country": "ARN"}, "target": {"country": "GND"},
                 "evidence": {"start": 0, "end": 60}}  # fmt: skip
        claim = {
            "value": value,
            "unit": "village",
            "qualifier": "exact",
            "subject": None,
            "start": 20,
            "end": 26,
        }
        return {"doc_id": doc_id, "published": published, "story": None, "events": [event], "claims": [claim]}

    handed, recovered, talks = (
        report("a", 4, "CONCEDE", None),
        report("b", 3, "CONCEDE", "2024-05-24"),
        report("c", 3, "CONSULT", "2024-05-24"),
    )
    assert claim_keys(handed, handed["claims"][0]) == [("CONCEDE ARN|GND", "village")]
    link_claims([handed, recovered, talks])
    assert handed["claims"][0]["contradicted_by"] == ["b"]  # not "c": talks are another happening
    assert recovered["claims"][0]["contradicted_by"] == ["a"] and talks["claims"][0]["contradicted_by"] == []
    outside = report("d", 5, "CONCEDE", None)
    outside["claims"][0]["start"], outside["claims"][0]["end"] = 70, 75  # a figure in no event
    assert claim_keys(outside, outside["claims"][0]) == []
