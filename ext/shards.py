"""Posts in another project of a sharded corpus: links found through intersphinx.

A very large corpus is built as several Sphinx projects, each loading the others' ``objects.inv``
(see the README, "Scale and speed"). Quote headings are resolved after Sphinx's own reference
resolution, so they ask intersphinx directly for a post the project does not hold.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


def post_elsewhere(app: Sphinx, docname: str, anchor: str, text: str) -> nodes.Element | None:
    """A link to post ``anchor`` in another project of the corpus, or ``None`` if none lists it."""
    if "sphinx.ext.intersphinx" not in app.extensions:
        return None
    from sphinx.ext.intersphinx import missing_reference

    xref = addnodes.pending_xref("", refdomain="forum", reftype="post", reftarget=anchor, refdoc=docname)
    return missing_reference(app, app.env, xref, nodes.inline(text, text))
