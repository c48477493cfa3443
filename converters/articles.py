"""Pasted external texts in a post (news articles, blog posts, fact-book excerpts, tweets, link previews).

Members paste whole articles under a line or two of their own. What gives a paste away is its
header, so detection reads only header shapes, line by line, in the member's own text (never inside
a quote):

* a byline — ``Authored by Nick Corbishley via NakedCapitalism.com,``, ``By Jane Doe, Reuters`` —
  with the headline and a dateline (``SATURDAY, MAY 27, 2023 - 04:20 AM``) around it;
* a headline over a dateline, or over an author and a reading time (``6–7 minutes``: reader view);
* a headline in capitals or title case over an author line and the body (blog posts);
* an introduction naming the source: ``From the CIA World Factbook:``;
* a tweet's attribution line (``— Name (@handle) May 27, 2023``) under its text, and a link
  preview (title, snippet, bare domain line); these two end where their shape ends.

Any other article runs from its header to the end of the post. Its id is stable and the same for
every paste of one article: a digest of its title (or of its source and first words), or, for an
untitled paste that is mostly quoted from a known article, that article's id. A paste of an article
already in the corpus is traced as a quote of the first paste; when it starts with the header it is
shown as that article again, holding the quote (`repasted`).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Block, short_hash
from .segments import Line, PostText, piece
from .tokens import tokenize

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
DATELINE = re.compile(
    rf"^(?:(?:published|updated|posted)(?:\s+on)?:?\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<m2>{_MONTHS})\.?),?\s+(?P<y>\d{{4}})"
    r"(?:\s*(?:[-–—|,@•·]|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?\s*$",
    re.IGNORECASE)
ISO_DATELINE = re.compile(r"^(?P<iso>\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?\S*)?$")
_NAME = r"[A-Z][\w'’-]*\.?(?:\s+(?:and\s+)?(?:[A-Z][\w'’-]*\.?|de|da|del|van|von|la|le|bin|al)){0,4}"
BYLINE = re.compile(rf"^(?i:(?:authored|written|posted|published|reported|compiled)\s+)?(?i:by)\s+(?P<author>{_NAME})"
                    r"(?:\s*(?:,|\bvia\b|\bfor\b|\bat\b|\bof\b)\s*(?P<outlet>[^,]{2,80}?))?\s*[,.]?\s*$")
NAME_LINE = re.compile(rf"^{_NAME}$")
INTRO = re.compile(r"^(?i:from|via|source:?|courtesy of)\s+(?:the\s+)?(?P<outlet>[A-Z0-9][\w.&'’-]*"
                   r"(?:\s+(?:[A-Z0-9][\w.&'’-]*|of|the|and|for|on|in|de|la|du))*)\s*:\s*$")
FAIR_USE = re.compile(r"fair use", re.IGNORECASE)
READING_TIME = re.compile(r"^\d{1,3}(?:\s*[-–—]\s*\d{1,3})?\s*(?:mins?|minutes?)(?:\s+read)?$", re.IGNORECASE)
TWEET = re.compile(r"^[—–-]+\s*(?P<name>[^()]{1,60}?)\s*\(@(?P<handle>\w{1,15})\)\s*(?P<date>.{4,40})$")
DOMAIN = re.compile(r"^(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$", re.IGNORECASE)
MAX_HEADER = 160  # characters: longer lines are body text
HEADER_LINES = 4  # lines from an article's start that may still hold its byline and dateline
LONG_BODY = 20  # words in the line under a blog post's author line
ADOPT_SHARE = 0.8  # an untitled paste this much quoted from one article is that article


def parse_date(text: str) -> str | None:
    """``YYYY-MM-DD`` from a dateline, or None."""
    if iso := ISO_DATELINE.match(text.strip()):
        return iso["iso"]
    match = DATELINE.match(text.strip())
    if not match:
        return None
    month, day = (match["m1"], match["d1"]) if match["m1"] else (match["m2"], match["d2"])
    try:
        when = datetime.datetime.strptime(f"{month[:3]} {day} {match['y']}", "%b %d %Y")
    except ValueError:
        return None
    return when.date().isoformat()


def _headline(text: str, strong: bool) -> bool:
    """A line shaped like a title; ``strong``: in capitals or title case as well."""
    text = text.strip()
    words = text.split()
    if not 2 <= len(words) <= 25 or len(text) > MAX_HEADER or not (text[0].isupper() or text[0].isdigit()
                                                                    or text[0] in "\"'“‘"):
        return False
    if text.endswith((":", ",", ";")) or (text.endswith(".") and not text.endswith(("...", "…"))):
        return False
    if not strong:
        return True
    letters = [c for c in text if c.isalpha()]
    long_words = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    capitals = sum(w[0].isupper() for w in long_words)
    return sum(c.isupper() for c in letters) >= 0.8 * len(letters) or capitals >= 0.6 * max(1, len(long_words))


def _name(text: str) -> bool:
    return len(text.strip()) <= 40 and bool(NAME_LINE.match(text.strip()))


def _outlet(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip().rstrip(".,")
    return text[4:] if text.startswith("the ") else text


@dataclass
class Found:
    """An article's extent in lines (``last`` None: to the end of the post) and what its header says."""

    first: int
    last: int | None
    meta: dict[str, str] = field(default_factory=dict)


class _Reader:
    """Header shapes over the own-text lines of one post."""

    def __init__(self, text: PostText) -> None:
        self.lines: list[Line] = text.lines

    def text(self, i: int | None) -> str:
        return self.lines[i].text.strip() if i is not None else ""

    def near(self, i: int, step: int) -> int | None:
        """The non-empty line ``step`` (±1) from line ``i`` in the same or the adjacent text block."""
        j = i + step
        while 0 <= j < len(self.lines) and not self.lines[j].text.strip():
            j += step
        if not 0 <= j < len(self.lines) or abs(self.lines[j].block - self.lines[i].block) > 1:
            return None
        return j

    def found_at(self, i: int) -> Found | None:
        for cue in (self._byline, self._dateline, self._reading_time, self._intro, self._blog, self._tweet,
                    self._preview):
            if (found := cue(i)) is not None:
                return self._enriched(found)
        return None

    def _enriched(self, found: Found) -> Found:
        """What the rest of the header says (a byline under the dateline that found the article, say)."""
        i: int | None = found.first
        for _ in range(HEADER_LINES):
            if i is None or (found.last is not None and i > found.last):
                break
            if match := BYLINE.match(self.text(i)):
                found.meta.setdefault("author", match["author"])
                if outlet := _outlet(match["outlet"]):
                    found.meta.setdefault("outlet", outlet)
            elif date := parse_date(self.text(i)):
                found.meta.setdefault("date", date)
            i = self.near(i, 1)
        return found

    def _titled(self, header: int, meta: dict[str, str]) -> Found:
        """An article whose header starts at line ``header``, with the headline above it if there is one."""
        above = self.near(header, -1)
        if above is not None and _headline(self.text(above), strong=False):
            meta["title"] = self.text(above)
            return Found(above, None, meta)
        return Found(header, None, meta)

    def _byline(self, i: int) -> Found | None:
        match = BYLINE.match(self.text(i))
        if not match or len(self.text(i)) > MAX_HEADER:
            return None
        meta = {"author": match["author"]}
        if outlet := _outlet(match["outlet"]):
            meta["outlet"] = outlet
        header = i
        for j in (self.near(i, -1), self.near(i, 1)):
            if j is not None and (date := parse_date(self.text(j))):
                meta["date"] = date
                header = min(header, j)
        return self._titled(header, meta)

    def _dateline(self, i: int) -> Found | None:
        date = parse_date(self.text(i))
        above = self.near(i, -1)
        if date is None or above is None or not _headline(self.text(above), strong=False):
            return None
        return self._titled(i, {"date": date})

    def _reading_time(self, i: int) -> Found | None:
        if not READING_TIME.match(self.text(i)):
            return None
        header, meta = i, {}
        above = self.near(i, -1)
        if above is not None and _name(self.text(above)):
            meta["author"] = self.text(above)
            header = above
        found = self._titled(header, meta)
        return found if "title" in found.meta else None

    def _intro(self, i: int) -> Found | None:
        match = INTRO.match(self.text(i))
        first = self.near(i, 1)
        while first is not None and FAIR_USE.search(self.text(first)) and len(self.text(first).split()) <= 12:
            first = self.near(first, 1)
        if not match or first is None:
            return None
        return Found(first, None, {"outlet": match["outlet"]})

    def _blog(self, i: int) -> Found | None:
        author = self.near(i, 1)
        body = self.near(author, 1) if author is not None else None
        if (body is None or not _headline(self.text(i), strong=True) or not _name(self.text(author))
                or len(self.text(body).split()) < LONG_BODY):
            return None
        return Found(i, None, {"title": self.text(i), "author": self.text(author)})

    def _tweet(self, i: int) -> Found | None:
        match = TWEET.match(self.text(i))
        if not match or i == 0 or self.lines[i - 1].block < self.lines[i].block - 1:
            return None
        first = i - 1
        while first > 0 and self.lines[first - 1].block == self.lines[i - 1].block:
            first -= 1
        meta = {"author": f"{match['name']} (@{match['handle']})", "outlet": "Twitter"}
        if date := parse_date(match["date"]):
            meta["date"] = date
        return Found(first, i, meta)

    def _preview(self, i: int) -> Found | None:
        if not DOMAIN.match(self.text(i)) or i == 0 or self.lines[i - 1].block != self.lines[i].block:
            return None
        first = i - 1
        if first > 0 and self.lines[first - 1].block == self.lines[i].block:
            first -= 1
        if not _headline(self.text(first), strong=False):
            return None
        return Found(first, i, {"title": self.text(first), "outlet": self.text(i).lower()})


def article_id(meta: dict[str, str], children: list[Block], known: Callable[[str], bool]) -> str:
    """The article's corpus-wide id (see the module docstring); ``known`` says whether an id is an article."""
    if title := meta.get("title"):
        words = [t.word for t in tokenize(title)]
        extra = [] if len(words) >= 4 else [meta.get("author", ""), meta.get("outlet", "")]
        return "a-" + short_hash("title", " ".join(words), *extra, length=8)
    quoted: Counter[str] = Counter()
    for child in children:
        if child.kind == "quote" and child.article and known(child.article):
            quoted[child.article] += len(child.text)
    total = sum(len(c.text) for c in children)
    if quoted and (best := quoted.most_common(1)[0])[1] >= ADOPT_SHARE * total:
        return best[0]
    words = [t.word for c in children for t in tokenize(c.text)][:16]
    return "a-" + short_hash("text", meta.get("outlet", ""), " ".join(words), length=8)


def _url(blocks: list[Block], start: int, children: list[Block]) -> str | None:
    """The article's link: a bare link just before it or among its first parts."""
    nearby = ([blocks[start - 1]] if start > 0 else []) + children[:3]
    return next((b.url for b in nearby if b.kind == "link" and b.url), None)


def _split(text: PostText, found: Found) -> tuple[list[Block], int, int]:
    """The post's blocks cut at the article's first and last line: (blocks, first, end) block indexes."""
    out: list[Block] = []
    first, end = 0, None
    for k, block in enumerate(text.blocks):
        lines = [i for i, line in enumerate(text.lines) if line.block == k]
        if block.kind != "text":
            out.append(block)
            continue
        parts: list[list[int]] = [[]]
        for i in lines:
            if i == found.first and parts[-1]:
                parts.append([])
            parts[-1].append(i)
            if i == found.last and i != lines[-1]:
                parts.append([])
        for part in parts:
            if found.first in part:
                first = len(out)
            out.append(block if len(parts) == 1 else piece(block, [text.lines[i] for i in part]))
            if found.last in part:
                end = len(out)
    return out, first, end if end is not None else len(out)


def repasted(block: Block) -> Block:
    """A quote of a pasted article that starts with the article's header is another paste of that article:
    the article (same id, this paste's header), holding the quote."""
    if block.kind != "quote" or not block.article:
        return block
    reader = _Reader(PostText([Block("text", block.text)], words=False))
    found = next((f for i in range(min(HEADER_LINES, len(reader.lines))) if (f := reader.found_at(i))), None)
    if found is None or found.first != 0 or found.last is not None:
        return block
    return Block("article", "", meta=found.meta, article=block.article, blocks=[block])


def detect(blocks: list[Block], known: Callable[[str], bool]) -> list[Block]:
    """``blocks`` with every pasted article found in the own text grouped into an article block."""
    start = 0
    out = list(blocks)
    while True:
        text = PostText(out, words=False)
        reader = _Reader(text)
        offset = next((i for i, line in enumerate(text.lines) if line.block >= start), len(text.lines))
        found = next((f for i in range(offset, len(text.lines)) if (f := reader.found_at(i))), None)
        if found is None:
            return out
        out, first, end = _split(text, found)
        children = out[first:end]
        meta = found.meta
        article = Block("article", "", url=_url(out, first, children), meta=meta,
                        article=article_id(meta, children, known), blocks=children)
        out[first:end] = [article]
        if found.last is None:
            return out
        start = first + 1
