"""Tokens, clitic splitting and search terms."""

from __future__ import annotations

from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

import marsad.arabic.tokenize as tokenize_module
from marsad.arabic.normalize import fold
from marsad.arabic.patterns import TOKEN
from marsad.arabic.tokenize import search_terms, split_clitics, tokenize

ARABICISH = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةؤئ"
    "\u064e\u064f\u0650\u0651\u0652\u0640\u200c\u200d\u200e\u200f\u202b\u202c\u2067\u2069\ufeff"
    "٠١٢٣٩٫٬0123456789.,:/%_AbZé\u0301«»\"'()-،؛؟!? \n"
)
any_text = st.one_of(st.text(alphabet=ARABICISH, max_size=80), st.text(max_size=80))


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text) if t.is_word]


def test_tokens_of_a_sentence() -> None:
    text = "التقى الوزيرُ بنظيره، وأكّد التعاون!"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["التقى", "الوزيرُ", "بنظيره", "،", "وأكّد", "التعاون", "!"]
    assert [t.is_word for t in tokens] == [True, True, True, False, True, True, False]
    assert [t.norm for t in tokens] == ["التقي", "الوزير", "بنظيره", "،", "واكد", "التعاون", "!"]
    assert tokens[1].prefixes == ("ال",)
    assert tokens[1].stem == "وزير"
    assert tokens[4].prefixes == ("و",)
    assert tokens[4].stem == "اكد"
    for t in tokens:
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize("number", ["12.7", "23:50", "19.08.2024", "1,000", "٢٠٢١", "١٢٫٥", "19/08/2024"])
def test_number_is_one_token(number: str) -> None:
    text = f"بلغ الرقم {number} أمس"
    assert words(text) == ["بلغ", "الرقم", number, "أمس"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ارتفع 3.5% اليوم.", ["ارتفع", "3.5", "%", "اليوم", "."]),
        ("عام 2020. ثم", ["عام", "2020", ".", "ثم"]),
        ("(الأمم المتحدة)", ["(", "الأمم", "المتحدة", ")"]),
        ("«نعم»؟", ["«", "نعم", "»", "؟"]),
        ("e-mail_box", ["e", "-", "mail", "_", "box"]),
    ],
)
def test_punctuation_tokens(text: str, expected: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == expected


@pytest.mark.parametrize("mark", ["\u200c", "\u200d", "\u200e", "\u200f", "\u202b\u202c", "\u2067", "\ufeff"])
def test_invisible_characters_inside_a_word_do_not_break_it(mark: str) -> None:
    text = f"زار مد{mark}ينة باكو"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["زار", f"مد{mark}ينة", "باكو"]
    assert tokens[1].norm == "مدينه"
    assert text[tokens[1].start : tokens[1].end] == tokens[1].text


def test_invisible_characters_around_words_are_not_tokens() -> None:
    text = "\u200fقال\u200f \u202bنعم\u202c"
    assert [t.text for t in tokenize(text)] == ["قال", "نعم"]


def test_diacritics_and_tatweel_stay_inside_the_word() -> None:
    (token,) = tokenize("المـــؤتمَرُ")
    assert token.text == "المـــؤتمَرُ"
    assert token.norm == "الموتمر"
    assert token.stem == "موتمر"


@pytest.mark.parametrize(
    ("word", "prefixes", "stem"),
    [
        ("بالعاصمة", ("ب", "ال"), "عاصمه"),
        ("والرئيس", ("و", "ال"), "رييس"),
        ("الأذربيجاني", ("ال",), "اذربيجاني"),
        ("للرئيس", ("ل", "ال"), "رييس"),
        ("سيتحدث", ("س",), "يتحدث"),
        ("وسيتحدث", ("و", "س"), "يتحدث"),
        ("ستعقد", ("س",), "تعقد"),
        ("وبالعاصمة", ("و", "ب", "ال"), "عاصمه"),
        ("فالحكومة", ("ف", "ال"), "حكومه"),
        ("كالعادة", ("ك", "ال"), "عاده"),
        ("وقال", ("و",), "قال"),
        ("بحضور", ("ب",), "حضور"),
        ("لمناقشة", ("ل",), "مناقشه"),
        ("وللشعب", ("و", "ل", "ال"), "شعب"),
        ("للقاء", ("ل",), "لقاء"),  # ل + (ا)لقاء: one lam of the article is dropped
        ("ووزير", ("و",), "وزير"),
        ("لبوتين", ("ل",), "بوتين"),
        ("والتي", ("و",), "التي"),
        ("لله", ("ل",), "الله"),
        ("و2020", ("و",), "2020"),
    ],
)
def test_split_clitics(word: str, prefixes: tuple[str, ...], stem: str) -> None:
    assert split_clitics(fold(word)) == (prefixes, stem)


def _words(line: str) -> list[str]:
    return line.split()


@pytest.mark.parametrize(
    "word",
    [
        # brief exception words
        *_words("وزير وزارة وفد وقع وصل وكالة وضع وطن وقت وجه ولي وسط وثيقة فرنسا فلسطين"),
        *_words("فريق فترة بوتين باكو بيان بلد بين بعد لبنان ليبيا لقاء كرملين كبير كل"),
        # inflected exceptions, protected by their base
        *_words("وقعت كانت كانوا واصلت وافقت سيطرت بدأت لديها بينهم التقى"),
        # س that is not the future prefix; ال that is not the article
        *_words("سياسة سنة ساعة سابق سيارة سيئة التي الذي إلى ألمانيا إلغاء الله إلهام"),
        # short words are never split without ال
        *_words("وقد بها لها كما فيه بال الف"),
        "Baku",
        "2020",
    ],
)
def test_words_that_are_not_split(word: str) -> None:
    folded = fold(word)
    assert split_clitics(folded) == ((), folded)


def exception_entries() -> list[str]:
    path = files("marsad") / "data" / "arabic" / "clitic_exceptions.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    entries = [line.split("#", 1)[0].strip() for line in lines]
    return [e for e in entries if e]


def test_exception_file_is_folded_and_large_enough() -> None:
    entries = exception_entries()
    assert len(entries) >= 150
    assert len(set(entries)) == len(entries)
    assert all(fold(e) == e for e in entries)


def test_abbreviation_file_is_folded() -> None:
    path = files("marsad") / "data" / "arabic" / "abbreviations.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    entries = [e for e in (line.split("#", 1)[0].strip() for line in lines) if e]
    assert {"د", "م", "dr"} <= set(entries)
    assert all(fold(e).lower() == e for e in entries)


def test_every_listed_exception_is_kept_whole_even_after_a_conjunction() -> None:
    for word in exception_entries():
        assert split_clitics(word) == ((), word), word
        if len(word) >= 3:
            # و + word is either split at the conjunction or itself protected
            # (والي "governor" is listed; ولدي is ولد + ي), never cut into the word.
            assert split_clitics("و" + word) in ((("و",), word), ((), "و" + word)), word


@pytest.mark.parametrize(
    "variants",
    [
        ("العاصمة", "بالعاصمة", "والعاصمة", "وبالعاصمة", "للعاصمة", "عاصمة"),
        ("الاذربيجاني", "الأذربيجاني", "والأذربيجاني", "للأذربيجاني"),
        ("الرئيس", "والرئيس", "للرئيس", "فالرئيس", "بالرئيس", "رئيس"),
        ("الوزير", "وزير", "والوزير", "ووزير", "للوزير"),
        ("لبنان", "ولبنان", "بلبنان", "للبنان"),
        ("اللقاء", "لقاء", "للقاء", "واللقاء"),
        ("٢٠٢١", "2021", "و2021"),
        ("Baku", "BAKU", "baku"),
    ],
)
def test_search_terms_are_consistent(variants: tuple[str, ...]) -> None:
    terms = {tuple(search_terms(v)) for v in variants}
    assert len(terms) == 1, terms


def test_search_terms_of_a_sentence() -> None:
    assert search_terms("وصل الرئيسُ إلى Baku، وسيتحدث للصحفيين.") == [
        "وصل",
        "رييس",
        "الي",
        "baku",
        "يتحدث",
        "صحفيين",
    ]


def test_search_terms_match_token_stems() -> None:
    text = "أعلنت الحكومة بالأمس عن خطةٍ جديدة لـ 2024 مع NATO."
    assert search_terms(text) == [t.stem.lower() for t in tokenize(text) if t.is_word]


@given(any_text)
def test_token_offsets_round_trip(text: str) -> None:
    tokens = tokenize(text)
    previous_end = 0
    for t in tokens:
        assert text[t.start : t.end] == t.text
        assert t.start >= previous_end
        assert t.end > t.start
        assert t.norm == fold(t.text)
        if t.is_word:
            assert t.norm
            assert t.norm.endswith(t.stem) or t.stem == "الله"
        previous_end = t.end
    assert search_terms(text) == [t.stem.lower() for t in tokens if t.is_word]


@given(any_text)
def test_tokens_are_the_token_expressions_matches(text: str) -> None:
    """The tokenizer's split-and-add-lengths loop finds what ``TOKEN`` matches, and calls a
    token a word exactly where the expression's word branch matched."""
    expected = [(m.group(), m.start(), m.end(), m.lastgroup == "w") for m in TOKEN.finditer(text)]
    assert [(t.text, t.start, t.end, t.is_word) for t in tokenize(text)] == expected


def test_remembered_words_give_the_same_tokens_when_the_memory_turns_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "قال وزير الخارجية إن الوفد وصل إلى بغداد، وقال الوزير إن المحادثات بدأت في بغداد."
    fresh = tokenize(text)
    monkeypatch.setattr(tokenize_module, "_SURFACES_MAX", 3)
    monkeypatch.setattr(tokenize_module, "_surfaces", {})
    monkeypatch.setattr(tokenize_module, "_old_surfaces", {})
    for _ in range(3):
        assert tokenize(text) == fresh
        assert len(tokenize_module._surfaces) <= 3
        assert len(tokenize_module._old_surfaces) <= 3


def test_tokens_of_one_word_share_its_string() -> None:
    first, _, second = tokenize("بغداد و بغداد")
    assert first.text is second.text
    assert first.stem is second.stem
