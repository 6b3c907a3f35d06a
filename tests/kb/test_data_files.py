"""Sanity checks for the knowledge-base TSV files shipped in marsad/data/kb."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from importlib.resources import files

import pytest

AGENCIES_HEADER = ["id", "name", "names_ar", "kind", "country"]
CITIES_HEADER = ["id", "name", "names_ar", "country", "kind"]
OUTLET_IDS_HEADER = ["outlet_id", "name"]

SAUDINEWSNET_IDS = {
    "aawsat",
    "aleqtisadiya",
    "aljazirah",
    "almadina",
    "alriyadh",
    "alwatan",
    "alweeam",
    "alyaum",
    "arreyadi",
    "arreyadiyah",
    "okaz",
    "sabq",
    "was",
    "3alyoum",
}

# Folded Arabic surface forms that several rows may legitimately share, with the exact
# set of row ids allowed to share each one. Anything else shared is an error.
ALLOWED_SHARED = {
    "agencies.tsv": {
        # Qatar's Al Jazeera channel vs the Saudi daily Al-Jazirah: same Arabic name.
        "جزيره": {"outlet:aljazeera", "outlet:aljazirah"},
        # "Al-Watan" is the title of dailies in Saudi Arabia and Egypt (and elsewhere).
        "وطن": {"outlet:alwatan-sa", "outlet:elwatan-eg"},
        # Echorouk (Algeria) and Al-Shorouk (Egypt) are both written الشروق.
        "شروق": {"outlet:echorouk", "outlet:shorouk-eg"},
        # Asharq News (SRMG channel) and the Qatari daily Al Sharq are both الشرق.
        "شرق": {"outlet:asharqnews", "outlet:alsharq-qa"},
        # Al-Rai is the name of a Kuwaiti and a Jordanian daily.
        "راي": {"outlet:alrai-kw", "outlet:alrai-jo"},
    },
    "cities.tsv": {
        # طرابلس is both the Libyan capital and Lebanon's second city.
        "طرابلس": {"city:tripoli-libya", "city:tripoli-lebanon"},
    },
}

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_COUNTRY = re.compile(r"[A-Z]{3}")


def fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    s = _DIACRITICS.sub("", s)
    s = s.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}))
    if s.startswith("ال") and len(s) > 2:
        s = s[2:]
    return s


def load(name: str) -> tuple[list[str], list[list[str]]]:
    text = (files("marsad") / "data/kb" / name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


def load_dicts(name: str) -> list[dict[str, str]]:
    header, rows = load(name)
    return [dict(zip(header, r, strict=True)) for r in rows]


@pytest.mark.parametrize(
    ("name", "header"),
    [("agencies.tsv", AGENCIES_HEADER), ("cities.tsv", CITIES_HEADER), ("outlet_ids.tsv", OUTLET_IDS_HEADER)],
)
def test_header_and_shape(name: str, header: list[str]) -> None:
    got, rows = load(name)
    assert got == header
    for i, row in enumerate(rows, start=2):
        assert len(row) == len(header), f"{name}:{i}: {row!r}"
        for field in row:
            assert field == field.strip(), f"{name}:{i}: whitespace around {field!r}"


@pytest.mark.parametrize("name", ["agencies.tsv", "cities.tsv"])
def test_ids_unique_and_countries_valid(name: str) -> None:
    rows = load_dicts(name)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    prefix_ok = ("agency:", "outlet:") if name == "agencies.tsv" else ("city:",)
    for r in rows:
        assert r["id"].startswith(prefix_ok), r["id"]
        assert r["name"], r["id"]
        assert r["country"] == "" or _COUNTRY.fullmatch(r["country"]), r
        forms = r["names_ar"].split("|") if r["names_ar"] else []
        assert all(f and f == f.strip() for f in forms), r


def test_row_counts_and_kinds() -> None:
    agencies = load_dicts("agencies.tsv")
    cities = load_dicts("cities.tsv")
    assert len(agencies) >= 70
    assert len(cities) >= 200
    assert {r["kind"] for r in agencies} <= {"agency", "outlet"}
    assert {r["kind"] for r in cities} <= {"capital", "city"}


def test_outlet_ids_map_to_agencies() -> None:
    names = {r["name"] for r in load_dicts("agencies.tsv")}
    mapping = {r["outlet_id"]: r["name"] for r in load_dicts("outlet_ids.tsv")}
    assert set(mapping) == SAUDINEWSNET_IDS
    missing = {k: v for k, v in mapping.items() if v not in names}
    assert not missing


@pytest.mark.parametrize("name", ["agencies.tsv", "cities.tsv"])
def test_no_shared_arabic_forms(name: str) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for r in load_dicts(name):
        for form in filter(None, r["names_ar"].split("|")):
            owners[fold(form)].add(r["id"])
    allowed = ALLOWED_SHARED[name]
    clashes = {key: ids for key, ids in owners.items() if len(ids) > 1 and not ids <= allowed.get(key, set())}
    assert not clashes
    # every allow-list entry must still be needed, so the list cannot rot
    for key, ids in allowed.items():
        assert owners.get(key) == ids, key
