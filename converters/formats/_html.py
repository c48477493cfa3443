"""HTML post bodies → blocks: the part every HTML-based format shares (not a format itself).

Text is collected the way a browser lays it out: collapsible whitespace becomes one space, ``<br>``
and block elements break lines, ``<p>`` and ``<hr>`` separate paragraphs, ``<pre>`` keeps its
whitespace. So a saved page and a copy of the same page give the same text. Paragraphs become text
blocks and a line that is nothing but a bare URL becomes a link block, as in the text dump; links
inside text keep their targets as `Link` spans.

What an engine's markup *means* (a quote and whose, an image, an embed, chrome to drop) is decided
by the format module through a `classify` function; this module never looks at words, so translated
boards read the same.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from ..model import Block, Link, normalize_text

Element = lxml_html.HtmlElement
WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; U+00A0 is kept
WORD = re.compile(r"[^ \t\n\r\f]+")
PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
BARE_URL = re.compile(r"https?://\S+")
BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup li main menu nav ol section summary table tbody thead "
    "tfoot tr ul caption".split()
)
PARAGRAPH_TAGS = frozenset({"p", "hr"})
CELL_TAGS = frozenset({"td", "th"})
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link", "input",
                       "select", "textarea", "svg", "math", "button", "object", "param"})
MEDIA_TAGS = frozenset({"iframe", "video", "audio", "embed"})


@dataclass
class Skip:
    """Page chrome inside a body (an expand link, a "said:" title): dropped with its content."""


@dataclass
class Inline:
    """Text that stands for an element (a smiley's alt text)."""

    text: str


@dataclass
class Only:
    """Read only ``part`` of this element, on its own line (a spoiler button: just its title)."""

    part: Element | None


@dataclass
class Quote:
    """A quote: read ``content``; ``source_id`` and ``author`` as the markup names them."""

    content: Element | None
    source_id: str | None = None
    author: str | None = None


@dataclass
class Image:
    name: str
    url: str | None = None


@dataclass
class Embed:
    url: str


@dataclass
class Card:
    """A link preview (unfurl, onebox): one link block."""

    url: str
    text: str


Special = Skip | Inline | Only | Quote | Image | Embed | Card
Classifier = Callable[[Element], Special | None]
PostIdFinder = Callable[[str], str | None]


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def has_class(name: str) -> str:
    """An XPath predicate body: the element's class list contains ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def collapse(text: str) -> str:
    """Text as a browser shows it on one line: collapsible whitespace folded, ends trimmed."""
    return WHITESPACE.sub(" ", text).strip(" ")


def element_text(element: Element | None) -> str:
    return collapse(element.text_content()) if element is not None else ""


def absolute(base: str | None, url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    return urljoin(base, url) if base else url


def file_name(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or url


@dataclass
class _Text:
    """The text of one run of a body, with its link spans, built as a browser lays it out."""

    parts: list[str] = field(default_factory=list)
    size: int = 0
    links: list[Link] = field(default_factory=list)
    space: bool = False
    line_start: bool = True
    open_link: Link | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)  # (offset, source line) where a line starts

    def line_at(self, offset: int) -> int | None:
        """The source line of the text at ``offset`` (of the word there or just before it)."""
        index = bisect.bisect_right(self.lines, (offset, float("inf"))) - 1
        return self.lines[max(index, 0)][1] if self.lines else None

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def add(self, text: str, line: int | None, preformatted: bool = False) -> None:
        """Add a text node; ``line`` is the source line it starts on."""
        text = normalize_text(text)
        if preformatted:
            if text:
                self._word(text, line)
                self.line_start = text.endswith("\n")
            return
        cursor = 0
        for match in WORD.finditer(text):
            if match.start() > cursor:
                self.space = True
            self._word(match.group(), line + text.count("\n", 0, match.start()) if line else None)
            cursor = match.end()
        if cursor < len(text):
            self.space = True

    def _word(self, piece: str, line: int | None) -> None:
        if self.space and not self.line_start:
            self._emit(" ")
        self.space = False
        if self.open_link is not None and self.open_link.start < 0:
            self.open_link.start = self.size
        if line is not None and (not self.lines or self.lines[-1][1] != line):
            self.lines.append((self.size, line))
        self._emit(piece)
        self.line_start = False

    def newline(self) -> None:
        self._emit("\n")
        self.space = False
        self.line_start = True

    def line_break(self) -> None:
        """End the current line unless already at the start of one (block boundaries)."""
        if not self.line_start:
            self.newline()

    def paragraph_break(self) -> None:
        self.line_break()
        if self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.newline()

    def cell_break(self) -> None:
        if not self.line_start:
            self._emit("\t")
            self.space = False

    def start_link(self, url: str, source_id: str | None) -> Link | None:
        if self.open_link is not None:  # links do not nest in HTML; keep the outer one
            return None
        self.open_link = Link(-1, -1, url, source_id)
        return self.open_link

    def end_link(self, link: Link | None) -> None:
        if link is None or link is not self.open_link:
            return
        self.open_link = None
        if link.start >= 0 and self.size > link.start:
            link.end = self.size
            self.links.append(link)


def _tail_line(element: Element) -> int | None:
    """The line an element's tail starts on: the line its last start tag ends on, plus the line
    breaks in the text after that tag up to the element's end (libxml2 gives start lines only)."""
    last = element
    for last in element.iter():
        pass
    if not last.sourceline:
        return None
    line = last.sourceline + (last.text or "").count("\n")
    while last is not element:
        line += (last.tail or "").count("\n")
        last = last.getparent()
    return line


def _clip(links: list[Link], start: int, end: int) -> list[Link]:
    out = []
    for link in links:
        s, e = max(link.start, start), min(link.end, end)
        if s < e:
            out.append(Link(s - start, e - start, link.url, link.source_id, link.anchor))
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start..end`` without whitespace at either end."""
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return start, end


class BodyReader:
    """Turns one post body (an element) into blocks, asking ``classify`` what engine markup means."""

    def __init__(self, classify: Classifier, post_id: PostIdFinder, base_url: str | None) -> None:
        self.classify = classify
        self.post_id = post_id
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.text = _Text()
        self.quote: Quote | None = None
        self.pre = 0

    def read(self, body: Element) -> list[Block]:
        self._children(body)
        self._flush()
        return self.blocks

    # -- blocks -------------------------------------------------------------------------------

    def _flush(self) -> None:
        run, self.text = self.text, _Text()
        run.end_link(run.open_link)  # a link cut by an image or a quote keeps the part before it
        full = "".join(run.parts)
        if self.quote is not None:
            start, end = _trimmed(full, 0, len(full))
            if start < end:
                meta = {"author": self.quote.author} if self.quote.author else {}
                self.blocks.append(Block("quote", full[start:end], line=run.line_at(start), meta=meta,
                                         source_id=self.quote.source_id, links=_clip(run.links, start, end)))
            return
        for match in PARAGRAPH.finditer(full):
            start, end = _trimmed(full, match.start(), match.end())
            if start < end:
                self._paragraph(full, run, start, end)

    def _paragraph(self, full: str, run: _Text, start: int, end: int) -> None:
        """A text block, with each line that is only a bare URL link split out as a link block."""
        cursor = start
        for match in re.finditer(r"[^\n]+", full[start:end]):
            s, e = start + match.start(), start + match.end()
            bare = [k for k in run.links if k.start == s and k.end == e and not k.source_id]
            if bare and BARE_URL.fullmatch(full[s:e]):
                if cursor < s - 1:
                    self.blocks.append(Block("text", full[cursor : s - 1], line=run.line_at(cursor),
                                             links=_clip(run.links, cursor, s - 1)))
                self.blocks.append(Block("link", full[s:e], url=bare[0].url, line=run.line_at(s)))
                cursor = e + 1
        if cursor < end:
            self.blocks.append(Block("text", full[cursor:end], line=run.line_at(cursor),
                                     links=_clip(run.links, cursor, end)))

    def _block(self, block: Block) -> None:
        self._flush()
        self.blocks.append(block)

    # -- walking ------------------------------------------------------------------------------

    def _children(self, element: Element) -> None:
        if element.text:
            self.text.add(element.text, element.sourceline, self.pre > 0)
        for child in element:
            if isinstance(child.tag, str):
                self._element(child)
            if child.tail:
                self.text.add(child.tail, _tail_line(child), self.pre > 0)

    def _element(self, element: Element) -> None:
        special = self.classify(element)
        if special is not None:
            self._special(element, special)
            return
        tag = element.tag.lower()
        if tag in SKIP_TAGS:
            return
        if tag == "br":
            self.text.newline()
        elif tag == "img":
            src = element.get("data-url") or element.get("src") or ""
            url = absolute(self.base_url, src) if src else None
            self._block(Block("image", collapse(element.get("alt") or "") or file_name(src), url=url,
                              line=element.sourceline))
        elif tag in MEDIA_TAGS:
            sources = [element.get("src"), element.get("data-src"), *element.xpath(".//source/@src")]
            src = next((s for s in sources if s), "")
            if src:
                url = absolute(self.base_url, src)
                self._block(Block("embed", url, url=url, line=element.sourceline))
        elif tag == "a" and element.get("href"):
            url = absolute(self.base_url, element.get("href", ""))
            link = self.text.start_link(url, self.post_id(url))
            self._children(element)
            self.text.end_link(link)
        elif tag in PARAGRAPH_TAGS:
            self.text.paragraph_break()
            self._children(element)
            self.text.paragraph_break()
        elif tag in CELL_TAGS:
            self.text.cell_break()
            self._children(element)
        elif tag == "pre":
            self.text.line_break()
            self.pre += 1
            self._children(element)
            self.pre -= 1
            self.text.line_break()
        elif tag in BLOCK_TAGS:
            self.text.line_break()
            self._children(element)
            self.text.line_break()
        else:
            self._children(element)

    def _special(self, element: Element, special: Special) -> None:
        line = element.sourceline
        if isinstance(special, Inline):
            self.text.add(special.text, line)
        elif isinstance(special, Only):
            self.text.line_break()
            if special.part is not None:
                self._children(special.part)
            self.text.line_break()
        elif isinstance(special, Quote):
            self._quote(special)
        elif isinstance(special, Image):
            self._block(Block("image", special.name, url=special.url, line=line))
        elif isinstance(special, Embed):
            self._block(Block("embed", special.url, url=special.url, line=line))
        elif isinstance(special, Card):
            self._block(Block("link", special.text or special.url, url=special.url, line=line))

    def _quote(self, quote: Quote) -> None:
        """Quotes are flattened: a nested quote ends the outer one's text, which resumes after it."""
        self._flush()
        outer, self.quote = self.quote, quote
        if quote.content is not None:
            self._children(quote.content)
        self._flush()
        self.quote = outer
