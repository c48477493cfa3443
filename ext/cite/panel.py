"""The "Cite" controls: a full one on each thread page, and on each post card a link to its citations.

The directives leave a `cite_placeholder`. At ``doctree-read`` (the page is parsed, its thread and
posts are in the domain) the citations are rendered: that is the slow part (citeproc-py), so it runs
in the parallel read phase and is kept between builds. A thread's go into its placeholder; a post's
are kept in the ``forum`` domain (``citations``, by page) for the thread's citation page
(`ext.cite.pages`), so a thread page does not carry six citation blocks per post.

At ``doctree-resolved`` (the builder's URLs known) a thread placeholder becomes a ``<details>``
element, which opens and closes without JavaScript, holding the permanent link, the citation in each
configured CSL style and the record as BibTeX, RIS and CSL-JSON; a post placeholder becomes a "Cite"
link to the post's entry on the citation page. ``static/cite.js`` adds copy buttons; without it
everything stays selectable text. Controls are left out of the search index and of non-HTML output.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..collector import remove, replace
from ..disclosure import disclosure, make
from ..search import NO_SEARCH
from . import corpus
from .downloads import citation_page, download_links
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
    """A ``doctree-read`` hook: render each placeholder's citations, the record's URL left as a slot."""
    settings = Settings.from_config(app.config)
    styles = list(app.config.forum_citation_styles.items())
    docname = app.env.docname
    posts: dict[str, dict[str, list]] = corpus.domain(app).data["citations"].setdefault(docname, {})
    for node in doctree.findall(cite_placeholder):
        records = _records(app, node, docname, settings, page="")
        if records is None:
            continue
        record, *articles = records
        node["rendered"] = True
        if node["kind"] == "post":
            posts[node["target"]] = {"post": [render_marked(record, s) for _, s in styles],
                                     "articles": [[render_marked(a, s) for _, s in styles] for a in articles]}
            continue
        node.extend(_labelled(label, _cited(record, style)) for label, style in styles)


def _citation_page_uri(app: Sphinx, docname: str) -> str:
    """The thread's citation page, relative to the thread page."""
    return relative_uri(app.builder.get_target_uri(docname), app.builder.get_target_uri(citation_page(app, docname)))


def _post_link(citations: str, anchor: str) -> nodes.paragraph:
    """A post's "Cite": a link to its entry on its thread's citation page (at ``citations``)."""
    para = nodes.paragraph(classes=["cite", "cite-post", NO_SEARCH])
    para += nodes.reference("Cite", "Cite", refuri=f"{citations}#{anchor}", classes=["cite-page-link"],
                            reftitle="Citations of this post: APA, MLA, Chicago, BibTeX, RIS, CSL-JSON")
    return para


def fill_cite_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A ``doctree-resolved`` hook: each placeholder becomes its control (HTML builders; removed elsewhere)."""
    placeholders = list(doctree.findall(cite_placeholder))
    settings = Settings.from_config(app.config)
    citations = _citation_page_uri(app, docname) if placeholders else ""
    for node in placeholders:
        if app.builder.format != "html" or not node.get("rendered"):
            remove(node)
        elif node["kind"] == "post":
            replace(node, _post_link(citations, node["target"]))
        elif (records := _records(app, node, docname, settings, page=None)) is not None:
            replace(node, _thread_control(app, docname, node, records[0], citations))
        else:
            remove(node)


def _thread_control(app: Sphinx, docname: str, node: cite_placeholder, record: Record, citations: str) -> disclosure:
    """The thread's control: its link, its pre-rendered citations, exports, and where every post's are."""
    body = nodes.container(classes=["cite-body"])
    body += _link(record["URL"], str(record["id"]))  # thread ids are the thread sections' ids
    for entry in list(node.children):  # the placeholder is replaced, so its entries move into the control
        fill_url(entry, record["URL"])
        body += entry
    for label, (_, writer) in FORMATS.items():
        text = writer([record]).rstrip("\n")
        # rawsource differs from the text: Sphinx writes a plain <pre> (no Pygments, which costs ~1 ms a block)
        body += _labelled(label, nodes.literal_block("", text, classes=["cite-code", "cite-copy"]))
    every = nodes.paragraph("", "Every post of this thread: ", classes=["cite-downloads"])
    every.extend(download_links(app, docname, docname))
    every += nodes.Text(" · ")
    every += nodes.reference("each post's citations", "each post's citations", refuri=citations,
                             classes=["cite-download"])
    body += every
    return make([nodes.Text("Cite")], [body], classes=["cite", "cite-thread", NO_SEARCH], html_only=True)
