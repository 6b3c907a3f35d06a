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

The weights, and the attribute and label names, are read from the model file itself
(CRFsuite's ``FEAT`` chunk, in double precision, and its CQDB chunks;
:mod:`marsad.ner.crf_weights`), so decoding agrees with CRFsuite's; ``tests/ner`` checks
that it does, tag for tag.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import chain, compress, repeat
from operator import is_
from typing import Final, Protocol, cast

import numpy as np

from marsad.ner.conll import LabelSpans
from marsad.ner.crf_weights import CrfWeights

__all__ = ["CrfWeights", "FastDecoder", "PhraseFlags", "WordFeatures"]

#: Rows of the word-score table: 45 floats each (a 9-label, ±2-word model), 94 MB in all; room
#: for the words used more than once in a corpus the size of SaudiNewsNet (318,000 forms).
CACHE_SIZE: Final = 1 << 18
#: Bits of a table row's phrase role: its stem may start a phrase, or be a phrase's second.
_OPENS: Final = 1
_SECOND: Final = 2

#: ``word -> (stem, own features, main features)``: the features a word has itself, and those it
#: lends its neighbours (``f`` becomes ``-1:f`` at the next word), as the feature extractor gives them.
WordFeatures = Callable[[str], tuple[str, Sequence[str], Sequence[str]]]
_OFFSET: Final = re.compile(r"^(-?[0-9]+):(.*)$", re.DOTALL)


class PhraseFlags(Protocol):
    """Flags on the tokens of multi-word lexicon names (the feature extractor is one)."""

    @property
    def phrase_pairs(self) -> frozenset[tuple[str, ...]]:
        """The first two stems of every name: no name starts at a token without one."""

    @property
    def phrase_reach(self) -> int:
        """The most tokens a name has."""

    def phrase_at(self, stems: Sequence[str], i: int) -> list[tuple[int, str]]:
        """``(token index, flag)`` of the longest name starting at ``stems[i]``, given the
        stems from one before it to one past its longest possible end."""
        ...


class FastDecoder:
    """Tags sentences with a CRF's weights, from the features a :data:`WordFeatures` function gives.

    ``offsets`` are the context offsets (a word's main feature ``f`` is ``k:f`` at the
    word ``k`` places away); ``edges`` the edge feature of each offset (``-1:BOS``,
    ``1:EOS`` …), given where the neighbour would lie outside the sentence;
    ``phrases`` (optional) gives sentence-level features from the tokens' stems: flags on
    the tokens of lexicon names of several words (see :class:`PhraseFlags`).

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
        phrases: PhraseFlags | None = None,
        capacity: int = CACHE_SIZE,
    ) -> None:
        self.weights = weights
        self._word_features = word_features
        self._offsets = tuple(offsets)
        self._phrases = phrases
        pairs = phrases.phrase_pairs if phrases is not None else frozenset()
        self._phrase_starts = frozenset(pair[0] for pair in pairs)
        self._phrase_seconds = frozenset(pair[1] for pair in pairs)
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
        self._spans = LabelSpans(weights.labels)
        self.capacity = max(capacity, 1)
        self._table = self._new_table()
        self._rows: dict[str, int] = {}
        self._words: list[str] = []
        self._stems: list[str] = []
        self._uses = np.zeros(self.capacity, dtype=np.int64)
        # Per row: whether the word's stem may start a phrase (_OPENS), or be its second (_SECOND).
        self._roles = np.zeros(self.capacity, dtype=np.uint8)
        self.misses = 0

    def _add_words(self, words: Sequence[str]) -> None:
        """Compute new words' stems and scores, own (``[row, 0]``) and lent to each offset
        (``[row, 1…]``), into the next free rows of the table, for all the words at once."""
        if not words:
            return
        first = len(self._stems)
        stems, owns, mains = zip(*map(self._word_features, words), strict=True)
        table = self._table[first : first + len(words)]
        table[:, 0] = self._sums(owns, (self.weights.attributes.get,))[0]
        table[:, 1:] = np.stack(self._sums(mains, [rows.get for rows in self._context]), axis=1)
        self._rows.update(zip(words, range(first, first + len(words)), strict=True))
        self._words += words
        self._stems += stems
        last = len(self._stems)
        opens, seconds = self._phrase_starts, self._phrase_seconds
        self._roles[first:last] = [
            (stem in opens) * _OPENS + (stem in seconds) * _SECOND for stem in self._stems[first:]
        ]
        self.misses += len(words)

    def _sums(
        self, features: Sequence[Sequence[str]], lookups: Sequence[Callable[[str, int], int]]
    ) -> list[np.ndarray]:
        """Per lookup (feature name to weight row), the summed weight rows of each word's
        features, over all words at once. Each word's sum starts at the all-zero row (a
        word may have no known feature); the features the lookup lacks are left out, not
        added as zeros, which would change numpy's summation order and so the last bit."""
        zero = self._zero
        counts = np.fromiter(map(len, features), dtype=np.intp, count=len(features)) + 1
        starts = np.cumsum(counts) - counts
        named = np.ones(int(counts.sum()), dtype=bool)
        named[starts] = False
        names = list(chain.from_iterable(features))
        rows = np.full(len(named), zero, dtype=np.intp)
        out = []
        for lookup in lookups:
            rows[named] = np.fromiter(map(lookup, names, repeat(zero)), dtype=np.intp, count=len(names))
            kept = (rows != zero) | ~named
            before = np.cumsum(kept) - kept
            out.append(np.add.reduceat(self.weights.state[rows[kept]], before[starts], axis=0))
        return out

    def _new_table(self) -> np.ndarray:
        """A zero table of ``capacity`` word rows and one more: the scores of the edge
        features (``-1:BOS`` …) in each offset's slot, read for a neighbour past the
        sentence's end."""
        table = np.zeros((self.capacity + 1, 1 + len(self._offsets), len(self.weights.labels)))
        table[self.capacity, 1:] = self._edge
        return table

    def _forget(self, keep: int) -> None:
        """Make room in the table: keep the (at most ``keep``) rows of words used more than
        once since they were added, most used first, and forget the others. Frequent words
        thus stay, and the table's memory stays what it is."""
        uses = self._uses[: len(self._words)]
        kept = np.flatnonzero(uses > 1)
        kept = kept[np.argsort(-uses[kept], kind="stable")[:keep]]
        count = len(kept)
        self._table[:count] = self._table[kept]
        self._roles[:count] = self._roles[kept]
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
            self._table = self._new_table()
            self._uses = np.zeros(total, dtype=np.int64)
            self._roles = np.zeros(total, dtype=np.uint8)
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
        # The table as (row x offset slot) by label: word w's scores for slot s are row w*width+s.
        width = self._table.shape[1]
        table = self._table.reshape(-1, self._table.shape[2])
        base = ids * width
        emit = table.take(base, axis=0)
        starts = np.cumsum(sizes) - sizes
        pos = np.arange(total) - np.repeat(starts, sizes)
        length = np.repeat(sizes, sizes)
        edge = self.capacity * width  # the last row: the edge features, lent across a sentence end
        lender = np.empty_like(base)  # per token, the table row of the word k places away
        for slot, k in enumerate(self._offsets, 1):
            j = pos + k
            n = max(total - abs(k), 0)  # tokens with a token k places away in the batch
            if k >= 0:
                lender[:n] = base[k : k + n]
                lender[n:] = edge
            else:
                lender[total - n :] = base[:n]
                lender[: total - n] = edge
            np.putmask(lender, (j < 0) | (j >= length), edge)
            lender += slot
            emit += table.take(lender, axis=0)
        if self._phrases is not None:
            self._add_phrase_flags(emit, self._phrases, found, ids, pos, length)
        return emit, pos, length

    def _add_phrase_flags(
        self,
        emit: np.ndarray,
        phrases: PhraseFlags,
        found: list[int],
        ids: np.ndarray,
        pos: np.ndarray,
        length: np.ndarray,
    ) -> None:
        """Add the weights of the phrase flags to ``emit``, in token order. A phrase can
        start only at a token whose stem and the next token's (in the same sentence) are a
        phrase's first two: those tokens are found from the table rows' role bits, and
        ``phrases.phrase_at`` reads only the few stems around each."""
        stems = self._stems
        roles = self._roles[ids]
        maybe = (roles & _OPENS).astype(bool)
        maybe[:-1] &= (roles[1:] & _SECOND).astype(bool)
        maybe &= pos + 1 < length
        pairs = phrases.phrase_pairs
        hits = [c for c in np.flatnonzero(maybe).tolist() if (stems[found[c]], stems[found[c + 1]]) in pairs]
        if not hits:
            return
        first = np.asarray(hits) - pos[hits]  # each hit's sentence: its first token, and past its last
        past = (first + length[hits]).tolist()
        reach = phrases.phrase_reach
        attrs = self.weights.attributes
        at: list[int] = []
        rows: list[int] = []
        for c, start, end in zip(hits, first.tolist(), past, strict=True):
            low, high = max(start, c - 1), min(end, c + reach + 1)
            for i, flag in phrases.phrase_at([stems[r] for r in found[low:high]], c - low):
                row = attrs.get(flag)
                if row is not None:
                    at.append(low + i)
                    rows.append(row)
        if at:  # unbuffered, in order: the same sums as adding them one by one
            np.add.at(emit, np.array(at, dtype=np.intp), self.weights.state[rows])

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

    def spans(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[int, int, str]]]:
        """The entity spans ``(start, end, type)`` of each sentence's best labels, made
        valid BIO (what :func:`~marsad.ner.conll.bio_spans` gives after
        :func:`~marsad.ner.conll.repair_bio` of :meth:`tag`), found for a whole run of
        sentences at once."""
        out: list[list[tuple[int, int, str]]] = [[] for _ in sentences]
        first = 0  # the index of the chunk's first sentence
        for chunk in self._chunks(sentences):
            if any(chunk):
                emit, pos, length = self.emissions(chunk)
                starts = np.cumsum([0, *map(len, chunk)])[:-1].tolist()
                for a, b, kind in self._spans(self._viterbi(emit, pos, length), pos):
                    at = bisect_right(starts, a) - 1
                    out[first + at].append((a - starts[at], b - starts[at], kind))
            first += len(chunk)
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
        # cand[i, z, a]: sentence i's score with label a before and z now. The previous
        # label is the last axis, so argmax runs along memory; the best score itself is
        # then taken at the argmax (cheaper than a second reduction with max).
        cand = np.empty((count, n_labels, n_labels))
        into = np.ascontiguousarray(trans.T)
        cells = cand.reshape(-1)
        corner = np.arange(count)[:, None] * n_labels * n_labels + np.arange(n_labels) * n_labels
        best = np.empty((count, n_labels), dtype=np.intp)
        active_list = active.tolist()
        for t in range(1, steps):
            k, at = active_list[t], offset[t]
            np.add(score[:k, None, :], into, out=cand[:k])
            came = back[at : at + k]
            cand[:k].argmax(axis=2, out=came)
            np.add(came, corner[:k], out=best[:k])
            np.take(cells, best[:k], out=score[:k], mode="clip")  # indices are in range
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
