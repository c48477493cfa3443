"""Long pasted articles folded to their head, with "Show the full article" (an HTML ``<details>``, no script).

Members paste whole news articles into posts; shown in full they bury the conversation. An article
whose text is longer than ``forum_article_fold_at`` characters (``conf.py``; 0 never folds) shows
its label (title, author, outlet, date, URL) and its first paragraphs; the rest is inside a
disclosure that opens in place. The text stays in the page, so the search index, find-in-page
(browsers open a ``<details>`` to show a match) and links into it work as before.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .disclosure import make

FOLD_AT = 1200  # default: articles longer than this many characters are folded
HEAD_CHARS = 400  # the head shows paragraphs until it holds this many characters ...
HEAD_PARTS = 3  # ... or this many paragraphs


def _is_label(node: nodes.Node) -> bool:
    return isinstance(node, nodes.paragraph) and "article-label" in node["classes"]


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def fold(box: nodes.container, limit: int) -> bool:
    """Fold one article container; False when it is short enough to show in full."""
    parts = [child for child in box.children if not _is_label(child)]
    if sum(len(part.astext()) for part in parts) <= limit:
        return False
    shown, head = 0, 0
    while head < len(parts) and head < HEAD_PARTS and (head == 0 or shown < HEAD_CHARS):
        shown += len(parts[head].astext())
        head += 1
    rest = parts[head:]
    if not rest:
        return False
    words = sum(len(part.astext().split()) for part in rest)
    closed = f"Show the full article ({_plural(len(rest), 'more paragraph')}, {_plural(words, 'word')})"
    summary = [nodes.inline(closed, closed, classes=["when-closed"]),
               nodes.inline("Show less", "Show less", classes=["when-open"])]
    for part in rest:
        box.remove(part)
    box += make(summary, rest, classes=["article-more"])
    return True


def fold_articles(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: fold every long article of the page."""
    limit = app.config.forum_article_fold_at
    if limit <= 0:
        return
    for box in list(doctree.findall(nodes.container)):
        if "post-article" in box["classes"]:
            fold(box, limit)


def setup(app: Sphinx) -> None:
    app.add_config_value("forum_article_fold_at", FOLD_AT, "env", types=[int])
    app.connect("doctree-read", fold_articles)
