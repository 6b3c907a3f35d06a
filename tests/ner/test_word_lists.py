"""The NER word lists: each file gives its kind, and the packaged name lists stay clean."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files

import pytest

from marsad.ner.features import FeatureConfig, FeatureExtractor, NameLexicon, analyse
from marsad.ner.lexicon import WORD_LISTS, _read_word_list, name_stems

#: The name lists (not trigger words): an entry is a name of this kind.
NAME_LISTS = ("places.txt", "surnames.txt", "organisations.txt", "misc_names.txt", "historical_people.txt")
DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
LATIN = re.compile("[A-Za-z]")


def test_each_name_list_gives_its_kind(lexicon_of: Callable[[dict[str, str]], NameLexicon]) -> None:
    lexicon = lexicon_of(
        {
            "places.txt": "# places\nكرمستان\nوادي النخيل\n",
            "surnames.txt": "الزيتوني\nكاربوف\n",
            "organisations.txt": "نوفاتك\nمصرف الواحة الأول\n",
            "misc_names.txt": "زيرونيا\nكأس الواحات\n",
            "historical_people.txt": "نوفل بن ضرغام\n",
        }
    )
    kinds = lexicon.kinds
    assert kinds("كرمستان") == ("LOC",) and kinds("بكرمستان") == ("LOC",)
    assert lexicon.phrases[name_stems("وادي النخيل")] == ("LOC",)
    assert kinds("الزيتوني") == ("LAST",) and kinds("زيتوني") == ("LAST",)
    # A surname that clitic splitting would shorten is kept whole, not filed as "اربوف".
    assert kinds("كاربوف") == ("LAST",) and kinds("اربوف") == ()
    assert kinds("لكاربوف") == ("LAST",)  # and with a clitic in front
    assert kinds("نوفاتك") == ("ORG",)
    assert lexicon.phrases[name_stems("مصرف الواحة الأول")] == ("ORG",)
    assert kinds("زيرونيا") == ("MISC",)
    assert lexicon.phrases[name_stems("كأس الواحات")] == ("MISC",)
    assert lexicon.phrases[name_stems("نوفل بن ضرغام")] == ("PERS",)
    assert kinds("نوفل") == ("FIRST",) and kinds("ضرغام") == ("LAST",)
    assert [s for s in lexicon.sources if s.startswith("ner/")] == [f"ner/{n}" for n in NAME_LISTS]

    features = FeatureExtractor(FeatureConfig(), lexicon).features(["زار", "وادي", "النخيل", "أمس"])
    assert "g=B-LOC" in features[1] and "g=I-LOC" in features[2]
    assert "k=ORG" in FeatureExtractor(FeatureConfig(), lexicon).features(["نوفاتك"])[0]


@pytest.mark.parametrize("name", NAME_LISTS)
def test_packaged_name_list_is_clean(name: str) -> None:
    assert name in WORD_LISTS
    text = (files("marsad") / "data" / "ner" / name).read_text(encoding="utf-8")
    entries = _read_word_list(text)
    assert len(entries) > 500
    assert not [e for e in entries if DIACRITICS.search(e) or LATIN.search(e)]
    assert not [e for e in entries if not 1 <= len(name_stems(e)) <= 4]
    seen: dict[str, str] = {}
    repeated = []
    for entry in entries:
        key = analyse(entry)[0] if len(entry.split()) == 1 else " ".join(name_stems(entry))
        if key in seen:
            repeated.append((seen[key], entry))
        seen.setdefault(key, entry)
    assert not repeated


def test_packaged_lexicon_reads_every_list() -> None:
    lexicon = NameLexicon.load()
    assert {f"ner/{n}" for n in WORD_LISTS} <= set(lexicon.sources)
