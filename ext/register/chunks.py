"""An entry's mentions cut into pages of about ``register_mentions_per_page`` lines, at cuts that stay put.

A place named in thousands of posts was one page of megabytes, made again whenever a thread naming
it was added. Its mentions come grouped by thread, and a thread's group is never cut. Whether a page
ends after a group is drawn from that group alone: a hash of the entry and the thread, against the
group's share of a page (``lines / per_page``), so that pages hold ``per_page`` lines on average and
a page of at least a quarter of that may end after any group (content-defined chunking, as backup
tools cut files). Adding a thread then changes the page it falls in, not every page after it; an
entry with no more than ``per_page`` lines keeps one page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def cut(entry: str, groups: Sequence[tuple[str, int]], per_page: int) -> list[range]:
    """The pages of ``entry``'s mentions, as ranges of ``groups`` (thread id, lines of that thread)."""
    if sum(lines for _, lines in groups) <= per_page:
        return [range(len(groups))]
    pages: list[range] = []
    start = filled = 0
    for i, (thread, lines) in enumerate(groups):
        filled += lines
        if filled >= per_page // 4 and _draw(entry, thread) * per_page < lines:
            pages.append(range(start, i + 1))
            start, filled = i + 1, 0
    if start < len(groups):
        pages.append(range(start, len(groups)))
    return pages


def _draw(entry: str, thread: str) -> float:
    """A number in [0, 1) that depends on the entry and the thread only (the same on every machine)."""
    digest = hashlib.blake2b(f"{entry}\x1f{thread}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
