"""Encodings are detected and recorded; unreadable bytes give a numbered error."""

from __future__ import annotations

import codecs

import pytest

from marsad.errors import Code, InputError
from marsad.ingest.decode import decode

ARTICLE = "قال المتحدث باسم حكومة أرنور إن المفاوضات مع غوندور ستستأنف الأسبوع المقبل في العاصمة."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le"),
        (ARTICLE.encode("utf-16-be"), "utf-16-be"),
        (ARTICLE.encode("cp1256"), "windows-1256"),
        (ARTICLE.encode("iso-8859-6"), "iso-8859-6"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    decoded = decode(data, "a.txt")
    assert decoded.text == ARTICLE
    assert decoded.encoding == encoding


def test_short_legacy_texts_are_told_apart() -> None:
    for word in ["فلسطين", "قطر", "كييف", "غزة", "ظفار"]:
        assert decode(word.encode("cp1256"), "w.txt").text == word
    for word in ["مصر", "لبنان", "سوريا"]:
        assert decode(word.encode("iso-8859-6"), "w.txt").text == word


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", codecs.BOM_UTF8, "\n \n".encode("utf-16")])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "empty.txt")
    assert info.value.code is Code.EMPTY
    assert str(info.value).startswith("empty.txt: MRS011")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)),
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        bytes(range(256)) * 4,
        b"abc\x00def" * 50,
    ],
)
def test_binary_input(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "image.txt")
    assert info.value.code is Code.BINARY


def test_utf8_with_broken_bytes_names_the_offset() -> None:
    head = ARTICLE[:10].encode("utf-8")
    data = head + b"\xff\xfe" + ARTICLE[10:].encode("utf-8")
    with pytest.raises(InputError) as info:
        decode(data, "broken.txt")
    assert info.value.code is Code.UNDECODABLE
    assert f"offset {len(head)}" in str(info.value)


def test_forced_encoding() -> None:
    assert decode(ARTICLE.encode("cp1256"), "a.txt", "cp1256").encoding == "cp1256"
    with pytest.raises(InputError):
        decode(b"abc", "a.txt", "no-such-codec")
