"""Directives of converter-written pages: ``thread``, ``post``, the ``post-*`` blocks and ``capture-chrome``.

They build plain docutils nodes (sections, containers, paragraphs, literal text) so every builder
can write them, and record each thread and post in the ``forum`` domain. User text comes only from
option values and `textlines`; it always becomes ``Text`` nodes, never parsed markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import DirectiveError, directives
from sphinx.util.docutils import SphinxDirective

from .cite.panel import placeholder as cite_placeholder
from .domain import ForumDomain
from .inline import SAFE_SCHEMES, Span, parse_links, with_links
from .register.directives import ThreadRegisterDirective
from .register.mentions import Mention, mark_mentions, parse_mentions
from .textlines import MalformedLine, decode_text
from .written import Fence, fences, read_options

URL = re.compile(r"https?://[^\s<>\"'`]+")
STATUS_NOTES = {"deleted": "Deleted on the forum (shown to its moderators)",
                "moderated": "Awaiting moderator approval on the forum"}


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


def _status(value: str) -> str:
    return directives.choice(value, tuple(STATUS_NOTES))


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

    def _parse_fences(self, node: nodes.Element, read: Callable[[Fence], list[nodes.Node] | None]) -> None:
        """The body into ``node``: each fence ``read`` makes nodes of without MyST (`ext.written`), the rest, and a
        body that is not all fences, through MyST."""
        found = fences(self.content)
        if found is None:
            self.state.nested_parse(self.content, self.content_offset, node)
            return
        for fence in found:
            made = read(fence)
            if made is None:
                lines = self.content[fence.start:fence.end + 1]
                self.state.nested_parse(lines, self.content_offset + fence.start, node)
            else:
                node.extend(made)

    def _written_block(self, fence: Fence) -> list[nodes.Node] | None:
        """A block fence exactly as the converter writes it (three backticks, no argument, options in the
        written form), run by its block directive without MyST parsing it; ``None`` for anything else, and
        for a block its directive refuses: MyST reads that one again and reports the error at its line."""
        directive = BlockDirective.written_forms.get(fence.name)
        if directive is None or not fence.written(fence.name) or fence.argument is not None:
            return None
        try:
            return self._run_written(directive, fence, [])
        except DirectiveError:  # raised before the block changed anything
            return None

    def _run_written(self, directive: type[SphinxDirective], fence: Fence,
                     arguments: list[str]) -> list[nodes.Node] | None:
        """``directive`` run on ``fence`` as MyST would run it, its options read in the written form
        (`ext.written`); ``None`` where they are not in it."""
        options = read_options(self.content, fence.start + 1, directive.option_spec or {})
        if options is None:
            return None
        return directive(fence.name, arguments, options[0], self.content[options[1]:fence.end],
                         self.content_offset + fence.start + 1, self.content_offset + options[1], "",
                         self.state, self.state_machine).run()


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
        self._parse_fences(section, self._written_post)
        self.env.temp_data.pop("forum:thread", None)
        return [section]

    def _written_post(self, fence: Fence) -> list[nodes.Node] | None:
        """A fence exactly as the converter writes a post, or the thread's register block, run by its
        directive without MyST."""
        if fence.written("thread-register", ticks=5) and fence.argument is None:
            return self._run_written(ThreadRegisterDirective, fence, [])
        if fence.written("post", ticks=5) and fence.argument is not None:
            return self._run_written(PostDirective, fence, [fence.argument])
        return None


class PostDirective(_ForumDirective):
    """One post as a card: header (author, title, position, date, edited, permalink) and its blocks."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "author": directives.unchanged_required, "user-title": directives.unchanged,
        "n": directives.nonnegative_int, "date": directives.unchanged, "edited": directives.flag,
        "edited-date": directives.unchanged, "tombstone": directives.flag,
        "source-id": directives.unchanged, "lines": directives.unchanged, "retrieved": directives.unchanged,
        "status": _status, "status-note": directives.unchanged,
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
            "status": opts.get("status"), "status_note": opts.get("status-note", ""),
        }
        classes = ["forum-post"] + (["post-tombstone"] if record["tombstone"] else [])
        classes += [f"post-{record['status']}"] if record["status"] else []
        card = nodes.container(ids=[anchor], classes=classes)
        card += self._header(anchor, record)
        card += cite_placeholder("post", anchor)
        body = nodes.container(classes=["post-body"])
        if record["tombstone"]:
            note = "This post is no longer in the source. Its last captured text follows."
            body += nodes.paragraph(note, note, classes=["tombstone-note"])
        if record["status"]:
            notice = nodes.paragraph(classes=["status-note"])
            notice += _span(STATUS_NOTES[record["status"]], "status-label")
            if record["status_note"]:
                notice += nodes.Text(": ")
                notice += _span(record["status_note"], "status-text")
            body += notice
        self.env.temp_data["forum:post"] = record
        self._parse_fences(body, self._written_block)
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
    written_forms: ClassVar[dict[str, type[BlockDirective]]] = {}  # directive name: class, each kind's
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"url": directives.unchanged, "source": directives.unchanged,
                                             "source-id": directives.unchanged, "links": directives.unchanged,
                                             "mentions": directives.unchanged}
    spans: list[Span]
    mentions: list[Mention]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        BlockDirective.written_forms[f"post-{cls.kind}"] = cls

    def run(self) -> list[nodes.Node]:
        record = self.env.temp_data.get("forum:post")
        if record is None:
            raise self.error(f"a {self.name} directive must be inside a post directive")
        text = self.text()
        try:
            block, self.spans, self.mentions = block_record(self.kind, text, self.options)
        except ValueError as err:
            raise self.error(f"{self.name}: {err}") from None
        self.describe(block)
        self.env.temp_data.get("forum:blocks", record["blocks"]).append(block)  # an article's parts go into it
        return [self.render(text, self.options.get("url"))]

    def describe(self, block: dict[str, Any]) -> None:
        """Add what this kind of block records beyond kind, text, url and source (see `ext.quoting`)."""

    def render(self, text: str, url: str | None) -> nodes.Node:
        return text_paragraph(self.kind, text, self.spans, self.mentions)


def block_record(kind: str, text: str, options: dict[str, Any]) -> tuple[dict[str, Any], list[Span], list[Mention]]:
    """A block's domain record, its links and its mentions (a `ValueError` names a bad option)."""
    spans = parse_links(options.get("links", "[]"), len(text))
    mentions = parse_mentions(options.get("mentions", ""), len(text))
    block: dict[str, Any] = {"kind": kind, "text": text}
    if options.get("url"):
        block["url"] = options["url"]
    if options.get("source"):
        block["source"] = options["source"]
    if options.get("source-id"):
        block["source_id"] = options["source-id"]
    if spans:
        block["links"] = [span.record() for span in spans]
    if mentions:
        block["mentions"] = [{"entity": m.key, "text": text[m.start:m.end], "start": m.start, "end": m.end}
                             for m in mentions]
    return block, spans, mentions


def text_paragraph(kind: str, text: str, spans: list[Span], mentions: list[Mention]) -> nodes.paragraph:
    para = nodes.paragraph(classes=[f"post-{kind}"])
    para.extend(with_links(text, spans, linked_text))
    mark_mentions(para, mentions)
    return para


class ImageBlock(BlockDirective):
    kind = "image"

    def render(self, text: str, url: str | None) -> nodes.Node:
        para = nodes.paragraph(classes=["post-image"])
        para += _span("Image", "block-label")
        para += nodes.Text(" ")
        para += _span(text, "image-name")  # not a literal: Sphinx would turn runs of spaces into no-break spaces
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


BlockDirective.written_forms["post-text"] = BlockDirective
BLOCK_DIRECTIVES: dict[str, type[BlockDirective]] = {
    f"post-{cls.kind}": cls for cls in (BlockDirective, ImageBlock, EmbedBlock, LinkBlock)
}
