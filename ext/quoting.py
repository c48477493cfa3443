"""The ``post-quote`` and ``post-article`` directives: quotes headed by their source, articles with their parts.

A quote names its source post by anchor; the heading's link ("night driver, post 7"), the article
it quotes and the other posts quoting the same missing text are placeholders filled in once every
page is read (`ext.backlinks`). An article holds its parts (text, quotes, media) as nested block
directives, recorded inside the article's own record. All text stays plain ``Text`` nodes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from .directives import BlockDirective, _ForumDirective, _span, safe_link

ARTICLE_META = ("title", "author", "outlet", "date")
PART_FENCE = "```"  # an article's parts are fenced with three backticks (the article with four)


class source_ref(nodes.Inline, nodes.TextElement):
    """Placeholder: a link to the quoted post (``anchor``); its text is the quoted member's name until filled."""


class article_ref(nodes.Inline, nodes.TextElement):
    """Placeholder: a link to the ``article``'s entry in the articles index."""


class also_quoted(nodes.Inline, nodes.Element):
    """Placeholder: the other posts that quote the same ``missing`` source."""


def _score(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError(f"a score is between 0 and 1, got {value}")
    return number


class QuoteBlock(BlockDirective):
    """Quoted text, headed by where it comes from: a post, an article, or a source not in the corpus."""

    kind = "quote"
    option_spec: ClassVar[dict[str, Any]] = {
        **BlockDirective.option_spec, "meta-author": directives.unchanged, "score": _score,
        "article": directives.unchanged, "missing-source": directives.unchanged,
    }

    def describe(self, block: dict[str, Any]) -> None:
        opts = self.options
        block.update(source=opts.get("source"), source_author=opts.get("meta-author"), score=opts.get("score"),
                     article=opts.get("article"), missing_source=opts.get("missing-source"))

    def render(self, text: str, url: str | None) -> nodes.Node:
        opts = self.options
        quote = nodes.block_quote(classes=["post-quote"])
        head = nodes.paragraph(classes=["quote-source"])
        head += nodes.Text("Quoting ")
        if opts.get("source"):
            author = opts.get("meta-author") or opts["source"]
            head += source_ref(author, author, anchor=opts["source"])
        else:
            who = opts.get("meta-author")  # the markup may name who even when the post is not in the corpus
            head += _span(who, "quote-author") if who else _span("an unknown source", "quote-unknown")
            if opts.get("source-id"):
                head += _span(f" (forum post {opts['source-id']}, not in this corpus)", "quote-outside")
            if opts.get("missing-source"):
                head += also_quoted(missing=opts["missing-source"])
        if opts.get("article"):
            head += nodes.Text(" · from the article ")
            head += article_ref(opts["article"], opts["article"], article=opts["article"])
        if opts.get("score") is not None:
            head += _span(f" · match {opts['score']:.0%}", "quote-score")
        quote += head
        quote += super().render(text, url)
        return quote


def _outside_parts(lines: list[str]) -> str | None:
    """The first non-blank line of an article's content that is not inside a ``post-*`` directive."""
    inside = False
    for line in lines:
        if inside:
            inside = line != PART_FENCE
        elif line.startswith(PART_FENCE + "{post-"):
            inside = True
        elif line.strip():
            return line
    return None


class ArticleBlock(_ForumDirective):
    """A pasted external text: what could be recovered about it, then its parts (nested block directives)."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "url": directives.unchanged, "article": directives.unchanged,
        **{f"meta-{key}": directives.unchanged for key in ARTICLE_META},
    }

    def run(self) -> list[nodes.Node]:
        record = self.env.temp_data.get("forum:post")
        if record is None:
            raise self.error("a post-article directive must be inside a post directive")
        if "forum:blocks" in self.env.temp_data:
            raise self.error("an article cannot hold another article")
        if stray := _outside_parts(self.content):
            raise self.error(f"a post-article holds only post-* block directives, not text: {stray[:40]!r}")
        meta = {key: self.options[f"meta-{key}"] for key in ARTICLE_META if f"meta-{key}" in self.options}
        block: dict[str, Any] = {"kind": "article", "text": "", "article": self.options.get("article"),
                                 "meta": meta, "url": self.options.get("url"), "blocks": []}
        record["blocks"].append(block)
        box = nodes.container(classes=["post-article"])
        box += self._label(block)
        self.env.temp_data["forum:blocks"] = block["blocks"]
        try:
            self._parse_fences(box, self._written_block)
        finally:
            del self.env.temp_data["forum:blocks"]
        block["text"] = "\n\n".join(part["text"] for part in block["blocks"])
        return [box]

    def _label(self, block: dict[str, Any]) -> nodes.paragraph:
        meta = block["meta"]
        label = nodes.paragraph(classes=["block-label", "article-label"])
        label += nodes.Text("Pasted article")
        title = meta.get("title") or meta.get("outlet") or block["article"] or ""
        if block["article"]:
            label += nodes.Text(" ")
            label += article_ref(title, title, article=block["article"])
        elif title:
            label += nodes.Text(f" {title}")
        for key in ("author", "outlet", "date"):
            if meta.get(key) and meta[key] != title:
                label += nodes.Text(f" · {meta[key]}")
        if block["url"]:
            label += nodes.Text(" · ")
            label += safe_link(block["url"], block["url"])
        return label


DIRECTIVES = {"post-quote": QuoteBlock, "post-article": ArticleBlock}
NODES = (source_ref, article_ref, also_quoted)
