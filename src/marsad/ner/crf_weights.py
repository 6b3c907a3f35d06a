"""The weights of a trained CRFsuite model, read into numpy arrays for the fast decoder.

The state and transition weights come from the model file itself (CRFsuite's ``FEAT``
chunk, in double precision), and the attribute and label names from the model's dump, so
that :class:`marsad.ner.decode.FastDecoder` scores exactly what CRFsuite scores.
"""

from __future__ import annotations

import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]

from marsad.errors import Code, MarsadError

__all__ = ["CrfWeights"]

_HEADER: Final = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK: Final = struct.Struct("<4sII")
_FEATURE: Final = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1
_RETRAIN: Final = "train the model again with scripts/train_ner.py, or reinstall marsad with its data files"
_SECTION_LINE: Final = re.compile(r"^\s+(\d+): (.*)$")


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
