"""The ``forum`` domain: every thread and post of the corpus, by anchor, per document.

Data is kept as ``anchor -> record`` with the record's docname inside, so `clear_doc` and
`merge_domaindata` touch only the documents that changed and parallel reads merge cleanly.
Posts are also registered as standard labels, so ``{ref}`` and intersphinx consumers without
this extension resolve them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from .collector import forget_resolved

logger = logging.getLogger(__name__)


def post_label(post: dict[str, Any], thread: dict[str, Any] | None) -> str:
    """How a post is named in links: author, position and thread title."""
    where = f"post {post['n']}" if post.get("n") else "removed post"
    title = thread["title"] if thread else "unknown thread"
    return f"{post['author']}, {where} in “{title}”"


class ForumXRefRole(XRefRole):
    """``{post}`anchor``` anywhere, also without the ``forum:`` prefix."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if ":" not in self.name:
            self.name = f"forum:{self.name}"
        return super().run()


class ForumDomain(Domain):
    """Threads and posts of the forum corpus."""

    name = "forum"
    label = "Forum corpus"
    object_types = {"post": ObjType("post", "post"), "thread": ObjType("thread", "thread")}
    roles = {"post": ForumXRefRole(innernodeclass=nodes.inline, warn_dangling=True),
             "thread": ForumXRefRole(innernodeclass=nodes.inline, warn_dangling=True)}
    initial_data: dict[str, Any] = {"threads": {}, "posts": {}, "listings": {}, "article_pages": {}, "citations": {}}
    # 2: post records carry "retrieved"; pages carry cite placeholders; 3: articles, traced quotes;
    # 4: posts' citations rendered while reading (`ext.cite.panel`), by page; 5: posts' digests;
    # 6: a mention's name is its reference's text, unwrapped (read again, pages match a clean build)
    data_version = 6

    @property
    def threads(self) -> dict[str, dict[str, Any]]:
        return self.data["threads"]

    @property
    def posts(self) -> dict[str, dict[str, Any]]:
        return self.data["posts"]

    @property
    def listings(self) -> dict[str, bool]:
        """Documents that list the corpus (the home page): re-written whenever a thread changes."""
        return self.data["listings"]

    def note_thread(self, thread_id: str, record: dict[str, Any], node: Element) -> None:
        other = self.threads.get(thread_id)
        if other and other["docname"] != record["docname"]:
            logger.warning("thread %s is also on page %s", thread_id, other["docname"], location=node)
        self.threads[thread_id] = record
        self.env.temp_data.setdefault("forum:threads-read", []).append(thread_id)  # for `process_doc`

    def note_post(self, anchor: str, record: dict[str, Any], node: Element) -> None:
        other = self.posts.get(anchor)
        if other and other["docname"] != record["docname"]:
            logger.warning("post anchor %s is already used on page %s", anchor, other["docname"], location=node)
            return
        self.posts[anchor] = record
        std = self.env.domains.standard_domain
        label = post_label(record, self.threads.get(record["thread"]))
        std.labels[anchor] = (record["docname"], anchor, label)
        std.anonlabels[anchor] = (record["docname"], anchor)

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Stamp each post read with a digest of its record and its thread's title: all that a page made from
        domain data (a register entry's, a member's) shows of it. Such a page is made again only when a digest
        it shows changes, not whenever a page is read again (`ext.register.pages`)."""
        for thread_id in env.temp_data.get("forum:threads-read", ()):
            thread = self.threads[thread_id]
            for anchor in thread["order"]:
                post = self.posts.get(anchor)
                if post is not None and post["docname"] == docname:
                    post.pop("digest", None)
                    shown = json.dumps([post, thread["title"]], sort_keys=True, ensure_ascii=False, default=str)
                    post["digest"] = hashlib.blake2b(shown.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()

    def clear_doc(self, docname: str) -> None:
        for table in (self.threads, self.posts):
            for key in [k for k, rec in table.items() if rec["docname"] == docname]:
                del table[key]
        self.listings.pop(docname, None)
        self.data["article_pages"].pop(docname, None)
        self.data["citations"].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for table in ("threads", "posts"):
            for key, rec in otherdata[table].items():
                if rec["docname"] in wanted:
                    self.data[table][key] = rec
        for table in ("listings", "article_pages"):
            for docname in otherdata[table]:
                if docname in wanted:
                    self.data[table][docname] = True
        for docname, rendered in otherdata["citations"].items():
            if docname in wanted:
                self.data["citations"][docname] = rendered

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str,
                     node: pending_xref, contnode: Element) -> nodes.reference | None:
        return forget_resolved(node, self._reference(builder, fromdocname, typ, target, node, contnode))

    def _reference(self, builder: Builder, fromdocname: str, typ: str, target: str, node: pending_xref,
                   contnode: Element) -> nodes.reference | None:
        if typ == "thread":
            thread = self.threads.get(target)
            if thread is None:  # intersphinx may still find it in another project (`warn_missing`)
                return None
            text = contnode if node.get("refexplicit") else nodes.inline(text=thread["title"])
            return make_refnode(builder, fromdocname, thread["docname"], target, text, thread["title"])
        post = self.posts.get(target)
        if post is None:
            return None
        label = post_label(post, self.threads.get(post["thread"]))
        text = contnode if node.get("refexplicit") else nodes.inline(label, label)
        return make_refnode(builder, fromdocname, post["docname"], target, text, label)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
                         node: pending_xref, contnode: Element) -> list[tuple[str, nodes.reference]]:
        for typ in ("post", "thread"):
            if target in (self.posts if typ == "post" else self.threads):
                ref = self._reference(builder, fromdocname, typ, target, node, contnode)
                if ref is not None:
                    return [(f"forum:{typ}", ref)]
        return []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for thread_id, thread in self.threads.items():
            yield thread_id, thread["title"], "thread", thread["docname"], thread_id, 1
        for anchor, post in self.posts.items():
            yield anchor, post_label(post, self.threads.get(post["thread"])), "post", post["docname"], anchor, 1


def warn_missing(app: Any, domain: Domain | None, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: name the unknown anchor or thread id, once intersphinx had its chance.

    The domain does not warn while resolving, so a post in another project of a sharded corpus (linked
    by intersphinx) is not reported as missing.
    """
    if domain is None or domain.name != ForumDomain.name:
        return None
    what = "thread id" if node["reftype"] == "thread" else "post anchor"
    logger.warning("unknown %s %r", what, node["reftarget"], location=node, type="forum", subtype="ref")
    return True
