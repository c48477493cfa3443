"""Render a `Thread` as one MyST page, with every piece of user text kept out of the markup.

User text never reaches the Markdown parser. It travels in two shapes the extension decodes:

* **option values** are YAML double-quoted strings (``:author: "Melodi"``), escaped like JSON;
* **text lines** inside the block directives: ``| <line>`` carries a line verbatim; a line with
  control, format or line-separator characters, a tab or trailing whitespace is written as
  ``\\ <JSON string body>`` instead. No line can start a fence, a directive or an option.

Fence lengths nest strictly (thread 6 backticks, post 5, article 4, block 3). The front matter is ours alone.

The thread's register entries come last, so an import that changes only which entries a thread
shows replaces that block (`with_register`) instead of rendering every post again; each page names
the version of this writer that wrote it (`WRITER`), so pages of an older writer are rendered anew.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Block, ChromeLine, Post, Thread

if TYPE_CHECKING:
    from .entities.annotate import Listed
    from .entities.register import Entity

WRITER = f"% written by converters.myst_writer {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}"
THREAD_CLOSE = "\n" + "`" * 6 + "\n"
REGISTER_OPEN = "\n\n`````{thread-register}\n"
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


def _has_unsafe(text: str) -> bool:
    """Whether ``text`` holds an unsafe character. Printable text (the usual case) has none: every unsafe
    category is also non-printable for `str.isprintable`, which checks in C instead of per character."""
    return not text.isprintable() and any(_unsafe(c) for c in text)


def _escaped(value: str, wide: bool) -> str:
    body = json.dumps(value, ensure_ascii=False)[1:-1]
    if not _has_unsafe(body):
        return body
    return "".join(_escape_char(c, wide) if _unsafe(c) else c for c in body)


def quote(value: str) -> str:
    """A YAML double-quoted scalar that MyST's option parser decodes back to ``value``."""
    return f'"{_escaped(value, wide=True)}"'


def encode_line(line: str) -> str:
    """One text line in the page's line format (``| `` verbatim or ``\\ `` + JSON string body)."""
    if line != line.rstrip() or _has_unsafe(line):
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
    options.update(_tracing(block))
    options.update({"source-id": block.source_id, "links": _links(block), "mentions": _mentions(block)})
    if block.kind == "article":  # an article holds its parts: fence 4 around blocks of fence 3
        parts = [line for child in block.blocks for line in [*_block(child), ""]]
        return _directive("post-article", 4, options=options, body=parts[:-1])
    return _directive(f"post-{block.kind}", 3, options=options, body=encode_text(block.text))


def _links(block: Block) -> str | None:
    """The block's links as compact JSON (``[start, end, url]``, plus the anchor of a post in the corpus)."""
    if not block.links:
        return None
    items = [[k.start, k.end, k.url] + ([k.anchor] if k.anchor else []) for k in block.links]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _mentions(block: Block) -> str | None:
    """The block's register mentions as ``start:end:key`` items joined by ``;`` (keys are slugs)."""
    return ";".join(f"{m.start}:{m.end}:{m.key}" for m in block.mentions if m.key) or None


Made = dict[tuple[int, tuple[str, ...]], list[str]]  # an entry's lines, by the entry's identity and its aliases


def _register(listed: Sequence[Listed], made: Made | None = None) -> list[str]:
    """The register entries the thread mentions: name, type, ids and description; its aliases as text lines.

    ``made`` keeps each entry's lines by the entry's identity and aliases, for a caller writing many pages
    from one set of entries (an import renews the register block of every page)."""
    made = {} if made is None else made
    body: list[str] = []
    for entity, aliases in listed:
        memo = (id(entity), aliases)
        if memo not in made:
            made[memo] = _register_entry(entity, aliases)
        body.extend(made[memo])
        body.append("")
    return _directive("thread-register", 5, body=body[:-1]) + [""] if listed else []


def _register_entry(entity: Entity, aliases: Sequence[str]) -> list[str]:
    options: dict[str, str | bool | int | None] = {
        "type": entity.type, "name": entity.name,
        "authority": " ".join(f"{k}:{v}" for k, v in sorted(entity.authority.items())) or None,
        "description": entity.description or None,
        "members": json.dumps(entity.members, ensure_ascii=False) if entity.members else None,
        "curated": entity.curated,
    }
    lines = [line for alias in aliases for line in encode_text(alias)]
    return _directive("register-entry", 3, entity.key, options, lines)


def _tracing(block: Block) -> dict[str, str | bool | int | None]:
    """What quote tracing found: the alignment score, the article, the shared id of a missing source."""
    return {"score": f"{block.score:.2f}" if block.score is not None else None, "article": block.article,
            "missing-source": block.missing_source}


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
        "status": post.status,
        "status-note": post.status_note or None,
        "lines": f"{prov.first_line}-{prov.last_line}" if prov else None,
        "retrieved": post.retrieved,
    }
    body: list[str] = []
    for block in post.blocks:
        body.extend(_block(block))
        body.append("")
    return _directive("post", 5, post.anchor, options, body[:-1]) + [""]


def _chrome(lines: list[ChromeLine]) -> list[str]:
    body = [encode_line(f"{c.line}: {c.text}") for c in lines]
    return _directive("capture-chrome", 4, body=body) + [""] if lines else []


def render(thread: Thread, entities: Sequence[Listed] = ()) -> str:
    """The complete MyST page for ``thread`` and the register entries it mentions (`entities_of`); deterministic."""
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
    lines = ["---", "orphan: true", "---", WRITER, ""]
    lines.extend(_directive("thread", 6, thread.id, options, body[:-1] if body else None))
    return with_register("\n".join(lines) + "\n", entities)


def written_by_this_writer(page: str) -> bool:
    """Whether ``page`` was written by this version of the writer (so `with_register` may be used on it)."""
    return page.startswith(f"---\norphan: true\n---\n{WRITER}\n") and page.endswith(THREAD_CLOSE)


def with_register(page: str, entities: Sequence[Listed], made: Made | None = None) -> str:
    """``page`` (as `render` writes it) with the register block of ``entities`` in place of its own
    (``made``: as for `_register`, the lines of entries already rendered).

    Forum text never starts a line with a fence (see the module docstring), so the last line that
    opens a ``thread-register`` directive is the writer's.
    """
    cut = page.rfind(REGISTER_OPEN)
    base = page[:cut] + THREAD_CLOSE if cut != -1 else page
    if not entities:
        return base
    return base[: -len(THREAD_CLOSE)] + "\n\n" + "\n".join(_register(entities, made)[:-1]) + THREAD_CLOSE
