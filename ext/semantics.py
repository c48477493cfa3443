"""Post cards announced as articles to assistive technology: ``role="article"`` and a name ("Post 7 by night driver").

A screen reader then lists the thread's posts and jumps from one to the next (the article landmark
navigation of NVDA, JAWS and VoiceOver), and tells whose post it is on entering it. The card stays a
``<div>`` (stylesheets and scripts select it by class); only the HTML writer of docutils containers
is wrapped, and every other container is written as before.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


def card_name(post: dict) -> str:
    where = f"Post {post['n']}" if post.get("n") else "Removed post"
    return f"{where} by {post['author']}"


def visit_container(self: HTML5Translator, node: nodes.container) -> None:
    post = None
    if "forum-post" in node["classes"] and node["ids"]:
        post = self.builder.env.domains["forum"].posts.get(node["ids"][0])  # type: ignore[attr-defined]
    if post is None:
        type(self).visit_container(self, node)
        return
    node.html5tagname = "div"
    self.body.append(self.starttag(node, "div", CLASS="docutils container", role="article",
                                   **{"aria-label": card_name(post)}))


def depart_container(self: HTML5Translator, node: nodes.container) -> None:
    type(self).depart_container(self, node)


def setup(app: Sphinx) -> None:
    app.add_node(nodes.container, override=True, html=(visit_container, depart_container))
