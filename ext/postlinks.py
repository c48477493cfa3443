"""Links to posts as readers see them: "night driver, post 7" on its own page, with the thread title elsewhere."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.nodes import make_refnode

from .domain import ForumDomain, post_label


def corpus_order(domain: ForumDomain) -> list[str]:
    """Every post anchor, threads in page order, posts in thread order."""
    threads = sorted(domain.threads.values(), key=lambda t: t["docname"])
    return [anchor for thread in threads for anchor in thread["order"] if anchor in domain.posts]


def label(domain: ForumDomain, anchor: str) -> str:
    """The post's full name: author, position and thread title."""
    post = domain.posts[anchor]
    return post_label(post, domain.threads.get(post["thread"]))


def post_link(app: Sphinx, domain: ForumDomain, fromdoc: str, anchor: str) -> nodes.Node:
    post = domain.posts[anchor]
    short = f"{post['author']}, " + (f"post {post['n']}" if post.get("n") else "removed post")
    text = short if post["docname"] == fromdoc else label(domain, anchor)
    return make_refnode(app.builder, fromdoc, post["docname"], anchor, nodes.inline(text, text), text)


def post_links(app: Sphinx, domain: ForumDomain, fromdoc: str, anchors: list[str]) -> list[nodes.Node]:
    """Links to ``anchors`` (posts of the corpus), separated by semicolons."""
    out: list[nodes.Node] = []
    for anchor in (a for a in anchors if a in domain.posts):
        if out:
            out.append(nodes.Text("; "))
        out.append(post_link(app, domain, fromdoc, anchor))
    return out
