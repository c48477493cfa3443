"""An inverted index of word n-grams (shingles): which documents share enough text to be worth aligning.

This is the candidate step of passim-style text-reuse detection: a document is compared in detail
only with documents that share at least a few rare n-grams with it, so the work for one new post
depends on how much text it shares, not on the size of the corpus. N-grams found in more than
``max_df`` documents (boilerplate, stock phrases) stop counting as evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence

DEFAULT_N = 5
DEFAULT_MAX_DF = 64


def shingles(words: Sequence[str], n: int) -> Iterator[tuple[int, int]]:
    """``(position, key)`` for every n-gram of ``words``."""
    for i in range(len(words) - n + 1):
        yield i, hash(tuple(words[i : i + n]))


class ShingleIndex:
    """n-gram key -> the documents (small integer ids) that contain it."""

    def __init__(self, n: int = DEFAULT_N, max_df: int = DEFAULT_MAX_DF) -> None:
        self.n = n
        self.max_df = max_df
        self._postings: dict[int, list[int]] = {}

    def add(self, doc: int, words: Sequence[str]) -> None:
        for key in {key for _, key in shingles(words, self.n)}:
            docs = self._postings.setdefault(key, [])
            if len(docs) <= self.max_df:  # one past the cap marks the n-gram as too common
                docs.append(doc)

    def candidates(self, words: Sequence[str], min_shared: int, allowed: Callable[[int], bool]) -> list[int]:
        """Allowed documents sharing at least ``min_shared`` distinct rare n-grams with ``words``, most first."""
        shared: Counter[int] = Counter()
        for key in {key for _, key in shingles(words, self.n)}:
            docs = self._postings.get(key)
            if docs and len(docs) <= self.max_df:
                shared.update(docs)
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        return [doc for doc, count in ranked if count >= min_shared and allowed(doc)]
