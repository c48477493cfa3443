"""The articles index (``{forum-articles}``): every pasted article, with the posts that carry or quote it.

Articles are collected from the post records of the ``forum`` domain (article blocks and quotes of
articles) once per build, in ``env-updated`` (`ext.backlinks.update`). The directive leaves a
placeholder filled at ``doctree-resolved``; its page is a corpus listing, so it is re-written
whenever any page changed. ``corpus.json`` gets the same list, and article blocks with their
details as top-level fields.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .directives import safe_link
from .domain import ForumDomain
from .postlinks import corpus_order, post_links

ARTICLES_PAGES = "article_pages"  # domain table: documents holding the articles index
ARTICLE_FIELDS = ("title", "author", "outlet", "date")


class articles_index(nodes.General, nodes.Element):
    """Placeholder for the articles index; always replaced before writing."""


class ArticlesIndexDirective(SphinxDirective):
    """``{forum-articles}``: the list of every article in the corpus."""

    def run(self) -> list[nodes.Node]:
        domain = self.env.domains["forum"]
        domain.listings[self.env.docname] = True
        domain.data[ARTICLES_PAGES][self.env.docname] = True
        return [articles_index()]


def collect_articles(domain: ForumDomain) -> dict[str, dict[str, Any]]:
    """Article id -> its details (from the first paste that has each) and the posts pasting and quoting it."""
    articles: dict[str, dict[str, Any]] = {}

    def entry(article: str) -> dict[str, Any]:
        return articles.setdefault(article, {"id": article, **dict.fromkeys(ARTICLE_FIELDS), "url": None,
                                             "posts": [], "quoted_by": []})

    for anchor in corpus_order(domain):
        for block in domain.posts[anchor]["blocks"]:
            if block["kind"] == "article" and block.get("article"):
                found = entry(block["article"])
                for key, value in [*block.get("meta", {}).items(), ("url", block.get("url"))]:
                    found[key] = found.get(key) or value
                if anchor not in found["posts"]:
                    found["posts"].append(anchor)
            parts = block.get("blocks", []) if block["kind"] == "article" else [block]
            for part in parts:
                if part["kind"] == "quote" and part.get("article") and anchor not in entry(part["article"])["quoted_by"]:
                    entry(part["article"])["quoted_by"].append(anchor)
    return articles


def _entry(app: Sphinx, domain: ForumDomain, docname: str, article: dict[str, Any]) -> nodes.list_item:
    item = nodes.list_item(ids=[article["id"]], classes=["article-entry"])
    head = nodes.paragraph(classes=["article-head"])
    title = article["title"] or article["outlet"] or article["id"]
    head += nodes.strong(title, title)
    details = [article[k] for k in ("author", "outlet", "date") if article[k] and article[k] != title]
    if details:
        head += nodes.Text(" — " + " · ".join(details))
    if article["url"]:
        head += nodes.Text(" · ")
        head += safe_link(article["url"], article["url"])
    item += head
    for label, key in (("Pasted in ", "posts"), ("Quoted in ", "quoted_by")):
        if article[key]:
            para = nodes.paragraph(classes=[f"article-{key.replace('_', '-')}"])
            para += nodes.Text(label)
            para.extend(post_links(app, domain, docname, article[key]))
            item += para
    return item


def fill_articles_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain: ForumDomain = app.env.domains["forum"]  # type: ignore[assignment]
    articles: dict[str, dict[str, Any]] = getattr(app.env, "forum_articles", {})
    for node in list(doctree.findall(articles_index)):
        if not articles:
            node.replace_self(nodes.paragraph(text="No pasted articles have been found in the corpus yet."))
            continue
        items = nodes.bullet_list(classes=["article-list"])
        key = lambda a: ((a["title"] or a["outlet"] or a["id"]).casefold(), a["id"])  # noqa: E731
        for article in sorted(articles.values(), key=key):
            items += _entry(app, domain, docname, article)
        node.replace_self(items)


def export_block(block: dict[str, Any]) -> dict[str, Any]:
    """A block record as ``corpus.json`` shows it: an article's details as fields, its parts in ``blocks``."""
    if block["kind"] != "article":
        return block
    out = {k: v for k, v in block.items() if k not in ("meta", "blocks")}
    out.update({key: block.get("meta", {}).get(key) for key in ARTICLE_FIELDS})
    out["blocks"] = [export_block(b) for b in block.get("blocks", [])]
    return out


def export_articles(app: Sphinx) -> list[dict[str, Any]]:
    """Every article for ``corpus.json``, sorted by id."""
    articles: dict[str, dict[str, Any]] = getattr(app.env, "forum_articles", {})
    return [articles[k] for k in sorted(articles)]

