"""The weights of a trained CRFsuite model, read into numpy arrays for the fast decoder.

The state and transition weights come from the model file itself (CRFsuite's ``FEAT``
chunk, in double precision), and so do the label and attribute names (its two CQDB
chunks), so that :class:`marsad.ner.decode.FastDecoder` scores exactly what CRFsuite
scores.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

import numpy as np

from marsad.errors import Code, MarsadError

__all__ = ["CrfWeights"]

_HEADER: Final = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK: Final = struct.Struct("<4sII")
_FEATURE: Final = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1
_RETRAIN: Final = "train the model again with scripts/train_ner.py, or reinstall marsad with its data files"
_CQDB: Final = struct.Struct("<4sIIIII")
_CQDB_ORDER: Final = 0x62445371  # CQDB's byte-order mark, as written on a little-endian machine
_UINT: Final = struct.Struct("<I")
_ENTRY: Final = struct.Struct("<II")


def _names(model_bytes: bytes, offset: int, count: int, what: str) -> list[str]:
    """The ``count`` strings of the CQDB chunk at ``offset`` (a model's labels or attribute
    names), as a list indexed by id.

    A CQDB chunk starts with its id, size, flags, byte-order mark, the number of entries
    and the offset of its array of entries by id; each entry is an id, a length and the
    NUL-terminated UTF-8 string. They are read here rather than from CRFsuite's text dump,
    whose file handling closes a descriptor twice (with worker threads about, that can
    close another thread's socket).
    """
    if offset + _CQDB.size > len(model_bytes):
        raise MarsadError(Code.NER_MODEL, f"CRFsuite model without its {what} (no CQDB chunk)", _RETRAIN)
    chunk, size, _flag, order, entries, by_id = _CQDB.unpack_from(model_bytes, offset)
    end = offset + size
    if chunk != b"CQDB" or order != _CQDB_ORDER or entries != count or end > len(model_bytes):
        raise MarsadError(Code.NER_MODEL, f"CRFsuite model with unreadable {what}", _RETRAIN)
    names: list[str] = []
    for number in range(count):
        at = offset + _UINT.unpack_from(model_bytes, offset + by_id + 4 * number)[0]
        ident, length = _ENTRY.unpack_from(model_bytes, at)
        text = model_bytes[at + _ENTRY.size : at + _ENTRY.size + length]
        if ident != number or not text.endswith(b"\0") or at + _ENTRY.size + length > end:
            raise MarsadError(Code.NER_MODEL, f"CRFsuite model with unreadable {what}", _RETRAIN)
        names.append(text[:-1].decode("utf-8", "surrogateescape"))
    return names


@dataclass(frozen=True, slots=True)
class CrfWeights:
    """The weights of a first-order CRFsuite model (``CRF1d``), in arrays.

    ``state[a, y]`` is the weight of attribute ``a`` for label ``y`` (the last row is all
    zeros, for attributes the model does not know); ``transition[y, z]`` that of label
    ``z`` following label ``y``; ``stated`` the attributes with a state weight stored (the
    others cannot change a tag).
    """

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray
    transition: np.ndarray
    stated: frozenset[str]

    @classmethod
    def from_model(cls, model_bytes: bytes) -> CrfWeights:
        if len(model_bytes) < _HEADER.size:
            raise MarsadError(Code.NER_MODEL, "not a CRFsuite first-order model (too short)", _RETRAIN)
        magic, _size, kind, _version, _n, n_labels, n_attrs, off_features, off_labels, off_attrs, *_ = (
            _HEADER.unpack_from(model_bytes, 0)
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
        labels = tuple(_names(model_bytes, off_labels, n_labels, "labels"))
        names = _names(model_bytes, off_attrs, n_attrs, "attribute names")
        state = np.zeros((len(names) + 1, n_labels))
        transition = np.zeros((n_labels, n_labels))
        base = off_features + _CHUNK.size
        stated: set[int] = set()
        for ftype, src, dst, weight in _FEATURE.iter_unpack(model_bytes[base : base + count * _FEATURE.size]):
            if ftype == _STATE:
                state[src, dst] += weight
                stated.add(src)
            elif ftype == _TRANSITION:
                transition[src, dst] += weight
        return cls(
            labels,
            {name: i for i, name in enumerate(names)},
            state,
            transition,
            frozenset(names[i] for i in stated),
        )
