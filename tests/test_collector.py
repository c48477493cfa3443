"""A finished build is left to the process's exit (`ext.collector`); a next build in the same process frees it."""

from __future__ import annotations

import gc

from sphinx.testing.util import SphinxTestApp

from conftest import EXAMPLES, make_site


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
