"""Names in a block's text (the block directives' ``:mentions:`` option) as links to register pages.

The converter writes a block's mentions as ``start:end:key`` items joined by ``;`` inside the
YAML-quoted option value: character offsets into the block's decoded text and the register key
(a slug). Marking them splits the block's own ``Text`` nodes at those offsets and wraps each name
in a cross-reference to its entry: the text stays exactly what the member wrote, only linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

ITEM = re.compile(r"(\d+):(\d+):([a-z][a-z0-9-]*)")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str


def parse_mentions(value: str, length: int) -> list[Mention]:
    """The mentions of a ``:mentions:`` value for a text of ``length`` characters; ``ValueError`` if malformed."""
    out: list[Mention] = []
    for item in filter(None, value.split(";")):
        m = ITEM.fullmatch(item.strip())
        if m is None:
            raise ValueError(f"mentions: bad item {item[:40]!r}; expected start:end:key")
        mention = Mention(int(m[1]), int(m[2]), m[3])
        if not (out[-1].end if out else 0) <= mention.start < mention.end <= length:
            raise ValueError(f"mentions: {mention.start}-{mention.end} is outside the text or overlaps the one before")
        out.append(mention)
    return out


def mention_ref(text: str, key: str) -> addnodes.pending_xref:
    """A link to the register entry ``key`` whose text is ``text``, unchanged.

    The name is the reference's only child, a ``Text`` (as Sphinx's own domains do for type names): a
    corpus names a few entries in every post, and every transform walks every node of a page.
    """
    return addnodes.pending_xref("", nodes.Text(text), refdomain="register", reftype="entity", reftarget=key,
                                 refexplicit=True, refwarn=True)


def mark_mentions(container: nodes.Element, mentions: list[Mention]) -> None:
    """Split the plain ``Text`` children of ``container`` at the mentions, linking each name.

    Offsets count every character of the container's text in document order; a name inside a link
    (or crossing one) is left as it is.
    """
    if not mentions:
        return
    offset, first = 0, 0  # mentions are in order, so are the text nodes: walk both once
    for text_node in list(container.findall(nodes.Text)):
        length = len(text_node)
        while first < len(mentions) and mentions[first].start < offset:
            first += 1
        inside = []
        for m in mentions[first:]:
            if m.start >= offset + length:
                break
            if m.end <= offset + length:
                inside.append(m)
        if text_node.parent is container:
            pieces = _split(str(text_node), offset, inside)
            if len(pieces) > 1 or not isinstance(pieces[0], nodes.Text):
                index = container.index(text_node)
                container.remove(text_node)
                for i, piece in enumerate(pieces):
                    container.insert(index + i, piece)
        offset += length


def _split(text: str, offset: int, mentions: list[Mention]) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    cursor = 0
    for m in mentions:
        start, end = m.start - offset, m.end - offset
        if start > cursor:
            out.append(nodes.Text(text[cursor:start]))
        out.append(mention_ref(text[start:end], m.key))
        cursor = end
    if cursor < len(text) or not out:
        out.append(nodes.Text(text[cursor:]))
    return out
