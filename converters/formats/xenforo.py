"""Saved XenForo 2 thread pages (HTML: browser "save page", wget, ArchiveBox, WARC extracts).

Everything is read from XenForo's markup, never from its words, so translated boards read the same:
posts are ``article.message`` elements with ``data-content="post-NNN"`` (the forum's post id), the
author from ``data-author``, the user title from ``.message-userTitle``, the date from the first
``time[datetime]`` of the attribution, the position from the ``#21`` permalink, the body from
``.message-body .bbWrapper`` (signatures are outside it), the edit date from ``.message-lastEdit``,
attachments from ``.message-attachments``, and deleted or moderated posts from ``messageNotice--*``.
Quotes (``blockquote.bbCodeBlock--quote``) are attributed by ``data-source="post: NNN"`` and
``data-quote``. Each file is one page of a thread: its page number comes from the page navigation
or the canonical URL, so the pages of a thread can be imported in any order and merged.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..errors import ConversionError
from ..model import Block, Post, Provenance, Thread
from ._html import (Card, Element, Embed, Image, Inline, Only, Quote, Skip, Special, BodyReader, absolute,
                    classes, collapse, element_text, file_name, has_class)

NAME = "xenforo"

POST_ID = re.compile(r"post-(\d+)")
QUOTE_SOURCE = re.compile(r"\s*post:\s*(\d+)\s*$")
POSITION = re.compile(r"#\s*([\d.,\s\u00a0\u202f']+)")
PAGE_IN_URL = re.compile(r"/page-(\d+)/?(?=$|[?#])")
SAVED_FROM = re.compile(r"<!-- saved from url=\(\d+\)(\S+) -->")
# Links to a post of the same forum: /goto/post?id=N, /threads/slug.1/post-N, .../#post-N, /posts/N/
POST_LINKS = (
    re.compile(r"[/?]goto/post[?&]id=(\d+)"),
    re.compile(r"[/?]threads/[^/?#]+/post-(\d+)"),
    re.compile(r"#post-(\d+)$"),
    re.compile(r"[/?]posts/(\d+)/?(?:$|[?#])"),
)
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|svg|heic|avif)$", re.IGNORECASE)
SKIP_CLASSES = {"bbCodeBlock-title", "bbCodeBlock-expandLink", "bbCodeBlock-shrinkLink", "lbContainer-zoomer"}
EMBED_CLASSES = {"bbMediaWrapper", "bbMediaJustifier", "bbOembed"}
MEDIA_SITES = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}"}

POSTS = f"//article[{has_class('message')} and starts-with(@data-content, 'post-')]"


def detect(text: str) -> float:
    head = text[:400_000]
    if 'data-content="post-' in head and ("bbWrapper" in head or "message--post" in head):
        return 0.95
    if re.search(r'<html[^>]*\bid="XF"', head[:5000]) or 'data-template="thread_view"' in head:
        return 0.6  # a XenForo page; `parse` says why it is not a thread page
    return 0.0


def iso_date(node: Element | None) -> str | None:
    """A ``<time>`` element's moment as ISO 8601 (``datetime``, else the ``data-time`` Unix time)."""
    if node is None:
        return None
    raw = (node.get("datetime") or "").strip()
    if raw:
        try:
            return datetime.datetime.fromisoformat(raw).isoformat()
        except ValueError:
            return raw
    stamp = (node.get("data-timestamp") or node.get("data-time") or "").strip()  # XenForo 2.3, 2.0-2.2
    if stamp.isdigit():
        return datetime.datetime.fromtimestamp(int(stamp), datetime.timezone.utc).isoformat()
    return None


def _first(element: Element, xpath: str) -> Element | None:
    found = element.xpath(xpath)
    return found[0] if found else None


class _Page:
    """One saved page: thread details and its posts."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        try:
            self.root = lxml_html.document_fromstring(text.encode("utf-8"),
                                                      parser=lxml_html.HTMLParser(encoding="utf-8"))
        except (etree.ParserError, ValueError) as err:
            raise ConversionError(path, 1, f"unreadable HTML ({err}); expected a saved XenForo thread page") from None
        saved_from = SAVED_FROM.search(text[:2000])
        self.url = self._meta("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content") or (
            saved_from[1] if saved_from else None)
        self.host = urlsplit(self.url).netloc if self.url else ""

    def fail(self, node: Element | None, message: str) -> ConversionError:
        return ConversionError(self.path, node.sourceline if node is not None else 1, message)

    def _meta(self, *xpaths: str) -> str | None:
        for xpath in xpaths:
            values = [v.strip() for v in self.root.xpath(xpath) if v.strip()]
            if values:
                return values[0]
        return None

    # -- thread ------------------------------------------------------------------------------

    def thread_url(self) -> str | None:
        if not self.url:
            return None
        url = self.url.split("#", 1)[0]
        return PAGE_IN_URL.sub("/", url)

    def page_number(self) -> int:
        current = _first(self.root, f"//*[{has_class('pageNav-page--current')}]")
        digits = re.sub(r"\D", "", element_text(current))
        if digits:
            return int(digits)
        found = PAGE_IN_URL.search(self.url or "")
        return int(found[1]) if found else 1

    def title(self) -> tuple[str, str]:
        """Thread prefix and title: from the page heading, else the page's own title."""
        heading = _first(self.root, f"//h1[{has_class('p-title-value')}]")
        if heading is not None:
            labels = heading.xpath(f".//*[{has_class('label')}]")
            prefix = " ".join(element_text(label) for label in labels)
            for node in heading.xpath(f".//*[{has_class('label')} or {has_class('label-append')}]"):
                node.drop_tree()
            return prefix, element_text(heading)
        title = self._meta("//meta[@property='og:title']/@content") or element_text(_first(self.root, "//title"))
        site = self.forum()
        if site and title.endswith(f" | {site}"):
            title = title[: -len(site) - 3]
        return "", title

    def forum(self) -> str:
        site = self._meta("//meta[@property='og:site_name']/@content")
        if site:
            return collapse(site)
        title = element_text(_first(self.root, "//title"))
        return title.rsplit(" | ", 1)[1] if " | " in title else ""

    # -- posts -------------------------------------------------------------------------------

    def post_id(self, url: str) -> str | None:
        """The forum post id a link points at, for links within this forum (or relative ones)."""
        host = urlsplit(url).netloc
        if host and self.host and host != self.host:
            return None
        for pattern in POST_LINKS:
            found = pattern.search(url)
            if found:
                return found[1]
        return None

    def classify(self, element: Element) -> Special | None:
        names = classes(element)
        if "bbCodeBlock--quote" in names:
            content = _first(element, f".//*[{has_class('bbCodeBlock-expandContent')}]")
            if content is None:
                content = _first(element, f".//*[{has_class('bbCodeBlock-content')}]")
            source = QUOTE_SOURCE.match(element.get("data-source") or "")
            author = collapse(element.get("data-quote") or "") or None
            return Quote(content if content is not None else element, source[1] if source else None, author)
        if names & SKIP_CLASSES:
            return Skip()
        if "bbCodeSpoiler-button" in names:
            return Only(_first(element, f".//*[{has_class('bbCodeSpoiler-button-title')}]"))
        if "bbCodeBlock--unfurl" in names and element.get("data-url"):
            url = absolute(self.url, element.get("data-url", ""))
            title = element_text(_first(element, f".//*[{has_class('contentRow-header')}]"))
            return Card(url, title or url)
        if names & EMBED_CLASSES or element.get("data-s9e-mediaembed") or element.get("data-media-site-id"):
            return self._embed(element)
        if element.tag == "img":
            return self._image(element, names)
        return None

    def _embed(self, element: Element) -> Special:
        links = [absolute(self.url, h) for h in element.xpath(".//a/@href") if h.strip()]
        site, key = element.get("data-media-site-id"), element.get("data-media-key")
        frames = [absolute(self.url, s) for s in element.xpath(".//iframe/@src | .//iframe/@data-src") if s.strip()]
        if links:
            return Embed(links[0])
        if site in MEDIA_SITES and key:
            return Embed(MEDIA_SITES[site].format(key))
        return Embed(frames[0]) if frames else Skip()

    def _image(self, element: Element, names: set[str]) -> Special:
        alt = collapse(element.get("alt") or "")
        if "smilie" in names:
            return Inline(alt)
        src = element.get("data-url") or element.get("data-src") or element.get("src") or ""
        url = absolute(self.url, src) if src else None
        return Image(alt or collapse(element.get("title") or "") or file_name(src), url)

    def _attachments(self, article: Element) -> list[Block]:
        blocks = []
        for item in article.xpath(f".//*[{has_class('message-attachments')}]//li[{has_class('file')}]"):
            name_node = _first(item, f".//*[{has_class('file-name')}]")
            name = (name_node.get("title") if name_node is not None else "") or element_text(name_node)
            hrefs = item.xpath(f".//a[{has_class('file-preview')}]/@href | .//a/@href")
            url = absolute(self.url, hrefs[0]) if hrefs else None
            name = name or file_name(url or "")
            has_image = IMAGE_FILE.search(name) is not None if "." in name else bool(item.xpath(".//img"))
            if name:
                blocks.append(Block("image" if has_image else "link", name, url=url, line=item.sourceline))
        return blocks

    def post(self, article: Element, page: int) -> Post:
        source_id = article.get("data-content", "")[len("post-") :]
        if not source_id.isdigit():
            raise self.fail(article, f"post id {article.get('data-content')!r} is not a number; "
                            'expected data-content="post-NNN"')
        author = collapse(article.get("data-author") or "") or element_text(
            _first(article, f".//*[{has_class('message-name')}] | .//*[{has_class('username')}]"))
        if not author:
            raise self.fail(article, f"post {source_id} names no author "
                            "(no data-author, .message-name or .username)")
        attribution = _first(article, f".//*[{has_class('message-attribution')}]")
        scope = attribution if attribution is not None else article
        main_time = _first(scope, f".//*[{has_class('message-attribution-main')}]//time")
        if main_time is None:
            main_time = _first(scope, ".//time")
        position = None
        for link_text in scope.xpath(f".//*[{has_class('message-attribution-opposite')}]//a//text()"):
            found = POSITION.fullmatch(link_text.strip())
            if found and re.sub(r"\D", "", found[1]):
                position = int(re.sub(r"\D", "", found[1]))
        last_edit = _first(article, f".//*[{has_class('message-lastEdit')}]")
        status, note = self._status(article)
        body = _first(article, f".//*[{has_class('message-body')}]//*[{has_class('bbWrapper')}]")
        if body is None and status != "deleted":
            raise self.fail(article, f"post {source_id} has no body (.message-body .bbWrapper); "
                            "the saved page may be incomplete")
        blocks = BodyReader(self.classify, self.post_id, self.url).read(body) if body is not None else []
        blocks.extend(self._attachments(article))
        last_line = max((n.sourceline or 0 for n in article.iter()), default=article.sourceline)
        return Post(
            author=author,
            user_title=element_text(_first(article, f".//*[{has_class('message-userTitle')} or {has_class('userTitle')}]")),
            date=iso_date(main_time),
            edited=last_edit is not None,
            edited_date=iso_date(_first(last_edit, ".//time")) if last_edit is not None else None,
            source_id=source_id, blocks=blocks, position=position, page=page, status=status, status_note=note,
            provenance=Provenance(self.path, article.sourceline or 1, max(last_line, article.sourceline or 1)),
        )

    def _status(self, article: Element) -> tuple[str | None, str]:
        names = classes(article)
        for status in ("deleted", "moderated"):
            notice = _first(article, f".//*[{has_class('messageNotice--' + status)}]")
            if notice is not None or f"message--{status}" in names:
                return status, element_text(notice)
        return None, ""

    def thread(self) -> Thread:
        articles = self.root.xpath(POSTS)
        if not articles:
            body = _first(self.root, "//body")
            template = self.root.get("data-template")
            what = f"a XenForo {template} page" if template else "an HTML page"
            raise self.fail(body, f"{what} without posts; expected a thread page with "
                            '<article class="message" data-content="post-NNN"> posts')
        page = self.page_number()
        posts: list[Post] = []
        seen: dict[str, int] = {}
        for article in articles:
            post = self.post(article, page)
            if post.source_id in seen:
                raise self.fail(article, f"post {post.source_id} appears twice on the page "
                                f"(first at line {seen[post.source_id]})")
            seen[post.source_id or ""] = article.sourceline or 1
            posts.append(post)
        prefix, title = self.title()
        if not title:
            raise self.fail(_first(self.root, "//body"), "the page has no thread title (h1.p-title-value or <title>)")
        return Thread(title=title, prefix=prefix, forum=self.forum(), posts=posts, url=self.thread_url(),
                      source=self.path, pages=[page])


def parse(text: str, path: str) -> Thread:
    return _Page(text, path).thread()
