"""CoNLL-style token files, BIO spans and entity-level scoring.

A CoNLL file here has one token per line, optionally followed by whitespace and a tag
(or any other columns), and a blank line between sentences. :func:`read_conll` gives
the tokens; :func:`read_tagged_conll` also keeps the second column. Scoring is exact
span matching, micro-averaged, as the CoNLL ``conlleval`` script counts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

if TYPE_CHECKING:
    from marsad.ner.model import NerModel

__all__ = [
    "Score",
    "bio_spans",
    "read_conll",
    "read_tagged_conll",
    "repair_bio",
    "score_entities",
    "tag_conll",
    "write_conll",
]

OUTSIDE = "O"
#: Sentences :func:`tag_conll` hands to the model at once.
TAG_BLOCK = 2000


def read_tagged_conll(lines: Iterable[str]) -> Iterator[tuple[list[str], list[str]]]:
    """Yield ``(tokens, tags)`` per sentence; a line without a second column gets ``O``.

    Trailing spaces and CR/LF line ends are tolerated; a line holding only whitespace is a
    sentence break; consecutive breaks give no empty sentence.
    """
    tokens: list[str] = []
    tags: list[str] = []
    for line in lines:
        fields = line.split()
        if not fields:
            if tokens:
                yield tokens, tags
                tokens, tags = [], []
            continue
        tokens.append(fields[0])
        tags.append(fields[1] if len(fields) > 1 else OUTSIDE)
    if tokens:
        yield tokens, tags


def read_conll(lines: Iterable[str]) -> Iterator[list[str]]:
    """Yield the token list of every sentence (columns after the first are ignored)."""
    for tokens, _tags in read_tagged_conll(lines):
        yield tokens


def write_conll(sentences: Iterable[Sequence[str]], tags: Iterable[Sequence[str]], out: TextIO) -> None:
    """Write ``token TAG`` lines, with a blank line after every sentence."""
    for tokens, sentence_tags in zip(sentences, tags, strict=True):
        if len(tokens) != len(sentence_tags):
            raise ValueError(f"{len(tokens)} tokens but {len(sentence_tags)} tags in one sentence")
        for token, tag in zip(tokens, sentence_tags, strict=True):
            out.write(f"{token} {tag}\n")
        out.write("\n")


def tag_conll(in_path: str | Path, out_path: str | Path, model: NerModel | None = None) -> int:
    """Tag a CoNLL file (tokens in the first column) into ``out_path``; return the sentence count.

    The sentences are tagged as running text, in blocks of ``TAG_BLOCK`` sentences (a
    two-stage model looks at the neighbouring sentences of each one).
    """
    if model is None:
        from marsad.ner.model import NerModel

        model = NerModel.load()
    count = 0
    block: list[list[str]] = []
    with (
        Path(in_path).open(encoding="utf-8", newline=None) as source,
        Path(out_path).open("w", encoding="utf-8", newline="\n") as out,
    ):
        for tokens in read_conll(source):
            block.append(tokens)
            if len(block) >= TAG_BLOCK:
                write_conll(block, model.tag_sentences(block), out)
                count += len(block)
                block = []
        if block:
            write_conll(block, model.tag_sentences(block), out)
            count += len(block)
    return count


# --- BIO spans and scoring ----------------------------------------------------------


def _split_tag(tag: str) -> tuple[str, str]:
    """``("B" or "I", type)``, or ``("", "")`` for ``O`` and anything that is not a BIO tag."""
    if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "", ""
    return tag[0], tag[2:]


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` of a BIO tag sequence, ``end`` exclusive.

    As in ``conlleval``: an ``I-X`` after ``O`` or after another type starts a new entity;
    anything that is not ``B-X``/``I-X`` counts as ``O``.
    """
    spans: list[tuple[int, int, str]] = []
    start = last = -1
    kind = ""
    # Only the tags other than O are visited (most tags of news text are O); an O between
    # two of them shows as a gap in their indices.
    for i in compress(range(len(tags)), map(OUTSIDE.__ne__, tags)):
        if start >= 0 and i != last + 1:  # an O ended the open span
            spans.append((start, last + 1, kind))
            start, kind = -1, ""
        last = i
        prefix, label = _split_tag(tags[i])
        if prefix == "I" and label == kind and start >= 0:
            continue
        if start >= 0:
            spans.append((start, i, kind))
            start, kind = -1, ""
        if prefix:
            start, kind = i, label
    if start >= 0:
        spans.append((start, last + 1, kind))
    return spans


class LabelSpans:
    """:func:`bio_spans` of :func:`repair_bio` over many label sequences at once, on the
    label ids a decoder gives (``labels`` names each id), all sentences flattened."""

    def __init__(self, labels: Sequence[str]) -> None:
        kinds: list[str] = []
        kind_of: list[int] = []
        for label in labels:
            prefix, kind = _split_tag(label)
            if prefix and kind not in kinds:
                kinds.append(kind)
            kind_of.append(kinds.index(kind) if prefix else -1)
        self.kinds = tuple(kinds)
        self._kind_of = np.array(kind_of, dtype=np.intp)
        self._begins = np.array([_split_tag(label)[0] == "B" for label in labels])

    def __call__(self, ids: np.ndarray, pos: np.ndarray) -> list[tuple[int, int, str]]:
        """The entity spans ``(start, end, type)`` of the label ids ``ids`` (``pos``: each
        token's place in its sentence), as indices into ``ids``. A span starts at a B tag,
        or at an I tag not after the same type in its sentence (which :func:`repair_bio`
        makes a B); it goes on over the I tags of its type that follow."""
        kind = self._kind_of[ids]
        named = kind >= 0
        before = np.empty_like(kind)
        before[:1] = -1
        before[1:] = kind[:-1]
        before[pos == 0] = -1
        start = named & (self._begins[ids] | (before != kind))
        goes_on = np.zeros(len(ids) + 1, dtype=bool)
        goes_on[:-1] = named & ~start
        last = named & ~goes_on[1:]
        kinds = self.kinds
        return [
            (a, b + 1, kinds[k])
            for a, b, k in zip(
                np.flatnonzero(start).tolist(),
                np.flatnonzero(last).tolist(),
                kind[start].tolist(),
                strict=True,
            )
        ]


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Make a tag sequence valid BIO: an ``I-X`` that does not continue an ``X`` becomes ``B-X``."""
    out = list(tags)
    previous, last = "", -2  # the type of the tag at index ``last`` (the last one not O)
    for i in compress(range(len(out)), map(OUTSIDE.__ne__, out)):
        prefix, label = _split_tag(out[i])
        if not prefix:
            out[i] = OUTSIDE
            previous = ""
            continue
        if prefix == "I" and (label != previous or last != i - 1):
            out[i] = f"B-{label}"
        previous, last = label, i
    return out


@dataclass(frozen=True, slots=True)
class Score:
    """Entity counts of one type (or of all types) and the figures derived from them."""

    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def score_entities(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> dict[str, Score]:
    """Exact-span entity scores per type and micro-averaged over all types (key ``"ALL"``)."""
    counts: dict[str, list[int]] = {}
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        if len(gold_tags) != len(predicted_tags):
            raise ValueError("gold and predicted tag sequences differ in length")
        gold_spans = set(bio_spans(gold_tags))
        predicted_spans = set(bio_spans(predicted_tags))
        for spans, slot in ((gold_spans, 0), (predicted_spans, 1), (gold_spans & predicted_spans, 2)):
            for _start, _end, kind in spans:
                counts.setdefault(kind, [0, 0, 0])[slot] += 1
    scores = {kind: Score(*c) for kind, c in sorted(counts.items())}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    scores["ALL"] = Score(*total)
    return scores
