"""The "Cite" control on every post card and thread page: formatted citations and exports to copy.

The directives leave a `cite_placeholder`. At ``doctree-read`` (the page is parsed, its thread and
posts are in the domain) the citations are rendered into it: that is the slow part (citeproc-py), so
it runs in the parallel read phase and is kept with the page between builds. At ``doctree-resolved``
(the builder's URLs known) the placeholder becomes a ``<details>`` element, which opens and closes
without JavaScript, holding the permanent link, the citation in each configured CSL style and the
record as BibTeX, RIS and CSL-JSON. ``static/cite.js`` adds copy buttons; without it everything
stays selectable text. The control is left out of the search index and out of non-HTML output.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..disclosure import disclosure, make
from . import corpus
from .downloads import download_links
from .formats import FORMATS
from .records import Record, Settings
from .render import fill_url, marked_to_nodes, render_marked


class cite_placeholder(nodes.General, nodes.Element):
    """Where a post's (``kind="post"``) or thread's (``kind="thread"``) cite control goes."""


def placeholder(kind: str, target: str) -> cite_placeholder:
    return cite_placeholder(kind=kind, target=target)


def _labelled(label: str, *body: nodes.Node, classes: tuple[str, ...] = ()) -> nodes.container:
    box = nodes.container(classes=["cite-entry", *classes])
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


def _cited(record: Record, style: str) -> nodes.paragraph:
    parts = marked_to_nodes(render_marked(record, style))
    return nodes.paragraph("", "", *parts, classes=["cite-text", "cite-copy"])


def _records(app: Sphinx, node: cite_placeholder, docname: str, settings: Settings,
             page: str | None) -> list[Record] | None:
    """The placeholder's record, then its pasted articles' records; ``None`` if the target is on another page."""
    kind, target = node["kind"], node["target"]
    table = corpus.domain(app).posts if kind == "post" else corpus.domain(app).threads
    if target not in table or table[target]["docname"] != docname:  # a duplicate id, warned by the domain
        return None
    if kind == "post":
        return corpus.records_of_post(app, target, settings, page)
    return [corpus.record_of_thread(app, target, settings, page)]


def prerender_citations(app: Sphinx, doctree: nodes.document) -> None:
    """A ``doctree-read`` hook: render each placeholder's citations into it, the record's URL left as a slot."""
    settings = Settings.from_config(app.config)
    styles = app.config.forum_citation_styles
    for node in doctree.findall(cite_placeholder):
        records = _records(app, node, app.env.docname, settings, page="")
        if records is None:
            continue
        record, *articles = records
        node["rendered"] = True
        node.extend(_labelled(label, _cited(record, style)) for label, style in styles.items())
        for article in articles:
            title = article.get("title") or article.get("URL", "")
            entry = _labelled(f"Pasted article: {title}", *(_cited(article, s) for s in styles.values()),
                              classes=("cite-article",))
            fill_url(entry, article.get("URL", ""))  # an article's URL is its own, known now
            node += entry


def cite_control(node: cite_placeholder, record: Record) -> disclosure:
    """The control for one post or thread: its link, pre-rendered citations, exports and pasted articles."""
    body = nodes.container(classes=["cite-body"])
    body += _link(record["URL"], str(record["id"]))  # post anchors and thread ids are the elements' ids
    entries = list(node.children)  # the placeholder is replaced, so its entries move into the control
    for entry in entries:
        fill_url(entry, record["URL"])
    body.extend(e for e in entries if "cite-article" not in e["classes"])
    for label, (_, writer) in FORMATS.items():
        text = writer([record]).rstrip("\n")
        # rawsource differs from the text: Sphinx writes a plain <pre> (no Pygments, which costs ~1 ms a block)
        body += _labelled(label, nodes.literal_block("", text, classes=["cite-code", "cite-copy"]))
    body.extend(e for e in entries if "cite-article" in e["classes"])
    return make([nodes.Text("Cite")], [body], classes=["cite", f"cite-{node['kind']}", "no-search"],
                search=False, html_only=True)


def fill_cite_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A ``doctree-resolved`` hook: each placeholder becomes its control (HTML builders; removed elsewhere)."""
    placeholders = list(doctree.findall(cite_placeholder))
    settings = Settings.from_config(app.config)
    for node in placeholders:
        records = _records(app, node, docname, settings, page=None) if app.builder.format == "html" else None
        if records is None or not node.get("rendered"):
            node.parent.remove(node)
            continue
        control = cite_control(node, records[0])
        if node["kind"] == "thread":
            every = nodes.paragraph("", "Every post of this thread: ", classes=["cite-downloads"])
            every.extend(download_links(app, docname, docname))
            control[-1] += every
        node.replace_self(control)
