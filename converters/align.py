"""Local alignment of two word sequences from shared n-grams (seed, extend, chain), as passim does.

Shared n-grams are seeds; seeds on one diagonal merge into exact runs, runs are extended word by
word, and runs in order on both sides with small gaps between them (a changed or dropped word, a line
cut short by the capture) are chained into one aligned region. A gap that holds a whole line of the
first sequence is never bridged: that line is the replier's own words between two quoted passages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field


MAX_GAP = 6  # words skipped on either side between two exact runs of one region
MAX_SEED_REPEATS = 16  # an n-gram repeated more often in one text is not a useful seed


@dataclass
class Region:
    """Words ``b0:b1`` of the first sequence aligned with words ``a0:a1`` of the second."""

    b0: int
    b1: int
    a0: int
    a1: int
    pairs: list[tuple[int, int]] = field(default_factory=list)  # matched (b, a) positions, increasing

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def score(self) -> float:
        """Matched words over the longer side: 1.0 for a verbatim copy."""
        return self.matched / max(self.b1 - self.b0, self.a1 - self.a0)

    def restricted(self, lo: int, hi: int) -> Region | None:
        """The part of this region inside first-sequence words ``lo:hi`` (None if no words match there)."""
        pairs = [(b, a) for b, a in self.pairs if lo <= b < hi]
        if not pairs:
            return None
        return Region(pairs[0][0], pairs[-1][0] + 1, pairs[0][1], pairs[-1][1] + 1, pairs)


def _runs(b: Sequence[str], b_where: dict[int, list[int]], a: Sequence[str], a_where: dict[int, list[int]],
          n: int) -> list[tuple[int, int, int]]:
    """Maximal exact runs ``(b_start, b_end, diagonal)`` grown from shared n-grams.

    The seeds are the n-grams both texts have (``b_where`` and ``a_where``: each text's n-gram
    positions), so a short text aligned against a huge one costs the short one's length, not the
    huge one's; an n-gram repeated too often in either text is no seed.
    """
    by_diagonal: dict[int, list[int]] = defaultdict(list)
    for key in b_where.keys() & a_where.keys():  # the shared n-grams, found in C: most are not
        found, seeds = b_where[key], a_where[key]
        if len(found) <= MAX_SEED_REPEATS and len(seeds) <= MAX_SEED_REPEATS:
            for j in seeds:
                for i in found:
                    by_diagonal[j - i].append(i)
    for starts in by_diagonal.values():
        starts.sort()  # ascending along each diagonal
    runs = []
    for diagonal, starts in by_diagonal.items():
        start = end = None
        for i in starts:  # ascending: along one diagonal, a and b advance together
            if end is not None and i <= end:
                end = i + n
                continue
            if start is not None:
                runs.append((start, end, diagonal))
            start, end = i, i + n
        runs.append((start, end, diagonal))
    extended = []
    reach: dict[int, int] = {}  # diagonal -> end of the exact run last grown on it
    for start, end, d in runs:  # each diagonal's runs in ascending order
        if start < reach.get(d, -1):
            continue  # inside a run already grown to its full length: it would grow to the same (and cost as much)
        while start > 0 and start + d > 0 and b[start - 1] == a[start - 1 + d]:
            start -= 1
        while end < len(b) and end + d < len(a) and b[end] == a[end + d]:
            end += 1
        extended.append((start, end, d))
        reach[d] = end
    return sorted(set(extended))


def _holds_whole_line(lines: Sequence[int], lo: int, hi: int) -> bool:
    """Whether first-sequence words ``lo:hi`` include every word of some line."""
    if lo >= hi:
        return False
    edges = {lines[lo - 1] if lo > 0 else None, lines[hi] if hi < len(lines) else None}
    return any(line not in edges for line in lines[lo:hi])


def align(b: Sequence[str], b_where: dict[int, list[int]], a: Sequence[str], a_where: dict[int, list[int]],
          lines: Sequence[int], n: int) -> list[Region]:
    """Aligned regions of ``b`` against ``a``.

    ``b_where`` and ``a_where`` map each n-gram key of ``b`` and of ``a`` to its positions
    (`shingles.positions`), and ``lines[i]`` is the line number of word ``b[i]``.
    """
    picked: list[tuple[int, int, int]] = []
    taken = [False] * len(b)
    for start, end, d in sorted(_runs(b, b_where, a, a_where, n), key=lambda r: (r[0] - r[1], r[0], r[2])):
        if not any(taken[start:end]):
            picked.append((start, end, d))
            taken[start:end] = [True] * (end - start)
    regions: list[Region] = []
    for start, end, d in sorted(picked):
        pairs = [(i, i + d) for i in range(start, end)]
        last = regions[-1] if regions else None
        if last is not None:
            gap_b, gap_a = start - last.b1, start + d - last.a1
            if 0 <= gap_a <= MAX_GAP and gap_b <= MAX_GAP and not _holds_whole_line(lines, last.b1, start):
                last.pairs.extend(pairs)
                last.b1, last.a1 = end, end + d
                continue
        regions.append(Region(start, end, start + d, end + d, pairs))
    return regions
