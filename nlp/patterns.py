"""Regular expressions for many literal words at once, and case folding that keeps
offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

# İ, ı and ſ are the only characters whose lowercase is not matched the way a
# case-insensitive pattern matches them in the original text.
_UNFOLDABLE = re.compile("[\u0130\u0131\u017f]")

# A prefix tree of characters; the key "" marks the end of a word.
Trie = dict[str, "Trie"]


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression for many literal words, factored by shared prefixes so the
    engine tries a handful of branches per position instead of every word; longer words
    are tried before their prefixes. Kept per set of words: the knowledge base gives
    most languages the same names, and each language's pipeline asks for them."""
    return _trie_pattern(frozenset(words))


@lru_cache(maxsize=64)
def _trie_pattern(words: frozenset[str]) -> str:
    trie: Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: Trie) -> str:
        branches = [re.escape(char) + branch(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


@lru_cache(maxsize=32)
def compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, kept for the process: the knowledge-base patterns are large, and
    `re`'s own cache (512 patterns) has dropped them by the time the next language's
    pipeline asks for the same one."""
    return re.compile(source, flags)


def fold(text: str) -> str | None:
    """`text` lowercased with the same offsets, or None where lowercasing would change them
    or what a case-insensitive match finds."""
    if _UNFOLDABLE.search(text):
        return None
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


class FoldedPattern:
    """A lowercase pattern run on lowercased text (several times faster than a
    case-insensitive one), falling back to case-insensitive matching on the text itself."""

    def __init__(self, source: str) -> None:
        self.folded = re.compile(source)
        self.anycase = re.compile(source, re.I)

    def finditer(
        self, text: str, folded: str | None, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        """Matches in text[start:end]; group spans are offsets into `text` either way."""
        stop = len(text) if end is None else end
        if folded is None:
            return self.anycase.finditer(text, start, stop)
        return self.folded.finditer(folded, start, stop)
