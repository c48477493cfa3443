"""Copy-pasted forum pages ("select all, copy" of a XenForo-style thread page).

The layout, as browsers copy it::

    PREFIX<U+00A0>Thread title
    <blank>
    author
    <blank>
    user title
    body line...            (the body starts right under the user title)
    <U+00A0>                (a line holding only a no-break space ends each post)
    <blank>
    Last edited:            (optional: belongs to the post *before* this separator)

Posts are found by the separator lines alone, never by what a line looks like, so body lines that
resemble headers (bylines, sign-offs, names on their own line) stay in the body. Page chrome
(edit markers, counters under the first post, "Click to expand...", the closing "Top") is removed
from post text and kept in `Thread.chrome`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ConversionError
from ..model import Block, ChromeLine, Post, Provenance, Thread

NAME = "textdump"

NBSP = "\u00a0"
MAX_NAME = 50  # XenForo user names and titles are short; a longer line is body text, not a header
MAX_PREFIX = 40
EDIT_MARKER = re.compile(r"^Last edited:?\s*(?P<date>.*)$")
INLINE_CHROME = {"Click to expand...", "Click to shrink..."}
TRAILING_NAV = {"Top", "Bottom"}
COUNTERS = re.compile(r"^\d{1,3}(?:,\d{3})+\d*$")  # "97,216351": message count + reaction score
IMAGE = re.compile(r"^[^\s/\\]+\.(?:jpe?g|png|gif|webp|bmp|svg|heic|avif)$", re.IGNORECASE)
EMBED = re.compile(r"^View: (?P<url>https?://\S+)$")
LINK = re.compile(r"^https?://\S+$")


@dataclass
class Line:
    number: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _is_separator(text: str) -> bool:
    return text.strip(" \t") == NBSP


def _lines(text: str) -> list[Line]:
    return [Line(i, t) for i, t in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)]


def _chunks(lines: list[Line]) -> list[list[Line]]:
    chunks: list[list[Line]] = [[]]
    for line in lines:
        if _is_separator(line.text):
            chunks.append([])
        else:
            chunks[-1].append(line)
    return chunks


def _non_blank(chunk: list[Line]) -> list[Line]:
    return [line for line in chunk if not line.blank]


def _header(chunk: list[Line]) -> tuple[Line, Line, list[Line]] | None:
    """Author line, user-title line and body lines, if ``chunk`` starts like a post."""
    filled = [i for i, line in enumerate(chunk) if not line.blank]
    if len(filled) < 2:
        return None
    a, t = filled[0], filled[1]
    author, title = chunk[a], chunk[t]
    if t == a + 1 or len(author.text.strip()) > MAX_NAME or len(title.text.strip()) > MAX_NAME:
        return None
    return author, title, chunk[t + 1 :]


def _split_title(line: Line) -> tuple[str, str]:
    prefix, sep, title = line.text.strip().partition(NBSP)
    if sep and prefix.strip() and len(prefix) <= MAX_PREFIX and title.strip():
        return prefix.strip(), title.strip()
    return "", line.text.strip()


def detect(text: str) -> float:
    lines = _lines(text[:200_000])
    filled = _non_blank(lines)
    if not filled or filled[0].text.lstrip().startswith(("<", "{")):
        return 0.0
    chunks = _chunks(lines)
    first = [line for line in chunks[0] if line.number > filled[0].number]
    if _header(first) is None:
        return 0.0
    return 0.9 if len(chunks) > 1 else 0.6


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = _lines(text)
        self.chrome: list[ChromeLine] = []
        self.posts: list[Post] = []

    def fail(self, line: int | None, message: str) -> ConversionError:
        return ConversionError(self.path, line, message)

    def parse(self) -> Thread:
        filled = _non_blank(self.lines)
        if not filled:
            raise self.fail(None, "no text; expected a thread title line")
        title_line = filled[0]
        prefix, title = _split_title(title_line)
        chunks = _chunks(self.lines)
        chunks[0] = [line for line in chunks[0] if line.number > title_line.number]
        last = len(chunks) - 1
        for index, chunk in enumerate(chunks):
            chunk = self._leading_chrome(chunk)
            header = _header(chunk)
            if header is None:
                self._not_a_post(chunk, index, last)
                continue
            author, user_title, body = header
            body = self._footer_chrome(body)
            if index == last:
                body = self._trailing_nav(body)
            self._add_post(author, user_title, body)
        if not self.posts:
            raise self.fail(title_line.number + 1, "no posts found; expected an author line, "
                            "a blank line and a user-title line under the thread title")
        return Thread(title=title, prefix=prefix, forum="", posts=self.posts,
                      source=self.path, chrome=self.chrome)

    def _leading_chrome(self, chunk: list[Line]) -> list[Line]:
        """Drop blank lines and "Last edited:" markers at the top of a chunk (they end the post before)."""
        i = 0
        while i < len(chunk):
            line = chunk[i]
            marker = EDIT_MARKER.match(line.text.strip())
            if line.blank:
                i += 1
            elif marker and self.posts:
                self.posts[-1].edited = True
                self.posts[-1].edited_date = marker["date"] or None
                self.chrome.append(ChromeLine(line.number, line.text))
                i += 1
            else:
                break
        return chunk[i:]

    def _not_a_post(self, chunk: list[Line], index: int, last: int) -> None:
        filled = _non_blank(chunk)
        if index == last and all(line.text.strip() in TRAILING_NAV for line in filled):
            self.chrome.extend(ChromeLine(line.number, line.text) for line in filled)
        elif not filled:
            return
        elif self.posts:
            # A no-break-space line inside a body, not a post boundary: keep the text in that post.
            self._append_body(self.posts[-1], chunk)
        else:
            raise self.fail(filled[0].number, "expected a post header: an author line, a blank "
                            f"line, then a user-title line (each at most {MAX_NAME} characters)")

    def _footer_chrome(self, body: list[Line]) -> list[Line]:
        """Remove the counters block some pages print under a post ("97,216351", "MORE GEO")."""
        filled = _non_blank(body)
        for start in range(max(0, len(filled) - 3), len(filled) - 1):
            tail = filled[start:]
            if COUNTERS.match(tail[0].text.strip()) and all(len(t.text.strip()) <= 40 for t in tail):
                self.chrome.extend(ChromeLine(t.number, t.text) for t in tail)
                return [line for line in body if line.number < tail[0].number]
        return body

    def _trailing_nav(self, body: list[Line]) -> list[Line]:
        filled = _non_blank(body)
        if filled and filled[-1].text.strip() in TRAILING_NAV:
            self.chrome.append(ChromeLine(filled[-1].number, filled[-1].text))
            return [b for b in body if b.number < filled[-1].number]
        return body

    def _add_post(self, author: Line, user_title: Line, body: list[Line]) -> None:
        post = Post(author=author.text.strip(), user_title=user_title.text.strip())
        post.provenance = Provenance(self.path, author.number, user_title.number)
        self._append_body(post, body)
        self.posts.append(post)

    def _append_body(self, post: Post, body: list[Line]) -> None:
        paragraph: list[Line] = []

        def flush() -> None:
            if paragraph:
                text = "\n".join(line.text for line in paragraph)
                post.blocks.append(Block("text", text, line=paragraph[0].number))
                paragraph.clear()

        for line in body:
            stripped = line.text.strip()
            if line.blank:
                flush()
            elif stripped in INLINE_CHROME:
                self.chrome.append(ChromeLine(line.number, line.text))
            elif IMAGE.match(stripped):
                flush()
                post.blocks.append(Block("image", stripped, line=line.number))
            elif embed := EMBED.match(stripped):
                flush()
                post.blocks.append(Block("embed", embed["url"], url=embed["url"], line=line.number))
            elif LINK.match(stripped):
                flush()
                post.blocks.append(Block("link", stripped, url=stripped, line=line.number))
            else:
                paragraph.append(line)
            if not line.blank and post.provenance:
                post.provenance.last_line = line.number
        flush()


def parse(text: str, path: str) -> Thread:
    return _Parser(text, path).parse()
