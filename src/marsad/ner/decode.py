"""Fast decoding of a trained CRFsuite model: cached per-word scores and Viterbi in numpy.

CRFsuite's own tagger takes every token as a list of feature strings and looks each one
up in its attribute table, sentence after sentence. Over a large corpus that costs more
than everything else the NER stage does. This module gives the same tags for a fraction
of the time by using what a first-order linear-chain CRF is:

* the score of label ``y`` at token ``i`` is the sum of the weights of token ``i``'s own
  features for ``y``, plus those of the context features its neighbours lend it (``-1:w=…``);
  both depend only on the words, so each word's scores (own, and lent to each offset) are
  computed once and cached as a small array;
* the best label sequence is found by Viterbi over those scores and the label-transition
  weights, all sentences of a batch stepped through together (longest first, so each step
  works only on the sentences still running). The names stage tags a whole group of
  documents in one batch, which spreads numpy's per-call cost thin.

The weights are read from the model file itself (CRFsuite's ``FEAT`` chunk, in double
precision) and the attribute and label names from the model's dump, so decoding agrees
with CRFsuite's; ``tests/ner`` checks that it does, tag for tag.
"""

from __future__ import annotations

import re
import struct
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import is_
from pathlib import Path
from typing import Final, cast

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]

from marsad.errors import Code, MarsadError

__all__ = ["CrfWeights", "FastDecoder", "WordFeatures"]

#: Rows of the word-score table: 45 floats each (a 9-label, ±2-word model), 94 MB in all; room
#: for the words used more than once in a corpus the size of SaudiNewsNet (318,000 forms).
CACHE_SIZE: Final = 1 << 18
_HEADER: Final = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK: Final = struct.Struct("<4sII")
_FEATURE: Final = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1
#: A score no label sequence reaches: keeps a padded sentence in O before it starts.
_BIG: Final = 1e30
_RETRAIN: Final = "train the model again with scripts/train_ner.py, or reinstall marsad with its data files"
_SECTION_LINE: Final = re.compile(r"^\s+(\d+): (.*)$")

#: ``word -> (stem, own features, main features)``: the features a word has itself, and those it
#: lends its neighbours (``f`` becomes ``-1:f`` at the next word), as the feature extractor gives them.
WordFeatures = Callable[[str], tuple[str, Sequence[str], Sequence[str]]]
_OFFSET: Final = re.compile(r"^(-?[0-9]+):(.*)$", re.DOTALL)


def _dump_sections(model_bytes: bytes) -> dict[str, list[str]]:
    """The ``LABELS`` and ``ATTRIBUTES`` of a model, each a list indexed by id."""
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.txt"
        tagger.dump(str(path))
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    tagger.close()
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.endswith(" = {"):
            name = line.split(" ", 1)[0]
            current = sections.setdefault(name, []) if name in ("LABELS", "ATTRIBUTES") else None
        elif line == "}":
            current = None
        elif current is not None:
            match = _SECTION_LINE.match(line)
            if match is None or int(match.group(1)) != len(current):
                raise MarsadError(
                    Code.NER_MODEL, f"unexpected line in the CRF model dump: {line!r}", _RETRAIN
                )
            current.append(match.group(2))
    return sections


@dataclass(frozen=True, slots=True)
class CrfWeights:
    """The weights of a first-order CRFsuite model (``CRF1d``), in arrays.

    ``state[a, y]`` is the weight of attribute ``a`` for label ``y`` (the last row is all
    zeros, for attributes the model does not know); ``transition[y, z]`` that of label
    ``z`` following label ``y``.
    """

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray
    transition: np.ndarray

    @classmethod
    def from_model(cls, model_bytes: bytes) -> CrfWeights:
        if len(model_bytes) < _HEADER.size:
            raise MarsadError(Code.NER_MODEL, "not a CRFsuite first-order model (too short)", _RETRAIN)
        magic, _size, kind, _version, _n, _labels, _attrs, off_features, *_ = _HEADER.unpack_from(
            model_bytes, 0
        )
        if magic != b"lCRF" or kind != b"FOMC" or off_features + _CHUNK.size > len(model_bytes):
            raise MarsadError(
                Code.NER_MODEL, "not a CRFsuite first-order model (no lCRF/FOMC header)", _RETRAIN
            )
        chunk, _chunk_size, count = _CHUNK.unpack_from(model_bytes, off_features)
        if chunk != b"FEAT" or off_features + _CHUNK.size + count * _FEATURE.size > len(model_bytes):
            raise MarsadError(
                Code.NER_MODEL, "CRFsuite model without its feature weights (FEAT chunk)", _RETRAIN
            )
        sections = _dump_sections(model_bytes)
        labels = tuple(sections.get("LABELS", ()))
        names = sections.get("ATTRIBUTES", [])
        n_labels = len(labels)
        state = np.zeros((len(names) + 1, n_labels))
        transition = np.zeros((n_labels, n_labels))
        base = off_features + _CHUNK.size
        for number in range(count):
            ftype, src, dst, weight = _FEATURE.unpack_from(model_bytes, base + number * _FEATURE.size)
            if ftype == _STATE:
                state[src, dst] += weight
            elif ftype == _TRANSITION:
                transition[src, dst] += weight
        return cls(labels, {name: i for i, name in enumerate(names)}, state, transition)


class FastDecoder:
    """Tags sentences with a CRF's weights, from the features a :data:`WordFeatures` function gives.

    ``offsets`` are the context offsets (a word's main feature ``f`` is ``k:f`` at the
    word ``k`` places away); ``edges`` the edge feature of each offset (``-1:BOS``,
    ``1:EOS`` …), given where the neighbour would lie outside the sentence;
    ``phrase_flags`` (optional) gives sentence-level features from the tokens' stems, as
    ``(token index, feature)`` pairs.

    Each word's scores are kept in a table of ``capacity`` rows; when a batch would not
    fit, the rarely used rows are forgotten first (:meth:`_forget`), so memory stays flat
    however much text is tagged.
    Not thread-safe (the table is the instance's).
    """

    def __init__(
        self,
        weights: CrfWeights,
        word_features: WordFeatures,
        offsets: Sequence[int],
        edges: Sequence[str],
        phrase_flags: Callable[[Sequence[str]], list[tuple[int, str]]] | None = None,
        capacity: int = CACHE_SIZE,
        phrase_pairs: frozenset[tuple[str, ...]] | None = None,
    ) -> None:
        """``phrase_pairs`` (optional): the first two stems of every phrase a flag can be
        given for; sentences without one of these pairs are not given to ``phrase_flags``."""
        self.weights = weights
        self._word_features = word_features
        self._offsets = tuple(offsets)
        self._phrase_flags = phrase_flags
        self._phrase_pairs = phrase_pairs
        self._phrase_starts = None if phrase_pairs is None else frozenset(first for first, _ in phrase_pairs)
        attrs = weights.attributes
        self._zero = len(attrs)  # the all-zero row
        # Per offset: the main features the model has a context weight for, and that weight's row.
        slot_of = {k: slot for slot, k in enumerate(self._offsets)}
        self._context: tuple[dict[str, int], ...] = tuple({} for _ in self._offsets)
        for name, row in attrs.items():
            match = _OFFSET.match(name)
            if match is not None and int(match.group(1)) in slot_of:
                self._context[slot_of[int(match.group(1))]][match.group(2)] = row
        n_labels = len(weights.labels)
        self._edge = (
            np.stack([weights.state[attrs.get(e, self._zero)] for e in edges])
            if edges
            else np.zeros((len(self._offsets), n_labels))
        )
        self._o = weights.labels.index("O")
        self.capacity = max(capacity, 1)
        self._table = np.zeros((self.capacity, 1 + len(self._offsets), n_labels))
        self._rows: dict[str, int] = {}
        self._words: list[str] = []
        self._stems: list[str] = []
        self._uses = np.zeros(self.capacity, dtype=np.int64)
        self._opens = np.zeros(self.capacity, dtype=bool)  # the row's stem may start a phrase
        self.misses = 0

    def _add_words(self, words: Sequence[str]) -> None:
        """Compute new words' stems and scores, own (``[row, 0]``) and lent to each offset
        (``[row, 1…]``), into the next free rows of the table, all in one sum."""
        attrs = self.weights.attributes
        context = self._context
        zero = self._zero
        ids: list[int] = []
        starts: list[int] = []
        first = len(self._stems)
        for word in words:
            stem, own, main = self._word_features(word)
            starts.append(len(ids))
            ids.append(zero)
            ids += [row for row in map(attrs.get, own) if row is not None]
            for rows in context:
                starts.append(len(ids))
                ids.append(zero)
                ids += [row for row in map(rows.get, main) if row is not None]
            self._rows[word] = len(self._stems)
            self._words.append(word)
            self._stems.append(stem)
        sums = np.add.reduceat(self.weights.state[ids], starts, axis=0)
        last = len(self._stems)
        self._table[first:last] = sums.reshape(len(words), *self._table.shape[1:])
        opens = self._phrase_starts
        self._opens[first:last] = True if opens is None else [stem in opens for stem in self._stems[first:]]
        self.misses += len(words)

    def _forget(self, keep: int) -> None:
        """Make room in the table: keep the (at most ``keep``) rows of words used more than
        once since they were added, most used first, and forget the others. Frequent words
        thus stay, and the table's memory stays what it is."""
        uses = self._uses[: len(self._words)]
        kept = np.flatnonzero(uses > 1)
        kept = kept[np.argsort(-uses[kept], kind="stable")[:keep]]
        count = len(kept)
        self._table[:count] = self._table[kept]
        self._opens[:count] = self._opens[kept]
        words, stems = self._words, self._stems
        self._words = [words[i] for i in kept.tolist()]
        self._stems = [stems[i] for i in kept.tolist()]
        self._rows = {word: row for row, word in enumerate(self._words)}
        self._uses[:count] = uses[kept] // 2  # older uses count for less
        self._uses[count:] = 0

    def emissions(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Label scores of every token of the sentences, flattened, with each token's
        position in its sentence and its sentence's length."""
        sizes = np.fromiter((len(s) for s in sentences), dtype=np.intp, count=len(sentences))
        total = int(sizes.sum())
        if total > self.capacity:  # one huge sentence: room for it alone
            self.capacity = total
            self._table = np.zeros((total, *self._table.shape[1:]))
            self._uses = np.zeros(total, dtype=np.int64)
            self._opens = np.zeros(total, dtype=bool)
            self._forget(keep=0)
        elif len(self._stems) + total > self.capacity:
            self._forget(keep=self.capacity // 2)
        rows = self._rows
        flat = list(chain.from_iterable(sentences))
        known: list[int | None] = list(map(rows.get, flat))
        if None in known:
            missing = list(compress(range(total), map(is_, known, repeat(None))))
            self._add_words(list(dict.fromkeys(map(flat.__getitem__, missing))))
            for i in missing:
                known[i] = rows[flat[i]]
        found = cast("list[int]", known)  # every word has its row now
        ids = np.array(found, dtype=np.intp)
        np.add.at(self._uses, ids, 1)
        scores = self._table[ids]
        emit = scores[:, 0, :].copy()
        starts = np.cumsum(sizes) - sizes
        pos = np.arange(total) - np.repeat(starts, sizes)
        length = np.repeat(sizes, sizes)
        for slot, k in enumerate(self._offsets, 1):
            j = pos + k
            inside = (j >= 0) & (j < length)
            index = np.flatnonzero(inside)
            emit[index] += scores[index + k, slot]
            emit[~inside] += self._edge[slot - 1]
        if self._phrase_flags is not None:
            attrs = self.weights.attributes
            state = self.weights.state
            for at, token_stems in self._phrase_sentences(found, ids, pos, length, starts, sizes):
                for i, flag in self._phrase_flags(token_stems):
                    row = attrs.get(flag)
                    if row is not None:
                        emit[at + i] += state[row]
        return emit, pos, length

    def _phrase_sentences(
        self,
        found: list[int],
        ids: np.ndarray,
        pos: np.ndarray,
        length: np.ndarray,
        starts: np.ndarray,
        sizes: np.ndarray,
    ) -> list[tuple[int, list[str]]]:
        """``(first token, stems)`` of the sentences ``phrase_flags`` may flag: those
        with a token whose stem starts a phrase (and, with ``phrase_pairs``, whose next
        token's stem is the phrase's second), found from the table rows at once."""
        stems = self._stems
        if self._phrase_pairs is None:
            chosen = np.flatnonzero(sizes)  # every sentence with a token
        else:
            pairs = self._phrase_pairs
            candidates = np.flatnonzero(self._opens[ids] & (pos + 1 < length)).tolist()
            hits = [c for c in candidates if (stems[found[c]], stems[found[c + 1]]) in pairs]
            chosen = np.unique(np.searchsorted(starts, hits, side="right") - 1)
        return [
            (at, [stems[r] for r in found[at : at + n]])
            for at, n in zip(starts[chosen].tolist(), sizes[chosen].tolist(), strict=True)
        ]

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The best label sequence of each sentence (empty sentences give empty lists)."""
        out: list[list[str]] = []
        names = self.weights.labels
        for chunk in self._chunks(sentences):
            if not any(chunk):
                out += [[] for _ in chunk]
                continue
            emit, pos, length = self.emissions(chunk)
            labels = self._viterbi(emit, pos, length).tolist()
            at = 0
            for sentence in chunk:
                n = len(sentence)
                out.append([names[y] for y in labels[at : at + n]])
                at += n
        return out

    def _chunks(self, sentences: Sequence[Sequence[str]]) -> list[Sequence[Sequence[str]]]:
        """The sentences in runs of at most half the table's capacity in words (a longer
        sentence makes a run of its own)."""
        limit = max(self.capacity // 2, 1)
        chunks: list[Sequence[Sequence[str]]] = []
        start = words = 0
        for i, sentence in enumerate(sentences):
            if words + len(sentence) > limit and i > start:
                chunks.append(sentences[start:i])
                start, words = i, 0
            words += len(sentence)
        chunks.append(sentences[start:])
        return chunks

    def _viterbi(self, emit: np.ndarray, pos: np.ndarray, length: np.ndarray) -> np.ndarray:
        """The best labels of every sentence (CRFsuite's Viterbi), all sentences stepped
        through together: longest first, so step ``t`` works on the prefix of sentences
        longer than ``t``. Scores and back-pointers are stored step after step, each step
        holding only its prefix: memory grows with the tokens, not with the longest
        sentence times the number of sentences."""
        trans = self.weights.transition
        n_labels = trans.shape[0]
        sizes = length[pos == 0]
        sentence = np.repeat(np.arange(len(sizes)), sizes)
        order = np.argsort(-sizes, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        sizes = sizes[order]
        count = len(sizes)
        steps = int(sizes[0])
        # active[t]: how many sentences (a prefix of the longest-first order) reach step t;
        # step t's rows start at offset[t].
        active = count - np.searchsorted(sizes[::-1], np.arange(steps), side="right")
        offset = (np.cumsum(active) - active).tolist()
        where = np.asarray(offset, dtype=np.intp)[pos] + rank[sentence]
        pad = np.empty_like(emit)
        pad[where] = emit
        score = pad[:count].copy()
        back = np.empty((len(emit), n_labels), dtype=np.intp)
        cand = np.empty((count, n_labels, n_labels))
        active_list = active.tolist()
        for t in range(1, steps):
            k, at = active_list[t], offset[t]
            np.add(score[:k, :, None], trans, out=cand[:k])
            cand[:k].argmax(axis=1, out=back[at : at + k])
            cand[:k].max(axis=1, out=score[:k])
            score[:k] += pad[at : at + k]
        cur = score.argmax(axis=1)  # a sentence's last step left its final scores in place
        path = np.empty(len(emit), dtype=np.intp)
        rows = np.arange(count)
        for t in range(steps - 1, -1, -1):
            k, at = active_list[t], offset[t]
            path[at : at + k] = cur[:k]
            if t:
                cur[:k] = back[rows[:k] + at, cur[:k]]
        labels: np.ndarray = path[where]
        return labels
