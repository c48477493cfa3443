"""Quote tracing: which words of a post are copied from an earlier post or pasted article, and from where.

Forum dumps lose the quote markup: a reply starts with a copy of (part of) an earlier post and the
replier's own words follow on the next line. `QuoteTracer` finds those copies the way passim finds
text reuse: an n-gram index (`converters.shingles`) proposes the few earlier posts worth comparing,
an alignment (`converters.align`) finds the copied passages, and only passages that look like a
forum quote are kept:

* at least ``MIN_WORDS`` matched words and ``MIN_SCORE`` of the passage matched (paraphrase and
  stock phrases fail this);
* whole lines in the quoting post: the passage starts at a line's first word and ends at most
  ``TAIL_WORDS`` words or a bracketed remark ("(emphasis added)") before the line's end. A copied
  phrase inside a sentence of one's own is reuse, not a quote.

Every quoted word is attributed to where its source post got it: the source's own words to the
source post; words the source itself quoted to *their* source, so a re-quote points at the original.
Text whose source is not in the corpus gets a ``missing`` id made from its words, shared by every
post that quotes it; it is found when a post quotes what an earlier post shows in quote position (the
opening lines, answered on the very next line by a reply addressed to someone by name: "Mongo, …").

Sources are the earlier posts of the same thread and every post of the threads imported before it
(`Thread.sequence`; dated posts compare dates). Tracing never changes anchors and gives the same
result every time the same corpus is traced. Posts of earlier imports can come with their n-gram
keys (`converters.textcache`): they are then read only if they are a candidate, and indexed only
under the n-grams the threads about to be traced contain (`QuoteTracer.expect`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import articles
from .align import Region, align
from .model import Block, Post, Thread, short_hash
from .segments import Label, Origin, PostText
from .shingles import DEFAULT_N, ShingleIndex, keys, positions
from .tokens import tokenize

MIN_WORDS = 10
MIN_CHARS = 40  # letters and digits in the matched words
MIN_SCORE = 0.8
TAIL_WORDS = 3
MIN_SHARED = 3  # distinct n-grams a post must share with a candidate source
SURE_SHARED = MIN_WORDS - DEFAULT_N + 1  # n-grams an exact quote of MIN_WORDS words shares: reuse, however common
REMARK = re.compile(r"^\W*\([^()]{1,60}\)\W*$")
VOCATIVE = re.compile(r"^\W*@?(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)\s*[,:!]\s")
NOT_NAMES = frozenset(
    "yes no yeah yep nope well so sure ok okay oh ah hmm wow lol however also and but now then first again "
    "anyway agreed true exactly indeed honestly frankly meanwhile still actually interesting right fine "
    "thanks thank sorry please look listen see note edit update ps".split())


@dataclass
class Entry:
    """One post as tracing sees it: its words and where each word comes from.

    While its thread is being traced, ``text`` and ``where`` (each word's index in ``text``, None
    outside the post's own text blocks) are kept too: a later reply may show that the post's opening
    lines are themselves a quote.
    """

    thread: str
    sequence: float
    position: int
    date: str | None
    post: Post
    words: list[str]
    origins: list[Origin]
    where: list[int | None]
    text: PostText | None
    grams: Sequence[int] = ()
    _gram_positions: dict[int, list[int]] | None = None

    @property
    def gram_positions(self) -> dict[int, list[int]]:
        """Where each n-gram is in ``words`` (align looks up, not scans); made when the entry is first a candidate."""
        if self._gram_positions is None:
            self._gram_positions = positions(self.grams)
        return self._gram_positions

    @property
    def own(self) -> Origin:
        return Origin(self.post.anchor, self.post.author)


@dataclass
class Stub:
    """A post of an earlier import, indexed by its kept n-gram keys: made an `Entry` only if it is a candidate."""

    thread: str
    sequence: float
    position: int
    date: str | None
    post: Post
    grams: Sequence[int]


def _entry(thread: str, sequence: float, position: int, post: Post) -> Entry:
    text = PostText(post.blocks)
    words: list[str] = []
    origins: list[Origin] = []
    where: list[int | None] = []
    own = Origin(post.anchor, post.author)
    cursor = 0

    def add(block: Block, origin: Origin) -> None:
        found = [t.word for t in tokenize(block.text)]
        words.extend(found)
        origins.extend([origin] * len(found))
        where.extend([None] * len(found))

    for k, block in enumerate(post.blocks):
        if block.kind == "text":
            count = sum(line.end - line.first for line in text.lines if line.block == k)
            words.extend(text.words[cursor : cursor + count])
            origins.extend([own] * count)
            where.extend(range(cursor, cursor + count))
            cursor += count
        elif block.kind == "quote":
            add(block, _quoted(block))
        elif block.kind == "article":
            for child in block.blocks:
                if child.kind == "text":
                    add(child, Origin(post.anchor, post.author, block.article))
                elif child.kind == "quote":
                    add(child, _quoted(child))
    return Entry(thread, sequence, position, post.date, post, words, origins, where, text)


def post_grams(thread: Thread) -> list[Sequence[int]]:
    """Each post's n-gram keys as tracing indexes it (what `QuoteTracer.add_thread` can be given back)."""
    return [keys(_entry(thread.key, 0.0, position, post).words) for position, post in enumerate(thread.posts)]


def _article_ids(post: Post) -> set[str]:
    """The corpus ids of the articles the post shows (pasted, or quoted from)."""
    found = {b.article for b in post.blocks if b.kind in ("article", "quote") and b.article}
    return found | {c.article for b in post.blocks if b.kind == "article" for c in b.blocks
                    if c.kind == "quote" and c.article}


def _quoted_texts(post: Post) -> Iterable[str]:
    """The texts of the quotes a capture marked itself (which `QuoteTracer._attribute_quotes` looks up)."""
    for block in post.blocks:
        if block.kind == "quote":
            yield block.text
        elif block.kind == "article":
            yield from (c.text for c in block.blocks if c.kind == "quote")


def _sequence(thread: Thread) -> float:
    """Threads not yet given a place in the import order count as the newest."""
    return float(thread.sequence) if thread.sequence is not None else float("inf")


def _quoted(block: Block) -> Origin:
    return Origin(block.source, block.meta.get("author"), block.article, block.missing_source)


def _missing_id(words: Iterable[str]) -> str:
    return "unknown-" + short_hash("missing", " ".join(words), length=8)


class QuoteTracer:
    """The corpus as an n-gram index of posts; `trace` cuts a thread's posts into own text, quotes, articles."""

    def __init__(self) -> None:
        self.index = ShingleIndex()
        self.entries: list[Entry | Stub] = []
        self.live: dict[str, range] = {}  # thread key -> its entries (older ones of the thread are dead)
        self.articles: set[str] = set()
        self.order: dict[str, int] = {}  # anchor -> position, for the thread being traced
        self.only: set[int] | None = None  # the n-grams tracing will look up, once `expect` knows them

    def expect(self, threads: Iterable[Thread]) -> None:
        """The threads `trace` will be given: threads added from now on are indexed only under their n-grams."""
        wanted: set[int] = set()
        for thread in threads:
            for post in thread.posts:
                wanted.update(keys(PostText(post.blocks).words))
                for text in _quoted_texts(post):
                    wanted.update(keys([t.word for t in tokenize(text)]))
        self.only = wanted

    def add_thread(self, thread: Thread, grams: list[Sequence[int]] | None = None) -> list[Sequence[int]]:
        """Index a thread that is already traced (one from the corpus); returns its posts' n-gram keys.

        Given each post's keys as an earlier import found them (`post_grams`), its posts are not
        read at all unless one is a candidate source.
        """
        first = len(self.entries)
        kept = grams is not None and len(grams) == len(thread.posts)
        for position, post in enumerate(thread.posts):
            if kept:
                self._index(Stub(thread.key, _sequence(thread), position, post.date, post, grams[position]), self.only)
            else:
                entry = _entry(thread.key, _sequence(thread), position, post)
                entry.grams = keys(entry.words)
                self._index(entry, self.only)
        self._settle(thread.key, first)
        return [entry.grams for entry in self.entries[first:]]

    def _settle(self, key: str, first: int) -> None:
        """The entries from ``first`` on are now the thread's; drop what only its tracing needed."""
        self.live[key] = range(first, len(self.entries))
        for entry in self.entries[first:]:
            if isinstance(entry, Entry):
                entry.text, entry.where = None, []

    def _full(self, doc: int) -> Entry:
        """The entry ``doc``, read now if it was a stub (as an entry of an earlier import: no text kept)."""
        entry = self.entries[doc]
        if isinstance(entry, Stub):
            full = _entry(entry.thread, entry.sequence, entry.position, entry.post)
            full.grams, full.text, full.where = entry.grams, None, []
            self.entries[doc] = entry = full
        return entry

    def trace(self, thread: Thread) -> None:
        """Cut every post of ``thread`` into own text, quotes and articles, in order; then index it."""
        self.live[thread.key] = range(first := len(self.entries), first)
        self.order = {post.anchor: position for position, post in enumerate(thread.posts)}
        for position, post in enumerate(thread.posts):
            if not post.tombstone:  # a tombstone keeps the blocks it was traced into when it was alive
                self._attribute_quotes(thread, position, post)
                self._trace_text(thread, position, post)
                post.blocks = [articles.repasted(b) for b in articles.detect(post.blocks, self.articles.__contains__)]
                for block in post.blocks:  # articles the capture marked itself get their corpus id too
                    if block.kind == "article" and not block.article:
                        block.article = articles.article_id(block.meta, block.blocks, self.articles.__contains__)
            self._add(_entry(thread.key, _sequence(thread), position, post))
        self._settle(thread.key, first)

    def _add(self, entry: Entry) -> None:
        """A post just traced: indexed under all its n-grams (a later thread of this run may quote it)."""
        entry.grams = keys(entry.words)
        self._index(entry, None)

    def _index(self, entry: Entry | Stub, only: set[int] | None) -> None:
        self.index.add(len(self.entries), entry.grams, only)
        self.entries.append(entry)
        self.articles.update(_article_ids(entry.post))

    def _sources(self, thread: Thread, position: int, post: Post, grams: Sequence[int]) -> list[Entry]:
        sequence = _sequence(thread)

        def allowed(doc: int) -> bool:
            entry = self.entries[doc]
            if entry.thread == thread.key:
                return doc >= self.live[thread.key].start and entry.position < position
            if doc not in self.live[entry.thread]:
                return False
            if entry.date and post.date:
                return (entry.date, entry.sequence) < (post.date, sequence)
            return entry.sequence < sequence

        if self.only is not None and not self.only.issuperset(grams):
            raise RuntimeError("tracing looked up n-grams it was not told to expect (QuoteTracer.expect)")
        return [self._full(d) for d in self.index.candidates(grams, MIN_SHARED, SURE_SHARED, allowed)]

    def _attribute_quotes(self, thread: Thread, position: int, post: Post) -> None:
        """Quotes the capture marked itself but could not name a post for: find their source by their text."""
        blocks = [b for b in post.blocks if b.kind == "quote"]
        blocks += [c for b in post.blocks if b.kind == "article" for c in b.blocks if c.kind == "quote"]
        for block in blocks:
            if block.source or block.missing_source:
                continue
            if block.source_id:  # the markup names the post, which is not in the corpus: it wins over the text
                block.missing_source = _missing_id([thread.forum, "post", block.source_id])
                continue
            words = [t.word for t in tokenize(block.text)]
            grams = keys(words)
            where = positions(grams)
            best: tuple[Region, Entry] | None = None
            for entry in self._sources(thread, position, post, grams):
                for region in align(words, where, entry.words, entry.gram_positions, [0] * len(words), DEFAULT_N):
                    if best is None or region.matched > best[0].matched:
                        best = (region, entry)
            if best is None or best[0].matched < max(MIN_WORDS, len(words) // 2):
                block.missing_source = _missing_id(words)
                continue
            region, entry = best
            origin = Counter(entry.origins[a] for _, a in region.pairs).most_common(1)[0][0]
            block.source, block.article, block.missing_source = origin.source, origin.article, origin.missing
            block.score = round(region.score, 2)
            if origin.author:
                block.meta = {**block.meta, "author": origin.author}

    def _trace_text(self, thread: Thread, position: int, post: Post) -> None:
        text = PostText(post.blocks)
        if len(text.words) < MIN_WORDS:
            return
        covered = [False] * len(text.words)
        found: list[tuple[Region, Entry]] = []
        grams = keys(text.words)
        where = positions(grams)
        candidates = [(region, entry) for entry in self._sources(thread, position, post, grams)
                      for region in align(text.words, where, entry.words, entry.gram_positions, text.line_of,
                                          DEFAULT_N)]
        candidates.sort(key=lambda c: (-c[0].matched, c[1].sequence, c[1].thread, c[1].position))
        for region, entry in candidates:
            for part in _uncovered(region, covered):
                part = _trimmed(text, part)
                if part is not None and _is_quote(text, part):
                    found.append((part, entry))
                    covered[part.b0 : part.b1] = [True] * (part.b1 - part.b0)
        if not found:
            return
        words: list[tuple[Origin, float] | None] = [None] * len(text.words)
        for region, entry in found:
            if entry.text is not None:  # a post of this thread, traced in this run
                self._requoted(entry, region)
            pairs = dict(region.pairs)
            origin = entry.origins[pairs[region.b0]]
            for b in range(region.b0, region.b1):
                origin = entry.origins[pairs[b]] if b in pairs else origin
                if self.order.get(origin.source or "", -1) < position:  # never this post or a later one
                    words[b] = (origin, region.score)
        post.blocks = text.rebuild(_line_labels(text, words))

    def _requoted(self, entry: Entry, region: Region) -> None:
        """If the source shows the quoted lines in quote position, they are a quote of a missing post there too."""
        a0, a1, own = region.a0, region.a1, entry.own
        if (a1 >= len(entry.words) or any(o != own for o in entry.origins[a0 : a1 + 1])
                or any(o == own for o in entry.origins[:a0])):
            return
        text, first, last, reply = entry.text, entry.where[a0], entry.where[a1 - 1], entry.where[a1]
        if text is None or first is None or last is None or reply is None:
            return
        line, next_line = text.lines[text.line_of[last]], text.lines[text.line_of[reply]]
        if not text.starts_line(first) or line.end != last + 1 or next_line.first != reply:
            return
        if next_line.block != line.block or next_line.index != line.index + 1:
            return
        vocative = VOCATIVE.match(next_line.text)
        if not vocative or vocative["name"].casefold() in NOT_NAMES | {entry.post.author.casefold()}:
            return
        label = Label(Origin(missing=_missing_id(entry.words[a0:a1])), round(region.score, 2))
        quoted = range(text.line_of[first], text.line_of[last] + 1)
        entry.post.blocks = text.rebuild([label if i in quoted else None for i in range(len(text.lines))])
        again = _entry(entry.thread, entry.sequence, entry.position, entry.post)
        entry.origins, entry.where, entry.text = again.origins, again.where, again.text


def _uncovered(region: Region, covered: list[bool]) -> list[Region]:
    """The parts of ``region`` over words no better region has taken."""
    parts, lo = [], None
    for b in range(region.b0, region.b1 + 1):
        free = b < region.b1 and not covered[b]
        if free and lo is None:
            lo = b
        elif not free and lo is not None:
            if (part := region.restricted(lo, b)) is not None:
                parts.append(part)
            lo = None
    return parts


def _trimmed(text: PostText, region: Region) -> Region | None:
    """``region`` without a few words matched by chance across a line break at either end ("… Dhabi. | As")."""
    lines = text.lines
    first, last = lines[text.line_of[region.b0]], lines[text.line_of[region.b1 - 1]]
    lo, hi = region.b0, region.b1
    if lo != first.first and first.end - lo <= TAIL_WORDS and first.end < hi:
        lo = first.end
    rest = len(tokenize(text.after(hi - 1)))
    if hi - last.first <= TAIL_WORDS and rest > TAIL_WORDS and last.first > lo:
        hi = last.first
    return region.restricted(lo, hi) if (lo, hi) != (region.b0, region.b1) else region


def _is_quote(text: PostText, region: Region) -> bool:
    """Long and close enough, and whole lines of the quoting post (see the module docstring)."""
    letters = sum(len(text.words[b]) for b, _ in region.pairs)
    if region.matched < MIN_WORDS or letters < MIN_CHARS or region.score < MIN_SCORE:
        return False
    if not text.starts_line(region.b0):
        return False
    rest = text.after(region.b1 - 1)
    return len(tokenize(rest)) <= TAIL_WORDS or bool(REMARK.match(rest))


def _line_labels(text: PostText, words: list[tuple[Origin, float] | None]) -> list[Label | None]:
    """Each line's origin (the one most of its words have), with one score per run of equally sourced lines."""
    origins: list[Origin | None | bool] = []
    for line in text.lines:
        votes = Counter(words[i][0] if words[i] else None for i in range(line.first, line.end))
        origins.append(votes.most_common(1)[0][0] if votes else False)  # False: a line without words
    for i, origin in enumerate(origins):
        if origin is False:
            before = origins[i - 1] if i else None
            after = next((o for o in origins[i + 1 :] if o is not False), None)
            origins[i] = before if before == after else None
    for first, last in text.tied_lines():
        origins[first : last + 1] = [origins[first]] * (last - first + 1)
    labels: list[Label | None] = [None] * len(origins)
    i = 0
    while i < len(origins):
        j = i
        while j + 1 < len(origins) and origins[j + 1] == origins[i]:
            j += 1
        origin = origins[i]
        if isinstance(origin, Origin):
            scores = [w[1] for k in range(i, j + 1) for w in words[text.lines[k].first : text.lines[k].end] if w]
            label = Label(origin, round(sum(scores) / len(scores), 2))
            labels[i : j + 1] = [label] * (j + 1 - i)
        i = j + 1
    return labels
