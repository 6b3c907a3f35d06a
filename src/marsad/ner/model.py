"""The CRF named-entity model: load the packaged model, tag token lists, train a new one.

The model is two files side by side: ``ner_crf.crfsuite`` (CRFsuite weights) and
``ner_crf.json`` (the feature configuration it was trained with, its training
settings and its measured scores). :meth:`NerModel.load` reads both; the lexicon the
features look words up in (KB tables and ``data/ner`` lists) is built on first use.

When the configuration's ``consistency`` is above 0 the tagger has two stages, and a
third file, ``ner_crf.stage2.crfsuite``, holds the second: the first CRF tags the
sentences, then the second tags them again with extra features saying how the first
tagged each word and how it tagged the same stem in the neighbouring sentences given
to :meth:`NerModel.tag_sentences`. A lone sentence (:meth:`NerModel.tag`) is tagged by
the first stage alone, which scores better on it than the second stage does.

A :class:`NerModel` is meant to be loaded once and reused. It is not thread-safe:
give each thread its own instance.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

import pycrfsuite  # type: ignore[import-untyped]

from marsad.ner.conll import repair_bio
from marsad.ner.decode import CrfWeights, FastDecoder
from marsad.ner.features import (
    FeatureConfig,
    FeatureExtractor,
    NameLexicon,
    analyse,
    consistency_features,
)

__all__ = [
    "MODEL_FILE",
    "SETTINGS_FILE",
    "STAGE2_FILE",
    "NerModel",
    "rare_identities",
    "stage2_path",
    "train_crf",
]

MODEL_FILE: Final = "ner_crf.crfsuite"
STAGE2_FILE: Final = "ner_crf.stage2.crfsuite"
SETTINGS_FILE: Final = "ner_crf.json"


def stage2_path(model_path: str | Path) -> Path:
    """Where the second-stage weights of a two-stage model lie: ``x.crfsuite`` -> ``x.stage2.crfsuite``."""
    path = Path(model_path)
    return path.with_name(path.name.removesuffix(".crfsuite") + ".stage2.crfsuite")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch builds its many short-lived feature
    lists (none of which form cycles); it costs a quarter of the batch's time otherwise."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _packaged(name: str) -> Any:
    return files("marsad") / "data" / "models" / name


class NerModel:
    """A trained CRF tagger with the feature extractor it was trained with."""

    def __init__(
        self,
        model_bytes: bytes,
        config: FeatureConfig | None = None,
        lexicon: NameLexicon | None = None,
        settings: Mapping[str, Any] | None = None,
        extractor: FeatureExtractor | None = None,
        stage2_bytes: bytes | None = None,
    ) -> None:
        """Open CRFsuite weights; ``extractor`` (if given) must be the one the model was trained with.

        ``stage2_bytes`` are the second-stage weights of a two-stage model (configuration
        ``consistency`` > 0); without them only the first stage tags.
        """
        self.config = extractor.config if extractor is not None else config or FeatureConfig()
        self.settings: Mapping[str, Any] = settings or {}
        self._blob = model_bytes  # CRFsuite reads the weights from this buffer; keep it alive
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model_bytes)
        self._blob2 = stage2_bytes
        self._tagger2: Any = None
        if stage2_bytes is not None and self.config.consistency > 0:
            self._tagger2 = pycrfsuite.Tagger()
            self._tagger2.open_inmemory(stage2_bytes)
        self._lexicon = lexicon
        self._extractor = extractor
        self._decoder: FastDecoder | None = None
        self._weights: CrfWeights | None = None
        # Loaded models emit only the features their weights use (read here, once).
        self._keep = self._attributes() if extractor is None else None

    @classmethod
    def load(cls, path: str | Path | None = None, lexicon: NameLexicon | None = None) -> NerModel:
        """Load a model file (default: the packaged ``ner_crf.crfsuite``) and its ``.json`` settings.

        Raises :class:`FileNotFoundError` naming the file when the model is missing. The
        settings file is optional; without it the default feature configuration is used.
        """
        if path is None:
            model = _packaged(MODEL_FILE)
            settings_resource = _packaged(SETTINGS_FILE)
            where = f"marsad/data/models/{MODEL_FILE}"
        else:
            model = Path(path)
            settings_resource = model.with_suffix(".json")
            where = str(model)
        if not model.is_file():
            raise FileNotFoundError(
                f"NER model file not found: {where}; train one with scripts/train_ner.py "
                "or reinstall marsad with its data files"
            )
        settings: dict[str, Any] = {}
        if settings_resource.is_file():
            settings = json.loads(settings_resource.read_text(encoding="utf-8"))
        config = FeatureConfig.from_dict(settings.get("features", {}))
        stage2_bytes = None
        if config.consistency > 0:
            stage2 = _packaged(STAGE2_FILE) if path is None else stage2_path(model)
            if not stage2.is_file():
                raise FileNotFoundError(
                    f"NER second-stage model file not found: {stage2_path(where)}; train one with "
                    "scripts/train_ner.py or reinstall marsad with its data files"
                )
            stage2_bytes = stage2.read_bytes()
        return cls(model.read_bytes(), config, lexicon, settings, stage2_bytes=stage2_bytes)

    @property
    def extractor(self) -> FeatureExtractor:
        """The feature extractor; the lexicon is built here on first use."""
        if self._extractor is None:
            lexicon = self._lexicon
            if lexicon is None and self.config.lexicon:
                lexicon = NameLexicon.load()
            self._extractor = FeatureExtractor(self.config, lexicon, keep=self._keep)
        return self._extractor

    @property
    def decoder(self) -> FastDecoder:
        """The first stage's fast decoder (:mod:`marsad.ner.decode`), built on first use."""
        if self._decoder is None:
            extractor = self.extractor
            config = self.config
            phrases = config.phrases and config.lexicon and extractor.lexicon.longest_phrase > 1
            self._decoder = FastDecoder(
                self._first_weights(),
                extractor.word_features,
                extractor.offsets,
                extractor.edges,
                extractor if phrases else None,
            )
        return self._decoder

    def _first_weights(self) -> CrfWeights:
        """The first stage's weights, read from the model file once."""
        if self._weights is None:
            self._weights = CrfWeights.from_model(self._blob)
        return self._weights

    def _attributes(self) -> frozenset[str]:
        """The attributes the model's stages have weights for (the others cannot change a tag)."""
        stated = self._first_weights().stated
        if self._tagger2 is not None and self._blob2 is not None:
            stated |= CrfWeights.from_model(self._blob2).stated
        return stated

    @property
    def labels(self) -> list[str]:
        """The tags the model can output."""
        return list(self._tagger.labels())

    @property
    def two_stage(self) -> bool:
        """Whether a second stage re-tags runs of sentences with the first stage's tags of the neighbours."""
        return self._tagger2 is not None

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags of one tokenised sentence (always valid BIO).

        A lone sentence is tagged by the first stage only: the second stage, trained with
        the neighbouring sentences in view, scores lower than the first on a sentence
        seen without them.
        """
        if not tokens:
            return []
        return repair_bio(self.decoder.tag([tokens])[0])

    def tag_first(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of each sentence by the first stage alone, every sentence on its own
        (what :meth:`tag` gives), decoded in one batch: the fast path for many sentences."""
        return [repair_bio(tags) if tags else [] for tags in self.decoder.tag(sentences)]

    def name_spans(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[int, int, str]]]:
        """The entity spans ``(start, end, type)`` of each sentence by the first stage alone:
        ``bio_spans`` of :meth:`tag_first`, found for all the sentences at once."""
        return self.decoder.spans(sentences)

    def tag_reference(self, tokens: Sequence[str]) -> list[str]:
        """:meth:`tag` through CRFsuite's own tagger, from the feature strings: slower, and
        kept to check the fast decoder against."""
        if not tokens:
            return []
        return repair_bio(self._tagger.tag(self.extractor.features(tokens)))

    def tag_sentences(self, sentences: Iterable[Sequence[str]]) -> list[list[str]]:
        """BIO tags of each sentence, in order.

        A two-stage model reads two or more sentences as running text: the second stage
        looks at how the first tagged the same word in the sentences around each one.
        """
        sentences = list(sentences)
        if self._tagger2 is None or len(sentences) < 2:
            return [self.tag(tokens) for tokens in sentences]
        extractor = self.extractor
        with _gc_paused():
            features = [extractor.features(tokens) if tokens else [] for tokens in sentences]
            first = self.tag_first(sentences)
            return self.second_stage(sentences, features, first, copy=False)

    def second_stage(
        self,
        sentences: Sequence[Sequence[str]],
        features: Sequence[list[list[str]]],
        first: Sequence[Sequence[str]],
        copy: bool = True,
    ) -> list[list[str]]:
        """Second-stage tags from the sentences, their first-stage features and first-stage tags.

        With ``copy=False`` the second-stage features are appended to ``features``' lists.
        """
        stems = [self.extractor.stems(tokens) for tokens in sentences]
        extra = consistency_features(stems, first, self.config.consistency)
        tagger = self._tagger2
        out: list[list[str]] = []
        for base, more in zip(features, extra, strict=True):
            if not base:
                out.append([])
                continue
            combined = [[*b, *m] for b, m in zip(base, more, strict=True)] if copy else base
            if not copy:
                for b, m in zip(base, more, strict=True):
                    b.extend(m)
            out.append(repair_bio(tagger.tag(combined)))
        return out


def rare_identities(sentences: Iterable[Sequence[str]], max_count: int) -> frozenset[str]:
    """The ``w=``/``s=`` features of words (and stems) seen at most ``max_count`` times."""
    words: Counter[str] = Counter()
    stems: Counter[str] = Counter()
    for tokens in sentences:
        for token in tokens:
            folded, stem, _clitics = analyse(token)
            words[folded] += 1
            stems[stem] += 1
    rare = {f"w={w}" for w, c in words.items() if c <= max_count}
    rare |= {f"s={s}" for s, c in stems.items() if c <= max_count}
    return frozenset(rare)


def train_crf(
    sentences: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    extractor: FeatureExtractor,
    model_path: str | Path,
    params: Mapping[str, Any],
    algorithm: str = "lbfgs",
    forget_rare: int = 0,
    extra: Sequence[Sequence[Sequence[str]]] | None = None,
) -> NerModel:
    """Train a CRF on tagged sentences, write it to ``model_path`` and return it loaded.

    ``params`` are CRFsuite training parameters (``c1``, ``c2``, ``max_iterations``,
    ``feature.possible_transitions``, ...). With ``forget_rare=n``, the word and stem
    identity features of a token whose word or stem occurs at most ``n`` times in the
    training data are left out of its own features, so that the model learns to tag
    words it has never seen from their affixes, shape, lexicon flags and context. The
    returned model tags with ``extractor``. ``extra`` (one feature list per token) are
    added to the extractor's features: a second stage is trained with them (see
    :func:`marsad.ner.features.consistency_features`); the returned model then tags
    with this one stage only.
    """
    rare = rare_identities(sentences, forget_rare) if forget_rare > 0 else frozenset()
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for index, (tokens, sentence_tags) in enumerate(zip(sentences, tags, strict=True)):
        features = extractor.features(tokens)
        if rare:
            features = [[f for f in token_features if f not in rare] for token_features in features]
        if extra is not None:
            features = [[*f, *m] for f, m in zip(features, extra[index], strict=True)]
        trainer.append(features, list(sentence_tags))
    trainer.set_params(dict(params))
    trainer.train(str(model_path))
    return NerModel(Path(model_path).read_bytes(), extractor=extractor)
