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

A parallel build writes differently: its main process resolves every page and hands the trees to
writer processes, keeping them until those are done; it never makes the pages, so the trees were
freed by full collections there (two, 2.7 and 6.2 s, at 10,000 posts with ``-j 2``, which made it
slower than a serial build). While it writes in parallel the main process does not collect at all
(nothing it holds could be freed before the writers end, and the writers it forks live for ten
pages), and when they have ended the trees it handed over are cut as a written page's is. That
keeps every tree it handed over to the end (about 0.8 MB a thread page): past `HOLD_AT_MOST` pages
it collects again as usual.
"""

from __future__ import annotations

import gc

from docutils import nodes
from sphinx.application import Sphinx

THRESHOLDS = (10_000, 10, 10)
HOLD_AT_MOST = 1_000  # pages: a parallel build's main process keeps no more trees than this for `release`
_HANDED_OVER: dict[int, list[nodes.document]] = {}  # by id of the app: trees a parallel build's main process resolved


def collect_less_often() -> None:
    gc.set_threshold(*(max(now, wanted) for now, wanted in zip(gc.get_threshold(), THRESHOLDS)))


def freeze_finished_build(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last of all: what the build made is no longer walked by the collector."""
    if _HANDED_OVER.pop(id(app), None) is not None:  # a parallel build that failed while writing
        gc.enable()
    gc.freeze()


def pause_for_parallel_writing(app: Sphinx, builder: object) -> None:
    """``write-started``: a parallel build's main process collects nothing until its writers end."""
    if getattr(builder, "parallel_ok", False):
        _HANDED_OVER[id(app)] = []
        gc.disable()


def hold_handed_over(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, last of all: in a parallel build, the tree the main process hands over."""
    held = _HANDED_OVER.get(id(app))
    if held is None:  # a serial build, or not writing yet
        return
    if len(held) < HOLD_AT_MOST:
        held.append(doctree)
    else:
        gc.enable()  # the rest of this build's trees go to the collector


def release_handed_over(app: Sphinx) -> list:
    """``html-collect-pages``, first of all: the writers have ended, so what they were given is cut."""
    held = _HANDED_OVER.pop(id(app), None)
    if held is not None:
        for doctree in held:
            release(doctree)
        gc.enable()
    return []


def release_written_doctree(app: Sphinx, pagename: str, templatename: str, context: dict,
                            doctree: nodes.document | None) -> None:
    """``html-page-context``, last of all: the page is made, so its doctree's links are cut (`release`)."""
    if doctree is not None:  # (else a page not made from a document)
        release(doctree)


def release(doctree: nodes.document) -> None:
    """Cut a tree's links: with no element holding its children, and the document holding no node,
    nothing of the tree is in a cycle (what is left points only upwards), and it is freed as soon as
    the last reference to it goes (the translator that still holds the emptied document is small).
    """
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
    app.connect("write-started", pause_for_parallel_writing)
    app.connect("doctree-resolved", hold_handed_over, priority=10_000)
    app.connect("html-collect-pages", release_handed_over, priority=0)
