"""Forum post ids named by markup → anchors: quotes and links that point at posts in the corpus.

Formats that read a forum's own markup know which post a quote came from, or a link points at, by
the forum's post id (`Block.source_id`, `Link.source_id`). Once anchors are assigned, `References`
turns those ids into the anchors of posts of the same forum anywhere in the corpus. An id whose post
is not (yet) in the corpus stays unresolved and resolves on a later import that brings the post.
Quotes without a ``source_id`` are not touched: their source is for tracing to find. Where markup
names the source, markup wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .model import Block, Thread


def _blocks(blocks: list[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        yield from _blocks(block.blocks)


class References:
    """Every post of the corpus by (forum, forum post id) → anchor."""

    def __init__(self, threads: Iterable[Thread] = ()) -> None:
        self.anchors: dict[tuple[str, str], str] = {}
        for thread in threads:
            self.add(thread)

    def add(self, thread: Thread) -> None:
        for post in thread.posts:
            if post.source_id and post.anchor:
                self.anchors[(thread.forum, post.source_id)] = post.anchor

    def resolve(self, thread: Thread) -> bool:
        """Point ``thread``'s quotes and links at the posts they name; True if anything changed."""
        changed = False
        for post in thread.posts:
            for block in _blocks(post.blocks):
                if block.source_id:
                    anchor = self.anchors.get((thread.forum, block.source_id))
                    if block.source != anchor:
                        block.source, changed = anchor, True
                    if anchor and block.missing_source:
                        block.missing_source, changed = None, True
                for link in block.links:
                    if link.source_id:
                        anchor = self.anchors.get((thread.forum, link.source_id))
                        if link.anchor != anchor:
                            link.anchor, changed = anchor, True
        return changed
