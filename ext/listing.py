"""The corpus listing (``{forum-index}``): forums and their threads, filled in after all pages are read.

The directive leaves a placeholder; `fill_listings` replaces it at ``doctree-resolved`` from the
domain, and `listing_docs` makes Sphinx re-write listing pages (without re-reading them) whenever
any document changed.
"""

from __future__ import annotations

from collections import defaultdict

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .cite.downloads import download_links
from .domain import ForumDomain


class forum_index(nodes.General, nodes.Element):
    """Placeholder for the corpus listing; always replaced before writing."""


class ForumIndexDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.domains["forum"].listings[self.env.docname] = True
        return [forum_index()]


def _listing(app: Sphinx, domain: ForumDomain, fromdoc: str) -> list[nodes.Node]:
    by_forum: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for thread_id, thread in domain.threads.items():
        by_forum[thread["forum"]].append((thread_id, thread))
    if not by_forum:
        return [nodes.paragraph(text="The corpus is empty: import a thread with python -m converters import.")]
    download = nodes.paragraph(classes=["corpus-downloads"])
    download += nodes.Text("Machine-readable corpus: ")
    uri = relative_uri(app.builder.get_target_uri(fromdoc), "corpus.json")
    download += nodes.reference("corpus.json", "corpus.json", refuri=uri)
    download += nodes.Text(" · Citations of every thread, post and pasted article: ")
    download.extend(download_links(app, fromdoc))
    out: list[nodes.Node] = [download]
    for page in sorted(domain.data["article_pages"])[:1]:  # the articles index, where the site has one
        about = nodes.paragraph(classes=["corpus-articles"])
        about += nodes.Text("Articles pasted and quoted in the corpus: ")
        title = "articles index"
        about += nodes.reference(title, title, internal=True, refuri=app.builder.get_relative_uri(fromdoc, page))
        out.append(about)
    for forum in sorted(by_forum, key=str.casefold):
        threads = sorted(by_forum[forum], key=lambda item: item[1]["title"].casefold())
        posts = sum(sum(1 for a in t["order"] if not domain.posts[a]["tombstone"]) for _, t in threads)
        out.append(nodes.rubric(text=f"{forum} — {len(threads)} threads, {posts} posts", classes=["forum-name"]))
        items = nodes.bullet_list(classes=["thread-list"])
        for thread_id, thread in threads:
            uri = app.builder.get_relative_uri(fromdoc, thread["docname"])
            count = sum(1 for a in thread["order"] if not domain.posts[a]["tombstone"])
            para = nodes.paragraph()
            if thread["prefix"]:
                para += nodes.inline(thread["prefix"], thread["prefix"], classes=["thread-prefix"])
                para += nodes.Text(" ")
            para += nodes.reference(thread["title"], thread["title"], internal=True, refuri=uri)
            members = len({domain.posts[a]["author"] for a in thread["order"] if a in domain.posts})
            para += nodes.Text(f" — {count} posts by {members} member{'s' * (members != 1)}")
            items += nodes.list_item("", para)
        out.append(items)
    return out


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain: ForumDomain = app.env.domains["forum"]  # type: ignore[assignment]
    for node in list(doctree.findall(forum_index)):
        node.replace_self(_listing(app, domain, docname))


def note_changes(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                 removed: set[str]) -> list[str]:
    """Remember whether any document changed (an ``env-get-outdated`` hook that adds nothing)."""
    app.forum_corpus_changed = bool(added or changed or removed)  # type: ignore[attr-defined]
    return []


def listing_docs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if getattr(app, "forum_corpus_changed", False):
        return list(env.domains["forum"].listings)  # type: ignore[attr-defined]
    return []
