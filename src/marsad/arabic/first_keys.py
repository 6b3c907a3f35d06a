"""Where any phrase table's phrase may start in a document: one pass for all tables.

Each stage that matches phrases (KB names, quote cues, actor and group words, event
triggers) first looks for the tokens whose key starts a phrase of its table, a pass over
all of a document's keys. :class:`FirstKeys` keeps, for every key that starts a phrase of
any live table, the bits of those tables; one pass over a document's keys then finds the
tokens where some table's phrase may start, and each table keeps the ones with its bit.
That pass is kept for the document's key list (the one :func:`marsad.arabic.phrases.token_keys`
gives every stage) until the tables change or the pipeline lets go of the document.
"""

from __future__ import annotations

import heapq
import weakref
from collections.abc import Sequence
from itertools import compress, repeat
from typing import Final

__all__ = ["FIRST_KEYS", "FirstKeys"]

#: How many documents' passes are kept (as many as their key lists in ``phrases``).
KEPT_PASSES: Final = 64


class FirstKeys:
    """The first keys of the live phrase tables, each with the bits of its tables.

    A table takes a bit with :meth:`claim` (given back when the table is collected) and
    reports each first key it gains with :meth:`add`. Not thread-safe, like the pipeline's
    other per-document caches.
    """

    def __init__(self) -> None:
        self.masks: dict[str, int] = {}
        self._version = 0  # changes whenever a mask does: kept passes are then stale
        self._free: list[int] = []  # bit numbers given back, smallest first
        self._next = 0
        self._lists: dict[int, Sequence[str]] = {}  # key lists whose passes may be kept
        self._passes: dict[int, tuple[Sequence[str], int, list[int], list[int]]] = {}

    def claim(self, owner: object) -> int:
        """A bit of its own for ``owner`` (a table), free again once ``owner`` is collected."""
        if self._free:
            number = heapq.heappop(self._free)
        else:
            number, self._next = self._next, self._next + 1
        bit = 1 << number
        weakref.finalize(owner, self._release, bit)
        return bit

    def add(self, key: str, bit: int) -> None:
        """Record that the table of ``bit`` has a phrase starting with ``key``."""
        self.masks[key] = self.masks.get(key, 0) | bit
        self._version += 1

    def _release(self, bit: int) -> None:
        for key, mask in list(self.masks.items()):
            if mask & bit:
                if mask == bit:
                    del self.masks[key]
                else:
                    self.masks[key] = mask & ~bit
        self._version += 1
        heapq.heappush(self._free, bit.bit_length() - 1)

    def keep(self, keys: Sequence[str]) -> None:
        """Let the pass over ``keys`` (a document's key list, never changed) be kept."""
        if len(self._lists) >= KEPT_PASSES:
            del self._lists[next(iter(self._lists))]
        self._lists[id(keys)] = keys

    def forget(self) -> None:
        """Drop the kept key lists and passes (the pipeline's documents are done with)."""
        self._lists.clear()
        self._passes.clear()

    def starts(self, keys: Sequence[str], bit: int) -> list[int] | None:
        """The indices of ``keys`` where a phrase of the table of ``bit`` may start, from the
        kept pass over ``keys``; None when ``keys`` is not a kept list (the table then
        looks for itself)."""
        if self._lists.get(id(keys)) is not keys:
            return None
        found = self._passes.get(id(keys))
        if found is None or found[0] is not keys or found[1] != self._version:
            marks = list(map(self.masks.get, keys, repeat(0)))
            found = (keys, self._version, list(compress(range(len(keys)), marks)), marks)
            if len(self._passes) >= KEPT_PASSES:
                del self._passes[next(iter(self._passes))]
            self._passes[id(keys)] = found
        marks = found[3]
        return [i for i in found[2] if marks[i] & bit]


#: The one index of the process's tables.
FIRST_KEYS: Final = FirstKeys()
