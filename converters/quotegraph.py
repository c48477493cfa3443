"""The quote graph of a thread: who quotes whom, which articles are pasted and quoted (``python -m converters quotes``).

Read from the traced thread model (the ``.thread.json`` beside a corpus page); posts of other threads
that are quoted are named from the rest of the corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import ConversionError
from .importer import SIDECAR, Catalog
from .model import Block, Post, Thread


def _quotes(post: Post) -> Iterator[Block]:
    for block in post.blocks:
        if block.kind == "quote":
            yield block
        yield from (b for b in block.blocks if b.kind == "quote")


def graph(thread: Thread, corpus: Iterable[Thread]) -> dict[str, Any]:
    """The thread's quotes as edges (JSON-ready), and the articles its posts paste."""
    threads = [t for t in corpus if t.key != thread.key] + [thread]
    where = {p.anchor: (t, p) for t in threads for p in t.posts}
    titles = {b.article: b.meta.get("title") or b.meta.get("outlet") or b.article
              for t in threads for p in t.posts for b in p.blocks if b.kind == "article"}
    edges = []
    for post in thread.posts:
        for block in _quotes(post):
            source = where.get(block.source or "")
            edges.append({
                "post": post.anchor, "n": post.n, "author": post.author, "source": block.source,
                "source_n": source[1].n if source else None,
                "source_author": block.meta.get("author"),
                "source_thread": source[0].title if source and source[0] is not thread else None,
                "missing_source": block.missing_source, "article": block.article,
                "article_title": titles.get(block.article or ""), "score": block.score,
                "words": len(block.text.split()), "text": block.text,
            })
    articles = [{"post": post.anchor, "n": post.n, "article": block.article, **block.meta, "url": block.url}
                for post in thread.posts for block in post.blocks if block.kind == "article"]
    return {"thread": thread.id, "title": thread.title, "quotes": edges, "articles": articles}


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def describe(data: dict[str, Any]) -> list[str]:
    """The graph as lines for a terminal."""
    lines = [f"{data['title']} ({data['thread']}): {len(data['quotes'])} quotes, {len(data['articles'])} articles"]
    for edge in data["quotes"]:
        if edge["source"]:
            where = f"post {edge['source_n']}" if edge["source_n"] else "a removed post"
            source = f"{edge['source_author'] or '?'}, {where}"
            if edge["source_thread"]:
                source += f" in “{edge['source_thread']}”"
        else:
            source = f"unknown source {edge['missing_source']}"
        if edge["article"]:
            source += f", article “{edge['article_title'] or edge['article']}”"
        score = f"{edge['score']:.2f}" if edge["score"] is not None else "-"
        lines.append(f"  post {edge['n']} {edge['author']} <- {source}  [score {score}, {edge['words']} words] "
                     f"{_excerpt(edge['text'])}")
    for article in data["articles"]:
        title = article.get("title") or article.get("outlet") or "untitled"
        about = " · ".join(article[k] for k in ("author", "outlet", "date") if article.get(k) not in (None, title))
        lines.append(f"  article {article['article']} in post {article['n']}: {title}" + (f" — {about}" if about else ""))
    return lines


def load(path: Path, corpus: Path) -> tuple[Thread, list[Thread]]:
    """The thread of a corpus page (``.md``) or thread model (``.thread.json``), and the corpus around it."""
    name = path.name
    sidecar = path if name.endswith(SIDECAR) else path.with_name(path.stem + SIDECAR) if name.endswith(".md") else None
    if sidecar is None or not sidecar.is_file():
        raise ConversionError(str(path), None, "expected a corpus page (.md) or its thread model (.thread.json); "
                              "import a capture first with python -m converters import")
    try:
        thread = Thread.from_json(json.loads(sidecar.read_text("utf-8")))
    except (ValueError, KeyError, TypeError) as err:
        raise ConversionError(str(sidecar), None, f"not a thread model: {err}") from None
    others = [t for _, t in Catalog.load(corpus).threads.values()] if corpus.is_dir() else []
    return thread, others
