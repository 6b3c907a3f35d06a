"""Regular-expression alternations of many words, written as a trie.

``(?:يناير|يونيو|يوليو)`` makes the regex engine try every word in turn at every
position; the trie form ``ي(?:ناير|و(?:ليو|نيو))`` reads each character once. Longer
words are tried before their prefixes, so the match is the one a longest-first list
would give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["trie_alternation"]


def trie_alternation(words: Iterable[Sequence[str]]) -> str:
    """One regex matching any of ``words``, each given as a sequence of regex pieces (one per
    character, or a larger piece such as a class); a plain string is escaped character by
    character. The result is one group, safe to put anywhere in a larger expression; no
    words give a pattern that never matches."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for piece in [re.escape(ch) for ch in word] if isinstance(word, str) else word:
            node = node.setdefault(piece, {})
        node[""] = {}  # the end of a word
    return f"(?:{_emit(root)})" if root else "(?!)"


def _emit(node: dict[str, Any]) -> str:
    branches = [piece + _emit(child) for piece, child in sorted(node.items()) if piece]
    if "" in node:
        branches.append("")  # the word may end here: tried after every longer one
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
