"""Posts in another project of a sharded corpus: links found through intersphinx.

A very large corpus is built as several Sphinx projects, each loading the others' ``objects.inv``
(see the README, "Scale and speed"). Quote headings are resolved after Sphinx's own reference
resolution, so they ask intersphinx directly for a post the project does not hold. Sphinx does not
re-write pages when an inventory changes, so `outside_posts_found` names the pages that quote a post
another shard now lists (or no longer lists), and only those are written again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def post_elsewhere(app: Sphinx, docname: str, anchor: str, text: str) -> nodes.Element | None:
    """A link to post ``anchor`` in another project of the corpus, or ``None`` if none lists it."""
    if "sphinx.ext.intersphinx" not in app.extensions:
        return None
    from sphinx.ext.intersphinx import missing_reference

    xref = addnodes.pending_xref("", refdomain="forum", reftype="post", reftarget=anchor, refdoc=docname)
    return missing_reference(app, app.env, xref, nodes.inline(text, text))


def _blocks(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield block
        yield from _blocks(block.get("blocks", []))


def outside_posts_found(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages quoting posts of other projects whose inventories changed what they list."""
    domain = env.domains["forum"]
    quoting: dict[str, set[str]] = defaultdict(set)  # a post outside this project -> the pages quoting it
    for record in domain.posts.values():  # type: ignore[attr-defined]
        for block in _blocks(record["blocks"]):
            source = block.get("source")
            if source and source not in domain.posts:  # type: ignore[attr-defined]
                quoting[source].add(record["docname"])
    inventories = getattr(env, "intersphinx_named_inventory", {})
    found = {anchor for inventory in inventories.values() for anchor in inventory.get("forum:post", {})
             if anchor in quoting}
    before: set[str] = getattr(env, "forum_outside_posts", set())
    env.forum_outside_posts = found  # type: ignore[attr-defined]
    return sorted({doc for anchor in found ^ before for doc in quoting[anchor] if doc in env.all_docs})
