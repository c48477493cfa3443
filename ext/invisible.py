"""Invisible characters made visible: each is shown as a mark like ``⟨U+202E⟩``, never as itself.

Forum text can hide things in characters that take no space: bidirectional overrides that reverse
what follows (RIGHT-TO-LEFT OVERRIDE makes "txt.exe" look like "exe.txt"), zero-width spaces and
joiners inside words and names, control characters, tag characters. On the site each such character
becomes ``<abbr class="invisible-char" title="RIGHT-TO-LEFT OVERRIDE">⟨U+202E⟩</abbr>``: the reader
sees that it is there and which it is, and it has no effect on the text around it. ``corpus.json``
and the thread models keep the exact characters.

Marked: control characters except tab and newline, format characters (Unicode category Cf), line
and paragraph separators, noncharacters, and characters that render as nothing (Hangul fillers,
combining grapheme joiner, braille blank). Not marked: a zero-width joiner or non-joiner between
two letters of a script that uses them (Persian, Indic scripts) or inside an emoji sequence, and
the tag characters of a flag emoji.
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from functools import cache

from docutils import nodes
from sphinx.application import Sphinx

CLASS = "invisible-char"
ZWNJ, ZWJ = "\u200c", "\u200d"
BLACK_FLAG, CANCEL_TAG = "\U0001f3f4", "\U000e007f"
SCANNED_PLANES_END, TAGS_PLANE = 0x40000, 0xE0000
BLANK_LOOKING = "\u034f\u115f\u1160\u2800\u3164\uffa0"
# Where a mark would be wrong: the characters the browser does not draw as text anyway.
SKIP_PARENTS = (nodes.raw, nodes.comment)


@cache
def _pattern() -> re.Pattern[str]:
    """One character class of every invisible code point (built once from Python's Unicode tables)."""
    ranges: list[tuple[int, int]] = []
    # Planes 4 to 13 hold no assigned characters, only their two noncharacters each.
    unassigned = (code for plane in range(4, 14) for code in (plane << 16 | 0xFFFE, plane << 16 | 0xFFFF))
    codes = sorted(itertools.chain(range(SCANNED_PLANES_END), unassigned, range(TAGS_PLANE, sys.maxunicode + 1)))
    # Looked up and filtered in C: a Python loop over the code points was 0.4 s a build.
    marked = map(frozenset(("Cc", "Cf", "Zl", "Zp")).__contains__, map(unicodedata.category, map(chr, codes)))
    invisible = set(itertools.compress(codes, marked)) - {ord("\t"), ord("\n")}
    noncharacters = [*range(0xFDD0, 0xFDF0), *(plane << 16 | low for plane in range(17) for low in (0xFFFE, 0xFFFF))]
    invisible |= {ord(ch) for ch in BLANK_LOOKING} | set(noncharacters)
    for code in sorted(invisible):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]")


def _joins(text: str, i: int) -> bool:
    """A ZWJ/ZWNJ that does a joiner's job: between two non-ASCII letters, or inside an emoji sequence."""
    if i == 0 or i + 1 >= len(text):
        return False
    before, after = text[i - 1], text[i + 1]
    if before.isascii() or after.isascii():
        return False
    kinds = unicodedata.category(before)[0] + unicodedata.category(after)[0]
    emoji = unicodedata.category(after) == "So" and (unicodedata.category(before) in ("So", "Sk")
                                                     or before == "\ufe0f")
    return kinds in ("LL", "ML", "LM", "MM") or (text[i] == ZWJ and emoji)


def _flag_tags(text: str) -> set[int]:
    """Positions of tag characters that spell a flag (black flag + tags + cancel tag)."""
    keep: set[int] = set()
    for match in re.finditer(f"{BLACK_FLAG}([\U000e0020-\U000e007e]+){CANCEL_TAG}", text):
        keep.update(range(match.start(1), match.end()))
    return keep


def mark(ch: str) -> str:
    return f"⟨U+{ord(ch):04X}⟩"


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if not name:
        name = "control character" if unicodedata.category(ch) == "Cc" else "noncharacter"
    return f"{name} (invisible character U+{ord(ch):04X})"


def split_invisible(text: str) -> list[nodes.Node] | None:
    """``text`` as Text and mark nodes, or None when it has nothing to mark."""
    matches = list(_pattern().finditer(text))
    if not matches:
        return None
    flags = _flag_tags(text) if CANCEL_TAG in text else set()
    out: list[nodes.Node] = []
    pos = 0
    for match in matches:
        i, ch = match.start(), match.group()
        if i in flags or (ch in (ZWJ, ZWNJ) and _joins(text, i)):
            continue
        if i > pos:
            out.append(nodes.Text(text[pos:i]))
        out.append(nodes.abbreviation(mark(ch), mark(ch), explanation=describe(ch), classes=[CLASS]))
        pos = i + 1
    if pos == 0:
        return None
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def mark_invisible(tree: nodes.Node) -> None:
    """Replace every invisible character under ``tree`` by its visible mark.

    Every page is walked at each build: an explicit stack, each element's children from the last
    (a replacement shifts none still to visit), and one search before any splitting.
    """
    search = _pattern().search
    stack = [tree] if isinstance(tree, nodes.Element) else []
    while stack:
        element = stack.pop()
        skip = isinstance(element, SKIP_PARENTS)
        children = element.children
        for index in range(len(children) - 1, -1, -1):
            child = children[index]
            if not isinstance(child, nodes.Text):
                stack.append(child)
            elif not skip and search(child) and (parts := split_invisible(str(child))) is not None:
                element[index:index + 1] = parts


def mark_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Page titles as the theme shows them (``<title>``, links between pages), read from the environment."""
    docname = app.env.docname
    for table in (app.env.titles, app.env.longtitles, app.env.tocs):
        if docname in table:
            mark_invisible(table[docname])


def mark_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    mark_invisible(doctree)
