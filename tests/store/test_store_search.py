from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.errors import Code, QueryError
from marsad.store import Store
from marsad.store.queries import SearchHit, parse_query, search, snippet

from .helpers import AZERI, CAPITAL, SUMMIT, make_doc, pair


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "s.db") as opened:
        opened.write_batch(
            [
                pair(make_doc(CAPITAL, doc_id="capital", origin="a.txt", title="خطة النقل", agency="واس")),
                pair(
                    make_doc(
                        AZERI,
                        doc_id="azeri",
                        origin="b.txt",
                        title="زيارة رسمية",
                        published=dt.date(2024, 1, 2),
                    )
                ),
                pair(make_doc(SUMMIT, doc_id="summit", origin="c.txt", title="القمة العربية")),
            ],
            [],
        )
        yield opened


def _ids(hits: list[SearchHit]) -> list[str]:
    return [hit.doc_id for hit in hits]


def test_clitic_is_split(store: Store) -> None:
    hits = search(store, "العاصمة")
    assert _ids(hits) == ["capital"]
    assert hits[0].snippet.startswith("أعلنت الحكومة")
    assert hits[0].title == "خطة النقل"
    assert hits[0].agency == "واس"
    assert hits[0].score > 0


def test_hamza_is_folded(store: Store) -> None:
    hits = search(store, "الاذربيجاني")
    assert _ids(hits) == ["azeri"]
    assert hits[0].published == "2024-01-02"
    assert _ids(search(store, "الأذربيجاني")) == ["azeri"]


def test_words_are_anded(store: Store) -> None:
    assert _ids(search(store, "الرئيس الرياض")) == ["azeri"]
    assert search(store, "الرئيس القاهرة") == []


def test_title_is_searched(store: Store) -> None:
    assert _ids(search(store, "النقل")) == ["capital"]
    assert _ids(search(store, "رسمية زيارة")) == ["azeri"]


def test_phrase(store: Store) -> None:
    assert _ids(search(store, '"القمة العربية"')) == ["summit"]
    assert search(store, '"العربية القمة"') == []  # same words, wrong order
    assert _ids(search(store, '"الرئيس الأذربيجاني" الرياض')) == ["azeri"]


def test_snippet_is_the_matching_sentence(store: Store) -> None:
    (hit,) = search(store, "الاقتصادي")
    assert hit.snippet == "وبحث الجانبان التعاون الاقتصادي."


def test_snippet_is_trimmed_around_the_match() -> None:
    filler = " ".join(["كلمة"] * 120)
    text = f"{filler} العاصمة {filler}."
    cut = snippet(text, frozenset(parse_query("العاصمة")[1]))
    assert "العاصمة" in cut
    assert len(cut) <= 205
    assert cut.startswith("…") and cut.endswith("…")


def test_limit(store: Store) -> None:
    assert len(search(store, "في", limit=1)) <= 1
    with pytest.raises(QueryError) as info:
        search(store, "العاصمة", limit=0)
    assert info.value.code is Code.BAD_QUERY


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed',
        '"العاصمة',
        "foo OR",
        "OR",
        "AND NOT",
        "NEAR(",
        "NEAR(a b, 3)",
        "*",
        "عاصمة)",
        "(العاصمة",
        "-x",
        "title:العاصمة",
        "^العاصمة",
        "body : x",
        "العاص*",
        '""',
        '"""',
        "'",
        "\\",
        "{title body}: x",
        "+",
        "",
        "   ",
    ],
)
def test_hostile_queries_never_reach_sqlite(store: Store, query: str) -> None:
    try:
        hits = search(store, query)
    except QueryError as err:
        assert err.code is Code.BAD_QUERY
        assert err.hint
    else:
        assert isinstance(hits, list)


def test_operators_are_plain_words(store: Store) -> None:
    assert _ids(search(store, "العاصمة OR القمة")) == []  # OR is a word, not an operator
    assert _ids(search(store, "(العاصمة)")) == ["capital"]
    assert _ids(search(store, '"العاصمة')) == ["capital"]  # unclosed quote: phrase to the end


def test_nothing_searchable_is_a_bad_query(store: Store) -> None:
    for query in ("", "  ", "*", "()", '""', "- ^ :"):
        with pytest.raises(QueryError) as info:
            search(store, query)
        assert info.value.code.value == "MRS030"


def test_sql_injection_is_harmless(store: Store) -> None:
    assert search(store, "'; DROP TABLE documents; --") == []
    assert search(store, 'x"; DROP TABLE documents; --') == []
    count = store.connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert count == 3


def test_match_expression_is_only_literals() -> None:
    expression, terms = parse_query('NEAR(a "b c" OR')
    for clause in expression.split(" AND "):
        assert clause.startswith('"') and clause.endswith('"')
    assert terms


def test_indexing_from_pipeline_tokens_equals_indexing_from_text() -> None:
    from marsad.arabic.tokenize import search_terms
    from marsad.pipeline import Pipeline, make_document
    from marsad.store.db import _body_terms

    text = "وقال الرئيس بالعاصمة: «سنواصل المحادثات» في 19.08.2024، وأكد للصحفيين أن Baku مستعدة."
    doc = Pipeline.default().process(make_document(text))
    assert _body_terms(doc) == " ".join(search_terms(doc.text))
