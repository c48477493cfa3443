"""The thread model: the one shape every input format produces and every later stage reads.

A `Thread` holds `Post`s, each a list of ordered `Block`s. Provenance (source file, line span, page
chrome removed from the text) travels with the model so nothing the capture contained is lost.
The JSON form (`Thread.to_json` / `Thread.from_json`) is a documented, versioned import format:
see `schemas/thread.schema.json`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MODEL_VERSION = 1

BlockKind = Literal["text", "quote", "article", "image", "embed", "link"]
BLOCK_KINDS: tuple[str, ...] = ("text", "quote", "article", "image", "embed", "link")
ARTICLE_META: tuple[str, ...] = ("title", "author", "outlet", "date")
POST_STATUSES: tuple[str, ...] = ("deleted", "moderated")

_SURROGATE = re.compile("[\ud800-\udfff]")
# What an anchor may look like: it is written into pages as a directive argument and an HTML id.
ANCHOR = re.compile(r"[a-z][a-z0-9-]{0,99}")


def normalize_text(text: str) -> str:
    """Normalise what HTML and UTF-8 cannot carry, and nothing else.

    Line endings become ``\\n``; NUL becomes the visible U+2400 SYMBOL FOR NULL (HTML parsers turn
    NUL into U+FFFD anyway); lone surrogates (only possible from JSON input) become U+FFFD.
    Every other character is kept as it is.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\u2400")
    return _SURROGATE.sub("\ufffd", text)


def slugify(text: str, fallback: str = "x", limit: int = 60) -> str:
    """A readable ASCII slug: accents folded, lowercase, hyphen separated, starts with a letter."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:limit].strip("-")
    if not slug:
        return fallback
    return slug if slug[0].isalpha() else f"{fallback}-{slug}"


@functools.lru_cache(maxsize=1 << 16)  # a thread's id is asked for at every one of its mentions
def short_hash(*parts: str, length: int = 6) -> str:
    """A stable base-36 digest of ``parts``: the same input gives the same id on every machine."""
    digest = int(hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest(), 16)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(length):
        digest, rem = divmod(digest, 36)
        out.append(alphabet[rem])
    return "".join(out)


@dataclass
class Link:
    """A link inside a block's text: characters ``start:end`` of `Block.text` point at ``url``.

    ``source_id`` is the forum's own id of the post a link points at, when the format recognises
    its forum's post URLs; ``anchor`` is that post's anchor once it is in the corpus.
    """

    start: int
    end: int
    url: str
    source_id: str | None = None
    anchor: str | None = None


@dataclass
class Mention:
    """A name in a block's text: characters ``start:end`` of `Block.text` (see `converters.entities`).

    ``label`` is the evidence that found it (a spaCy NER label, ``GAZ`` for the place gazetteer,
    ``MEMBER`` for a forum member's name, ``RULE`` for a pattern, ``ALIAS`` for a parenthesised
    other name; ``PROPAGATED`` and ``QUOTED`` are added by resolution). ``name`` replaces the
    surface when the text abbreviates ("North" in "North and South Korea"). ``key`` and ``type``
    (``person``, ``place``, ``organisation``) are the register entry it resolved to; ``None`` when
    resolution rejected it.
    """

    start: int
    end: int
    label: str
    name: str | None = None
    key: str | None = None
    type: str | None = None


@dataclass
class Block:
    """One piece of a post body, in reading order.

    ``text`` is always the literal text the reader sees (for images the file name, for embeds and
    links the URL). ``source`` names where a quote came from (a post anchor or article id), and
    ``meta`` carries recovered details (an article's title, author, outlet, date; for a quote the
    quoted member's name). ``source_id`` is the forum's own id of the quoted post where the markup
    names it (resolved to ``source`` by `converters.references`). ``links`` are the links inside
    ``text``, in order and not overlapping; ``mentions`` the names of people, places and
    organisations in it (`converters.entities`), in order and not overlapping.

    Tracing (`converters.quotes`) fills in, for a quote, its ``source`` post, the quoted member in
    ``meta["author"]``, the alignment ``score`` (0-1), the ``article`` whose words it quotes, and for
    text whose source is not in the corpus ``missing_source``, an id every quote of that text shares.
    An article block carries its own ``article`` id and holds its parts (text, quotes, media) in
    ``blocks``; its ``text`` is theirs, joined by blank lines.
    """

    kind: BlockKind
    text: str
    url: str | None = None
    source: str | None = None
    line: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    source_id: str | None = None
    links: list[Link] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    score: float | None = None
    article: str | None = None
    missing_source: str | None = None
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}; expected one of {BLOCK_KINDS}")
        self.blocks = [b if isinstance(b, Block) else Block(**b) for b in self.blocks]
        if self.kind == "article" and not self.blocks and self.text:  # its text lives in its parts: keep it
            self.blocks = [Block("text", self.text, line=self.line, links=self.links, mentions=self.mentions)]
            self.links, self.mentions = [], []
        if self.blocks and (self.kind != "article" or any(b.kind == "article" for b in self.blocks)):
            raise ValueError("only an article block holds blocks, and not other articles")
        if self.blocks:
            self.text = "\n\n".join(b.text for b in self.blocks)
        if unknown := set(self.meta) - set(ARTICLE_META):
            raise ValueError(f"unknown block meta {sorted(unknown)}; expected some of {ARTICLE_META}")
        self.text = normalize_text(self.text)
        self.links = [link if isinstance(link, Link) else Link(**link) for link in self.links]
        end = 0
        for link in self.links:
            if not end <= link.start < link.end <= len(self.text):
                raise ValueError(f"link {link.start}-{link.end} is outside the text or overlaps the one before")
            end = link.end
        self.mentions = [m if isinstance(m, Mention) else Mention(**m) for m in self.mentions]
        if any(not 0 <= m.start < m.end <= len(self.text) for m in self.mentions):
            raise ValueError("a mention is outside the block's text")


@dataclass
class Provenance:
    """Where a post came from: the captured file and its 1-based line span."""

    source: str
    first_line: int
    last_line: int


@dataclass
class ChromeLine:
    """A line of page chrome ("Top", "Last edited:", counters) removed from post text, kept here."""

    line: int
    text: str


@dataclass
class Post:
    """One forum post.

    ``anchor`` is the permanent citable id (assigned by `converters.anchors`), ``n`` its 1-based
    position in the latest capture (``None`` for a tombstone: a post gone from the source).
    ``source_id`` is the forum's own post id when the format has one; ``position`` the forum's own
    post number (#21) and ``page`` the thread page it was captured from, where the capture shows them.
    ``status`` is ``"deleted"`` or ``"moderated"`` for a post the forum shows as such (to moderators),
    with the forum's notice in ``status_note``. ``retrieved`` is the date of
    the capture the post was first imported from (kept across re-imports, so its citation is stable).
    """

    author: str
    blocks: list[Block] = field(default_factory=list)
    user_title: str = ""
    date: str | None = None
    edited: bool = False
    edited_date: str | None = None
    source_id: str | None = None
    anchor: str = ""
    n: int | None = None
    tombstone: bool = False
    provenance: Provenance | None = None
    position: int | None = None
    page: int | None = None
    status: str | None = None
    status_note: str = ""
    retrieved: str | None = None

    def __post_init__(self) -> None:
        self.author = normalize_text(self.author)
        self.user_title = normalize_text(self.user_title)
        self.status_note = normalize_text(self.status_note)
        if self.status is not None and self.status not in POST_STATUSES:
            raise ValueError(f"unknown post status {self.status!r}; expected one of {POST_STATUSES}")
        if self.anchor and not ANCHOR.fullmatch(self.anchor):
            raise ValueError(f"bad anchor {self.anchor[:40]!r}: expected lowercase letters, digits and hyphens")

    @property
    def text(self) -> str:
        """All text of the post, blocks separated by blank lines: what tracing and matching read."""
        return "\n\n".join(block.text for block in self.blocks)


@dataclass
class Thread:
    """A captured forum thread: its identity, its posts in order, and what the capture removed.

    ``pages`` lists the thread pages captured so far, for formats read page by page (saved HTML):
    a later import of some pages keeps the posts of the pages it does not cover. ``sequence`` is the
    thread's place in the corpus's import order, set when it is first imported and kept after: posts
    of other threads count as quotable sources only if their thread came first (or, when both posts
    are dated, was posted first), so tracing never depends on what was imported later.
    """

    title: str
    forum: str
    posts: list[Post] = field(default_factory=list)
    prefix: str = ""
    url: str | None = None
    retrieved: str | None = None
    source: str = ""
    chrome: list[ChromeLine] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    sequence: int | None = None

    def __post_init__(self) -> None:
        self.title = normalize_text(self.title)
        self.prefix = normalize_text(self.prefix)
        self.forum = normalize_text(self.forum)

    @property
    def key(self) -> str:
        """What makes two captures the same thread: forum + source URL when known, else forum + title."""
        return f"{self.forum}\x1f{self.url}" if self.url else f"{self.forum}\x1f{self.title}"

    @property
    def id(self) -> str:
        """A short permanent thread id derived from `key`."""
        return "t-" + short_hash(self.key, length=8)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (``schemas/thread.schema.json``)."""
        return {"format": "forum-thread", "version": MODEL_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Thread:
        """Rebuild a thread from `to_json` output; raises ``ValueError``/``KeyError``/``TypeError`` on bad shape."""
        if data.get("format") != "forum-thread":
            raise ValueError('not a thread model: "format" is not "forum-thread"')
        if data.get("version") != MODEL_VERSION:
            raise ValueError(f"unsupported thread model version {data.get('version')!r}")
        posts = []
        for raw in data.get("posts", []):
            raw = dict(raw)
            blocks = [Block(**b) for b in raw.pop("blocks", [])]
            prov = raw.pop("provenance", None)
            posts.append(Post(blocks=blocks, provenance=Provenance(**prov) if prov else None, **raw))
        fields = {k: v for k, v in data.items() if k not in ("format", "version", "posts", "chrome")}
        chrome = [ChromeLine(**c) for c in data.get("chrome", [])]
        return cls(posts=posts, chrome=chrome, **fields)


def leaves(post: Post) -> Iterator[Block]:
    """The blocks that hold text of their own: an article's parts, not the article around them."""
    for block in post.blocks:
        yield from block.blocks or [block]
