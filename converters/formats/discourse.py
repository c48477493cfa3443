"""Discourse topics as its JSON API gives them (``/t/{id}.json``, one file per ``?page=N``).

Each post of ``post_stream.posts`` is read from its fields: ``username``, ``user_title``,
``created_at``, ``post_number`` (the position), ``version`` > 1 (edited, at ``updated_at``),
``deleted_at`` / ``user_deleted`` (deleted) and ``hidden`` (hidden pending moderation), and its
body from the rendered ``cooked`` HTML. A post's id is ``<topic id>/<post number>``, which is how
Discourse's own quotes (``aside.quote`` with ``data-topic`` and ``data-post``) and links
(``/t/slug/<topic>/<post number>``) name a post, so both resolve to anchors. Small-action posts
("closed the topic") are forum chrome and left out. The API names neither the site nor the topic's
URL: pass ``--forum`` (and ``--url`` for one file).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..errors import ConversionError
from ..model import Block, Post, Thread, normalize_text
from ._html import Card, Element, Embed, Image, Inline, Quote, Skip, Special, BodyReader, classes, collapse, file_name

NAME = "discourse"

PAGE_SIZE = 20  # posts per page of /t/{id}.json?page=N (Discourse's chunk size)
SMALL_ACTION = 3
TOPIC_LINK = re.compile(r"^/t/(?:[^/?#]+/)?(\d+)(?:/(\d+))?/?(?:[?#]|$)")
YOUTUBE = "https://www.youtube.com/watch?v={}"


def detect(text: str) -> float:
    head = text.lstrip()[:20_000]
    if head.startswith("{") and '"post_stream"' in head and '"cooked"' in text[:400_000]:
        return 0.9
    return 0.0


def _iso(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return value


class _Topic:
    def __init__(self, data: dict[str, Any], path: str) -> None:
        self.path = path
        self.topic = data.get("id")

    def fail(self, where: str, message: str) -> ConversionError:
        return ConversionError(self.path, None, f"at {where}: {message}")

    def post_id(self, url: str) -> str | None:
        """``<topic>/<number>`` for a site-relative topic link (the API does not say which host is ours)."""
        parts = urlsplit(url)
        if parts.netloc:
            return None
        found = TOPIC_LINK.match(parts.path)
        return f"{found[1]}/{found[2] or 1}" if found else None

    def classify(self, element: Element) -> Special | None:
        names = classes(element)
        if element.tag == "aside" and "quote" in names:
            topic, number = str(element.get("data-topic") or self.topic), element.get("data-post") or ""
            content = element.find("blockquote")
            source = f"{topic}/{number}" if topic.isdigit() and number.isdigit() else None
            return Quote(content, source, collapse(element.get("data-username") or "") or None)
        if element.tag == "aside" and "onebox" in names:
            url = element.get("data-onebox-src") or next(iter(element.xpath(".//header//a/@href")), "")
            title = collapse("".join(element.xpath(".//h3//text() | .//h4//text()")))
            return Card(url, title or url) if url else Skip()
        if "lightbox-wrapper" in names:
            image = element.find(".//img")
            href = next(iter(element.xpath(".//a[contains(@class,'lightbox')]/@href")), "")
            name = collapse("".join(element.xpath(".//*[contains(@class,'filename')]//text()")))
            if image is None and not href:
                return Skip()
            alt = collapse(image.get("alt") or "") if image is not None else ""
            return Image(name or alt or file_name(href), href or (image.get("src") if image is not None else None))
        if element.get("data-youtube-id") or "lazy-video-container" in names:
            return self._video(element)
        if element.tag == "img" and "emoji" in names:
            return Inline(element.get("alt") or element.get("title") or "")
        return None

    def _video(self, element: Element) -> Special:
        """A lazy-loaded video: its own link, else the YouTube URL its id makes."""
        links = [h for h in element.xpath(".//a/@href") if h.startswith(("http://", "https://"))]
        video = element.get("data-youtube-id") or (
            element.get("data-video-id") if element.get("data-provider-name") == "youtube" else None)
        if links:
            return Embed(links[0])
        return Embed(YOUTUBE.format(video)) if video else Skip()

    def post(self, raw: Any, where: str) -> Post | None:
        if not isinstance(raw, dict):
            raise self.fail(where, "expected a post object")
        if raw.get("post_type") == SMALL_ACTION:
            return None
        number = raw.get("post_number")
        if not isinstance(number, int) or number < 1:
            raise self.fail(where, "post_number is missing or not a positive integer")
        author = raw.get("username")
        if not isinstance(author, str) or not author.strip():
            raise self.fail(where, "username is missing")
        cooked = raw.get("cooked")
        if not isinstance(cooked, str):
            raise self.fail(where, "cooked (the post's HTML) is missing")
        deleted = bool(raw.get("deleted_at")) or bool(raw.get("user_deleted"))
        status = "deleted" if deleted else "moderated" if raw.get("hidden") else None
        blocks = self._body(cooked, where)
        note = ""
        if raw.get("user_deleted"):  # the body is Discourse's placeholder, not what the member wrote
            note, blocks = " ".join(b.text for b in blocks), []
        version = raw.get("version")
        edited = isinstance(version, int) and version > 1
        return Post(
            author=author.strip(), user_title=raw.get("user_title") or "", date=_iso(raw.get("created_at")),
            edited=edited, edited_date=_iso(raw.get("updated_at")) if edited else None,
            source_id=f"{self.topic}/{number}", blocks=blocks, position=number,
            page=(number - 1) // PAGE_SIZE + 1, status=status, status_note=note,
        )

    def _body(self, cooked: str, where: str) -> list[Block]:
        if not cooked.strip():
            return []
        try:
            root = lxml_html.fragment_fromstring(normalize_text(cooked), create_parent="div")
        except (etree.ParserError, ValueError) as err:
            raise self.fail(where, f"unreadable cooked HTML ({err})") from None
        return BodyReader(self.classify, self.post_id, None).read(root)


def parse(text: str, path: str) -> Thread:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConversionError(path, err.lineno, f"invalid JSON ({err.msg}); expected a Discourse topic "
                              "(/t/{id}.json)") from None
    except (ValueError, RecursionError) as err:
        raise ConversionError(path, None, f"unreadable JSON ({err}); expected a Discourse topic") from None
    if not isinstance(data, dict) or not isinstance(data.get("post_stream"), dict):
        raise ConversionError(path, 1, "no post_stream object; expected a Discourse topic (/t/{id}.json)")
    raw_posts = data["post_stream"].get("posts")
    if not isinstance(raw_posts, list):
        raise ConversionError(path, None, "at post_stream: posts is missing; expected a list of posts")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ConversionError(path, None, "the topic has no title: save /t/{id}.json (or ?page=N), "
                              "not /t/{id}/posts.json")
    if not isinstance(data.get("id"), int):
        raise ConversionError(path, None, "the topic has no numeric id")
    topic = _Topic(data, path)
    posts = [p for i, raw in enumerate(raw_posts) if (p := topic.post(raw, f"post_stream/posts/{i}"))]
    if not posts:
        raise ConversionError(path, None, "the topic file holds no posts")
    pages = sorted({p.page for p in posts if p.page})
    return Thread(title=collapse(title), forum="", posts=posts, source=path, pages=pages)
