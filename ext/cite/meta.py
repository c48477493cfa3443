"""Citation meta tags (Highwire Press ``citation_*``) on thread pages, for Zotero and other reference tools.

Zotero's connector reads ``citation_title``, ``citation_author``, ``citation_date`` and
``citation_public_url`` from a page's ``<head>``. A thread page describes the thread: its title,
the author and date of its opening post, its public URL. Every value is HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from . import corpus
from .dates import date_parts
from .formats import one_line
from .records import Settings


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{html.escape(one_line(value), quote=True)}" />'


def thread_meta_tags(app: Sphinx, thread_id: str) -> list[str]:
    settings = Settings.from_config(app.config)
    thread = corpus.domain(app).threads[thread_id]
    opening = corpus.first_post(app, thread)
    tags = [_meta("citation_title", thread["title"])]
    if opening and opening.get("author"):
        tags.append(_meta("citation_author", opening["author"]))
    if opening and (parts := date_parts(opening.get("date"))):
        tags.append(_meta("citation_date", "/".join(f"{v:02d}" for v in parts)))
    tags.append(_meta("citation_publisher", settings.forum(thread["forum"])))
    if settings.base_url:  # without it the reader's browser knows the address better than we do
        tags.append(_meta("citation_public_url", settings.url(app.builder.get_target_uri(thread["docname"]))))
    return tags


def add_meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """An ``html-page-context`` hook: thread pages are found by their thread section, not by a scan."""
    if doctree is None:
        return
    threads = corpus.domain(app).threads
    for section in doctree.findall(nodes.section):
        if "forum-thread" in section["classes"] and section["ids"] and section["ids"][0] in threads:
            tags = "\n".join(thread_meta_tags(app, section["ids"][0]))
            context["metatags"] = f"{context.get('metatags', '')}{tags}\n"
            return
