"""The forum members: every author of a post in the corpus, per forum, with their page.

A member named in other members' posts is also a person in the register; the converter links the
two (the entry's ``members``), and the member's page and the entry's page link to each other. Each
member also carries the user titles they posted under and whom they quote and who quotes them
(quote blocks whose source is a post of the corpus), for their page and the thread overviews.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..backlinks import quote_blocks
from ..domain import ForumDomain
from .domain import FOLDER, RegisterDomain


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-") or "x"


Identity = tuple[str, str]  # (forum, member name)


@dataclass
class Member:
    forum: str
    name: str
    page: str
    posts: list[str] = field(default_factory=list)
    entry: str | None = None
    user_titles: list[str] = field(default_factory=list)  # in the order first used
    quotes: Counter[Identity] = field(default_factory=Counter)  # whom they quote, how often
    quoted_by: Counter[Identity] = field(default_factory=Counter)  # who quotes them, how often


@dataclass
class Members:
    by_identity: dict[tuple[str, str], Member] = field(default_factory=dict)


def members_of(forum: ForumDomain, register: RegisterDomain) -> Members:
    """Every author, with their posts in corpus order and the register entry that names them."""
    members = Members()
    pages: set[str] = set()
    for thread in sorted(forum.threads.values(), key=lambda t: t["docname"]):
        for anchor in thread["order"]:
            post = forum.posts[anchor]
            identity = (thread["forum"], post["author"])
            member = members.by_identity.get(identity)
            if member is None:
                page = base = f"{FOLDER}/members/{slug(thread['forum'])}/{slug(post['author'])}"
                n = 2
                while page in pages:
                    page, n = f"{base}-{n}", n + 1
                pages.add(page)
                member = members.by_identity[identity] = Member(*identity, page)
            member.posts.append(anchor)
            if post["user_title"] and post["user_title"] not in member.user_titles:
                member.user_titles.append(post["user_title"])
    for member in members.by_identity.values():
        for anchor in member.posts:
            for block in quote_blocks(forum.posts[anchor]["blocks"]):
                source = forum.posts.get(block.get("source") or "")
                quoted = (forum.threads[source["thread"]]["forum"], source["author"]) if source else None
                if quoted in members.by_identity:
                    member.quotes[quoted] += 1
                    members.by_identity[quoted].quoted_by[(member.forum, member.name)] += 1
    for key, record in register.view.items():
        for identity in record["members"]:
            if tuple(identity) in members.by_identity:
                members.by_identity[tuple(identity)].entry = key
    return members
