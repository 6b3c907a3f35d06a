"""The bundled knowledge base: it loads, its references hold, and its coverage is what we promise."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from marsad.kb.base import KnowledgeBase, bundled_files
from marsad.kb.tables import KbEntity, read_table
from marsad.model import EntityType

#: Countries whose heads of state and government, foreign and defence ministers are covered.
COVERED = [
    "SAU",
    "ARE",
    "QAT",
    "KWT",
    "BHR",
    "OMN",
    "YEM",
    "JOR",
    "LBN",
    "SYR",
    "IRQ",
    "PSE",
    "EGY",
    "LBY",
    "TUN",
    "DZA",
    "MAR",
    "MRT",
    "SDN",
    "SOM",
    "DJI",
    "COM",
    "TUR",
    "IRN",
    "ISR",
    "AZE",
    "ARM",
    "GEO",
    "RUS",
    "UKR",
    "KAZ",
    "UZB",
    "KGZ",
    "TJK",
    "TKM",
    "USA",
    "GBR",
    "FRA",
    "CHN",
    "DEU",
    "ITA",
    "JPN",
    "IND",
    "PAK",
]
HEADS = {"president", "monarch", "supreme_leader"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_every_file_loads_and_ids_are_unique_across_files() -> None:
    seen: Counter[str] = Counter()
    for path in bundled_files():
        _, records = read_table(path)
        seen.update(r.id for r in records if isinstance(r, KbEntity))
    assert [i for i, n in seen.items() if n > 1] == []


def test_coverage(kb: KnowledgeBase) -> None:
    by_kind = Counter(e.kind for e in kb.entities.values())
    assert by_kind["country"] >= 196  # UN members and observers, Kosovo, Taiwan, Western Sahara
    assert by_kind["capital"] + by_kind["city"] >= 500
    assert sum(1 for e in kb.entities.values() if e.type is EntityType.ORG and e.sector != "MED") >= 150
    for country in kb.entities.values():
        if country.kind == "country":
            assert country.capital in kb.entities, country.id
            assert country.names_ar, country.id
    for iso in ("XKX", "TWN", "ESH", "PSE", "VAT"):
        assert kb.country(iso) is not None


def test_roles_cover_the_promised_countries(kb: KnowledgeBase) -> None:
    offices: dict[str, set[str]] = defaultdict(set)
    for (office, country), holders in kb.roles.items():
        if holders:
            offices[country].add(office)
    for iso in COVERED:
        assert offices[iso] & HEADS, iso
        assert "foreign_minister" in offices[iso], iso
    for org in ("org:un", "org:arab-league", "org:oic"):
        assert "secretary_general" in offices[org]
    assert "high_representative" in offices["org:eu"]


def test_roles_are_well_formed(kb: KnowledgeBase) -> None:
    for holders in kb.roles.values():
        for role in holders:
            assert kb.entities[role.person].type is EntityType.PERSON
            assert role.start is None or role.end is None or role.start <= role.end, role


@pytest.mark.parametrize(
    ("office", "country", "day", "person"),
    [
        ("president", "AZE", dt.date(2024, 8, 19), "person:ilham-aliyev"),
        ("president", "RUS", dt.date(2024, 8, 19), "person:vladimir-putin"),
        ("president", "RUS", dt.date(2010, 6, 1), "person:dmitry-medvedev"),
        ("prime_minister", "ARM", dt.date(2024, 8, 19), "person:nikol-pashinyan"),
        ("foreign_minister", "AZE", dt.date(2024, 8, 19), "person:jeyhun-bayramov"),
        ("president", "EGY", dt.date(2024, 1, 1), "person:abdel-fattah-el-sisi"),
        ("secretary_general", "org:un", dt.date(2015, 1, 1), "person:ban-ki-moon"),
    ],
)
def test_known_holders(kb: KnowledgeBase, office: str, country: str, day: dt.date, person: str) -> None:
    role, undated = kb.holder(office, country, day)
    assert role is not None and role.person == person and not undated


def test_dead_people_are_marked(kb: KnowledgeBase) -> None:
    heydar = kb.entities["person:heydar-aliyev"]
    assert heydar.died and not kb.alive(heydar, dt.date(2024, 8, 19))


def test_every_country_has_a_nisba(kb: KnowledgeBase) -> None:
    assert [e.id for e in kb.entities.values() if e.kind == "country" and not e.nisba] == []
