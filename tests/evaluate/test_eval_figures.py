"""Each figure on the tiny corpus (see conftest.py), expected values derived by hand."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from marsad.errors import Code, EvalError
from marsad.evaluate import FIGURES, default_rules, score

Outputs = dict[str, dict[str, Any]]


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def test_tiny_corpus_all_figures(tiny_gold: dict[str, Any], tiny_outputs: Outputs) -> None:
    figures = score(tiny_gold, tiny_outputs)
    assert list(figures) == list(FIGURES)
    assert figures == {
        "documents.missing": 1,  # d3
        "metadata.accuracy": 9 / 15,  # d1 5/5, d2 4/5 (dateline), d3 0/5 (no text)
        "clean.boilerplate_removed": 1 - 2 / 4,  # d1 leaks one line, d3 (no text) leaks its line
        "clean.body_kept": 9 / 11,  # d1 4/4, d2 5/6 (title line dropped), d3 0/1
        "spans.valid": 1 - 1 / 20,
        "spans.checked": 20,
        "spans.invalid": 1,  # d2's off-by-one mention
        "entities.p": 6 / 9,
        "entities.r": 6 / 9,
        "entities.f1": f1(6 / 9, 6 / 9),
        "events.p": 4 / 6,
        "events.r": 3 / 5,
        "events.f1": f1(4 / 6, 3 / 5),
        "events.date_accuracy": 1 / 2,  # d2's attack dated a day late
        "crossdoc.inferred_dates": 2 / 2,  # d2's publication date and its optional request
        "quotes.p": 2 / 2,  # d2's indirect quote is not offered
        "quotes.r": 2 / 2,
        "quotes.f1": 1.0,
        "quotes.attribution": 1 / 2,  # d2's quote given to Theoden, not Eomer
        "claims.p": 2 / 4,
        "claims.r": 2 / 3,
        "claims.f1": f1(2 / 4, 2 / 3),
        "stories.p": 1.0,
        "stories.r": 1.0,
    }
    assert all(
        isinstance(figures[name], int) for name in ("documents.missing", "spans.checked", "spans.invalid")
    )


def test_score_is_pure(tiny_gold: dict[str, Any], tiny_outputs: Outputs) -> None:
    before = copy.deepcopy((tiny_gold, tiny_outputs))
    assert score(tiny_gold, tiny_outputs) == score(tiny_gold, tiny_outputs)
    assert (tiny_gold, tiny_outputs) == before


def test_outputs_outside_the_gold_are_ignored(tiny_gold: dict[str, Any], tiny_outputs: Outputs) -> None:
    extra = {**tiny_outputs, "stray": {"doc_id": "stray", "text": "x", "entities": [{"name": "Gondor"}]}}
    assert score(tiny_gold, extra) == score(tiny_gold, tiny_outputs)


# --- metadata -------------------------------------------------------------------------------


def _metadata_gold(**metadata: Any) -> dict[str, Any]:
    return {"documents": {"a": {"metadata": metadata}}}


def test_metadata_aliases_and_folding() -> None:
    gold = _metadata_gold(title="قال الملك", agency="Gaza Strip", dateline="Minas Tirith", authors=["Éowyn"])
    out = {
        "a": {
            "text": "نص",
            "title": "قالَ المَلك.",
            "agency": "Gaza",
            "dateline": "minas-tirith",
            "authors": ["eowyn"],
        }
    }
    assert score(gold, out)["metadata.accuracy"] == 1.0


def test_metadata_extra_alias_rows() -> None:
    gold = _metadata_gold(dateline="Minas Tirith")
    out = {"a": {"text": "نص", "dateline": "Mundburg"}}
    assert score(gold, out)["metadata.accuracy"] == 4 / 5
    rules = default_rules(extra_aliases=[("Minas Tirith", ["Mundburg", "Stone-city"])])
    assert score(gold, out, rules)["metadata.accuracy"] == 1.0


def test_metadata_absent_values_must_stay_absent() -> None:
    gold = _metadata_gold(agency=None, dateline=None, authors=[])
    assert score(gold, {"a": {"text": "نص", "agency": "", "dateline": None}})["metadata.accuracy"] == 1.0
    assert score(gold, {"a": {"text": "نص", "agency": "TASS"}})["metadata.accuracy"] == 4 / 5


@pytest.mark.parametrize(
    ("published", "accuracy", "inferred"),
    [(None, 1.0, 0.0), ("2024-03-05", 1.0, 1.0), ("2024-03-06", 4 / 5, 0.0)],
)
def test_published_inferable(published: str | None, accuracy: float, inferred: float) -> None:
    gold = _metadata_gold(published=None, published_inferable="2024-03-05")
    figures = score(gold, {"a": {"text": "نص", "published": published}})
    assert (figures["metadata.accuracy"], figures["crossdoc.inferred_dates"]) == (accuracy, inferred)


def test_metadata_needs_text() -> None:
    assert score(_metadata_gold(), {"a": {"text": ""}})["metadata.accuracy"] == 0.0


# --- cleaning and spans ---------------------------------------------------------------------


def test_boilerplate_and_body() -> None:
    gold = {
        "documents": {
            "a": {
                "boilerplate": ["اترك تعليقاً", "زر الذهاب إلى الأعلى"],
                "events": [{"type": ["CONSULT"], "actors": [], "cue": "استقبل الملكُ ضيفه"}],
                "quotes": [{"cue": "أهلا بكم", "speaker": None}],
            }
        }
    }
    out = {"a": {"text": "استقبل الملك ضيفه وقال: أهلاً بكم. اترك تعليقا"}}
    figures = score(gold, out)
    assert figures["clean.boilerplate_removed"] == 1 - 1 / 2  # hamza and tanwin fold away
    assert figures["clean.body_kept"] == 1.0


def test_spans_counts_tell_none_from_bad() -> None:
    gold: dict[str, Any] = {"documents": {"a": {}}}
    none = score(gold, {"a": {"text": "نص قصير"}})
    assert (none["spans.valid"], none["spans.checked"], none["spans.invalid"]) == (0.0, 0, 0)
    text = "نص قصير"
    spans = {
        "text": text,
        "entities": [
            {"name": "x", "mentions": {"start": 0, "end": 2, "text": "نص"}}
        ],  # one object, not a list
        "events": [{"evidence": {"start": 3, "end": 7, "text": "قصير"}}, {"evidence": None}],
        "quotes": [{"start": 0, "end": 3, "text": "نص"}],  # bad: includes the space
        "claims": [{"text": "نص"}],  # no offsets: not a span
        "dates": [{"start": 0, "end": 99, "text": "غير"}],  # bad: beyond the text
    }
    figures = score(gold, {"a": spans})
    assert (figures["spans.checked"], figures["spans.invalid"], figures["spans.valid"]) == (4, 2, 1 - 2 / 4)


# --- entities -------------------------------------------------------------------------------


def test_entities_match_on_name_and_coarse_type() -> None:
    gold = {
        "documents": {
            "a": {
                "entities": [
                    {"name": "Gondor", "type": "GPE"},
                    {"name": "Faramir", "type": "PERSON", "aliases": ["Faramir of Ithilien"]},
                    {"name": "White Tower", "type": "FAC", "required": False},
                ]
            }
        }
    }
    system = [
        {"name": "Gondor", "type": "LOC"},  # GPE and LOC are one coarse class
        {"name": "Faramir of Ithilien", "type": "PER"},  # a gold alias
        {"name": "the White Tower", "type": "MISC"},  # optional gold: counts for precision
        {"name": "Gondor", "type": "ORG"},  # right name, wrong class
        {"name": "Gondor", "type": "NORP"},  # unknown type never matches
    ]
    figures = score(gold, {"a": {"text": "نص", "entities": system}})
    assert (figures["entities.p"], figures["entities.r"]) == (3 / 5, 2 / 2)


# --- events ---------------------------------------------------------------------------------


def _event(
    kind: str, source: dict[str, Any] | None, target: dict[str, Any] | None, evidence: str, **more: Any
) -> dict[str, Any]:
    return {"type": kind, "source": source, "target": target, "evidence": {"text": evidence}, **more}


def test_events_greedy_best_overlap_and_one_to_one() -> None:
    gold = {
        "documents": {
            "a": {
                "events": [
                    {
                        "type": ["CONSULT"],
                        "actors": ["GON", "ROH"],
                        "cue": "التقى الملك بنظيره",
                        "required": False,
                    },
                    {"type": ["CONSULT"], "actors": ["GON", "ROH"], "cue": "استقبل الملك وفد روهان"},
                ]
            }
        }
    }
    system = [
        _event("CONSULT", {"country": "GON"}, {"country": "ROH"}, "خبر عام"),
        _event("CONSULT", {"country": "ROH"}, {"country": "GON"}, "استقبل الملك وفد روهان في القصر"),
    ]
    # the required event goes first and takes the best overlap (the second system event);
    # the optional one then takes what is left, even with no overlap at all
    figures = score(gold, {"a": {"text": "نص", "events": system}})
    assert (figures["events.p"], figures["events.r"]) == (2 / 2, 1 / 1)
    # one system event cannot serve two gold events
    figures = score(gold, {"a": {"text": "نص", "events": system[1:]}})
    assert (figures["events.p"], figures["events.r"]) == (1 / 1, 1 / 1)
    figures = score(gold, {"a": {"text": "نص", "events": system[:1]}})
    assert (figures["events.p"], figures["events.r"]) == (1 / 1, 1 / 1)


def test_events_need_type_and_actor_countries() -> None:
    gold = {
        "documents": {
            "a": {
                "events": [
                    {"type": ["REQUEST", "CONSULT"], "actors": ["IGO", "ARN"], "cue": "دعت الرابطة أرنور"}
                ]
            }
        }
    }

    def events_r(*system: dict[str, Any]) -> float:
        return score(gold, {"a": {"text": "نص", "events": list(system)}})["events.r"]

    igo = {"name": "League", "country": None, "sector": "igo"}  # sector IGO stands for the country
    assert events_r(_event("CONSULT", igo, {"country": "ARN"}, "")) == 1.0
    assert events_r(_event("CONSULT", {"country": "ARN"}, igo, "")) == 1.0
    assert events_r(_event("ASSAULT", igo, {"country": "ARN"}, "")) == 0.0  # type not allowed
    assert events_r(_event("CONSULT", igo, {"country": "GON"}, "")) == 0.0  # ARN not among actors
    assert events_r(_event("CONSULT", {"country": "ARN", "sector": "GOV"}, None, "")) == 0.0  # no IGO


def test_events_tie_goes_to_the_earliest() -> None:
    gold = {
        "documents": {"a": {"events": [{"type": ["CONSULT"], "actors": [], "cue": "لقاء", "date": "2024"}]}}
    }
    early = _event("CONSULT", None, None, "لقاء", date="2024-08-19")
    late = _event("CONSULT", None, None, "لقاء", date="2023-01-01")
    assert score(gold, {"a": {"text": "نص", "events": [early, late]}})["events.date_accuracy"] == 1.0
    assert score(gold, {"a": {"text": "نص", "events": [late, early]}})["events.date_accuracy"] == 0.0


def test_a_fixed_date_wins_over_an_inferable_one() -> None:
    gold_event = {
        "type": ["CONSULT"],
        "actors": [],
        "cue": "x",
        "date": "2024-08",
        "date_inferable": "2024-08-19",
    }
    gold = {"documents": {"a": {"events": [gold_event]}}}
    figures = score(
        gold, {"a": {"text": "نص", "events": [_event("CONSULT", None, None, "x", date="2024-08-19")]}}
    )
    assert (figures["events.date_accuracy"], figures["crossdoc.inferred_dates"]) == (1.0, 0.0)


def test_igo_sector_counts_beside_a_country() -> None:
    gold = {"documents": {"a": {"events": [{"type": ["AID"], "actors": ["IGO", "ARN"], "cue": "x"}]}}}
    both = _event("AID", {"country": "ARN", "sector": "IGO-regional"}, None, "x")
    assert score(gold, {"a": {"text": "نص", "events": [both]}})["events.r"] == 1.0


@pytest.mark.parametrize(
    ("gold_date", "system_date", "ok"),
    [
        ("2024-03", "2024-03-05", True),
        ("2024-03-05", "2024-03-05", True),
        ("2024-03-05", "2024-03", False),
        ("2024", "2023-12-31", False),
        ("2024", None, False),
    ],
)
def test_event_date_accuracy_is_a_prefix_match(gold_date: str, system_date: str | None, ok: bool) -> None:
    gold = {
        "documents": {"a": {"events": [{"type": ["CONSULT"], "actors": [], "cue": "x", "date": gold_date}]}}
    }
    out = {"a": {"text": "نص", "events": [_event("CONSULT", None, None, "x", date=system_date)]}}
    figures = score(gold, out)
    assert figures["events.date_accuracy"] == (1.0 if ok else 0.0)
    assert figures["crossdoc.inferred_dates"] == 0.0  # only date_inferable counts there


# --- quotes and claims ----------------------------------------------------------------------


def test_quote_attribution_uses_aliases() -> None:
    gold = {"documents": {"a": {"quotes": [{"cue": "نسعى إلى السلام", "speaker": "Ilham Aliyev"}]}}}
    quote: dict[str, Any] = {"text": "إننا نسعى الى السلام الدائم", "speaker": {"name": "Ilham Aliev"}}
    figures = score(gold, {"a": {"text": "نص", "quotes": [quote]}})
    assert (figures["quotes.r"], figures["quotes.attribution"]) == (1.0, 1.0)
    quote["speaker"] = None
    assert score(gold, {"a": {"text": "نص", "quotes": [quote]}})["quotes.attribution"] == 0.0


@pytest.mark.parametrize(
    ("gold_claim", "system_claim", "matches"),
    [
        ({"value": 4e9, "unit": "USD"}, {"value": 4000000000, "unit": "usd"}, True),
        ({"value": 4e9, "unit": "USD"}, {"value": "4000000000", "unit": "USD"}, True),
        ({"value": 4e9, "unit": "USD"}, {"value": 4000003000, "unit": "USD"}, True),  # within 1e-6
        ({"value": 4e9, "unit": "USD"}, {"value": 4000005000, "unit": "USD"}, False),
        ({"value": 4e9, "unit": "USD"}, {"value": 4e9, "unit": "EUR"}, False),
        ({"value": 12.7, "unit": "km"}, {"value": 12.7, "unit": None}, False),
        ({"value": 1, "unit": "m"}, {"value": 1, "unit": "M"}, True),
        ({"value": 3, "unit": "village"}, {"value": 3, "unit": "قرية"}, True),  # counting unit: value only
        ({"value": 3, "unit": "village"}, {"value": "ثلاث"}, False),
        ({"value": 3, "unit": "village"}, {"value": None}, False),
        ({"value": 0, "unit": "percent"}, {"value": 0.0000009}, True),  # tolerance never below 1e-6
        ({"value": 0.5, "unit": "percent"}, {"value": 0.5000009}, True),
        ({"value": 0.5, "unit": "percent"}, {"value": 0.500002}, False),
    ],
)
def test_claim_units(gold_claim: dict[str, Any], system_claim: dict[str, Any], matches: bool) -> None:
    gold = {"documents": {"a": {"claims": [{"cue": "x", **gold_claim}]}}}
    figures = score(gold, {"a": {"text": "نص", "claims": [system_claim]}})
    assert (figures["claims.p"], figures["claims.r"]) == ((1.0, 1.0) if matches else (0.0, 0.0))


def test_claims_optional_gold_counts_only_for_precision() -> None:
    gold = {"documents": {"a": {"claims": [{"cue": "x", "value": 44, "unit": "day", "required": False}]}}}
    figures = score(gold, {"a": {"text": "نص", "claims": [{"value": 44, "unit": "day"}]}})
    assert (figures["claims.p"], figures["claims.r"]) == (1.0, 0.0)


# --- stories --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "p", "r"),
    [
        ({"a": "s1", "b": "s1", "c": "s1", "d": "s2"}, 1.0, 1.0),
        ({"a": "s1", "b": "s1", "c": "s2", "d": "s2"}, 1 / 2, 1 / 3),  # (a,b) right, (c,d) wrong
        ({"a": "s1", "b": "s1", "c": "s1", "d": "s1"}, 3 / 6, 3 / 3),
        ({"a": None, "b": None, "c": None, "d": None}, 0.0, 0.0),  # no label joins nothing
        ({"a": "", "b": ""}, 0.0, 0.0),
    ],
)
def test_story_pairs(labels: dict[str, str | None], p: float, r: float) -> None:
    gold = {"documents": {d: {} for d in "abcd"}, "stories": [{"members": ["a", "b", "c"]}]}
    figures = score(gold, {d: {"story": label} for d, label in labels.items()})
    assert (figures["stories.p"], figures["stories.r"]) == (p, r)


def test_bad_gold_raises_with_its_place() -> None:
    gold = {"documents": {"a": {"entities": [{"name": "Gondor", "type": "KINGDOM"}]}}}
    with pytest.raises(EvalError) as caught:
        score(gold, {})
    assert caught.value.code is Code.BAD_GOLD
    assert "documents.a.entities[0].type" in str(caught.value)
