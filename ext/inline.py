"""Links inside a block's text (the block directives' ``:links:`` option).

The converter writes a block's links as a JSON list inside the YAML-quoted option value: one
``[start, end, url]`` per link, with the anchor as a fourth item when the link points at a post of
the corpus. ``start:end`` are character offsets into the block's decoded text. A link to a post of
the corpus becomes a ``post`` cross-reference, so it follows the post to wherever its page is;
other links are made only for http(s) URLs; the text of every link stays plain ``Text``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

SAFE_SCHEMES = ("http://", "https://")  # the only URLs forum text may turn into links


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    url: str
    anchor: str | None = None

    def record(self) -> dict[str, str | int]:
        """The span as ``corpus.json`` lists it."""
        out: dict[str, str | int] = {"start": self.start, "end": self.end, "url": self.url}
        if self.anchor:
            out["anchor"] = self.anchor
        return out


def parse_links(value: str, length: int) -> list[Span]:
    """The spans of a ``:links:`` value for a text of ``length`` characters; ``ValueError`` if malformed."""
    try:
        items = json.loads(value)
    except json.JSONDecodeError as err:
        raise ValueError(f"links: not JSON ({err.msg})") from None
    if not isinstance(items, list):
        raise ValueError("links: expected a JSON list of [start, end, url] or [start, end, url, anchor]")
    spans: list[Span] = []
    for item in items:
        if not (isinstance(item, list) and len(item) in (3, 4) and all(type(n) is int for n in item[:2])
                and all(isinstance(s, str) for s in item[2:])):
            raise ValueError(f"links: bad item {json.dumps(item)[:60]}; expected [start, end, url(, anchor)]")
        span = Span(*item)
        if not (spans[-1].end if spans else 0) <= span.start < span.end <= length:
            raise ValueError(f"links: {span.start}-{span.end} is outside the text or overlaps the link before")
        spans.append(span)
    return spans


def _link(text: str, span: Span) -> nodes.Node:
    if span.anchor:
        ref = addnodes.pending_xref("", refdomain="forum", reftype="post", reftarget=span.anchor,
                                    refexplicit=True, refwarn=True)
        ref += nodes.inline(text, text, classes=["post-link"])
        return ref
    if span.url.startswith(SAFE_SCHEMES):
        return nodes.reference(text, text, refuri=span.url, classes=["post-url"])
    return nodes.Text(text)


def with_links(text: str, spans: list[Span], plain: Callable[[str], list[nodes.Node]]) -> list[nodes.Node]:
    """``text`` as nodes: the ``spans`` as links, the text between them through ``plain``."""
    out: list[nodes.Node] = []
    cursor = 0
    for span in spans:
        if span.start > cursor:
            out.extend(plain(text[cursor : span.start]))
        out.append(_link(text[span.start : span.end], span))
        cursor = span.end
    if cursor < len(text):
        out.extend(plain(text[cursor:]))
    return out
