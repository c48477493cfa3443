"""The citation records of the corpus, read from the ``forum`` domain (the only place ext/ learns about posts)."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .records import Record, Settings, article_records, post_record, thread_record


def domain(app: Sphinx) -> Any:
    return app.env.domains["forum"]


def first_post(app: Sphinx, thread: dict[str, Any]) -> dict[str, Any] | None:
    """The opening post (position 1), else the first post still in the source."""
    posts = [domain(app).posts[a] for a in thread["order"] if a in domain(app).posts]
    return next((p for p in posts if p.get("n") == 1), next((p for p in posts if not p["tombstone"]), None))


def records_of_post(app: Sphinx, anchor: str, settings: Settings, page: str | None = None) -> list[Record]:
    """The post's record, then one per article pasted into it; ``page`` defaults to the builder's URI."""
    post = domain(app).posts[anchor]
    thread = domain(app).threads[post["thread"]]
    page = app.builder.get_target_uri(post["docname"]) if page is None else page
    return [post_record(anchor, post, thread, page, settings), *article_records(anchor, post)]


def record_of_thread(app: Sphinx, thread_id: str, settings: Settings, page: str | None = None) -> Record:
    thread = domain(app).threads[thread_id]
    page = app.builder.get_target_uri(thread["docname"]) if page is None else page
    return thread_record(thread_id, thread, first_post(app, thread), page, settings)


def records_of_thread(app: Sphinx, thread_id: str, settings: Settings) -> list[Record]:
    """Everything citable in a thread: the thread, then each post in page order with its articles."""
    thread = domain(app).threads[thread_id]
    records = [record_of_thread(app, thread_id, settings)]
    for anchor in thread["order"]:
        if anchor in domain(app).posts:
            records += records_of_post(app, anchor, settings)
    return unique(records)


def unique(records: list[Record]) -> list[Record]:
    """First record of each id: an article pasted in several posts is one reference."""
    seen: set[str] = set()
    out = []
    for record in records:
        if record["id"] not in seen:
            seen.add(record["id"])
            out.append(record)
    return out
