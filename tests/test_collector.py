"""A finished build is left to the process's exit (`ext.collector`); a next build in the same process frees it."""

from __future__ import annotations

import gc
import weakref

from docutils import nodes

from sphinx.testing.util import SphinxTestApp

from conftest import EXAMPLES, make_site, synthetic_captures


def test_a_finished_build_is_frozen_and_the_next_build_unfreezes_it(tmp_path):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum", retrieved="2024-03-01")
    first = SphinxTestApp("html", srcdir=src)
    try:
        first.build()
    finally:
        first.cleanup()
    assert gc.get_freeze_count() > 100_000  # what the build made: no collection (the exit's included) walks it
    second = SphinxTestApp("html", srcdir=src)  # set up: collects what the first build left
    try:
        assert gc.get_freeze_count() == 0
        second.build()
    finally:
        second.cleanup()
    assert gc.get_freeze_count() > 0
    gc.unfreeze()  # the rest of the test session collects as usual


def test_a_written_pages_doctree_is_freed_without_waiting_for_a_collection(tmp_path):
    """Each thread page's nodes are gone once the page is written: reference counting freed them.

    The collector is off from the end of reading (what parsing left is collected first) to the end of
    the build; Sphinx's translator, in a reference cycle, would otherwise keep every written tree.
    """
    src = make_site(tmp_path, EXAMPLES[:2], forum="Harbour Town Forum", retrieved="2024-03-01")
    app = SphinxTestApp("html", srcdir=src)
    written: list[weakref.ref] = []

    def stop_collecting(app, env):
        gc.collect()
        gc.disable()

    def watch(app, pagename, templatename, context, doctree):
        if doctree is not None and pagename.startswith("corpus/"):
            written.extend(weakref.ref(node) for node in doctree.findall(nodes.Element) if node is not doctree)

    app.connect("env-updated", stop_collecting)
    app.connect("html-page-context", watch, priority=100)
    try:
        app.build()
        alive = [ref() for ref in written if ref() is not None]
    finally:
        gc.enable()
        app.cleanup()
    assert len(written) > 200  # two thread pages' posts, text blocks and mentions
    assert alive == []



def test_a_parallel_builds_main_process_collects_nothing_while_writing_and_frees_what_it_handed_over(
        tmp_path, make_app, monkeypatch):
    """With ``-j 2`` the main process resolves every page for its writer processes and never writes them;
    it does not collect meanwhile (each collection walked the whole build), and once the writers have
    ended the trees it handed over are freed by reference counting (the collector stays off here)."""
    import ext.collector as collector

    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 48, seed=41), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    handed: list[weakref.ref] = []
    collecting: set[bool] = set()
    alive: list[int] = []

    def watch(app, doctree, docname):
        if docname.startswith("corpus/"):
            collecting.add(gc.isenabled())
            handed.extend(weakref.ref(node) for node in doctree.findall(nodes.Element) if node is not doctree)

    def count(app):
        alive.append(sum(ref() is not None for ref in handed))
        return []

    monkeypatch.setattr(collector.gc, "enable", lambda: None)  # only reference counting can free the trees
    app = make_app("html", srcdir=src, parallel=2, freshenv=True, confoverrides={"forum_parallel_read_from": 3})
    app.connect("doctree-resolved", watch)
    app.connect("html-collect-pages", count, priority=1)  # right after the collector's release
    try:
        app.build()
    finally:
        monkeypatch.undo()
        gc.enable()
    assert app.builder.parallel_ok and collecting == {False}
    assert len(handed) > 500 and alive == [0]
