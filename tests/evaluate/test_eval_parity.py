"""Our scorer against the reference, ``shared/eval/score.py``: same figures, same values, exactly.

Skipped, with the reason, where ../shared is absent (a user's clone). Besides the tiny
corpus, it scores synthetic outputs for the seeds gold: empty, perfect (the gold turned
into output), randomly perturbed (fixed seeds), and random outputs drawn by hypothesis.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.evaluate import COUNT_FIGURES, check_floors, format_table, load_gold, load_outputs, score
from marsad.evaluate.rules import packaged_alias_rows, packaged_coarse_types, packaged_exact_units
from marsad.evaluate.text import fold_name

Doc = dict[str, Any]
TinyCorpus = Callable[[], tuple[dict[str, Any], dict[str, Doc]]]
OURS_ONLY = {"spans.checked", "spans.invalid"}


def assert_parity(reference: ModuleType, gold: dict[str, Any], outputs: dict[str, Doc]) -> dict[str, float]:
    theirs = reference.score(copy.deepcopy(gold), copy.deepcopy(outputs))
    ours = score(gold, outputs)
    assert {k: v for k, v in ours.items() if k not in OURS_ONLY} == theirs
    assert list(theirs) == [k for k in ours if k not in OURS_ONLY]
    assert [type(ours[k]) for k in theirs] == [type(v) for v in theirs.values()]
    assert ours["spans.invalid"] <= ours["spans.checked"]
    return ours


@pytest.fixture(scope="module")
def seeds_gold(seeds_gold_path: Path) -> dict[str, Any]:
    return load_gold(seeds_gold_path)


# --- the rule data agrees with the reference's hard-coded tables ----------------------------


def test_rule_data_matches_reference(reference: ModuleType) -> None:
    def groups(rows: Any) -> set[frozenset[str]]:
        return {frozenset(fold_name(n) for n in (canon, *variants)) for canon, variants in rows}

    assert groups(packaged_alias_rows()) == groups(reference.ALIASES.items())
    assert packaged_coarse_types() == reference.COARSE
    # exact units: the reference compares units for these and no others
    assert packaged_exact_units() == {"USD", "EUR", "km", "m"}


def test_alias_groups_are_disjoint() -> None:
    """With disjoint groups, merging (ours) and the reference's one-pass expansion agree."""
    seen: set[str] = set()
    for canonical, variants in packaged_alias_rows():
        keys = {fold_name(n) for n in (canonical, *variants)}
        assert not keys & seen, canonical
        seen |= keys


# --- the tiny corpus ------------------------------------------------------------------------


def test_parity_tiny(reference: ModuleType, tiny_gold: dict[str, Any], tiny_outputs: dict[str, Doc]) -> None:
    assert_parity(reference, tiny_gold, tiny_outputs)
    assert_parity(reference, tiny_gold, {})


# --- the seeds gold -------------------------------------------------------------------------


def _actor(code: str) -> dict[str, Any]:
    return {"country": None, "sector": "IGO"} if code == "IGO" else {"country": code, "sector": "GOV"}


def perfect_output(doc_id: str, gold_doc: dict[str, Any], story: str | None) -> Doc:
    """The gold document written as the extractor's output, every span valid."""
    meta = gold_doc.get("metadata", {})
    items = gold_doc.get("events", []) + gold_doc.get("quotes", []) + gold_doc.get("claims", [])
    text = "\n".join([meta.get("title") or "", *(item["cue"] for item in items)])

    def at(part: str) -> dict[str, Any]:
        start = text.index(part)
        return {"start": start, "end": start + len(part), "text": part}

    def event(e: dict[str, Any]) -> dict[str, Any]:
        actors = [_actor(code) for code in e["actors"]] + [None, None]
        kind = e["type"] if isinstance(e["type"], str) else e["type"][0]
        date = e.get("date") or e.get("date_inferable")
        return {
            "type": kind,
            "source": actors[0],
            "target": actors[1],
            "date": date,
            "evidence": at(e["cue"]),
        }

    return {
        "doc_id": doc_id,
        "title": meta.get("title"),
        "published": meta.get("published") or meta.get("published_inferable"),
        "agency": meta.get("agency"),
        "dateline": meta.get("dateline"),
        "authors": list(meta.get("authors", [])),
        "text": text,
        "story": story,
        "entities": [
            {"name": e["name"], "type": e["type"], "mentions": []} for e in gold_doc.get("entities", [])
        ],
        "events": [event(e) for e in gold_doc.get("events", [])],
        "quotes": [
            {"direct": True, "speaker": {"name": q["speaker"]}, **at(q["cue"])}
            for q in gold_doc.get("quotes", [])
        ],
        "claims": [
            {"value": c["value"], "unit": c["unit"], **at(c["cue"])} for c in gold_doc.get("claims", [])
        ],
        "dates": [],
    }


def perfect_outputs(gold: dict[str, Any]) -> dict[str, Doc]:
    story_of = {m: f"s-{n}" for n, s in enumerate(gold.get("stories", [])) for m in s["members"]}
    return {d: perfect_output(d, g, story_of.get(d)) for d, g in gold["documents"].items()}


def test_parity_seeds_empty(reference: ModuleType, seeds_gold: dict[str, Any]) -> None:
    assert_parity(reference, seeds_gold, {})
    assert_parity(reference, seeds_gold, {d: {"doc_id": d} for d in seeds_gold["documents"]})


def test_parity_seeds_perfect(reference: ModuleType, seeds_gold: dict[str, Any]) -> None:
    figures = assert_parity(reference, seeds_gold, perfect_outputs(seeds_gold))
    perfect = [name for name in figures if name not in COUNT_FIGURES and name != "clean.boilerplate_removed"]
    assert {name: figures[name] for name in perfect if figures[name] != 1.0} == {}
    assert (figures["documents.missing"], figures["spans.invalid"]) == (0, 0)


# --- perturbations with fixed seeds ---------------------------------------------------------

COUNTRIES = ["AZE", "RUS", "EGY", "ARM", "TUR", "IGO", "GON", "ARN", "ROH", "MOR", None, ""]
TYPES = ["CONSULT", "SUPPORT", "AGREE", "REQUEST", "ASSAULT", "COOPERATE", "CONCEDE", None]
NAMES = [
    "Ilham Aliev",
    "Vladimir Putin",
    "Putin",
    "Abdul Fattah al-Sisi",
    "Ceyhun Bayramov",
    "",
    None,
    "بوتين",
]


def _pick_item(rng: random.Random, doc: Doc, key: str) -> dict[str, Any] | None:
    items = doc.get(key) or []
    return rng.choice(items) if items else None


def perturb(doc: Doc, rng: random.Random) -> None:
    """One random damage to an output document, in place."""
    op = rng.randrange(15)
    text = doc.get("text") or ""
    if op == 0 and (event := _pick_item(rng, doc, "events")):
        event[rng.choice(["source", "target"])] = {
            "country": rng.choice(COUNTRIES),
            "sector": rng.choice(["IGO", "igo", "IGO-REGIONAL", "GOV", None]),
        }
    elif op == 1 and doc.get("quotes"):
        doc["quotes"].pop(rng.randrange(len(doc["quotes"])))
    elif op == 2 and (item := _pick_item(rng, doc, rng.choice(["quotes", "claims"]))) and "start" in item:
        item["start"] += rng.choice([-1, 1, 5])
    elif op == 3 and (event := _pick_item(rng, doc, "events")) and event.get("evidence"):
        event["evidence"]["end"] = rng.randrange(len(text) + 3)
    elif op == 4 and (event := _pick_item(rng, doc, "events")):
        event["type"] = rng.choice(TYPES)
    elif op == 5 and (event := _pick_item(rng, doc, "events")):
        event["date"] = rng.choice([None, "2024", "2024-08", "2024-08-18", "2021-11-26", "2024-04-01"])
    elif op == 6 and (quote := _pick_item(rng, doc, "quotes")):
        quote["speaker"] = rng.choice([{"name": rng.choice(NAMES)}, None, {}])
        quote["direct"] = rng.choice([True, False, None])
    elif op == 7 and (claim := _pick_item(rng, doc, "claims")):
        claim["unit"] = rng.choice(["usd", "EUR", "m", "km", None, "village"])
        value = claim["value"] if isinstance(claim["value"], (int, float)) else 4e9
        claim["value"] = rng.choice([value, str(value), "n/a", None, value * 1.0000001, value * 1.000002])
    elif op == 8 and (entity := _pick_item(rng, doc, "entities")):
        entity["type"] = rng.choice(["PERSON", "PER", "GPE", "LOC", "ORG", "FAC", "NORP", None])
        entity["name"] = rng.choice([entity["name"], *NAMES, "Nagorno-Karabakh", "Gaza"])
    elif op == 9:
        doc["story"] = rng.choice(["s-0", "s-1", None, ""])
    elif op == 10:
        doc[rng.choice(["agency", "dateline", "published", "title"])] = rng.choice(
            [None, "", "AA", "Anadolu", "TASS Russian News Agency", "Baku", "2024-08-19", "2024-08"]
        )
    elif op == 11:
        doc["text"] = rng.choice(
            ["", text + "\nمشاركة :", text[: len(text) // 2], "Bu haberi paylaşın\n" + text]
        )
    elif op == 12:
        doc["entities"] = (doc.get("entities") or []) + [{"name": rng.choice(NAMES), "type": "PERSON"}]
    elif op == 13:
        doc["authors"] = rng.choice([[], ["Ruslan Rehimov"], ["sami sohta", "Ruslan Rehimov"], None])
    elif op == 14 and (event := _pick_item(rng, doc, "events")):
        twin = copy.deepcopy(event)  # same type, actors and evidence: a tie on cue overlap
        twin["date"] = rng.choice([None, "1999", event.get("date")])
        doc["events"].insert(rng.randrange(len(doc["events"]) + 1), twin)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("corpus", ["seeds", "tiny"])
def test_parity_perturbed(
    reference: ModuleType, seeds_gold_path: Path, tiny_corpus: TinyCorpus, corpus: str, seed: int
) -> None:
    tiny_gold, tiny_outputs = tiny_corpus()
    gold = load_gold(seeds_gold_path) if corpus == "seeds" else tiny_gold
    rng = random.Random(seed)
    outputs = perfect_outputs(gold) if corpus == "seeds" or seed % 2 else tiny_outputs
    for doc in outputs.values():
        for _ in range(rng.randrange(1, 12)):
            perturb(doc, rng)
    if rng.random() < 0.3:
        outputs.pop(rng.choice(sorted(outputs)))
    assert_parity(reference, gold, outputs)


# --- random outputs (hypothesis) ------------------------------------------------------------

words = st.sampled_from(
    ["علييف", "بوتين", "باكو", "الرئيس", "قال", "زيارة", "4", "مليار", "دولار", "إن", "،"]
)
texts = st.lists(words, max_size=12).map(" ".join)
maybe_str = st.one_of(
    st.none(), st.sampled_from(["", "AZE", "RUS", "EGY", "ARM", "IGO", "igo-regional", "GOV"])
)
actors = st.one_of(st.none(), st.fixed_dictionaries({}, optional={"country": maybe_str, "sector": maybe_str}))
offsets = st.one_of(st.none(), st.integers(-5, 60))
spans = st.fixed_dictionaries(
    {"start": offsets, "end": offsets}, optional={"text": st.one_of(st.none(), texts)}
)
names = st.one_of(
    st.none(), st.sampled_from([*NAMES, "Anadolu Agency", "AZERTAG", "Baku", "ITAR-TASS", "Moscow"])
)
values = st.one_of(
    st.none(),
    st.integers(-10, 10**10),
    st.floats(allow_nan=False),
    st.sampled_from(["4000000000", "12.7", "x", "4"]),
)

events = st.fixed_dictionaries(
    {"type": st.sampled_from(TYPES), "source": actors, "target": actors},
    optional={
        "evidence": st.one_of(st.none(), spans),
        "date": st.one_of(st.none(), st.sampled_from(["2024", "2024-08-19", "2021-11"])),
    },
)
quotes = st.fixed_dictionaries(
    {"text": texts},
    optional={
        "direct": st.sampled_from([True, False, None]),
        "speaker": st.one_of(st.none(), st.fixed_dictionaries({"name": names})),
        "start": offsets,
        "end": offsets,
    },
)
claims = st.fixed_dictionaries(
    {"value": values},
    optional={
        "unit": st.one_of(st.none(), st.sampled_from(["USD", "usd", "km", "m", "village", "EUR"])),
        "start": offsets,
        "end": offsets,
        "text": texts,
    },
)
entities = st.fixed_dictionaries(
    {"name": names, "type": st.sampled_from(["PERSON", "PER", "GPE", "LOC", "ORG", "EVENT", "NORP", None])},
    optional={"mentions": st.one_of(st.none(), spans, st.lists(spans, max_size=3))},
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "text": texts,
        "title": st.one_of(st.none(), texts),
        "published": st.one_of(st.none(), st.sampled_from(["2024-08-19", "2021-11-26", ""])),
        "agency": names,
        "dateline": names,
        "authors": st.lists(st.sampled_from(["Ruslan Rehimov", "Sami Sohta", "x"]), max_size=2),
        "story": st.sampled_from(["s1", "s2", "", None]),
        "entities": st.lists(entities, max_size=4),
        "events": st.lists(events, max_size=4),
        "quotes": st.lists(quotes, max_size=3),
        "claims": st.lists(claims, max_size=3),
        "dates": st.lists(spans, max_size=2),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parity_random_outputs(
    reference: ModuleType, seeds_gold_path: Path, tiny_corpus: TinyCorpus, data: st.DataObject
) -> None:
    for gold in (json.loads(seeds_gold_path.read_text(encoding="utf-8")), tiny_corpus()[0]):
        ids = sorted(gold["documents"])
        outputs = data.draw(st.dictionaries(st.sampled_from(ids), documents, max_size=len(ids)))
        assert_parity(reference, gold, outputs)


# --- the printed table ----------------------------------------------------------------------


def test_table_matches_reference_output(
    reference: ModuleType,
    tmp_path: Path,
    tiny_gold: dict[str, Any],
    tiny_outputs: dict[str, Doc],
    capsys: pytest.CaptureFixture[str],
) -> None:
    gold_path, out_path = tmp_path / "gold.json", tmp_path / "out.jsonl"
    gold_path.write_text(json.dumps(tiny_gold, ensure_ascii=False), encoding="utf-8")
    out_path.write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in tiny_outputs.values()), encoding="utf-8"
    )
    assert (
        reference.main([str(gold_path), str(out_path), "--min", "events.f1=0.8", "--min", "quotes.f1=0.5"])
        == 1
    )
    printed = capsys.readouterr().out.rstrip("\n")

    figures = {
        k: v for k, v in score(load_gold(gold_path), load_outputs(out_path)).items() if k not in OURS_ONLY
    }
    shortfalls = check_floors(figures, {"events.f1": 0.8, "quotes.f1": 0.5})
    assert format_table(figures, shortfalls) == printed
