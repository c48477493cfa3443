"""Render a `Thread` as one MyST page, with every piece of user text kept out of the markup.

User text never reaches the Markdown parser. It travels in two shapes the extension decodes:

* **option values** are YAML double-quoted strings (``:author: "Melodi"``), escaped like JSON;
* **text lines** inside the block directives: ``| <line>`` carries a line verbatim; a line with
  control, format or line-separator characters, a tab or trailing whitespace is written as
  ``\\ <JSON string body>`` instead. No line can start a fence, a directive or an option.

Fence lengths nest strictly (thread 5 backticks, post 4, block 3). The front matter is ours alone.
"""

from __future__ import annotations

import json
import unicodedata

from .model import Block, ChromeLine, Post, Thread

_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def _escape_char(ch: str, wide: bool) -> str:
    """``\\uXXXX``; beyond the BMP ``\\UXXXXXXXX`` (YAML) or a surrogate pair (JSON)."""
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    if wide:
        return f"\\U{code:08x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in _UNSAFE_CATEGORIES


def _escaped(value: str, wide: bool) -> str:
    body = json.dumps(value, ensure_ascii=False)[1:-1]
    return "".join(_escape_char(c, wide) if _unsafe(c) else c for c in body)


def quote(value: str) -> str:
    """A YAML double-quoted scalar that MyST's option parser decodes back to ``value``."""
    return f'"{_escaped(value, wide=True)}"'


def encode_line(line: str) -> str:
    """One text line in the page's line format (``| `` verbatim or ``\\ `` + JSON string body)."""
    if line != line.rstrip() or any(_unsafe(c) for c in line):
        return "\\ " + _escaped(line, wide=False)
    return f"| {line}" if line else "|"


def encode_text(text: str) -> list[str]:
    return [encode_line(line) for line in text.split("\n")]


def _directive(name: str, fence: int, argument: str = "", options: dict[str, str | bool | int | None] | None = None,
               body: list[str] | None = None) -> list[str]:
    ticks = "`" * fence
    out = [f"{ticks}{{{name}}}" + (f" {argument}" if argument else "")]
    for key, value in (options or {}).items():
        if value is None or value is False:
            continue
        if value is True:
            out.append(f":{key}:")
        elif isinstance(value, int):
            out.append(f":{key}: {value}")
        else:
            out.append(f":{key}: {quote(value)}")
    if body:
        out.append("")
        out.extend(body)
    out.append(ticks)
    return out


def _block(block: Block) -> list[str]:
    options: dict[str, str | bool | int | None] = {"url": block.url, "source": block.source}
    options.update({f"meta-{k}": v for k, v in sorted(block.meta.items())})
    return _directive(f"post-{block.kind}", 3, options=options, body=encode_text(block.text))


def _post(post: Post) -> list[str]:
    prov = post.provenance
    options: dict[str, str | bool | int | None] = {
        "author": post.author,
        "user-title": post.user_title or None,
        "n": post.n,
        "date": post.date,
        "edited": post.edited,
        "edited-date": post.edited_date,
        "tombstone": post.tombstone,
        "source-id": post.source_id,
        "lines": f"{prov.first_line}-{prov.last_line}" if prov else None,
        "retrieved": post.retrieved,
    }
    body: list[str] = []
    for block in post.blocks:
        body.extend(_block(block))
        body.append("")
    return _directive("post", 4, post.anchor, options, body[:-1]) + [""]


def _chrome(lines: list[ChromeLine]) -> list[str]:
    body = [encode_line(f"{c.line}: {c.text}") for c in lines]
    return _directive("capture-chrome", 4, body=body) + [""] if lines else []


def render(thread: Thread) -> str:
    """The complete MyST page for ``thread``; deterministic for a given model."""
    options: dict[str, str | bool | int | None] = {
        "title": thread.title,
        "prefix": thread.prefix or None,
        "forum": thread.forum,
        "url": thread.url,
        "retrieved": thread.retrieved,
        "source": thread.source or None,
    }
    body: list[str] = []
    for post in thread.posts:
        body.extend(_post(post))
    body.extend(_chrome(thread.chrome))
    lines = ["---", "orphan: true", "---", ""]
    lines.extend(_directive("thread", 5, thread.id, options, body[:-1] if body else None))
    return "\n".join(lines) + "\n"
