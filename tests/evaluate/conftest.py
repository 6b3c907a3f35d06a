"""Fixtures for the evaluator: a tiny hand-written gold and outputs, and the reference scorer.

The tiny corpus (fictional kingdoms) has three documents:

* ``d1``  a royal visit; a good output that leaks one boilerplate line;
* ``d2``  a border attack; a partial output (wrong date, wrong speaker, a bad span, ...);
* ``d3``  in the gold only: its output is missing.

``test_eval_figures.py`` derives every expected figure from it by hand.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SHARED = Path(__file__).parents[2].parent / "shared"
REFERENCE_SCORER = SHARED / "eval" / "score.py"
SEEDS_GOLD = SHARED / "eval" / "seeds.gold.json"

D1_TEXT = "\n".join(
    [
        "ملك غوندور يزور أرنور",
        "وصل الملك أراغورن، الثلاثاء، إلى مدينة أنوميناس في زيارة رسمية لأرنور.",
        "وقال أراغورن: «نحن شركاء في السلام والازدهار».",
        "وبلغ حجم التبادل التجاري بين البلدين 3 مليارات دولار.",
        "وأعلنت رابطة الشعوب الحرة دعمها للتقارب بين البلدين.",
        "شارك هذا الخبر",
    ]
)

D2_TEXT = "\n".join(
    [
        "قصفت قوات موردور قريتين في روهان مساء الأحد.",
        "وقال إيومير: «لن نقبل بهذا العدوان على أرضنا».",
        "وأعلنت روهان رفضها للهدنة المقترحة.",
        "ودعت روهان إلى وقف فوري للقتال على طول 40 كيلومترا من الحدود.",
    ]
)


def at(text: str, part: str, **extra: Any) -> dict[str, Any]:
    """A span of ``part`` (its first occurrence) in ``text``."""
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part, **extra}


def tiny_gold_data() -> dict[str, Any]:
    return {
        "about": "Tiny hand-made gold for the evaluator's tests; fictional kingdoms.",
        "documents": {
            "d1": {
                "metadata": {
                    "title": "ملك غوندور يزور أرنور",
                    "published": "2024-03-05",
                    "agency": "TASS",
                    "dateline": "Annuminas",
                    "authors": ["Faramir Hurin"],
                },
                "boilerplate": ["شارك هذا الخبر", "اقرأ أيضاً"],
                "entities": [
                    {"name": "Aragorn", "type": "PERSON"},
                    {"name": "Gondor", "type": "GPE"},
                    {"name": "Arnor", "type": "GPE"},
                    {"name": "Annuminas", "type": "GPE", "aliases": ["Annuminas City"]},
                    {"name": "League of Free Peoples", "type": "ORG"},
                    {"name": "Annuminas Palace", "type": "FAC", "required": False},
                ],
                "events": [
                    {
                        "type": ["CONSULT"],
                        "actors": ["GON", "ARN"],
                        "cue": "في زيارة رسمية لأرنور",
                        "date": "2024-03-05",
                        "mode": "visit",
                    },
                    {
                        "type": ["SUPPORT"],
                        "actors": ["IGO"],
                        "cue": "دعمها للتقارب بين البلدين",
                        "date": None,
                    },
                ],
                "quotes": [{"cue": "نحن شركاء في السلام", "speaker": "Aragorn", "direct": True}],
                "claims": [{"cue": "3 مليارات دولار", "value": 3000000000, "unit": "USD"}],
            },
            "d2": {
                "metadata": {
                    "title": None,
                    "published": None,
                    "published_inferable": "2024-03-05",
                    "agency": "Anadolu Agency",
                    "dateline": None,
                    "authors": [],
                },
                "boilerplate": ["تابعونا على تويتر"],
                "entities": [
                    {"name": "Rohan", "type": "GPE"},
                    {"name": "Mordor", "type": "GPE"},
                    {"name": "Eomer", "type": "PERSON"},
                    {"name": "Edoras", "type": "LOC", "required": False},
                ],
                "events": [
                    {
                        "type": ["ASSAULT"],
                        "actors": ["MOR", "ROH"],
                        "cue": "قصفت قوات موردور قريتين",
                        "date": "2024-03-03",
                    },
                    {
                        "type": ["REQUEST"],
                        "actors": ["ROH"],
                        "cue": "دعت روهان إلى وقف فوري للقتال",
                        "date": None,
                        "date_inferable": "2024-03-05",
                        "required": False,
                    },
                    {
                        "type": ["ACCUSE", "DISAPPROVE"],
                        "actors": ["ROH", "MOR"],
                        "cue": "روهان تتهم موردور",
                        "date": None,
                    },
                ],
                "quotes": [{"cue": "لن نقبل بهذا العدوان", "speaker": "Eomer", "direct": True}],
                "claims": [
                    {"cue": "قريتين", "value": 2, "unit": "village"},
                    {"cue": "40 كيلومترا", "value": 40, "unit": "km"},
                ],
            },
            "d3": {
                "metadata": {"title": "وفد من أرنور في روهان", "published": "2024-03-06", "authors": []},
                "boilerplate": ["اقرأ أيضاً"],
                "entities": [{"name": "Arnor", "type": "GPE"}],
                "events": [
                    {
                        "type": ["CONSULT"],
                        "actors": ["ARN", "ROH"],
                        "cue": "وصل وفد من أرنور",
                        "date": "2024-03-06",
                    }
                ],
                "quotes": [],
                "claims": [],
            },
        },
        "stories": [
            {"about": "The visit and the attack, as one story for the test", "members": ["d1", "d2"]}
        ],
    }


def _d1_output() -> dict[str, Any]:
    t = D1_TEXT
    return {
        "doc_id": "d1",
        "title": "مَلِكُ غوندور يزور ارنور",  # diacritics and a bare alef: folds to the gold title
        "published": "2024-03-05",
        "agency": "ITAR-TASS",  # an alias of TASS
        "dateline": "Annuminas",
        "authors": ["Faramir Húrin"],  # the accent folds away
        "text": t,
        "story": "s-1",
        "entities": [
            {"name": "Aragorn", "type": "PERSON", "mentions": [at(t, "أراغورن")]},
            {"name": "Gondor", "type": "GPE", "mentions": [at(t, "غوندور")]},
            {"name": "Arnor", "type": "LOC", "mentions": [at(t, "أرنور")]},  # LOC = GPE, coarsely
            {"name": "League of the Free Peoples", "type": "ORG", "mentions": [at(t, "رابطة الشعوب الحرة")]},
            {"name": "Minas Anor", "type": "PERSON", "mentions": []},  # not in the gold
        ],
        "events": [
            {  # same type and countries as the visit, but a worse cue overlap: left unmatched
                "type": "CONSULT",
                "source": {"name": "Aragorn", "country": "GON", "sector": "GOV"},
                "target": {"country": "ARN"},
                "date": "2024-03-05",
                "evidence": at(t, "وقال أراغورن"),
            },
            {
                "type": "CONSULT",
                "source": {"name": "Aragorn", "country": "GON", "sector": "GOV"},
                "target": {"name": "Arnor", "country": "ARN"},
                "date": "2024-03-05",
                "evidence": at(t, "وصل الملك أراغورن، الثلاثاء، إلى مدينة أنوميناس في زيارة رسمية لأرنور"),
            },
            {
                "type": "SUPPORT",
                "source": {"name": "League of Free Peoples", "country": None, "sector": "IGO"},
                "target": {"country": "ARN"},
                "date": None,
                "evidence": at(t, "وأعلنت رابطة الشعوب الحرة دعمها للتقارب بين البلدين"),
            },
        ],
        "quotes": [
            {
                "direct": True,
                "cue": "قال",
                "speaker": {"name": "Aragorn", "country": "GON"},
                **at(t, "نحن شركاء في السلام والازدهار"),
            }
        ],
        "claims": [{"value": 3000000000, "unit": "usd", "qualifier": "exact", **at(t, "3 مليارات دولار")}],
        "dates": [{"value": "2024-03-05", "granularity": "day", **at(t, "الثلاثاء")}],
    }


def _d2_output() -> dict[str, Any]:
    t = D2_TEXT
    bad_mention = at(t, "موردور")
    bad_mention["start"] += 1  # off by one: an invalid span
    return {
        "doc_id": "d2",
        "title": None,
        "published": "2024-03-05",  # inferred from d1: right
        "agency": "Anadolu",  # an alias of Anadolu Agency
        "dateline": "Edoras",  # the gold has none: wrong
        "authors": [],
        "text": t,  # lacks the title line, so the cue "روهان تتهم موردور" is lost
        "story": "s-1",
        "entities": [
            {"name": "Rohan", "type": "ORG", "mentions": [at(t, "روهان")]},  # wrong coarse type
            {"name": "Mordor", "type": "LOC", "mentions": [bad_mention]},
            {"name": "Eomer", "type": "PER", "mentions": [at(t, "إيومير")]},
            {"name": "Gandalf", "type": "PERSON", "mentions": []},  # not in the gold
        ],
        "events": [
            {
                "type": "ASSAULT",
                "source": {"country": "MOR", "sector": "MIL"},
                "target": {"country": "ROH"},
                "date": "2024-03-04",  # the gold says 2024-03-03
                "evidence": at(t, "قصفت قوات موردور قريتين في روهان مساء الأحد"),
            },
            {
                "type": "REQUEST",
                "source": {"country": "ROH"},
                "target": None,
                "date": "2024-03-05",
                "evidence": at(t, "ودعت روهان إلى وقف فوري للقتال"),
            },
            {  # the gold's accusation names Mordor, not Gondor: no match
                "type": "ACCUSE",
                "source": {"country": "ROH"},
                "target": {"country": "GON"},
                "evidence": at(t, "وأعلنت روهان رفضها للهدنة المقترحة"),
            },
        ],
        "quotes": [
            {"direct": True, "speaker": {"name": "Theoden"}, **at(t, "لن نقبل بهذا العدوان على أرضنا")},
            {
                "direct": False,
                "speaker": {"name": "Rohan"},
                **at(t, "روهان رفضها للهدنة"),
            },  # indirect: not scored
        ],
        "claims": [
            {"value": "2", "unit": "villages", **at(t, "قريتين")},  # counting unit: value decides
            {"value": 40, "unit": "m", **at(t, "40 كيلومترا")},  # km wanted: unit decides
            {"value": 40000, "unit": "m"},
        ],
    }


def tiny_outputs_data() -> dict[str, dict[str, Any]]:
    return {"d1": _d1_output(), "d2": _d2_output()}


@pytest.fixture
def tiny_gold() -> dict[str, Any]:
    return tiny_gold_data()


@pytest.fixture
def tiny_outputs() -> dict[str, dict[str, Any]]:
    return tiny_outputs_data()


TinyCorpus = Callable[[], tuple[dict[str, Any], dict[str, dict[str, Any]]]]


@pytest.fixture(scope="session")
def tiny_corpus() -> TinyCorpus:
    """A maker of fresh (gold, outputs) copies of the tiny corpus, for session-wide use."""
    return lambda: (tiny_gold_data(), tiny_outputs_data())


@pytest.fixture(scope="session")
def reference() -> ModuleType:
    """``shared/eval/score.py``, or a skip where this checkout has no ../shared."""
    if not REFERENCE_SCORER.is_file():
        pytest.skip(
            f"reference scorer not found at {REFERENCE_SCORER} (../shared is absent in a plain clone)"
        )
    spec = importlib.util.spec_from_file_location("marsad_reference_score", REFERENCE_SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seeds_gold_path() -> Path:
    if not SEEDS_GOLD.is_file():
        pytest.skip(f"seeds gold not found at {SEEDS_GOLD} (../shared is absent in a plain clone)")
    return SEEDS_GOLD
