"""``corpus.json``: the machine-readable corpus (schema ``schemas/corpus.schema.json``), written after HTML."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .articles import export_articles, export_block
from .backlinks import quote_graph
from .doccache import DocCache
from .domain import ForumDomain
from .register.export import export_entities, post_mentions

SCHEMA_VERSION = 1


def _url(app: Sphinx, page: str, anchor: str | None = None) -> str:
    base = app.config.forum_base_url
    url = f"{base.rstrip('/')}/{page}" if base else page
    return f"{url}#{anchor}" if anchor else url


def thread_data(app: Sphinx, thread_id: str) -> dict[str, Any]:
    """One thread as ``corpus.json`` shows it: made from its own page's data and the configuration only."""
    domain: ForumDomain = app.env.domains["forum"]  # type: ignore[assignment]
    thread = domain.threads[thread_id]
    page = app.builder.get_target_uri(thread["docname"])
    posts = []
    for anchor in thread["order"]:
        post = domain.posts[anchor]
        posts.append({
            "anchor": anchor, "n": post["n"], "author": post["author"], "user_title": post["user_title"],
            "date": post["date"], "edited": post["edited"], "edited_date": post["edited_date"],
            "tombstone": post["tombstone"], "source_id": post["source_id"], "url": _url(app, page, anchor),
            "status": post.get("status"), "status_note": post.get("status_note", ""),
            "blocks": [export_block(b) for b in post["blocks"]], "mentions": post_mentions(post),
        })
    return {
        "id": thread_id, "title": thread["title"], "prefix": thread["prefix"], "forum": thread["forum"],
        "url": thread["url"], "retrieved": thread["retrieved"], "page": _url(app, page), "posts": posts,
        "quotes": quote_graph(domain, thread["order"]),
    }


def _compact(value: Any) -> str:
    # Compact: Python's JSON encoder is written in C only without indentation (8x faster at 10,000 posts).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def corpus_json(app: Sphinx) -> str:
    """The whole file's text: each thread's part as the last build made it unless its page was read again
    (`ext.doccache`). Joining compact parts gives the text one compact ``json.dumps`` of the whole would."""
    domain: ForumDomain = app.env.domains["forum"]  # type: ignore[assignment]
    cache = DocCache(app, "corpus-json")
    parts = []
    for thread_id, thread in sorted(domain.threads.items(), key=lambda item: item[1]["docname"]):
        part = cache.get(thread["docname"], thread_id)
        if part is None:
            part = _compact(thread_data(app, thread_id))
            cache.put(thread["docname"], thread_id, part)
        parts.append(part)
    cache.save()
    entities = export_entities(app, lambda page, anchor=None: _url(app, page, anchor))
    return (f'{{"schema":{SCHEMA_VERSION},"threads":[{",".join(parts)}],'
            f'"articles":{_compact(export_articles(app))},"entities":{_compact(entities)}}}')


def write_corpus_json(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        (Path(app.outdir) / "corpus.json").write_text(corpus_json(app) + "\n", encoding="utf-8")
