"""Who quotes whom: "Quoted by" on quoted posts, quote headings, and the quote graph of ``corpus.json``.

The reverse map (source post or missing-source id -> quoting posts) is derived from every page, so it
is computed once per build in ``env-updated``, after all pages are read, and kept on the environment.
Pages whose links it changes (a post newly quoted, a source renumbered) are returned from that event
and so re-written without being re-read. At ``doctree-resolved`` the placeholders `ext.quoting` left
are filled in from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .articles import ARTICLES_PAGES, collect_articles
from .collector import replace
from .domain import ForumDomain
from .postlinks import corpus_order, label, post_link, post_links
from .quoting import also_quoted, article_ref, source_ref
from .shards import post_elsewhere

logger = logging.getLogger(__name__)

Snapshot = dict[str, tuple[str | None, tuple[tuple[str, str], ...]]]


def quote_blocks(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The quote blocks of a post, those inside its articles included."""
    for block in blocks:
        if block["kind"] == "quote":
            yield block
        yield from (b for b in block.get("blocks", ()) if b["kind"] == "quote")


def quoted_by(domain: ForumDomain) -> dict[str, list[str]]:
    """Source anchor or missing-source id -> the posts quoting it, in corpus order."""
    out: dict[str, list[str]] = {}
    for anchor in corpus_order(domain):
        for block in quote_blocks(domain.posts[anchor]["blocks"]):
            key = block.get("source") or block.get("missing_source")
            if key and anchor not in out.setdefault(key, []):
                out[key].append(anchor)
    return out


def _snapshot(domain: ForumDomain, quoted: dict[str, list[str]]) -> Snapshot:
    """What the rendered links show: each source's label and its quoters' labels."""
    return {key: (label(domain, key) if key in domain.posts else None,
                  tuple((a, label(domain, a)) for a in quoters)) for key, quoters in quoted.items()}


def update(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: recompute the maps; return the pages whose quote links changed."""
    domain: ForumDomain = env.domains["forum"]  # type: ignore[assignment]
    quoted = quoted_by(domain)
    snapshot = _snapshot(domain, quoted)
    old: Snapshot = getattr(env, "forum_quote_links", {})
    env.forum_quoted_by = quoted  # type: ignore[attr-defined]
    env.forum_quote_links = snapshot  # type: ignore[attr-defined]
    env.forum_articles = collect_articles(domain)  # type: ignore[attr-defined]
    docs: set[str] = set()
    for key in old.keys() | snapshot.keys():
        if old.get(key) == snapshot.get(key):
            continue
        anchors = [key] + [a for a, _ in old.get(key, (None, ()))[1]] + [a for a, _ in snapshot.get(key, (None, ()))[1]]
        docs.update(domain.posts[a]["docname"] for a in anchors if a in domain.posts)
    return sorted(d for d in docs if d in env.all_docs)


def _card(node: nodes.Node) -> str | None:
    """The anchor of the post card ``node`` is in."""
    while node is not None:
        if isinstance(node, nodes.container) and "forum-post" in node["classes"] and node["ids"]:
            return node["ids"][0]
        node = node.parent
    return None


def article_link(app: Sphinx, fromdoc: str, article: str, text: str) -> nodes.Node:
    """A link to the article's entry in the articles index, or just its title where the site has none."""
    pages = sorted(app.env.domains["forum"].data.get(ARTICLES_PAGES, {}))
    if not pages:
        return nodes.inline(text, text, classes=["article-title"])
    return make_refnode(app.builder, fromdoc, pages[0], article, nodes.inline(text, text, classes=["article-title"]), text)


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: quote headings, "also quoted by", article links and "Quoted by" lines."""
    domain: ForumDomain = app.env.domains["forum"]  # type: ignore[assignment]
    quoted: dict[str, list[str]] = getattr(app.env, "forum_quoted_by", {})
    articles: dict[str, dict[str, Any]] = getattr(app.env, "forum_articles", {})
    for node in list(doctree.findall(source_ref)):
        if node["anchor"] in domain.posts:
            replace(node, post_link(app, domain, docname, node["anchor"]))
        elif (elsewhere := post_elsewhere(app, docname, node["anchor"], node.astext())) is not None:
            replace(node, elsewhere)  # a post in another shard of the corpus
        else:
            logger.warning("quote source %r is not a post of the corpus", node["anchor"], location=node,
                           type="forum", subtype="quote")
            replace(node, nodes.inline(node.astext(), node.astext(), classes=["quote-unknown"]))
    for node in list(doctree.findall(also_quoted)):
        others = [a for a in quoted.get(node["missing"], []) if a != _card(node)]
        replace(node, [nodes.Text(" — also quoted by "), *post_links(app, domain, docname, others)] if others else [])
    for node in list(doctree.findall(article_ref)):
        about = articles.get(node["article"], {})
        text = about.get("title") or about.get("outlet") or node.astext()
        replace(node, article_link(app, docname, node["article"], text))
    for card in doctree.findall(nodes.container):
        if "forum-post" not in card["classes"] or not card["ids"]:
            continue
        quoters = [a for a in quoted.get(card["ids"][0], []) if a != card["ids"][0]]
        quoters.sort(key=lambda a: domain.posts[a]["docname"] != docname)  # this thread's replies first
        if quoters:
            para = nodes.paragraph(classes=["post-quoted-by"])
            para += nodes.Text("Quoted by ")
            para.extend(post_links(app, domain, docname, quoters))
            card += para


def quote_graph(domain: ForumDomain, order: list[str]) -> list[dict[str, Any]]:
    """The thread's quotes as edges: quoting post -> source post (or missing source), with article and score."""
    return [{"post": anchor, "source": b.get("source"), "missing_source": b.get("missing_source"),
             "article": b.get("article"), "score": b.get("score")}
            for anchor in order for b in quote_blocks(domain.posts[anchor]["blocks"])]
