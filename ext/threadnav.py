"""Previous / next thread links on thread pages, in the order the home page lists the threads.

Thread pages are in no toctree (a toctree of every thread makes builds quadratic), so Sphinx gives
them no neighbours. They are taken from the facts `ext.threadstats` keeps after reading and handed
to the theme as its ``prev``/``next`` (furo shows them at the foot of the page and as
``<link rel="prev/next">``). The theme writes titles as HTML, so the thread title is escaped here.
"""

from __future__ import annotations

import html
from typing import Any

from sphinx.application import Sphinx

from .invisible import split_invisible
from .threadstats import Neighbour, ThreadFacts


def _title(text: str) -> str:
    parts = split_invisible(text)
    return html.escape(text if parts is None else "".join(part.astext() for part in parts))


def _link(app: Sphinx, pagename: str, neighbour: Neighbour | None) -> dict[str, str] | None:
    if neighbour is None:
        return None
    return {"link": app.builder.get_relative_uri(pagename, neighbour.docname), "title": _title(neighbour.title)}


def add_neighbours(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: a thread page's previous and next thread."""
    thread_id = getattr(app.env, "forum_thread_of_doc", {}).get(pagename)
    if doctree is None or thread_id is None:
        return
    facts: ThreadFacts = app.env.forum_thread_facts[thread_id]  # type: ignore[attr-defined]
    context["prev"] = _link(app, pagename, facts.prev)
    context["next"] = _link(app, pagename, facts.next)


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_neighbours)
