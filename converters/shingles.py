"""An inverted index of word n-grams (shingles): which documents share enough text to be worth aligning.

This is the candidate step of passim-style text-reuse detection: a document is compared in detail
only with documents that share at least a few rare n-grams with it, so the work for one new post
depends on how much text it shares, not on the size of the corpus. N-grams found in more than
``max_df`` documents (boilerplate, stock phrases) stop counting as evidence. Each document's n-gram
keys are computed once (`keys`) and reused by the index and by alignment.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

DEFAULT_N = 5
DEFAULT_MAX_DF = 64


def keys(words: Sequence[str], n: int = DEFAULT_N) -> array:
    """The key of the n-gram starting at each position (``len(words) - n + 1`` of them)."""
    return array("q", (hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1)))


def positions(grams: Sequence[int]) -> dict[int, list[int]]:
    """n-gram key -> the positions it starts at."""
    where: dict[int, list[int]] = defaultdict(list)
    for i, key in enumerate(grams):
        where[key].append(i)
    return where


class ShingleIndex:
    """n-gram key -> the documents (small integer ids) that contain it."""

    def __init__(self, max_df: int = DEFAULT_MAX_DF) -> None:
        self.max_df = max_df
        self._postings: dict[int, list[int]] = {}

    def add(self, doc: int, grams: Sequence[int]) -> None:
        for key in set(grams):
            docs = self._postings.setdefault(key, [])
            if len(docs) <= self.max_df:  # one past the cap marks the n-gram as too common
                docs.append(doc)

    def candidates(self, grams: Sequence[int], min_shared: int, allowed: Callable[[int], bool]) -> list[int]:
        """Allowed documents sharing at least ``min_shared`` distinct rare n-grams with ``grams``, most first."""
        shared: Counter[int] = Counter()
        for key in set(grams):
            docs = self._postings.get(key)
            if docs and len(docs) <= self.max_df:
                shared.update(docs)
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        return [doc for doc, count in ranked if count >= min_shared and allowed(doc)]
