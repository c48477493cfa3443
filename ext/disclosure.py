"""Disclosure nodes: HTML ``<details>``/``<summary>``, which open and close without any script.

Used for long pasted articles (`ext.articlefold`) and the quote list of a thread's overview. Other
builders (LaTeX, text, man, Texinfo) write the content in full and leave the summary out.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

OTHER_FORMATS = ("latex", "text", "man", "texinfo")


class disclosure(nodes.General, nodes.Element):
    """A ``<details>`` element; ``open=True`` shows its content at first.

    ``html_only=True`` leaves it out of other formats (class ``no-search`` keeps it out of the search, `ext.search`).
    """


class disclosure_summary(nodes.General, nodes.TextElement):
    """The always-visible label of a `disclosure`."""


def make(summary: list[nodes.Node], body: list[nodes.Node], classes: list[str], open_: bool = False,
         html_only: bool = False) -> disclosure:
    box = disclosure(classes=classes, open=open_, html_only=html_only)
    box += disclosure_summary("", "", *summary)
    box.extend(body)
    return box


def _visit_details(self: HTML5Translator, node: disclosure) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", **attributes))


def _depart_details(self: HTML5Translator, node: disclosure) -> None:
    self.body.append("</details>\n")


def _visit_summary(self: HTML5Translator, node: disclosure_summary) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def _depart_summary(self: HTML5Translator, node: disclosure_summary) -> None:
    self.body.append("</summary>\n")


def _pass(self: Any, node: nodes.Element) -> None:
    """Elsewhere the content is simply written out, unless it only makes sense on the web."""
    if node.get("html_only"):
        raise nodes.SkipNode


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(disclosure, html=(_visit_details, _depart_details), **{f: (_pass, _pass) for f in OTHER_FORMATS})
    app.add_node(disclosure_summary, html=(_visit_summary, _depart_summary), **{f: (_skip, None) for f in OTHER_FORMATS})
