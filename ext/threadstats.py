"""What a reader is told about each thread before its first post, computed once per build.

A thread's participants, who quoted whom, the names it discusses most and its neighbours in the
corpus (previous / next thread) are derived from every page (quotes reach across threads, member
pages are named over the whole corpus, the thread order is global), so they are computed once in
``env-updated``, after all pages are read, and kept on the environment. Pages whose facts changed
are returned from that event and so re-written without being re-read. `ext.overview` and
`ext.threadnav` render them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .backlinks import quote_blocks
from .domain import ForumDomain
from .register.domain import RegisterDomain
from .register.members import members_of

TOP_DISCUSSED = 10


@dataclass(frozen=True)
class Person:
    """A member drawn in a thread's overview: their posts in it (0: quoted from another thread), their page."""

    name: str
    posts: int
    page: str | None


@dataclass(frozen=True)
class Discussed:
    """A register entry and the number of the thread's posts that name it in their own words."""

    key: str
    name: str
    type: str
    posts: int


@dataclass(frozen=True)
class Neighbour:
    docname: str
    title: str


@dataclass(frozen=True)
class ThreadFacts:
    docname: str
    posts: int  # post cards, removed posts (tombstones) included
    removed: int  # of which tombstones
    people: tuple[Person, ...]  # posters in order of their first post, then members quoted from elsewhere
    edges: tuple[tuple[int, int, int], ...]  # (index of who quoted, index of who was quoted, quotes)
    outside: int  # quotes whose source is not a post of the corpus
    discussed: tuple[Discussed, ...]
    prev: Neighbour | None
    next: Neighbour | None

    @property
    def participants(self) -> int:
        return sum(1 for p in self.people if p.posts)


def thread_order(domain: ForumDomain) -> list[str]:
    """Thread ids as the home page lists them: by forum, then title."""
    return sorted(domain.threads, key=lambda t: (domain.threads[t]["forum"].casefold(),
                                                 domain.threads[t]["title"].casefold(), t))


def _leaves(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield from block.get("blocks") or [block]


def discussed(domain: ForumDomain, register: RegisterDomain, order: list[str]) -> tuple[Discussed, ...]:
    """The entries named in most posts of the thread; text quoted from another post of the corpus is not counted again."""
    posts: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for anchor in order:
        named: set[str] = set()
        for block in _leaves(domain.posts[anchor]["blocks"]):
            if block["kind"] == "quote" and block.get("source") in domain.posts:
                continue
            keys = [m["entity"] for m in block.get("mentions", []) if m["entity"] in register.view]
            mentions.update(keys)
            named.update(keys)
        posts.update(named)
    top = sorted(posts, key=lambda k: (-posts[k], -mentions[k], register.view[k]["name"].casefold(), k))
    return tuple(Discussed(k, register.view[k]["name"], register.view[k]["type"], posts[k])
                 for k in top[:TOP_DISCUSSED])


def _neighbour(domain: ForumDomain, thread_id: str) -> Neighbour:
    return Neighbour(domain.threads[thread_id]["docname"], domain.threads[thread_id]["title"])


def thread_facts(domain: ForumDomain, register: RegisterDomain) -> dict[str, ThreadFacts]:
    """The facts of every thread of the corpus."""
    members = members_of(domain, register).by_identity
    order = thread_order(domain)
    out: dict[str, ThreadFacts] = {}
    for i, thread_id in enumerate(order):
        thread = domain.threads[thread_id]
        anchors = [a for a in thread["order"] if a in domain.posts]
        identities: list[tuple[str, str]] = []
        counts: Counter[tuple[str, str]] = Counter()
        for anchor in anchors:
            identity = (thread["forum"], domain.posts[anchor]["author"])
            counts[identity] += 1
            if identity not in identities:
                identities.append(identity)
        quotes: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
        outside = 0
        for anchor in anchors:
            for block in quote_blocks(domain.posts[anchor]["blocks"]):
                source = domain.posts.get(block.get("source") or "")
                if source is None:
                    outside += 1
                    continue
                quoted = (domain.threads[source["thread"]]["forum"], source["author"])
                quotes[(thread["forum"], domain.posts[anchor]["author"]), quoted] += 1
                counts.setdefault(quoted, 0)  # a member quoted from another thread
        identities += [ident for ident in counts if ident not in identities]
        index = {ident: k for k, ident in enumerate(identities)}
        people = tuple(Person(name, counts[(forum, name)],
                              members[(forum, name)].page if (forum, name) in members else None)
                       for forum, name in identities)
        edges = tuple(sorted((index[a], index[b], n) for (a, b), n in quotes.items()))
        out[thread_id] = ThreadFacts(
            thread["docname"], len(anchors), sum(1 for a in anchors if domain.posts[a]["tombstone"]), people,
            edges, outside, discussed(domain, register, anchors),
            prev=_neighbour(domain, order[i - 1]) if i > 0 else None,
            next=_neighbour(domain, order[i + 1]) if i + 1 < len(order) else None)
    return out


def update(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated`` (after the register's view is refreshed): recompute; return the pages whose facts changed."""
    facts = thread_facts(env.domains["forum"], env.domains["register"])  # type: ignore[arg-type]
    old: dict[str, ThreadFacts] = getattr(env, "forum_thread_facts", {})
    env.forum_thread_facts = facts  # type: ignore[attr-defined]
    env.forum_thread_of_doc = {f.docname: t for t, f in facts.items()}  # type: ignore[attr-defined]
    return sorted({f.docname for t, f in facts.items() if old.get(t) != f and f.docname in env.all_docs})
