"""The reading room's look on top of the theme: its stylesheet and a default site icon.

``static/reading.css`` styles the thread overview, the quote graph, folded articles, the home page's
most-named entries and the post cards on small screens, with the theme's colour variables only, so
light and dark schemes both work. Without an icon browsers request ``/favicon.ico`` on every visit
(a 404 in the server log and the browser console); the extension's own is used unless ``conf.py``
sets ``html_favicon``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

FAVICON = Path(__file__).parent / "static" / "favicon.svg"


def _default_favicon(app: Sphinx, config: Config) -> None:
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def setup(app: Sphinx) -> None:
    app.add_css_file("reading.css")
    app.connect("config-inited", _default_favicon)
