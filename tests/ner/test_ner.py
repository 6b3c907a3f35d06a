"""CRF named-entity tagging: CoNLL files, features, scoring and the packaged model."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import FOLD_TABLE
from marsad.arabic.tokenize import split_clitics, tokenize
from marsad.ner import NerModel, bio_spans, read_conll, score_entities, tag_conll, write_conll
from marsad.ner.conll import LabelSpans, read_tagged_conll, repair_bio
from marsad.ner.features import (
    FeatureConfig,
    FeatureExtractor,
    NameLexicon,
    analyse,
    consistency_features,
    word_shape,
)
from marsad.ner.lexicon import name_stems
from marsad.ner.model import stage2_path, train_crf

TYPES = ("PERS", "LOC", "ORG", "MISC")


@cache
def packaged_model() -> NerModel:
    return NerModel.load()


def is_valid_bio(tags: list[str]) -> bool:
    previous = "O"
    for tag in tags:
        if tag != "O":
            prefix, _, kind = tag.partition("-")
            if prefix not in ("B", "I") or kind not in TYPES:
                return False
            if prefix == "I" and previous[2:] != kind:
                return False
        previous = tag
    return True


# --- CoNLL files -----------------------------------------------------------------------


def test_write_then_read_round_trip() -> None:
    sentences = [["وصل", "الوفد", "إلى", "بغداد", "."], ["قال", "سامر", "نعيم", ":"]]
    tags = [["O", "O", "O", "B-LOC", "O"], ["O", "B-PERS", "I-PERS", "O"]]
    out = io.StringIO()
    write_conll(sentences, tags, out)
    text = out.getvalue()
    assert text.splitlines()[:2] == ["وصل O", "الوفد O"]
    assert text.endswith("O\n\n")
    assert list(read_tagged_conll(io.StringIO(text))) == list(zip(sentences, tags, strict=True))
    assert list(read_conll(io.StringIO(text))) == sentences


def test_read_tolerates_crlf_trailing_spaces_and_extra_blank_lines() -> None:
    lines = ["\r\n", "أعلن O  \r\n", "اتحاد\tB-ORG\r\n", "العمال \r\n", "  \r\n", "\r\n", "غادر O\r\n"]
    assert list(read_conll(lines)) == [["أعلن", "اتحاد", "العمال"], ["غادر"]]
    assert next(read_tagged_conll(lines))[1] == ["O", "B-ORG", "O"]


def test_write_rejects_a_length_mismatch() -> None:
    with pytest.raises(ValueError):
        write_conll([["a", "b"]], [["O"]], io.StringIO())


# --- BIO spans and scoring -----------------------------------------------------------


def test_bio_spans_follow_conlleval() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "B-MISC"]
    assert bio_spans(tags) == [(0, 2, "PERS"), (3, 5, "LOC"), (5, 6, "LOC"), (6, 7, "ORG"), (7, 8, "MISC")]
    assert bio_spans([]) == []
    assert bio_spans(["O", "X-FOO", "O"]) == []


def test_repair_bio() -> None:
    assert repair_bio(["I-LOC", "I-LOC", "O", "I-PERS", "B-ORG", "I-PERS"]) == [
        "B-LOC",
        "I-LOC",
        "O",
        "B-PERS",
        "B-ORG",
        "B-PERS",
    ]


LABELS = ("O", "B-ORG", "I-ORG", "B-LOC", "B-PERS", "I-PERS", "I-LOC", "B-MISC", "I-MISC")


@given(st.lists(st.lists(st.sampled_from(range(len(LABELS))), max_size=12), max_size=8))
def test_label_spans_equal_bio_spans_of_the_repaired_tags(sentences: list[list[int]]) -> None:
    """All sentences at once, on label ids: the spans of each sentence's repaired tags."""
    ids = np.array([label for sentence in sentences for label in sentence], dtype=np.intp)
    pos = np.array([i for sentence in sentences for i in range(len(sentence))], dtype=np.intp)
    found = LabelSpans(LABELS)(ids, pos)
    expected = []
    at = 0
    for sentence in sentences:
        tags = repair_bio([LABELS[label] for label in sentence])
        expected += [(at + a, at + b, kind) for a, b, kind in bio_spans(tags)]
        at += len(sentence)
    assert found == expected


def test_score_entities_on_a_hand_made_example() -> None:
    gold = [
        ["B-PERS", "I-PERS", "O", "B-LOC", "O"],
        ["B-ORG", "I-ORG", "I-ORG", "O", "B-LOC"],
    ]
    predicted = [
        ["B-PERS", "I-PERS", "O", "B-ORG", "O"],  # PERS right; LOC typed as ORG
        ["B-ORG", "I-ORG", "O", "O", "B-LOC"],  # ORG too short; LOC right
    ]
    scores = score_entities(gold, predicted)
    assert (scores["PERS"].gold, scores["PERS"].predicted, scores["PERS"].correct) == (1, 1, 1)
    assert (scores["LOC"].gold, scores["LOC"].predicted, scores["LOC"].correct) == (2, 1, 1)
    assert (scores["ORG"].gold, scores["ORG"].predicted, scores["ORG"].correct) == (1, 2, 0)
    total = scores["ALL"]
    assert (total.gold, total.predicted, total.correct) == (4, 4, 2)
    assert total.precision == pytest.approx(0.5)
    assert total.recall == pytest.approx(0.5)
    assert total.f1 == pytest.approx(0.5)
    assert scores["LOC"].f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert scores["ORG"].f1 == 0.0


# --- features ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("وفبلكسالرئيسمحمدIBMibmUSA٢٠25ـ\u064e\u0651،.«» "), max_size=24))
def test_analyse_reuses_the_tokenizer_and_agrees_with_folding_and_splitting(text: str) -> None:
    # analyse takes a token's folded form and stem from the tokenizer when it can; it must
    # give what folding, lower-casing and splitting the token gives.
    for token in tokenize(text):
        folded = token.text.translate(FOLD_TABLE).lower() or token.text
        prefixes, stem = split_clitics(folded)
        analyse.cache_clear()
        assert analyse(token.text) == (folded, stem, "+".join(prefixes))


def test_analyse_and_shape() -> None:
    assert analyse("وبالعاصمة") == ("وبالعاصمه", "عاصمه", "و+ب+ال")
    assert analyse("وIBM") == ("وibm", "ibm", "و")  # lower-cased before it is split
    assert analyse("لـ") == ("ل", "ل", "")
    assert [word_shape(w) for w in ("القاهرة", "Reuters", "nato", "٢٠٢١", "12.7", "«", "G20")] == [
        "AR",
        "LATCAP",
        "LAT",
        "DIG",
        "DIG",
        "PUNCT",
        "MIX",
    ]


def test_features_are_deterministic_and_include_the_window() -> None:
    tokens = ["وقال", "الرئيس", "سامر", "نعيم", "في", "دمشق", "."]
    first = FeatureExtractor(FeatureConfig(), NameLexicon.load()).features(tokens)
    second = FeatureExtractor(FeatureConfig(), NameLexicon.load()).features(list(tokens))
    assert first == second
    assert first == FeatureExtractor(FeatureConfig(), NameLexicon.load()).features(tokens)
    assert len(first) == len(tokens)
    name = first[2]
    assert "w=سامر" in name
    assert "-1:s=رييس" in name
    assert "-2:s=قال" in name
    assert "2:w=في" in name
    assert "1:k=TITLE" in first[0]
    assert "-2:BOS" in first[1] and "2:EOS" in first[5]


def test_lexicon_reads_kb_tables_and_survives_missing_files(tmp_path: Path) -> None:
    empty = NameLexicon.load(kb_dir=tmp_path / "absent", lists_dir=tmp_path / "absent")
    assert empty.words == {} and empty.phrases == {}
    kb = tmp_path / "kb"
    (kb / "people").mkdir(parents=True)
    # KB tables as the KB reads them (marsad.kb.tables): the header says what a file holds
    (kb / "cities.tsv").write_text(
        "id\tname\tnames_ar\tcountry\tkind\ncity:x\tX\tمدينة النخيل|النخيل\tARN\tcity\n", encoding="utf-8"
    )
    (kb / "people" / "test.persons.tsv").write_text(
        "id\tname\tnames_ar\tshort_ar\tcountry\tsector\nperson:x\tX\tرامي نعيم الحداد\tالحداد\tARN\tGOV\n",
        encoding="utf-8",
    )
    (kb / "notes.tsv").write_text("id\tnames_ar\nx:y\tلا شيء\n", encoding="utf-8")  # unknown kind: skipped
    lexicon = NameLexicon.load(kb_dir=kb, lists_dir=tmp_path / "absent")
    assert lexicon.sources == ["kb/cities.tsv", "kb/people/test.persons.tsv"]
    assert lexicon.word_kinds("نخيل") == ("LOC",)
    assert lexicon.word_kinds("رامي") == ("FIRST",)
    assert set(lexicon.word_kinds("حداد")) == {"LAST", "PERS"}
    assert lexicon.phrases[("مدينه", "نخيل")] == ("LOC",)
    flags = FeatureExtractor(FeatureConfig(), lexicon).features(["زار", "رامي", "نعيم", "الحداد", "أمس"])
    assert "g=B-PERS" in flags[1] and "g=I-PERS" in flags[3] and "g-1=PERS" in flags[4]


def test_consistency_features_count_other_occurrences_in_the_window() -> None:
    stems = [["زار", "نعيم"], ["قال", "نعيم"], ["نعيم"], ["نعيم", "."]]
    first = [["O", "B-PERS"], ["O", "B-PERS"], ["B-LOC"], ["B-PERS", "O"]]
    feats = consistency_features(stems, first, 1)
    assert feats[0][1][:3] == ["t1=B-PERS", "t1-1=O", "t1+1=EOS"]
    # sentence 0 sees sentence 1 only: one other occurrence, tagged B-PERS
    assert {"cm=B-PERS", "ca=B-PERS", "ct=PERS", "cn=1"} <= set(feats[0][1])
    # sentence 2 sees sentences 1-3: two B-PERS, its own B-LOC left out
    assert {"cm=B-PERS", "ca=B-PERS", "cn=2"} <= set(feats[2][0]) and "ct=LOC" not in feats[2][0]
    # a word seen nowhere else gets its first-stage tags only
    assert feats[0][0] == ["t1=O", "t1-1=BOS", "t1+1=B-PERS"]
    # no window: only the sentence itself
    alone = consistency_features(stems, first, 0)
    assert alone[2][0] == ["t1=B-LOC", "t1-1=BOS", "t1+1=EOS"]


def test_two_stage_model_round_trip(tmp_path: Path) -> None:
    sentences = [["قال", "سامر", "نعيم", "إن", "بغداد", "جميلة"], ["زار", "نعيم", "بغداد", "."]] * 4
    tags = [["O", "B-PERS", "I-PERS", "O", "B-LOC", "O"], ["O", "B-PERS", "B-LOC", "O"]] * 4
    config = FeatureConfig(lexicon=False, consistency=2)
    extractor = FeatureExtractor(config)
    params = {"max_iterations": 30, "c1": 0.0, "c2": 0.01}
    path = tmp_path / "m.crfsuite"
    first = train_crf(sentences, tags, extractor, path, params)
    first_tags = first.tag_sentences(sentences)
    extra = consistency_features([extractor.stems(s) for s in sentences], first_tags, 2)
    second = tmp_path / "second.crfsuite"
    train_crf(sentences, tags, extractor, second, params, extra=extra)
    second.rename(stage2_path(path))
    path.with_suffix(".json").write_text(json.dumps({"features": config.to_dict()}), encoding="utf-8")
    model = NerModel.load(path)
    assert model.two_stage
    assert model.tag_sentences(sentences[:2]) == tags[:2]
    assert model.tag(sentences[1]) == tags[1]
    stage2_path(path).unlink()
    with pytest.raises(FileNotFoundError, match=r"m\.stage2\.crfsuite"):
        NerModel.load(path)


# --- the packaged model ----------------------------------------------------------------


def test_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nothing\.crfsuite"):
        NerModel.load(tmp_path / "nothing.crfsuite")


def test_packaged_model_tags_a_sentence() -> None:
    model = packaged_model()
    assert {"O", "B-PERS", "I-PERS", "B-LOC", "B-ORG", "B-MISC"} <= set(model.labels)
    text = "وصل الرئيس الفرنسي إيمانويل ماكرون إلى القاهرة أمس في زيارة رسمية ."
    tokens = text.split(" ")
    tags = model.tag(tokens)
    assert len(tags) == len(tokens)
    assert is_valid_bio(tags)
    assert tags[tokens.index("القاهرة")] == "B-LOC"
    people = [tokens[s:e] for s, e, kind in bio_spans(tags) if kind == "PERS"]
    assert any("ماكرون" in span for span in people)
    assert tags[0] == "O" and tags[-1] == "O"
    assert model.tag([]) == []
    assert model.tag_sentences([tokens]) == [tags]
    both = model.tag_sentences([tokens, [], ["."]])
    assert [len(t) for t in both] == [len(tokens), 0, 1] and all(is_valid_bio(t) for t in both)


words = st.lists(
    st.one_of(
        st.sampled_from(["الرئيس", "في", "القاهرة", "بن", "قال", "منظمة", "الأمم", "المتحدة", "و", ".", "«"]),
        st.text(alphabet="ابتجحدرسعفقكلمنهويةأىءئ0123456789.-«»Ab", min_size=1, max_size=8),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(words)
def test_output_is_valid_bio_on_random_tokens(tokens: list[str]) -> None:
    tags = packaged_model().tag(tokens)
    assert len(tags) == len(tokens)
    assert is_valid_bio(tags)


def test_tag_conll_writes_one_tag_per_token(tmp_path: Path) -> None:
    source = tmp_path / "in.conll"
    source.write_text("وصل O\nالوفد\nإلى\nبغداد\n\n\nقال x\nسامر\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    assert tag_conll(source, out, model=packaged_model()) == 2
    back = list(read_tagged_conll(out.read_text(encoding="utf-8").splitlines()))
    assert [tokens for tokens, _ in back] == [["وصل", "الوفد", "إلى", "بغداد"], ["قال", "سامر"]]
    assert all(is_valid_bio(tags) for _, tags in back)


def test_name_parts_that_clitic_splitting_would_turn_into_common_words_are_kept_whole(
    lexicon_of: Callable[[dict[str, str]], NameLexicon],
) -> None:
    lexicon = lexicon_of(
        {
            "first_names.txt": "# given names\nسامر\nرامي\n",
            "notable_people.txt": "عبدالله الأول\nفراس الحداد\nكولن باول\n",
            "notable_orgs.txt": "حراس الشمال الأعلى\n",
            "not_name_parts.txt": "الأول\n",
        }
    )
    kinds = lexicon.kinds
    assert kinds("سامر") == ("FIRST",) and kinds("أمر") == ()  # س is no future prefix here
    assert kinds("فراس") == ("FIRST",) and kinds("رأس") == ()
    assert kinds("باول") == ("LAST",) and kinds("أول") == ()
    assert kinds("رامي") == ("FIRST",) and kinds("الحداد") == ("LAST",)  # the article alone is taken off
    assert kinds("عبدالله") == ("FIRST",) and kinds("الأول") == ()  # a listed common word is no surname
    assert lexicon.phrases[name_stems("عبدالله الأول")] == ("PERS",)
    assert lexicon.phrases[name_stems("حراس الشمال الأعلى")] == ("ORG",)
    assert "ner/not_name_parts.txt" in lexicon.sources


def _parts(tag: str) -> tuple[str, str]:
    return (tag[0], tag[2:]) if len(tag) > 2 and tag[1] == "-" and tag[0] in "BI" else ("", "")


def _continues(parts: list[tuple[str, str]], i: int) -> bool:
    """Whether tag ``i`` is an I of the type of the entity tag right before it."""
    return parts[i][0] == "I" and i > 0 and parts[i - 1][0] != "" and parts[i - 1][1] == parts[i][1]


def _reference_bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """conlleval's spans, from each tag that begins an entity to the I tags continuing it."""
    parts = [_parts(t) for t in tags]
    spans = []
    for i, (prefix, label) in enumerate(parts):
        if prefix and not _continues(parts, i):
            end = i + 1
            while end < len(parts) and _continues(parts, end):
                end += 1
            spans.append((i, end, label))
    return spans


def _reference_repair_bio(tags: list[str]) -> list[str]:
    parts = [_parts(t) for t in tags]
    return [
        "O" if not p else f"B-{label}" if p == "I" and not _continues(parts, i) else tag
        for i, (tag, (p, label)) in enumerate(zip(tags, parts, strict=True))
    ]


@given(
    st.lists(
        st.sampled_from(["O", "O", "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "I-ORG", "X-Y", "I-", "B"])
    )
)
def test_bio_spans_and_repair_visit_only_the_tags_that_are_not_o_and_agree_with_a_full_walk(
    tags: list[str],
) -> None:
    assert bio_spans(tags) == _reference_bio_spans(tags)
    assert repair_bio(tags) == _reference_repair_bio(tags)
