"""Permanent, readable post anchors, kept across re-imports.

An anchor is ``<author-slug>-<id>``: the id is a base-36 digest of the thread key and the forum's
post id when the source has one, else of the author, the post text at first import and its
occurrence number. The digest is computed once: on re-import `reconcile` carries every surviving
post's anchor over from the corpus, whatever changed around it. Posts edited in the source keep their
anchor (matched by author and text similarity); posts gone from the source stay as tombstones.

Captures read page by page (`Thread.pages`) may cover only some pages of a thread: then posts are
matched by the forum's post id, the stored posts of pages not captured again are kept as they are,
and only a post missing from a page that *was* captured again becomes a tombstone.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter

from .model import Post, Thread, short_hash, slugify
from .pages import in_forum_order

EDIT_SIMILARITY = 0.5  # share of words two captures of one edited post keep in common
AUTHOR_SLUG_LIMIT = 24


def _identity(post: Post) -> str:
    return f"id\x1f{post.source_id}" if post.source_id else f"text\x1f{post.author}\x1f{post.text}"


def new_anchor(thread: Thread, post: Post, occurrence: int, taken: set[str]) -> str:
    """A fresh anchor for a post seen for the first time, unique against ``taken``."""
    author = slugify(post.author, fallback="u", limit=AUTHOR_SLUG_LIMIT)
    seed = (thread.key, post.source_id) if post.source_id else (thread.key, _identity(post), str(occurrence))
    for length in range(6, 16, 2):
        anchor = f"{author}-{short_hash(*seed, length=length)}"
        if anchor not in taken:
            return anchor
    raise RuntimeError(f"cannot find a free anchor for {post.author!r}")  # 36**14 values: unreachable


def _similar(a: Post, b: Post) -> bool:
    if a.author != b.author:
        return False
    if a.source_id and b.source_id:
        return a.source_id == b.source_id
    ratio = difflib.SequenceMatcher(None, a.text.split(), b.text.split(), autojunk=False).ratio()
    return ratio >= EDIT_SIMILARITY


def _carry(before: Post, after: Post) -> None:
    """What a post keeps from its first capture: its anchor and the date it was first retrieved."""
    after.anchor = before.anchor
    after.retrieved = before.retrieved or after.retrieved


def _tombstone(post: Post) -> Post:
    return dataclasses.replace(post, tombstone=True, n=None)


def _pair_edited(old: list[Post], new: list[Post], merged: list[Post]) -> None:
    """Within a changed region, keep the anchor of each new post that is an edit of an old one."""
    cursor = 0
    for post in new:
        match = next((i for i in range(cursor, len(old)) if _similar(old[i], post)), None)
        if match is None:
            merged.append(post)
            continue
        merged.extend(_tombstone(p) for p in old[cursor:match])
        _carry(old[match], post)
        merged.append(post)
        cursor = match + 1
    merged.extend(_tombstone(p) for p in old[cursor:])


def _merge_pages(thread: Thread, previous: Thread) -> list[Post]:
    """Merge a capture of some pages into the stored thread (see the module docstring)."""
    captured = set(thread.pages)
    stored = {p.source_id: p for p in previous.posts if p.source_id}
    successor: dict[int, Post] = {}  # id() of a stored post -> the new capture of it
    for post in thread.posts:
        before = stored.get(post.source_id) if post.source_id else None
        if before is not None:
            _carry(before, post)
            successor[id(before)] = post
    # Posts stored without an id (from an earlier text dump) are matched by author and text.
    idless = [p for p in previous.posts if not p.source_id and p.anchor]
    cursor = 0
    for post in [p for p in thread.posts if not p.anchor]:
        found = next((i for i in range(cursor, len(idless)) if _similar(idless[i], post)), None)
        if found is not None:
            _carry(idless[found], post)
            successor[id(idless[found])] = post
            cursor = found + 1
    hits = [i for i, p in enumerate(previous.posts) if id(p) in successor]
    sequence = []  # the stored order, each post replaced by its new capture, kept, or made a tombstone
    for index, post in enumerate(previous.posts):
        if id(post) in successor:
            sequence.append(successor[id(post)])
            continue
        if post.page is not None:
            elsewhere = post.page not in captured
        else:  # no page known: outside the stretch this capture matched, it is on a page not captured
            elsewhere = not hits or not hits[0] < index < hits[-1]
        sequence.append(post if post.tombstone or elsewhere else _tombstone(post))
    placed = {id(p) for p in successor.values()}
    return in_forum_order([sequence, [p for p in thread.posts if id(p) not in placed]])


def reconcile(thread: Thread, previous: Thread | None, taken: set[str]) -> Thread:
    """Give every post of ``thread`` its anchor and position, keeping the anchors of ``previous``.

    ``taken`` holds the anchors of every *other* thread in the corpus. The result lists the new
    capture's posts in order, with tombstones for posts of ``previous`` that are gone, each at the
    place it used to be.
    """
    merged: list[Post] = []
    if previous is not None:
        for old_post in previous.posts:  # corpora written before posts kept their own date
            old_post.retrieved = old_post.retrieved or previous.retrieved
    if previous is None:
        merged = list(thread.posts)
    elif thread.pages:
        merged = _merge_pages(thread, previous)
        thread.pages = sorted(set(thread.pages) | set(previous.pages))
        sources = [s for s in (*previous.source.split("; "), *thread.source.split("; ")) if s]
        thread.source = "; ".join(dict.fromkeys(sources))  # the files of every page captured
    else:
        old_keys = [_identity(p) for p in previous.posts]
        new_keys = [_identity(p) for p in thread.posts]
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            old, new = previous.posts[i1:i2], thread.posts[j1:j2]
            if tag == "equal":
                for before, after in zip(old, new):
                    _carry(before, after)
                merged.extend(new)
            else:
                _pair_edited([p for p in old if p.anchor], new, merged)
    used = set(taken) | {p.anchor for p in merged if p.anchor}
    seen: Counter[str] = Counter()
    position = 0
    for post in merged:
        if post.tombstone:
            continue
        position += 1
        post.n = position
        post.retrieved = post.retrieved or thread.retrieved
        seen[_identity(post)] += 1
        if not post.anchor:
            post.anchor = new_anchor(thread, post, seen[_identity(post)], used)
            used.add(post.anchor)
    thread.posts = merged
    return thread
