"""Word-shingle fingerprints of a text for near-duplicate search: hashes of its word
``n``-grams and the MinHash over them (datasketch), with stored values read back the same
way they were made. Used by the story builder (:mod:`marsad.corpus.stories`) and the
store (:mod:`marsad.corpus.stored`).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]

__all__ = ["MINHASH_SCHEME", "minhash", "shingle_hashes"]

#: datasketch's hashing scheme, named so that stored MinHash values can be read back.
MINHASH_SCHEME = "affine32"

#: Mixes the word hashes of a shingle into one (odd, so every step is a bijection).
_MIX = np.uint32(0x9E3779B1)


@functools.cache
def _permutations(num_perm: int) -> Any:
    """datasketch's permutations for ``num_perm`` (its default seed), made once and shared."""
    return MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME).permutations


def minhash(hashvalues: Any = None, num_perm: int = 128) -> MinHash:
    """A MinHash over shingle hashes (:func:`shingle_hashes`): empty, or with stored values."""
    return MinHash(
        num_perm=num_perm, scheme=MINHASH_SCHEME, hashfunc=int, hashvalues=hashvalues,
        permutations=_permutations(num_perm if hashvalues is None else len(hashvalues)),
    )  # fmt: skip


@functools.lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def shingle_hashes(words: Sequence[str], n: int = 4) -> list[int]:
    """32-bit hashes of a text's word ``n``-grams: each word hashed once (CRC-32 of its
    UTF-8), then ``n`` neighbours mixed together, so no shingle string is ever built.
    datasketch mixes these again (MurmurHash3's finalizer) before its permutations."""
    if not words:
        return []
    h = np.fromiter(map(_word_hash, words), dtype=np.uint32, count=len(words))
    count = max(len(h) - n + 1, 1)
    out = h[:count].copy()
    for k in range(1, min(n, len(h))):
        out *= _MIX
        out ^= h[k : k + count]
    hashes: list[int] = np.unique(out).tolist()
    return hashes
