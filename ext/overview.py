"""The overview at the top of each thread page: who takes part, who quoted whom, what is discussed.

Placed before the first post at ``doctree-resolved`` from the facts `ext.threadstats` computed after
reading: the participants with their post counts (linked to their member pages), the quote graph as
an inline SVG picture (`ext.graphsvg`) with the same quotes as a list for readers who cannot see it,
and the register entries named in most posts (linked to their pages). It is left out of the search
index: every name in it is on the page already.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

from . import graphsvg
from .disclosure import make
from .register.domain import FOLDER
from .search import NO_SEARCH
from .threadstats import ThreadFacts

SECTION_ID = "thread-overview"
GRAPH_TITLE = "Who quoted whom in this thread"
CAPTION = ("An arrow points from the member who quoted to the member quoted; thicker arrows are more quotes, "
           "bigger dots more posts. Hollow dots are members quoted from another thread.")


class quote_graph(nodes.General, nodes.Element):
    """The quote graph: ``people`` (name, posts, href) and ``edges`` (source, target, count); written as SVG."""


def _visit_graph(self: HTML5Translator, node: quote_graph) -> None:
    people = [graphsvg.Person(*p) for p in node["people"]]
    edges = [graphsvg.Edge(*e) for e in node["edges"]]
    self.body.append(self.starttag(node, "figure", CLASS="quote-graph"))
    self.body.append(graphsvg.render(people, edges, node["graph_id"], GRAPH_TITLE))
    self.body.append(f'<figcaption>{self.encode(CAPTION)}</figcaption></figure>\n')
    raise nodes.SkipNode


def _skip(self: object, node: nodes.Element) -> None:
    raise nodes.SkipNode  # other formats: the quote list under the picture says the same


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _href(app: Sphinx, docname: str, page: str | None) -> str | None:
    return app.builder.get_relative_uri(docname, page) if page else None


def _name_link(app: Sphinx, docname: str, name: str, page: str | None, classes: list[str]) -> nodes.Node:
    href = _href(app, docname, page)
    if href is None:
        return nodes.inline(name, name, classes=classes)
    return nodes.reference(name, name, internal=True, refuri=href, classes=classes)


def _chips(items: list[tuple[nodes.Node, str]], classes: list[str]) -> nodes.bullet_list:
    out = nodes.bullet_list(classes=classes)
    for link, count in items:
        para = nodes.paragraph()
        para += link
        para += nodes.Text(" ")
        para += nodes.inline(count, count, classes=["ov-count"])
        out += nodes.list_item("", para)
    return out


def _summary(facts: ThreadFacts) -> nodes.paragraph:
    parts = [_plural(facts.posts, "post") + (f" ({facts.removed} removed from the source)" if facts.removed else "")
             + " by " + _plural(facts.participants, "member")]
    quotes = sum(n for _, _, n in facts.edges)
    if quotes:
        parts.append(_plural(quotes, "quote") + " of members' posts")
    if facts.outside:
        parts.append(_plural(facts.outside, "quote") + " of sources outside the corpus")
    text = " · ".join(parts)
    return nodes.paragraph(text, text, classes=["ov-summary"])


def _quote_list(app: Sphinx, docname: str, facts: ThreadFacts) -> nodes.Node:
    items = nodes.bullet_list(classes=["ov-quotes"])
    for a, b, n in sorted(facts.edges, key=lambda e: (-e[2], e[0], e[1])):
        who, whom = facts.people[a], facts.people[b]
        para = nodes.paragraph()
        para += _name_link(app, docname, who.name, who.page, [])
        para += nodes.Text(" quoted ")
        para += _name_link(app, docname, whom.name, whom.page, []) if a != b else nodes.Text("their own post")
        para += nodes.Text(" " + _plural(n, "time"))
        items += nodes.list_item("", para)
    label = "The quotes as a list"
    return make([nodes.inline(label, label)], [items], classes=["ov-quote-list"])


def _heading(text: str) -> nodes.rubric:
    return nodes.rubric(text, text, classes=["ov-heading"], **{"heading-level": 3})


def overview(app: Sphinx, docname: str, thread_id: str, facts: ThreadFacts) -> nodes.section:
    section = nodes.section(ids=[SECTION_ID], classes=["thread-overview", NO_SEARCH])
    section += nodes.title("In this thread", "In this thread")
    section += _summary(facts)
    grid = nodes.container(classes=["ov-grid"])
    people = nodes.container(classes=["ov-people"])
    people += _heading("Participants")
    posters = sorted((p for p in facts.people if p.posts), key=lambda p: -p.posts)  # stable: first post breaks ties
    people += _chips([(_name_link(app, docname, p.name, p.page, ["ov-member"]), _plural(p.posts, "post"))
                      for p in posters], ["ov-participants"])
    grid += people
    if facts.discussed:
        topics = nodes.container(classes=["ov-topics"])
        topics += _heading("Most discussed")
        topics += _chips([(_name_link(app, docname, d.name, f"{FOLDER}/{d.key}", ["mention", f"mention-{d.type}"]),
                           _plural(d.posts, "post")) for d in facts.discussed], ["ov-discussed"])
        grid += topics
    section += grid
    graph = nodes.container(classes=["ov-graph"])
    graph += _heading("Who quoted whom")
    if facts.edges:
        graph += quote_graph(people=[(p.name, p.posts, _href(app, docname, p.page)) for p in facts.people],
                             edges=list(facts.edges), graph_id=f"qg-{thread_id}")
        graph += _quote_list(app, docname, facts)
    else:
        text = "No member quotes another member's post in this thread."
        graph += nodes.paragraph(text, text, classes=["ov-none"])
    section += graph
    return section


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: put the overview before the thread's first post."""
    if app.builder.format != "html":
        return
    facts_by_thread: dict[str, ThreadFacts] = getattr(app.env, "forum_thread_facts", {})
    for section in list(doctree.findall(nodes.section)):
        if "forum-thread" not in section["classes"] or not section["ids"]:
            continue
        facts = facts_by_thread.get(section["ids"][0])
        if facts is None or facts.docname != docname:
            continue
        index = next((i for i, child in enumerate(section.children)
                      if isinstance(child, nodes.container) and "forum-post" in child["classes"]), len(section.children))
        section.insert(index, overview(app, docname, section["ids"][0], facts))


def setup(app: Sphinx) -> None:
    app.add_node(quote_graph, html=(_visit_graph, None), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.connect("doctree-resolved", fill)
