"""Token features of the CRF named-entity tagger.

Every feature is a string; CRFsuite weighs each one present with 1. A token gets the
features of its own word (folded form, clitic-stripped stem, affixes, shape, length,
lexicon flags), gazetteer flags of the 2–4 token names it sits in, and the main
features of the words up to ``window`` places before and after it, prefixed with the
offset (``-1:s=رئيس``).

The per-word part depends only on the word string and is cached with
:func:`functools.lru_cache`; the per-sentence part is a loop over pre-built tuples, so
extraction stays fast. :class:`FeatureExtractor` keeps its own caches (no module state
but the pure per-word caches).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from itertools import compress
from typing import Any, Final

from marsad.ner.lexicon import CACHE_SIZE as _CACHE_SIZE
from marsad.ner.lexicon import NameLexicon, analyse, kb_names

__all__ = [
    "FeatureConfig",
    "FeatureExtractor",
    "NameLexicon",
    "analyse",
    "consistency_features",
    "kb_names",
    "sentence_features",
    "word_shape",
]

_MAX_LENGTH: Final = 8
#: Arabic letters proper (hamza to yeh, without tatweel): the common case of :func:`word_shape`.
_ARABIC_LETTERS: Final = re.compile("[\u0621-\u063a\u0641-\u064a]+")
#: The longest prefix and suffix a feature configuration may use.
MAX_AFFIXES: Final = 32


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """Which feature groups the tagger uses; stored with the model so tagging matches training."""

    window: int = 2
    affixes: int = 3
    stem_affixes: bool = False
    context_affixes: bool = False
    lexicon: bool = True
    phrases: bool = True
    bigrams: bool = False
    #: Two-stage tagging when > 0: a second CRF also sees how a first CRF tagged the same
    #: stem in the sentences up to this many places before and after (see :func:`consistency_features`).
    consistency: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.affixes <= MAX_AFFIXES:
            raise ValueError(f"affixes must be 0..{MAX_AFFIXES}, not {self.affixes}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureConfig:
        """Build from a stored mapping; unknown keys are ignored, missing keys take defaults."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


# --- per-word features ----------------------------------------------------------------


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "D"
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufefc":
        return "A" if ch.isalpha() else "P"
    if ch.isalpha():
        return "L"
    return "P"


@lru_cache(maxsize=_CACHE_SIZE)
def word_shape(word: str) -> str:
    """``AR``, ``LAT`` (``LATCAP`` when capitalised), ``DIG``, ``PUNCT`` or ``MIX``.

    Digits of any script count as digits; Arabic punctuation (، ؛ ؟) as punctuation.
    """
    if _ARABIC_LETTERS.fullmatch(word):
        return "AR"
    classes = {_char_class(ch) for ch in word}
    if len(classes) == 1:
        only = classes.pop()
        if only == "L":
            return "LATCAP" if word[:1].isupper() else "LAT"
        return {"A": "AR", "D": "DIG", "P": "PUNCT"}[only]
    if classes <= {"D", "P"}:
        return "DIG"  # 12.7  1,000  19/08
    return "MIX"


#: ``len=n`` for each stem length ``n`` up to :data:`_MAX_LENGTH`, and the affix feature
#: names (``p1=`` … , ``x1=`` …, ``sp1=`` …, ``sx1=`` …) by length, made once.
_LENGTHS: Final = tuple(f"len={n}" for n in range(_MAX_LENGTH + 1))
_AFFIX_NAMES: Final = tuple(
    tuple(f"{kind}{n}=" for n in range(MAX_AFFIXES + 1)) for kind in ("p", "x", "sp", "sx")
)


def _lexical(
    word: str, folded: str, stem: str, clitics: str, affixes: int, stem_affixes: bool, context_affixes: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Own features and context ("main") features of a word (given its :func:`analyse`),
    before any lexicon lookup."""
    shape = word_shape(word)
    main = [f"w={folded}", f"s={stem}", f"sh={shape}"]
    own = ["bias", *main, f"c={clitics}", _LENGTHS[min(len(stem), _MAX_LENGTH)]]
    if shape in ("AR", "LAT", "LATCAP", "MIX"):
        pre, suf, stem_pre, stem_suf = _AFFIX_NAMES
        for n in range(1, affixes + 1):
            if len(folded) > n:
                own.append(pre[n] + folded[:n])
                own.append(suf[n] + folded[-n:])
            if stem_affixes and len(stem) > n:
                own.append(stem_pre[n] + stem[:n])
                own.append(stem_suf[n] + stem[-n:])
        if context_affixes:
            main += [f"sp2={stem[:2]}", f"sx2={stem[-2:]}", f"sx3={stem[-3:]}"]
    return tuple(own), tuple(main)


class FeatureExtractor:
    """Turns token lists into CRFsuite feature lists for one configuration and lexicon."""

    def __init__(
        self,
        config: FeatureConfig | None = None,
        lexicon: NameLexicon | None = None,
        keep: frozenset[str] | None = None,
    ) -> None:
        """``keep`` (if given): the only per-word features to emit, e.g. the attributes a trained
        model has weights for; the others would be ignored by the model anyway."""
        self.config = config or FeatureConfig()
        self.lexicon = lexicon if lexicon is not None else NameLexicon()
        self.keep = keep
        offsets = [k for k in range(-self.config.window, self.config.window + 1) if k]
        self._offsets: tuple[int, ...] = tuple(offsets)
        self._edges: dict[int, str] = {k: f"{k}:{'BOS' if k < 0 else 'EOS'}" for k in offsets}
        # Per offset, the kept context features without their ``k:`` prefix.
        self._kept_context: tuple[frozenset[str], ...] = tuple(
            frozenset(f.removeprefix(f"{k}:") for f in keep or () if f.startswith(f"{k}:")) for k in offsets
        )
        self._phrase_firsts = frozenset(stems[0] for stems in self.lexicon.phrases)
        self._phrase_pairs = frozenset(stems[:2] for stems in self.lexicon.phrases)
        # Cached per extractor: the lexicon is part of the key, so the cache is the instance's.
        self._word = lru_cache(maxsize=_CACHE_SIZE)(self._word_info)

    @property
    def offsets(self) -> tuple[int, ...]:
        """The context offsets, in order (``-2, -1, 1, 2`` for window 2)."""
        return self._offsets

    @property
    def phrase_pairs(self) -> frozenset[tuple[str, ...]]:
        """The first two stems of every lexicon name of 2+ tokens: no phrase flag is found in
        a sentence without one of these pairs side by side."""
        return self._phrase_pairs

    @property
    def edges(self) -> tuple[str, ...]:
        """The feature a token gets, per offset, when that neighbour lies outside the sentence."""
        return tuple(self._edges[k] for k in self._offsets)

    def word_features(self, word: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """A word's stem, its own features, and its main features (those its neighbours see,
        with the offset put in front); not filtered by ``keep``, not cached."""
        config = self.config
        folded, stem, clitics = analyse(word)
        own, main = _lexical(
            word, folded, stem, clitics, config.affixes, config.stem_affixes, config.context_affixes
        )
        if config.lexicon and (kinds := self.lexicon.word_kinds(stem, folded)):
            flags = tuple(f"k={kind}" for kind in kinds)
            own = own + flags
            main = main + flags
        return stem, own, main

    def _word_info(self, word: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
        stem, own, main = self.word_features(word)
        keep = self.keep
        if keep is None:
            context = tuple(tuple(f"{k}:{f}" for f in main) for k in self._offsets)
        else:
            own = tuple(f for f in own if f in keep)
            context = tuple(
                tuple(f"{k}:{f}" for f in main if f in kept)
                for k, kept in zip(self._offsets, self._kept_context, strict=True)
            )
        return stem, own, context

    def features(self, tokens: Sequence[str]) -> list[list[str]]:
        """One feature list per token of one sentence."""
        infos = [self._word(token) for token in tokens]
        n = len(infos)
        config = self.config
        phrase_flags: list[list[str]] = [[] for _ in range(n)]
        if config.phrases and config.lexicon and self.lexicon.longest_phrase > 1:
            self._mark_phrases([info[0] for info in infos], phrase_flags)
        out: list[list[str]] = []
        offsets = self._offsets
        edges = self._edges
        for i, (_stem, own, _context) in enumerate(infos):
            feats = list(own)
            feats.extend(phrase_flags[i])
            for slot, k in enumerate(offsets):
                j = i + k
                if 0 <= j < n:
                    feats.extend(infos[j][2][slot])
                else:
                    feats.append(edges[k])
            if config.bigrams:
                prev = infos[i - 1][0] if i else "BOS"
                nxt = infos[i + 1][0] if i + 1 < n else "EOS"
                feats.append(f"b-={prev}|{infos[i][0]}")
                feats.append(f"b+={infos[i][0]}|{nxt}")
            out.append(feats)
        return out

    def stems(self, tokens: Sequence[str]) -> list[str]:
        """The stem of every token (folded, clitics stripped), from the per-word cache."""
        return [self._word(token)[0] for token in tokens]

    def _mark_phrases(self, stems: Sequence[str], flags: list[list[str]]) -> None:
        """Flag every token inside a lexicon name of 2+ tokens (``g=B-LOC``, ``g=I-LOC``, ±1)."""
        for index, flag in self.phrase_flags(stems):
            flags[index].append(flag)

    def phrase_flags(self, stems: Sequence[str]) -> list[tuple[int, str]]:
        """``(token index, flag)`` for every token inside, or just before or after, a lexicon
        name of 2+ tokens (see :meth:`phrase_at`); at each token the longest name starting
        there counts."""
        out: list[tuple[int, str]] = []
        pairs = self._phrase_pairs
        for i in compress(range(len(stems) - 1), map(self._phrase_firsts.__contains__, stems)):
            if (stems[i], stems[i + 1]) in pairs:
                out += self.phrase_at(stems, i)
        return out

    @property
    def phrase_reach(self) -> int:
        """How many tokens the longest lexicon name has: :meth:`phrase_at` reads no further."""
        return self.lexicon.longest_phrase

    def phrase_at(self, stems: Sequence[str], i: int) -> list[tuple[int, str]]:
        """The flags of the longest lexicon name of 2+ tokens starting at ``stems[i]``, if
        any: ``g=B-LOC`` on its first token, ``g=I-LOC`` on the others, ``g+1=LOC`` on the
        token before and ``g-1=LOC`` on the token after. Only ``stems[i - 1]`` to
        ``stems[i + phrase_reach]`` matter (and whether the sentence goes on past them)."""
        out: list[tuple[int, str]] = []
        n = len(stems)
        phrases = self.lexicon.phrases
        for length in range(min(self.lexicon.longest_phrase, n - i), 1, -1):
            kinds = phrases.get(tuple(stems[i : i + length]))
            if kinds is None:
                continue
            for kind in kinds:
                out.append((i, f"g=B-{kind}"))
                out.extend((j, f"g=I-{kind}") for j in range(i + 1, i + length))
                if i > 0:
                    out.append((i - 1, f"g+1={kind}"))
                if i + length < n:
                    out.append((i + length, f"g-1={kind}"))
            break
        return out

    def cache_info(self) -> Any:
        """Hit/miss counts of the per-word cache (for benchmarks)."""
        return self._word.cache_info()


def _majority(counts: Mapping[str, int]) -> str:
    """The most frequent tag; ties go to an entity tag, then to the alphabetically first."""
    return min(counts, key=lambda tag: (-counts[tag], tag == "O", tag))


def consistency_features(
    stems: Sequence[Sequence[str]], first_tags: Sequence[Sequence[str]], window: int
) -> list[list[list[str]]]:
    """Second-stage features of every token from the first stage's tags (Krishnan & Manning 2006 style).

    ``stems`` and ``first_tags`` hold one list per sentence, in text order. A token gets its
    own first-stage tag and its neighbours' (``t1=``, ``t1-1=``, ``t1+1=``) and, from the
    other occurrences of its stem in the sentences up to ``window`` places before and after
    (the token itself left out): the majority tag (``cm=``), the tag they all share
    (``ca=``, when unanimous), every entity type among them (``ct=``) and how many they are
    (``cn=1``, ``cn=2``, ``cn=3+``).
    """
    n = len(stems)
    counts: dict[str, dict[str, int]] = {}

    def add(index: int, step: int) -> None:
        for stem, tag in zip(stems[index], first_tags[index], strict=True):
            tags = counts.setdefault(stem, {})
            count = tags.get(tag, 0) + step
            if count:
                tags[tag] = count
            else:
                del tags[tag]

    out: list[list[list[str]]] = []
    low, high = 0, -1  # the window of sentences now counted
    for s in range(n):
        while high < min(n - 1, s + window):
            high += 1
            add(high, 1)
        while low < s - window:
            add(low, -1)
            low += 1
        tags = first_tags[s]
        last = len(tags) - 1
        sentence: list[list[str]] = []
        for i, (stem, tag) in enumerate(zip(stems[s], tags, strict=True)):
            feats = [
                f"t1={tag}",
                f"t1-1={tags[i - 1] if i else 'BOS'}",
                f"t1+1={tags[i + 1] if i < last else 'EOS'}",
            ]
            seen = counts[stem]
            if len(seen) > 1 or seen[tag] > 1:  # the stem occurs elsewhere in the window
                others = dict(seen)
                if others[tag] == 1:
                    del others[tag]
                else:
                    others[tag] -= 1
                total = sum(others.values())
                majority = next(iter(others)) if len(others) == 1 else _majority(others)
                feats.append(f"cm={majority}")
                if len(others) == 1:
                    feats.append(f"ca={majority}")
                kinds = {t[2:] for t in others if t != "O"}
                if kinds:
                    feats.extend(f"ct={kind}" for kind in sorted(kinds))
                feats.append(f"cn={min(total, 3)}{'+' if total >= 3 else ''}")
            sentence.append(feats)
        out.append(sentence)
    return out


def sentence_features(tokens: Sequence[str], extractor: FeatureExtractor | None = None) -> list[list[str]]:
    """Features of one tokenised sentence; with no extractor, the default configuration without a lexicon."""
    return (extractor or FeatureExtractor()).features(tokens)
