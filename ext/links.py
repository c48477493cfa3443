"""Links to other sites carry ``rel="nofollow noopener"`` (``forum_external_rel`` in ``conf.py``).

Most outside links on the site come from forum posts: the forum's members chose them, not the
site's editors, so search engines are told not to count them as endorsements (``nofollow``) and
the opened page gets no handle on ours (``noopener``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .guard import url_scheme


def mark_external_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    rel = app.config.forum_external_rel
    if not rel:
        return
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if not ref.get("internal") and (url_scheme(uri) is not None or uri.startswith("//")):
            ref["rel"] = rel
