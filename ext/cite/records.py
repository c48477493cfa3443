"""CSL-JSON records: one per post, per thread and per pasted article, built from the ``forum`` domain.

A post's record depends only on that post (author, date, first retrieval date, anchor) and on its
thread's title, forum and page, never on other posts, so re-importing a thread with more posts
leaves every existing citation exactly as it was. User names are ``literal`` names: they are
handles, not personal names to be split into family and given parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .dates import csl_date

POST_GENRE = "online forum post"  # styles capitalise it where they need to ("[Online forum post]")
THREAD_GENRE = "online forum thread"
Record = dict[str, Any]


@dataclass(frozen=True)
class Settings:
    """The corpus settings from ``conf.py`` that citations read."""

    base_url: str = ""
    forum_names: dict[str, str] = field(default_factory=dict)
    default_retrieved: str = ""

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        return cls(config.forum_base_url, dict(config.forum_names), config.forum_default_retrieved)

    def forum(self, name: str) -> str:
        """The forum's display name in citations (``forum_names``), else its name in the corpus."""
        return self.forum_names.get(name, name)

    def url(self, page: str, anchor: str | None = None) -> str:
        """The public URL of ``page`` (a builder target URI), absolute when ``base_url`` is set."""
        url = f"{self.base_url.rstrip('/')}/{page}" if self.base_url else page
        return f"{url}#{anchor}" if anchor else url


def _put(record: Record, key: str, value: Any) -> None:
    if value:
        record[key] = value


def post_record(anchor: str, post: dict[str, Any], thread: dict[str, Any], page: str, settings: Settings) -> Record:
    """The citation record of one post (``type: post``), at ``page#anchor``."""
    record: Record = {"id": anchor, "type": "post"}
    if post.get("author"):
        record["author"] = [{"literal": post["author"]}]
    record.update({"title": thread["title"], "container-title": settings.forum(thread["forum"]), "genre": POST_GENRE})
    _put(record, "issued", csl_date(post.get("date")))
    _put(record, "accessed", csl_date(post.get("retrieved") or thread.get("retrieved") or settings.default_retrieved))
    record["URL"] = settings.url(page, anchor)
    return record


def thread_record(thread_id: str, thread: dict[str, Any], first_post: dict[str, Any] | None, page: str,
                  settings: Settings) -> Record:
    """The citation record of a whole thread: a web page of the forum, dated by its first post."""
    record: Record = {"id": thread_id, "type": "webpage", "title": thread["title"],
                      "container-title": settings.forum(thread["forum"]), "genre": THREAD_GENRE}
    _put(record, "issued", csl_date(first_post.get("date")) if first_post else None)
    _put(record, "accessed", csl_date(thread.get("retrieved") or settings.default_retrieved))
    record["URL"] = settings.url(page)
    return record


def _person(name: str) -> dict[str, str]:
    """A journalist's name as a CSL name: ``Last, First`` or ``First … Last``; one word stays literal."""
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given} if family and given else {"literal": name}
    words = name.split()
    return {"family": words[-1], "given": " ".join(words[:-1])} if len(words) > 1 else {"literal": name}


def people(byline: str) -> list[dict[str, str]]:
    """The authors of a recovered by-line: ``A and B``, ``A & B`` and ``A; B`` name several."""
    names = re.split(r"\s*(?:;|&|\band\b)\s*", byline.strip())
    return [_person(n) for n in names if n]


def article_records(anchor: str, post: dict[str, Any]) -> list[Record]:
    """One record per article pasted into the post (blocks of kind ``article`` with recovered details).

    Only articles with a recovered title or URL are citable. The id is the article's corpus id (the
    same wherever it was pasted), else ``<anchor>-article-<k>``.
    """
    records = []
    articles = [b for b in post.get("blocks", []) if b.get("kind") == "article"]
    for k, block in enumerate(articles, start=1):
        meta = block.get("meta") or {}
        if not (meta.get("title") or block.get("url")):
            continue
        # a web page (APA's "webpage on a news website"): pasted articles come from sites of every kind
        record: Record = {"id": block.get("article") or f"{anchor}-article-{k}", "type": "webpage"}
        if meta.get("author"):
            record["author"] = people(meta["author"])
        _put(record, "title", meta.get("title"))
        _put(record, "container-title", meta.get("outlet"))
        _put(record, "issued", csl_date(meta.get("date")))
        _put(record, "URL", block.get("url"))
        records.append(record)
    return records
