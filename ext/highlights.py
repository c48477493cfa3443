"""``{register-highlights}``: the people, places and organisations the corpus names most (for the home page).

Counts are the register's own (`ext.register.pages.mention_index`: a member's own words and pasted
articles; text quoted from another post is not counted again), so they match the A–Z indexes. The
directive leaves a placeholder filled at ``doctree-resolved``; its page is a corpus listing, so it is
re-written whenever any page changed.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .register.domain import FOLDER, RegisterDomain
from .register.pages import PLURALS, TITLES, mention_index

TOP = 8


class register_highlights(nodes.General, nodes.Element):
    """Placeholder for the most named entries; always replaced before writing."""


class RegisterHighlightsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.domains["forum"].listings[self.env.docname] = True
        return [register_highlights()]


def _column(app: Sphinx, docname: str, kind: str, ranked: list[tuple[str, int]], total: int) -> nodes.container:
    register: RegisterDomain = app.env.domains["register"]  # type: ignore[assignment]
    column = nodes.container(classes=["hl-column", f"hl-{kind}"])
    column += nodes.rubric(TITLES[kind], TITLES[kind], classes=["hl-heading"], **{"heading-level": 3})
    items = nodes.enumerated_list(classes=["hl-list"])
    for key, count in ranked[:TOP]:
        record = register.view[key]
        para = nodes.paragraph()
        para += nodes.reference(record["name"], record["name"], internal=True,
                                refuri=app.builder.get_relative_uri(docname, register.page(key)),
                                classes=["mention", f"mention-{kind}"])
        text = f"{count} mention{'s' * (count != 1)}"
        para += nodes.Text(" ")
        para += nodes.inline(text, text, classes=["hl-count"])
        items += nodes.list_item("", para)
    column += items
    more = nodes.paragraph(classes=["hl-more"])
    label = f"All {total} {PLURALS[kind]} A–Z"
    more += nodes.reference(label, label, internal=True,
                            refuri=app.builder.get_relative_uri(docname, f"{FOLDER}/{PLURALS[kind]}"))
    column += more
    return column


def highlights(app: Sphinx, docname: str) -> list[nodes.Node]:
    register: RegisterDomain = app.env.domains["register"]  # type: ignore[assignment]
    index = mention_index(app.env.domains["forum"])  # type: ignore[arg-type]
    counts = {key: sum(not o.quoted for o in found) for key, found in index.mentions.items() if key in register.view}
    box = nodes.container(classes=["register-highlights"])
    for kind in PLURALS:
        keys = [k for k, r in register.view.items() if r["type"] == kind]
        ranked = sorted(((k, counts.get(k, 0)) for k in keys if counts.get(k)),
                        key=lambda kc: (-kc[1], register.view[kc[0]]["name"].casefold(), kc[0]))
        if ranked:
            box += _column(app, docname, kind, ranked, len(keys))
    if not box.children:
        return []
    heading = "Most named in the corpus"
    return [nodes.rubric(heading, heading, classes=["hl-title"], **{"heading-level": 2}), box]


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(register_highlights)):
        node.replace_self(highlights(app, docname) if app.builder.format == "html" else [])


def setup(app: Sphinx) -> None:
    app.add_node(register_highlights)
    app.add_directive("register-highlights", RegisterHighlightsDirective)
    app.connect("doctree-resolved", fill)
