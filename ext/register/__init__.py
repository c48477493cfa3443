"""The register in the site: mentions linked in posts, a page per entry, A–Z indexes, members.

The converter (``converters.entities``) writes each block's mentions and each thread's entries
into the thread pages; this package records them (the ``register`` domain), links every mention,
and writes the register's pages after reading (`pages.collect_pages`). Roles for essays:
``{person}``, ``{place}``, ``{org}`` (by key, name or alias). Entries are in ``objects.inv`` as
``register:person`` etc. and as standard labels ``entity-<key>``.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from .directives import RegisterEntryDirective, ThreadRegisterDirective
from .domain import INDEX_PAGES, RegisterDomain
from .pages import collect_pages, forget_mention_index

STATIC = Path(__file__).parent / "static"


class RegisterLinksDirective(SphinxDirective):
    """``{register-links}``: links to the register's indexes (for the home page)."""

    def run(self) -> list[nodes.Node]:
        para = nodes.paragraph(classes=["register-links"])
        para += nodes.Text("Register: ")
        for i, name in enumerate(("people", "places", "organisations", "members")):
            if i:
                para += nodes.Text(" · ")
            ref = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=f"register-{name}",
                                        refexplicit=True, refwarn=True)
            ref += nodes.inline(INDEX_PAGES[name], INDEX_PAGES[name])
            para += ref
        return [para]


def _refresh(app: Sphinx, env: BuildEnvironment) -> None:
    env.domains["register"].refresh()  # type: ignore[attr-defined]


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> None:
    app.add_config_value("register_split_at", 300, "html", types=[int])
    app.add_config_value("register_mentions_per_page", 250, "html", types=[int])
    app.add_domain(RegisterDomain)
    app.add_directive("thread-register", ThreadRegisterDirective)
    app.add_directive("register-entry", RegisterEntryDirective)
    app.add_directive("register-links", RegisterLinksDirective)
    for role in ("person", "place", "org"):
        app.add_role(role, RegisterDomain.roles[role])
    app.connect("env-updated", _refresh)
    app.connect("env-before-read-docs", forget_mention_index)
    app.connect("html-collect-pages", collect_pages)
    app.add_css_file("register.css")
    app.connect("builder-inited", _add_static)
