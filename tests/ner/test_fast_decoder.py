"""The fast CRF decoder gives CRFsuite's own tags."""

from __future__ import annotations

import random
import re
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.errors import MarsadError
from marsad.ner import NerModel
from marsad.ner.conll import bio_spans
from marsad.ner.decode import CrfWeights, FastDecoder
from marsad.ner.features import FeatureConfig, FeatureExtractor
from marsad.ner.model import train_crf

VOCAB = [
    "قال",
    "الرئيس",
    "الغوندوري",
    "إكثليون",
    "ماردل",
    "إن",
    "وزير",
    "الخارجية",
    "الروهاني",
    "زار",
    "مدينة",
    "ميناس",
    "تيريث",
    "أمس",
    "والتقى",
    "نظيره",
    "في",
    "قصر",
    "المجلس",
    "الأعلى",
    "لاتحاد",
    "أرنور",
    "وأكد",
    "أن",
    "منظمة",
    "حراس",
    "الشمال",
    "رفضت",
    "الاتفاق",
    "بين",
    "البلدين",
    "وصرح",
    "المتحدث",
    "باسم",
    "الحكومة",
    "لوكالة",
    "أنباء",
    "روهان",
    ".",
    "،",
    "«",
    "»",
    ":",
    "2024",
    "15",
]


@cache
def packaged() -> NerModel:
    return NerModel.load()


def random_sentences(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(VOCAB) for _ in range(rng.randint(1, 40))] for _ in range(count)]


def small_decoder(capacity: int) -> FastDecoder:
    """A decoder of the packaged model with a table of ``capacity`` rows."""
    extractor = packaged().extractor
    return FastDecoder(
        CrfWeights.from_model(packaged()._blob),
        extractor.word_features,
        extractor.offsets,
        extractor.edges,
        extractor,
        capacity=capacity,
    )


def test_weights_are_read_from_the_model_file() -> None:
    model = packaged()
    weights = CrfWeights.from_model(model._blob)
    assert set(weights.labels) == set(model.labels)
    assert weights.state.shape == (len(weights.attributes) + 1, len(weights.labels))
    assert not weights.state[-1].any()  # the row of unknown attributes
    assert weights.transition.shape == (len(weights.labels),) * 2
    assert "bias" in weights.attributes


def crfsuite_dump(model_bytes: bytes) -> str:
    """CRFsuite's own text dump of a model (a reference for the binary reader; the library
    does not use it: its file handling closes a descriptor twice)."""
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.txt"
        tagger.dump(str(path))
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    tagger.close()
    return text


def dump_section(text: str, name: str) -> list[str]:
    """The lines of one section of a dump (``LABELS = {`` … ``}``)."""
    return text[text.index(f"{name} = {{") :].split("\n}", 1)[0].splitlines()[1:]


def test_labels_attributes_and_stated_attributes_are_those_of_crfsuite_s_dump() -> None:
    model = packaged()
    for blob in (model._blob, model._blob2):
        assert blob is not None
        weights = CrfWeights.from_model(blob)
        text = crfsuite_dump(blob)
        assert list(weights.labels) == [line.split(": ", 1)[1] for line in dump_section(text, "LABELS")]
        names = [line.split(": ", 1)[1] for line in dump_section(text, "ATTRIBUTES")]
        assert weights.attributes == {name: i for i, name in enumerate(names)}
        state_line = re.compile(r"^  \(0\) (.*) --> [^\n]*?: [-+0-9.e]+$")
        stated = {
            m.group(1) for line in dump_section(text, "STATE_FEATURES") if (m := state_line.match(line))
        }
        assert weights.stated == stated


def test_a_model_with_broken_name_tables_is_refused() -> None:
    blob = bytearray(packaged()._blob)
    off_labels = int.from_bytes(blob[32:36], "little")
    blob[off_labels : off_labels + 4] = b"XXXX"
    with pytest.raises(MarsadError, match="labels"):
        CrfWeights.from_model(bytes(blob))


def test_not_a_crfsuite_model_is_refused() -> None:
    with pytest.raises(MarsadError, match="CRFsuite"):
        CrfWeights.from_model(b"not a model at all, just some bytes" * 4)
    with pytest.raises(MarsadError, match="CRFsuite"):
        CrfWeights.from_model(b"short")


def test_packaged_model_fast_tags_equal_crfsuite_tags() -> None:
    model = packaged()
    sentences = random_sentences(7, 300)
    assert model.tag_first(sentences) == [model.tag_reference(s) for s in sentences]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(VOCAB),
                st.text(alphabet="ابتجحدرسعفقكلمنهويةأىءئ0123456789.-«»Ab", min_size=1, max_size=8),
            ),
            max_size=25,
        ),
        max_size=6,
    )
)
def test_fast_tags_equal_crfsuite_tags_on_any_tokens(sentences: list[list[str]]) -> None:
    model = packaged()
    assert model.tag_first(sentences) == [model.tag_reference(s) for s in sentences]


def test_a_small_table_is_emptied_between_batches_without_changing_tags() -> None:
    model = packaged()
    small = small_decoder(16)
    sentences = random_sentences(11, 40)
    expected = model.decoder.tag(sentences)
    assert small.tag(sentences) == expected  # runs of at most 8 words, table emptied between them
    long_one = [word for sentence in sentences[:5] for word in sentence]
    assert small.tag([long_one]) == model.decoder.tag([long_one])
    assert small.capacity >= 16


def test_a_full_table_keeps_the_words_used_again_and_tags_stay_the_same() -> None:
    model = packaged()
    small = small_decoder(64)
    frequent = ["قال", "الرئيس", "في"]
    small.tag([frequent * 3])
    misses = small.misses
    for seed in range(6):  # fills the table several times over with rare words
        rare = [[f"{word}{seed}{i}" for i, word in enumerate(VOCAB[:20])]]
        assert small.tag(rare) == model.decoder.tag(rare)  # the table is full: rows are forgotten
        small.tag([frequent])  # still in use: never forgotten
    assert small.misses == misses + 6 * 20
    sentences = random_sentences(5, 30)
    assert small.tag(sentences) == model.decoder.tag(sentences)


def test_sentences_of_very_different_lengths_decode_together_as_alone() -> None:
    model = packaged()
    sentences = random_sentences(3, 60)
    sentences[10] = sentences[10] * 12  # one long sentence among short ones
    together = model.decoder.tag(sentences)
    assert together == [model.decoder.tag([s])[0] for s in sentences]
    assert model.tag_first(sentences) == [model.tag_reference(s) for s in sentences]


def test_a_freshly_trained_model_decodes_like_crfsuite(tmp_path: Path) -> None:
    sentences = [["قال", "سامر", "نعيم", "إن", "بغداد", "جميلة"], ["زار", "نعيم", "بغداد", "."]] * 4
    tags = [["O", "B-PERS", "I-PERS", "O", "B-LOC", "O"], ["O", "B-PERS", "B-LOC", "O"]] * 4
    extractor = FeatureExtractor(FeatureConfig(lexicon=False, window=1))
    model = train_crf(sentences, tags, extractor, tmp_path / "m.crfsuite", {"max_iterations": 30, "c2": 0.01})
    probe = [*sentences[:2], ["نعيم", "قال", "إن", "سامر", "زار"], [], ["بغداد"]]
    assert model.tag_first(probe) == [model.tag_reference(s) for s in probe]
    assert model.tag_first(sentences[:2]) == tags[:2]


PHRASED = [
    "قال الأمين العام للأمم المتحدة إن مجلس الأمن يجتمع في نيويورك",
    "زار وفد من المملكة العربية السعودية الولايات المتحدة الأمريكية أمس",
    "وأكد عبد الله بن زايد أن جامعة الدول العربية ستعقد قمتها في شرم الشيخ",
    "ووصل إلى الدار البيضاء وفد من الاتحاد الأوروبي ومنظمة الصحة العالمية",
]


def test_sentences_with_lexicon_names_get_the_reference_tags_in_one_batch() -> None:
    """Phrase flags are found only in the sentences with a phrase's first two stems side by
    side; the tags stay CRFsuite's, with names of several words among the sentences."""
    model = packaged()
    sentences = [s.split() for s in PHRASED] + random_sentences(11, 40)
    flagged = [s for s in sentences if model.extractor.phrase_flags(model.extractor.stems(s))]
    assert len(flagged) >= len(PHRASED)  # the test sees the phrase flags at work
    rng = random.Random(3)
    rng.shuffle(sentences)
    assert model.tag_first(sentences) == [model.tag_reference(s) for s in sentences]


def reference_emissions(model: NerModel, tokens: list[str]) -> np.ndarray:
    """Each token's label scores summed from its CRFsuite feature strings, one by one."""
    weights = model.decoder.weights
    rows = [
        [weights.attributes[f] for f in feats if f in weights.attributes]
        for feats in model.extractor.features(tokens)
    ]
    return np.array([weights.state[r].sum(axis=0) if r else np.zeros(len(weights.labels)) for r in rows])


def test_emissions_equal_the_sums_of_the_feature_strings_around_the_longest_names() -> None:
    """Names of the most words the lexicon has, at a sentence's start, middle and end and
    filling it: the flags before, on and after each name are all added, so every token's
    scores equal the sums of its feature strings' weights."""
    model = packaged()
    extractor = model.extractor
    longest = [stems for stems in extractor.lexicon.phrases if len(stems) == extractor.phrase_reach][:3]
    assert longest  # the lexicon has names of several words
    sentences: list[list[str]] = []
    for stems in longest:
        name = list(stems)
        sentences += [name, [*name, "قال", "أمس"], ["زار", *name, "أمس"], ["زار", "الرئيس", *name]]
        sentences.append(["في", *name, *name[:2]])  # a second name's first two stems, cut short
    emit, _pos, _length = model.decoder.emissions(sentences)
    expected = np.concatenate([reference_emissions(model, s) for s in sentences])
    assert np.allclose(emit, expected, rtol=0, atol=1e-9)
    assert any(f.startswith("g-1=") for s in sentences for feats in extractor.features(s) for f in feats)


def test_name_spans_are_the_spans_of_the_first_stage_tags() -> None:
    model = packaged()
    sentences = [s.split() for s in PHRASED] + random_sentences(5, 60) + [[]]
    assert model.name_spans(sentences) == [bio_spans(tags) for tags in model.tag_first(sentences)]
    small = small_decoder(64)  # several chunks, and rows forgotten on the way
    assert small.spans(sentences) == [bio_spans(tags) for tags in model.tag_first(sentences)]
