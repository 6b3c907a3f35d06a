"""Multi-word phrase tables matched over token keys (folded, clitic-split stems).

A :class:`PhraseTable` is a trie keyed by the stems of a phrase's tokens, so "في المئة",
"بالمئة" and "المئة" reduce to the keys the tokenizer gives the text, and one lookup
finds the longest phrase starting (or ending) at a token. Word lists stay data: the
tables are filled from rows of the data files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any, Final, Generic, TypeVar

from marsad.arabic.first_keys import FIRST_KEYS
from marsad.arabic.tokenize import tokenize
from marsad.model import TOKEN_START, TOKEN_STEM, Token

__all__ = ["PhraseTable", "forget_documents", "phrase_keys", "token_key", "token_keys", "token_starts"]

V = TypeVar("V")
_END = ""  # a trie node's value is stored under the empty key, which no token has


def token_key(token: Token) -> str:
    """The key a token is matched by: its stem (for a symbol, its folded form)."""
    return token.stem


def token_keys(tokens: Sequence[Token]) -> list[str]:
    """The keys of a document's tokens, for the phrase tables' ``match_at``/``match_before``.

    The stages of a pipeline ask for the keys of the same token tuples (the ``tokens`` of
    a group of documents) one stage after another; the keys of the last
    :data:`RECENT_DOCUMENTS` tuples asked for are kept (by identity) and given again. Do
    not change the list returned. The phrase tables find where their phrases may start
    in such a list in one pass for all of them (:mod:`marsad.arabic.first_keys`).
    """
    keys = _recent(tokens, _recent_keys, TOKEN_STEM)
    if isinstance(tokens, tuple):
        FIRST_KEYS.keep(keys)
    return keys


def token_starts(tokens: Sequence[Token]) -> list[int]:
    """The start offsets of a document's tokens, kept as :func:`token_keys` keeps its keys
    (for ``bisect`` from a character offset to a token). Do not change the list returned."""
    return _recent(tokens, _recent_starts, TOKEN_START)


#: How many documents' token keys (and foldings, in :func:`marsad.arabic.normalize.normalize`)
#: are kept: more than a pipeline group holds (``marsad.pipeline.GROUP_SIZE``).
RECENT_DOCUMENTS: Final = 64
# Caches of pure functions of immutable tuples, keyed by identity; each entry keeps its
# tuple alive, so an id is never reused while it is here.
_recent_keys: dict[int, tuple[tuple[Token, ...], list[Any]]] = {}
_recent_starts: dict[int, tuple[tuple[Token, ...], list[Any]]] = {}


def forget_documents() -> None:
    """Let go of the keys and starts kept for recent documents. A pipeline calls this after
    each group: the next group's documents are new, and tokens kept alive any longer are
    walked again by Python's cyclic garbage collector (about 5% of a corpus run)."""
    _recent_keys.clear()
    _recent_starts.clear()
    FIRST_KEYS.forget()


def _recent(
    tokens: Sequence[Token], cache: dict[int, tuple[tuple[Token, ...], list[Any]]], field: itemgetter[Any]
) -> list[Any]:
    """``[field(t) for t in tokens]``, from ``cache`` when it is there."""
    if not isinstance(tokens, tuple):
        return list(map(field, tokens))
    entry = cache.get(id(tokens))
    if entry is not None and entry[0] is tokens:
        return entry[1]
    values = list(map(field, tokens))
    if len(cache) >= RECENT_DOCUMENTS:
        del cache[next(iter(cache))]  # the oldest
    cache[id(tokens)] = (tokens, values)
    return values


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The keys of a phrase as written in a data file."""
    return tuple(token_key(t) for t in tokenize(phrase))


class PhraseTable(Generic[V]):
    """Phrases (as key tuples) to values; the first value added for a phrase is kept."""

    def __init__(self, rows: Iterable[tuple[str, V]] = ()) -> None:
        self._forward: dict[str, Any] = {}
        self._backward: dict[str, Any] = {}
        self.longest = 0
        self.size = 0
        self._bit = FIRST_KEYS.claim(self)
        for phrase, value in rows:
            self.add(phrase, value)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_bit"]  # a bit of this process's index
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A copy (or a table from another process) takes a bit of its own and reports
        its first keys."""
        self.__dict__.update(state)
        self._bit = FIRST_KEYS.claim(self)
        for key in self._forward:
            FIRST_KEYS.add(key, self._bit)

    def add(self, phrase: str, value: V) -> None:
        self.add_keys(phrase_keys(phrase), value)

    def add_keys(self, keys: tuple[str, ...], value: V) -> None:
        if not keys:
            return
        if keys[0] not in self._forward:
            FIRST_KEYS.add(keys[0], self._bit)
        if self._insert(self._forward, keys, value):
            self._insert(self._backward, tuple(reversed(keys)), value)
            self.size += 1
            self.longest = max(self.longest, len(keys))

    @staticmethod
    def _insert(root: dict[str, Any], keys: Sequence[str], value: V) -> bool:
        node = root
        for key in keys:
            node = node.setdefault(key, {})
        if _END in node:
            return False
        node[_END] = value
        return True

    def __contains__(self, keys: object) -> bool:
        if not isinstance(keys, tuple):
            return False
        node: dict[str, Any] | None = self._forward
        for key in keys:
            if node is None or (node := node.get(key)) is None:
                return False
        return node is not None and _END in node

    @property
    def first_keys(self) -> Mapping[str, Any]:
        """The keys a phrase can start with."""
        return self._forward

    def starts(self, keys: Sequence[str]) -> list[int]:
        """The indices of ``keys`` where a phrase may start: the only places ``match_at``
        can find one, so a left-to-right scan need visit no others."""
        found = FIRST_KEYS.starts(keys, self._bit)
        if found is None:  # not a document's kept key list: look here
            found = list(compress(range(len(keys)), map(self._forward.__contains__, keys)))
        return found

    def match_at(self, keys: Sequence[str], i: int) -> tuple[int, V] | None:
        """The longest phrase starting at ``keys[i]``: (index after it, value), or None."""
        node: dict[str, Any] | None = self._forward
        best: tuple[int, V] | None = None
        j = i
        while node is not None and j < len(keys) and (node := node.get(keys[j])) is not None:
            j += 1
            if _END in node:
                best = (j, node[_END])
        return best

    def match_before(self, keys: Sequence[str], end: int, floor: int = 0) -> tuple[int, V] | None:
        """The longest phrase ending right before ``keys[end]``: (its first index, value)."""
        node: dict[str, Any] | None = self._backward
        best: tuple[int, V] | None = None
        j = end
        while node is not None and j > floor and (node := node.get(keys[j - 1])) is not None:
            j -= 1
            if _END in node:
                best = (j, node[_END])
        return best
