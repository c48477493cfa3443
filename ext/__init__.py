"""Sphinx extension for the forum corpus: the ``forum`` domain, thread pages, listing and exports.

Add ``"ext"`` to ``extensions`` in ``conf.py``. The extension also hardens the build for untrusted
text: raw HTML, file insertion, MyST HTML syntax, smart quotes and the Jinja ``substitution``
extension are off, and converter-written pages may not carry front matter beyond ``orphan``;
`guard` neutralises anything in a corpus page that would load, include or run something; `invisible`
shows invisible characters as marks; `csp` puts a strict Content-Security-Policy on every page and
`links` marks links to other sites ``rel="nofollow noopener"`` (see SECURITY.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

from . import cite, collector, readmode, register, search
from . import backlinks, quoting
from . import articlefold, disclosure, highlights, overview, semantics, theme, threadnav, threadstats
from . import directives as d
from .articles import ArticlesIndexDirective, articles_index, fill_articles_index
from .domain import ForumDomain, warn_missing
from .shards import outside_posts_found
from .csp import add_csp_meta
from .export import write_corpus_json
from .guard import CorpusGuard
from .invisible import mark_page, mark_titles
from .links import mark_external_links
from .listing import ForumIndexDirective, fill_listings, forum_index, listing_docs, note_changes

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
UNSAFE_MYST_EXTENSIONS = {"substitution"}
UNSAFE_EXTENSIONS = {"sphinx.ext.ifconfig"}
ALLOWED_FRONT_MATTER = re.compile(r"\A---\norphan: true\n---\n")
DEFAULT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")


def _harden_config(app: Sphinx, config: Config) -> None:
    bad = UNSAFE_MYST_EXTENSIONS & set(getattr(config, "myst_enable_extensions", []) or [])
    bad |= UNSAFE_EXTENSIONS & set(config.extensions)
    if bad:
        raise ConfigError(f"{', '.join(sorted(bad))} would run code from page text; "
                          "the forum corpus refuses to build with it enabled")
    disabled = list(getattr(config, "myst_disable_syntax", []) or [])
    config.myst_disable_syntax = disabled + [s for s in ("html_block", "html_inline") if s not in disabled]
    config.smartquotes = False


def _harden_settings(app: Sphinx) -> None:
    app.env.settings.update(raw_enabled=False, file_insertion_enabled=False, smart_quotes=False)
    app.config.html_static_path.append(str(STATIC))


def _guard_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Converter-written pages own their front matter: anything beyond ``orphan`` is removed."""
    if not docname.startswith(app.config.forum_corpus_dir.rstrip("/") + "/"):
        return
    text = source[0]
    if text.startswith("---\n") and not ALLOWED_FRONT_MATTER.match(text):
        end = text.find("\n---\n", 4)
        logger.error("%s: front matter in corpus pages may only say 'orphan: true'; ignored", docname)
        source[0] = text[end + 5 :] if end != -1 else text


def setup(app: Sphinx) -> dict[str, Any]:
    collector.setup(app)
    app.add_config_value("forum_base_url", "", "html", types=[str])
    app.add_config_value("forum_corpus_dir", "corpus", "env", types=[str])
    app.add_config_value("forum_csp", DEFAULT_CSP, "html", types=[str])
    app.add_config_value("forum_external_rel", "nofollow noopener", "html", types=[str])
    app.add_domain(ForumDomain)
    app.connect("warn-missing-reference", warn_missing)
    app.add_directive("thread", d.ThreadDirective)
    app.add_directive("post", d.PostDirective)
    for name, directive in d.BLOCK_DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_directive("capture-chrome", d.CaptureChromeDirective)
    app.add_directive("forum-index", ForumIndexDirective)
    for name, directive in quoting.DIRECTIVES.items():
        app.add_directive(name, directive)
    app.add_directive("forum-articles", ArticlesIndexDirective)
    for node in (*quoting.NODES, articles_index):
        app.add_node(node)
    app.connect("env-updated", backlinks.update)
    app.connect("doctree-resolved", backlinks.fill)
    app.connect("doctree-resolved", fill_articles_index)
    app.add_role("post", ForumDomain.roles["post"])
    app.add_node(forum_index)
    app.add_css_file("forum.css")
    app.connect("config-inited", _harden_config, priority=900)
    app.connect("builder-inited", _harden_settings)
    app.connect("source-read", _guard_front_matter)
    app.connect("env-get-outdated", note_changes)
    app.connect("env-get-updated", listing_docs)
    app.connect("env-get-updated", outside_posts_found)
    app.connect("doctree-resolved", fill_listings)
    app.connect("build-finished", write_corpus_json)
    cite.setup(app)
    readmode.setup(app)
    register.setup(app)
    search.setup(app)
    app.add_transform(CorpusGuard)
    app.connect("doctree-read", mark_titles, priority=900)
    app.connect("doctree-resolved", mark_page, priority=900)
    app.connect("doctree-resolved", mark_external_links)
    app.connect("html-page-context", add_csp_meta, priority=900)
    # The reading room: thread overview and neighbours (after the register's view is refreshed), folded
    # articles, post cards as articles, the home page's most named entries, the stylesheet.
    app.connect("env-updated", threadstats.update, priority=600)
    for module in (disclosure, articlefold, overview, threadnav, semantics, highlights, theme):
        module.setup(app)
    return {"version": "0.1", "env_version": ForumDomain.data_version,
            "parallel_read_safe": True, "parallel_write_safe": True}
