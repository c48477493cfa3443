"""How a build of the corpus uses Python's garbage collector: less often while it runs, not at all at its end.

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

from sphinx.application import Sphinx

THRESHOLDS = (10_000, 10, 10)


def collect_less_often() -> None:
    gc.set_threshold(*(max(now, wanted) for now, wanted in zip(gc.get_threshold(), THRESHOLDS)))


def freeze_finished_build(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, last of all: what the build made is no longer walked by the collector."""
    gc.freeze()


def setup(app: Sphinx) -> None:
    if gc.get_freeze_count():  # an earlier build in this process: what it left is collected now
        gc.unfreeze()
        gc.collect()
    collect_less_often()
    app.connect("build-finished", freeze_finished_build, priority=1000)
