"""Directives of converter-written pages: ``thread``, ``post``, the ``post-*`` blocks and ``capture-chrome``.

They build plain docutils nodes (sections, containers, paragraphs, literal text) so every builder
can write them, and record each thread and post in the ``forum`` domain. User text comes only from
option values and `textlines`; it always becomes ``Text`` nodes, never parsed markup.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .cite.panel import placeholder as cite_placeholder
from .domain import ForumDomain
from .textlines import MalformedLine, decode_text

URL = re.compile(r"https?://[^\s<>\"'`]+")
SAFE_SCHEMES = ("http://", "https://")
ARTICLE_META = ("title", "author", "outlet", "date")


def linked_text(text: str) -> list[nodes.Node]:
    """``text`` as Text nodes, with http(s) URLs made into links (their text unchanged)."""
    out: list[nodes.Node] = []
    pos = 0
    for match in URL.finditer(text):
        url = match.group().rstrip(".,;:!?)]}")
        end = match.start() + len(url)
        if match.start() > pos:
            out.append(nodes.Text(text[pos : match.start()]))
        out.append(nodes.reference(url, url, refuri=url, classes=["post-url"]))
        pos = end
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def safe_link(url: str | None, text: str) -> nodes.Node:
    """A link for http(s) URLs only; any other scheme is shown as text."""
    if url and url.startswith(SAFE_SCHEMES):
        return nodes.reference(text, text, refuri=url)
    return nodes.Text(text)


def _span(text: str, cls: str) -> nodes.inline:
    return nodes.inline(text, text, classes=[cls])


class _ForumDirective(SphinxDirective):
    @property
    def domain(self) -> ForumDomain:
        return self.env.domains["forum"]  # type: ignore[return-value]

    def text(self) -> str:
        try:
            return decode_text(self.content)
        except MalformedLine as err:
            raise self.error(f"{self.name}: {err}") from None


class ThreadDirective(_ForumDirective):
    """A thread page: its title (the page title), source details, and its posts as content."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        name: directives.unchanged for name in ("title", "prefix", "forum", "url", "retrieved", "source")
    }

    def run(self) -> list[nodes.Node]:
        thread_id = self.arguments[0]
        opts = self.options
        title = opts.get("title", thread_id)
        record = {"docname": self.env.docname, "title": title, "prefix": opts.get("prefix", ""),
                  "forum": opts.get("forum", ""), "url": opts.get("url"), "retrieved": opts.get("retrieved"),
                  "source": opts.get("source"), "order": []}
        section = nodes.section(ids=[thread_id], classes=["forum-thread"])
        heading = nodes.title()
        if record["prefix"]:
            heading += _span(record["prefix"], "thread-prefix")
            heading += nodes.Text(" ")
        heading += nodes.Text(title)
        section += heading
        about = nodes.paragraph(classes=["thread-about"])
        about += _span(record["forum"], "thread-forum")
        if record["url"]:
            about += nodes.Text(" · source: ")
            about += safe_link(record["url"], record["url"])
        if record["retrieved"]:
            about += nodes.Text(f" · retrieved {record['retrieved']}")
        section += about
        section += cite_placeholder("thread", thread_id)
        self.domain.note_thread(thread_id, record, section)
        self.env.temp_data["forum:thread"] = thread_id
        self.state.nested_parse(self.content, self.content_offset, section)
        self.env.temp_data.pop("forum:thread", None)
        return [section]


class PostDirective(_ForumDirective):
    """One post as a card: header (author, title, position, date, edited, permalink) and its blocks."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "author": directives.unchanged_required, "user-title": directives.unchanged,
        "n": directives.nonnegative_int, "date": directives.unchanged, "edited": directives.flag,
        "edited-date": directives.unchanged, "tombstone": directives.flag,
        "source-id": directives.unchanged, "lines": directives.unchanged, "retrieved": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        anchor = self.arguments[0]
        thread_id = self.env.temp_data.get("forum:thread")
        if thread_id is None:
            raise self.error("a post directive must be inside a thread directive")
        opts = self.options
        record: dict[str, Any] = {
            "docname": self.env.docname, "thread": thread_id, "author": opts.get("author", ""),
            "user_title": opts.get("user-title", ""), "n": opts.get("n"), "date": opts.get("date"),
            "edited": "edited" in opts, "edited_date": opts.get("edited-date"),
            "tombstone": "tombstone" in opts, "source_id": opts.get("source-id"),
            "lines": opts.get("lines"), "retrieved": opts.get("retrieved"), "blocks": [],
        }
        classes = ["forum-post"] + (["post-tombstone"] if record["tombstone"] else [])
        card = nodes.container(ids=[anchor], classes=classes)
        card += self._header(anchor, record)
        card += cite_placeholder("post", anchor)
        body = nodes.container(classes=["post-body"])
        if record["tombstone"]:
            note = "This post is no longer in the source. Its last captured text follows."
            body += nodes.paragraph(note, note, classes=["tombstone-note"])
        self.env.temp_data["forum:post"] = record
        self.state.nested_parse(self.content, self.content_offset, body)
        self.env.temp_data.pop("forum:post", None)
        card += body
        self.domain.note_post(anchor, record, card)
        self.domain.threads[thread_id]["order"].append(anchor)
        return [card]

    def _header(self, anchor: str, record: dict[str, Any]) -> nodes.paragraph:
        header = nodes.paragraph(classes=["post-header"])
        header += _span(record["author"], "post-author")
        if record["user_title"]:
            header += _span(record["user_title"], "post-user-title")
        header += _span(f"#{record['n']}" if record["n"] else "removed", "post-n")
        if record["date"]:
            header += _span(record["date"], "post-date")
        if record["edited"]:
            header += _span("edited" + (f" {record['edited_date']}" if record["edited_date"] else ""), "post-edited")
        link = nodes.reference("", "", internal=True, refuri=f"#{anchor}", classes=["post-permalink"],
                               reftitle="Permanent link to this post")
        link += nodes.literal(anchor, anchor)
        header += link
        return header


class BlockDirective(_ForumDirective):
    """A block of a post body; ``kind`` is set by the subclass made for each block kind."""

    kind: ClassVar[str] = "text"
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"url": directives.unchanged, "source": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        record = self.env.temp_data.get("forum:post")
        if record is None:
            raise self.error(f"a {self.name} directive must be inside a post directive")
        text = self.text()
        url = self.options.get("url")
        block: dict[str, Any] = {"kind": self.kind, "text": text}
        if url:
            block["url"] = url
        if self.options.get("source"):
            block["source"] = self.options["source"]
        record["blocks"].append(block)
        return [self.render(text, url)]

    def render(self, text: str, url: str | None) -> nodes.Node:
        para = nodes.paragraph(classes=[f"post-{self.kind}"])
        para.extend(linked_text(text))
        return para


class ImageBlock(BlockDirective):
    kind = "image"

    def render(self, text: str, url: str | None) -> nodes.Node:
        para = nodes.paragraph(classes=["post-image"])
        para += _span("Image", "block-label")
        para += nodes.Text(" ")
        para += nodes.literal(text, text)
        return para


class LinkBlock(BlockDirective):
    kind = "link"

    def render(self, text: str, url: str | None) -> nodes.Node:
        para = nodes.paragraph(classes=[f"post-{self.kind}"])
        para += safe_link(url or text, text)
        return para


class EmbedBlock(LinkBlock):
    """Embedded media: shown as a labelled link, never loaded from the remote site."""

    kind = "embed"

    def render(self, text: str, url: str | None) -> nodes.Node:
        para = super().render(text, url)
        para.insert(0, _span("Embedded media", "block-label"))
        para.insert(1, nodes.Text(" "))
        return para


class CaptureChromeDirective(_ForumDirective):
    """Page chrome the converter removed from post text, listed with its line numbers."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["capture-chrome"])
        label = "Removed from post text as page chrome (line: text):"
        box += nodes.paragraph(label, label, classes=["block-label"])
        box += nodes.literal_block(self.text(), self.text(), classes=["chrome-lines"], language="text")
        return [box]


class QuoteBlock(BlockDirective):
    """Quoted text; ``source`` (a post anchor) makes its heading a link to the quoted post."""

    kind = "quote"

    def render(self, text: str, url: str | None) -> nodes.Node:
        quote = nodes.block_quote(classes=["post-quote"])
        source = self.options.get("source")
        if source:
            head = nodes.paragraph(classes=["quote-source"])
            head += nodes.Text("Quoting ")
            ref = addnodes.pending_xref("", refdomain="forum", reftype="post", reftarget=source,
                                        refexplicit=False, refwarn=True)
            ref += nodes.inline(source, source)
            head += ref
            quote += head
        quote += super().render(text, url)
        return quote


class ArticleBlock(BlockDirective):
    """A pasted external text with what could be recovered about it."""

    kind = "article"
    option_spec: ClassVar[dict[str, Any]] = {
        **BlockDirective.option_spec,
        **{f"meta-{key}": directives.unchanged for key in ARTICLE_META},
    }

    def run(self) -> list[nodes.Node]:
        out = super().run()
        meta = {key: self.options[f"meta-{key}"] for key in ARTICLE_META if f"meta-{key}" in self.options}
        if meta:
            self.env.temp_data["forum:post"]["blocks"][-1]["meta"] = meta
        return out

    def render(self, text: str, url: str | None) -> nodes.Node:
        box = nodes.container(classes=["post-article"])
        about = [self.options.get(f"meta-{key}") for key in ARTICLE_META]
        label = "Pasted article" + "".join(f" · {v}" for v in about if v)
        box += nodes.paragraph(label, label, classes=["block-label"])
        box += super().render(text, url)
        return box


BLOCK_DIRECTIVES: dict[str, type[BlockDirective]] = {
    f"post-{cls.kind}": cls for cls in (BlockDirective, QuoteBlock, ArticleBlock, ImageBlock, EmbedBlock, LinkBlock)
}
