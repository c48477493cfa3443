"""An inverted index of word n-grams (shingles): which documents share enough text to be worth aligning.

This is the candidate step of passim-style text-reuse detection: a document is compared in detail
only with documents that share at least a few rare n-grams with it, so the work for one new post
depends on how much text it shares, not on the size of the corpus: an n-gram keeps only the first
``max_df`` documents it was seen in (the earliest, where an often-quoted passage was first written),
and only the ``limit`` documents sharing most n-grams are proposed. Stock phrases ("… said in
Lima") are shared by more and more documents as the corpus grows, so a document that shares only
common n-grams (held by ``common`` documents or more) is proposed only if it shares at least
``sure_shared`` of them, as much as text reuse shares: stock phrases alone make no candidate, at any
size of the corpus. Each document's n-gram
keys are computed once (`keys`) and reused by the index and by alignment. Keys are the same in every
process (words hash through BLAKE2b, not Python's salted string hash), so an import can keep them for
the next (`converters.textcache`).
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from itertools import islice

DEFAULT_N = 5
DEFAULT_MAX_DF = 64
DEFAULT_LIMIT = 32
DEFAULT_COMMON = 8  # documents holding an n-gram that make it a stock phrase rather than a sign of reuse
_WORD_IDS: dict[str, int] = {}  # word -> its stable 64-bit id (words repeat: most are hashed once a run)
_MAX_WORD_IDS = 1 << 20


def _word_id(word: str) -> int:
    if len(_WORD_IDS) >= _MAX_WORD_IDS:
        _WORD_IDS.clear()
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    found = _WORD_IDS[word] = int.from_bytes(digest, "little", signed=True)
    return found


def keys(words: Sequence[str], n: int = DEFAULT_N) -> array:
    """The key of the n-gram starting at each position (``len(words) - n + 1`` of them).

    A tuple of integers hashes the same in every process, unlike a tuple of strings.
    """
    ids = [_WORD_IDS.get(w) or _word_id(w) for w in words]
    return array("q", (hash(tuple(ids[i : i + n])) for i in range(len(ids) - n + 1)))


def positions(grams: Sequence[int]) -> dict[int, list[int]]:
    """n-gram key -> the positions it starts at."""
    where: dict[int, list[int]] = defaultdict(list)
    for i, key in enumerate(grams):
        where[key].append(i)
    return where


class ShingleIndex:
    """n-gram key -> the first documents (small integer ids, added in order) that contain it.

    Most n-grams are in one document only: their posting is that document's id, a plain integer,
    and only n-grams shared by several documents get a list. Integers are not containers Python's
    garbage collector walks; a million one-item lists were most of what it walked at 10,000 posts,
    and each full collection walked them all again, so tracing a post grew slower as the index grew.
    """

    def __init__(self, max_df: int = DEFAULT_MAX_DF, common: int = DEFAULT_COMMON) -> None:
        self.max_df, self.common = max_df, min(common, max_df)
        self._postings: dict[int, int | list[int]] = {}

    def add(self, doc: int, grams: Sequence[int], only: set[int] | None = None) -> None:
        """Index ``doc``; with ``only``, under those of its keys only (the others will not be asked for)."""
        postings = self._postings
        for key in set(grams) if only is None else only.intersection(grams):
            docs = postings.get(key)
            if docs is None:
                postings[key] = doc
            elif type(docs) is int:
                if self.max_df > 1:
                    postings[key] = [docs, doc]
            elif len(docs) < self.max_df:
                docs.append(doc)

    def candidates(self, grams: Sequence[int], min_shared: int, sure_shared: int, allowed: Callable[[int], bool],
                   limit: int = DEFAULT_LIMIT) -> list[int]:
        """Up to ``limit`` allowed documents sharing at least ``min_shared`` distinct n-grams with ``grams``:
        most shared first, then the earliest.

        A document that shares fewer than ``sure_shared`` n-grams must share one that is not common
        (held by fewer than ``common`` documents): a few stock phrases in common are not a quote, and the
        more documents the corpus holds, the more of them share each stock phrase.
        """
        shared: Counter[int] = Counter()
        common: Counter[int] = Counter()
        singles: list[int] = []
        for key in set(grams):
            docs = self._postings.get(key)
            if type(docs) is int:
                singles.append(docs)
            elif docs:
                shared.update(docs)
                if len(docs) >= self.common:
                    common.update(docs)
        shared.update(singles)
        ranked = sorted((item for item in shared.items() if item[1] >= min_shared
                         and (item[1] >= sure_shared or common[item[0]] < item[1])), key=lambda i: (-i[1], i[0]))
        return list(islice((doc for doc, _ in ranked if allowed(doc)), limit))
