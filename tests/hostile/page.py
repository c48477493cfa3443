"""Reading built pages as a reader sees them: text with the invisible-character marks decoded."""

from __future__ import annotations

import re

from lxml import html

MARK = re.compile(r"⟨U\+([0-9A-F]{4,6})⟩")
MARK_CLASS = "invisible-char"


def shown_text(element: html.HtmlElement) -> str:
    """The element's text, with each ``<abbr class="invisible-char">⟨U+XXXX⟩</abbr>`` read back as its character."""
    parts: list[str] = []

    def walk(el: html.HtmlElement) -> None:
        if MARK_CLASS in (el.get("class") or "").split():
            match = MARK.fullmatch(el.text_content())
            assert match, f"malformed invisible-character mark {el.text_content()!r}"
            parts.append(chr(int(match.group(1), 16)))
        else:
            parts.append(el.text or "")
            for child in el:
                if isinstance(child.tag, str):
                    walk(child)
                parts.append(child.tail or "")

    walk(element)
    return "".join(parts)
