"""How a build of the corpus uses Python's garbage collector: less often while it runs, not at all at its end.

A written page's doctree is freed when its page is written, not by a collection: Sphinx's HTML
translator keeps the doctree and is itself in a reference cycle (the handlers of extensions' nodes
are bound to the instance), and every docutils node points to its parent, so each written tree
waited for a full collection. At 10,000 posts those were two or three collections in the writing
phase, finding up to 2.7 million dead objects among 3 million and taking 2–4 s each.
`release_written_doctree` cuts the tree's links once the page is made (``html-page-context``, last of
all): reference counting frees it at once.

A build makes millions of small objects that live to its end (doctrees, the domains' data); at
Python's default thresholds (700, 10, 10) the collector walks them again and again. A clean build of
10,000 posts: 126 s at the default, 116 s at `THRESHOLDS` (peak memory 795 and 830 MB); (50,000, 20,
100), as the import uses, gave 121 s and 1,093 MB, since dropped doctrees wait longer for a full
collection. They are raised, never lowered, for the build process.

When the build has finished, those objects are still held in reference cycles (the application, its
environment and builder), and a ``sphinx-build`` process spent about a second more (10,000 posts)
after the site was written, as the interpreter's exit collected them one by one. They are frozen
(`gc.freeze`) at ``build-finished`` instead: no collection walks them again and the process ends at
once, the system taking the memory back. Files are closed by then (Sphinx closes its warning file
itself). A later build in the same process (a test session, a server) unfreezes and collects them
first.
"""

from __future__ import annotations

import gc

from docutils import nodes
from sphinx.application import Sphinx

THRESHOLDS = (10_000, 10, 10)


def collect_less_often() -> None:
    gc.set_threshold(*(max(now, wanted) for now, wanted in zip(gc.get_threshold(), THRESHOLDS)))


def freeze_finished_build(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last of all: what the build made is no longer walked by the collector."""
    gc.freeze()


def release_written_doctree(app: Sphinx, pagename: str, templatename: str, context: dict,
                            doctree: nodes.document | None) -> None:
    """``html-page-context``, last of all: the page is made, so its doctree's links are cut.

    With no element holding its children, and the document holding no node, nothing of the tree is
    in a cycle (what is left points only upwards), and it is freed as soon as Sphinx drops it (the
    translator that still holds the emptied document is small).
    """
    if doctree is None:  # a page not made from a document
        return
    stack = list(doctree.children)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Element):
            stack.extend(node.children)
            node.children = []
    for value in vars(doctree).values():  # children, ids, nameids, refnames, ...
        if isinstance(value, (list, dict)):
            value.clear()


def forget_resolved(node: nodes.Element, reference: nodes.reference | None) -> nodes.reference | None:
    """A domain's ``resolve_xref``: the pending node it resolved is replaced next, and its text has been copied.

    Emptied, it is freed as soon as it is replaced, instead of its text's pointer to it keeping it,
    and the paragraph it pointed to, for a collection.
    """
    if reference is not None:
        node.clear()
    return reference


def replace(node: nodes.Element, new: nodes.Node | list[nodes.Node]) -> None:
    """``node.replace_self(new)``, then ``node`` emptied: its children no longer point to it, so it is
    freed at once, not by a collection, and does not keep the paragraph it was in."""
    node.replace_self(new)
    node.clear()


def remove(node: nodes.Element) -> None:
    """``node`` taken out of its tree and emptied (as `replace`)."""
    node.parent.remove(node)
    node.clear()


def setup(app: Sphinx) -> None:
    if gc.get_freeze_count():  # an earlier build in this process: what it left is collected now
        gc.unfreeze()
        gc.collect()
    collect_less_often()
    app.connect("build-finished", freeze_finished_build, priority=1000)
    app.connect("html-page-context", release_written_doctree, priority=10_000)
