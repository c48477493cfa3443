"""A small update is read and written in the building process itself, even with ``-j``.

Sphinx reads in parallel whenever ``-j`` is above 1, however few pages changed, and each reading
process sends the whole environment back pickled (25 MB at 10,000 posts: about a second each
way); writing in parallel forks worker processes too. After an import that changed two pages that
costs more than the work. When the build reads some pages but fewer than ``forum_parallel_read_from``
per process, it runs serially; a large read, and a build that reads nothing but writes everything
(an HTML option changed), stay parallel.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


SAVED = "_forum_parallel"  # the -j of the build, while this one runs serially


def serial_for_few(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: Sphinx decides right after it how to read, and after reading how to write."""
    if app.parallel > 1 and 0 < len(docnames) < app.config.forum_parallel_read_from * app.parallel:
        setattr(app, SAVED, app.parallel)
        app.parallel = 1


def restore(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the next build on the same application decides afresh."""
    if hasattr(app, SAVED):
        app.parallel = app.__dict__.pop(SAVED)


def setup(app: Sphinx) -> None:
    app.add_config_value("forum_parallel_read_from", 10, "", types=[int])
    app.connect("env-before-read-docs", serial_for_few)
    app.connect("build-finished", restore)
