"""Threads captured page by page: put the pages of one thread together, in the forum's order.

A saved HTML page holds one page of a thread. Several files of the same thread (same forum + URL,
in any order, possibly the same page twice) merge into one capture; the posts are ordered as the
forum orders them: by date, then the forum's post number, then the forum's post id. A post seen in
two files is kept once, from the file given later.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable

from .model import Post, Thread

SortKey = tuple[float, float, float]


def _moment(post: Post) -> float | None:
    if not post.date:
        return None
    try:
        moment = datetime.datetime.fromisoformat(post.date)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _number(value: str | int | None) -> float | None:
    if isinstance(value, int):
        return float(value)
    return float(value) if value and value.isdigit() else None


def sort_keys(posts: Iterable[Post]) -> list[SortKey]:
    """A key per post that sorts posts into forum order; a missing part is taken from the post before.

    So a post without a date or number (a tombstone from an old text dump) stays right after the
    post it followed.
    """
    keys: list[SortKey] = []
    last: SortKey = (-math.inf, -math.inf, -math.inf)
    for post in posts:
        parts = (_moment(post), _number(post.position), _number(post.source_id))
        last = tuple(p if p is not None else before for p, before in zip(parts, last))  # type: ignore[assignment]
        keys.append(last)
    return keys


def in_forum_order(groups: Iterable[list[Post]]) -> list[Post]:
    """All posts of ``groups`` (each a list in its own order) sorted into forum order, stably."""
    keyed = []
    for group_index, group in enumerate(groups):
        for index, (post, key) in enumerate(zip(group, sort_keys(group))):
            keyed.append((key, group_index, index, post))
    keyed.sort(key=lambda item: item[:3])
    return [post for *_, post in keyed]


def merge_captures(captures: list[Thread]) -> Thread:
    """One capture from several pages of a thread (all with the same key), posts in forum order."""
    if len(captures) == 1:
        return captures[0]
    latest: dict[str, Post] = {}
    unnamed: list[Post] = []
    for capture in captures:
        for post in capture.posts:
            if post.source_id:
                latest[post.source_id] = post
            else:
                unnamed.append(post)
    posts = in_forum_order([list(latest.values()), unnamed])
    last = captures[-1]
    return Thread(
        title=last.title, forum=last.forum, posts=posts, prefix=last.prefix, url=last.url,
        retrieved=max((c.retrieved for c in captures if c.retrieved), default=None),
        source="; ".join(dict.fromkeys(c.source for c in captures if c.source)),
        chrome=[line for c in captures for line in c.chrome],
        pages=sorted({page for c in captures for page in c.pages}),
    )


def group_pages(captures: list[Thread]) -> list[Thread]:
    """Captures in import order, the pages of each thread merged into one (at its first page's place).

    Only captures that know their pages are merged; a whole-thread capture (a text dump) stays a
    capture of its own, so two dumps of one thread are still imported one after the other.
    """
    groups: dict[str, list[Thread]] = {}
    order: list[Thread | str] = []
    for capture in captures:
        if not capture.pages:
            order.append(capture)
        elif capture.key not in groups:
            groups[capture.key] = [capture]
            order.append(capture.key)
        else:
            groups[capture.key].append(capture)
    return [merge_captures(groups[item]) if isinstance(item, str) else item for item in order]
