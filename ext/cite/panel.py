"""The "Cite" control on every post card and thread page: formatted citations and exports to copy.

The directives leave a `cite_placeholder`; at ``doctree-resolved`` (all posts and threads known, the
builder's URLs available) it becomes a ``<details>`` element, which opens and closes without
JavaScript. Inside: the permanent link, the citation in each configured CSL style, and the record as
BibTeX, RIS and CSL-JSON. ``static/cite.js`` adds copy buttons; without it everything stays
selectable text. The panel is left out of the search index and out of non-HTML output.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from . import corpus
from .downloads import download_links
from .formats import FORMATS
from .records import Record, Settings
from .render import render


class cite_placeholder(nodes.General, nodes.Element):
    """Where a post's (``kind="post"``) or thread's (``kind="thread"``) cite control goes."""


class details(nodes.General, nodes.Element):
    """An HTML ``<details>`` disclosure element."""


class summary(nodes.General, nodes.TextElement):
    """The always-visible label of a `details` element."""


def placeholder(kind: str, target: str) -> cite_placeholder:
    return cite_placeholder(kind=kind, target=target)


def visit_details(self: HTML5Translator, node: details) -> None:
    self.body.append(self.starttag(node, "details"))


def depart_details(self: HTML5Translator, node: details) -> None:
    self.body.append("</details>\n")


def visit_summary(self: HTML5Translator, node: summary) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary(self: HTML5Translator, node: summary) -> None:
    self.body.append("</summary>\n")


def skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _labelled(label: str, *body: nodes.Node) -> nodes.container:
    box = nodes.container(classes=["cite-entry"])
    box += nodes.paragraph(label, label, classes=["cite-label"])
    box.extend(body)
    return box


def _link(url: str, anchor: str) -> nodes.paragraph:
    """The permanent link; relative URLs point at the anchor so the browser resolves (and copies) them."""
    para = nodes.paragraph(classes=["cite-link"])
    para += nodes.inline("Link", "Link", classes=["cite-label"])
    para += nodes.Text(" ")
    href = url if url.startswith(("http://", "https://")) else f"#{anchor}"
    para += nodes.reference(url, url, refuri=href, classes=["cite-copy"])
    return para


def cite_control(record: Record, extra: list[Record], styles: dict[str, str], what: str) -> details:
    """The control for one record (a post or thread); ``extra`` are records shown with it (pasted articles)."""
    box = details(classes=["cite", f"cite-{what}", "no-search"])
    box += summary("Cite", "Cite")
    body = nodes.container(classes=["cite-body"])
    body += _link(record["URL"], str(record["id"]))  # post anchors and thread ids are the elements' ids
    for label, style in styles.items():
        body += _labelled(label, nodes.paragraph("", "", *render(record, style), classes=["cite-text", "cite-copy"]))
    for label, (_, writer) in FORMATS.items():
        text = writer([record]).rstrip("\n")
        block = nodes.literal_block(text, text, classes=["cite-code", "cite-copy"], language="none")
        body += _labelled(label, block)
    for article in extra:
        title = article.get("title") or article.get("URL", "")
        rendered = [nodes.paragraph("", "", *render(article, style), classes=["cite-text", "cite-copy"])
                    for style in styles.values()]
        body += _labelled(f"Pasted article: {title}", *rendered)
    box += body
    return box


def fill_cite_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(cite_placeholder))
    if not placeholders:
        return
    if app.builder.format != "html":
        for node in placeholders:
            node.parent.remove(node)
        return
    settings = Settings.from_config(app.config)
    forum = corpus.domain(app)
    for node in placeholders:
        kind, target = node["kind"], node["target"]
        table = forum.posts if kind == "post" else forum.threads
        if target not in table or table[target]["docname"] != docname:  # a duplicate id: warned at read time
            node.parent.remove(node)
            continue
        if kind == "post":
            record, *articles = corpus.records_of_post(app, target, settings)
        else:
            record, articles = corpus.record_of_thread(app, target, settings), []
        control = cite_control(record, articles, app.config.forum_citation_styles, kind)
        if kind == "thread":
            every = nodes.paragraph("", "Every post of this thread: ", classes=["cite-downloads"])
            every.extend(download_links(app, docname, docname))
            control[-1] += every
        node.replace_self(control)
