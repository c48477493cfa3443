"""The ``register`` domain: people, places and organisations, with their entries per document.

Thread pages declare the entries they mention (``thread-register``); the domain keeps them as
``docname -> key -> entry`` so `clear_doc` and `merge_domaindata` touch only changed documents and
parallel reads merge cleanly. The mentions themselves live with the posts in the ``forum`` domain
(each block's ``mentions``). A merged view (entry by key, names for lookup) is rebuilt once after
reading (`RegisterDomain.refresh`), joining the aliases of every page (each lists those written in its
own thread); cross-references are dictionary lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..collector import forget_resolved

logger = logging.getLogger(__name__)

TYPES = {"person": "person", "place": "place", "org": "organisation", "organisation": "organisation"}
TYPE_LABELS = {"person": "person", "place": "place", "organisation": "organisation"}
LABEL_PREFIX = "entity-"
FOLDER = "register"  # where the register's pages are written: register/<key>.html
PARTS = "mentions"  # inside it, an entry's further pages of mentions: register/mentions/<key>-<n>.html
POSTS = "posts"  # and a member's further pages of posts: register/posts/<forum>/<member>-<n>.html
# The register's index pages, also standard labels (``{ref}`register-people```).
INDEX_PAGES = {"index": "Register", "people": "People", "places": "Places", "organisations": "Organisations",
               "members": "Forum members"}


def fold(name: str) -> str:
    return " ".join(name.casefold().split())


def alias_order(name: str) -> tuple[str, str]:
    """How an entry's aliases are listed: by their folded case, then as written (as the converter sorts them)."""
    return name.casefold(), name


class RegisterRole(XRefRole):
    """``{person}`Pedro Castillo```, ``{place}`…```, ``{org}`…```: by key, name or alias."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if ":" not in self.name:
            self.name = f"register:{self.name}"
        return super().run()


class RegisterDomain(Domain):
    """People, places and organisations named in the corpus."""

    name = "register"
    label = "Register"
    object_types = {t: ObjType(t, t) for t in TYPE_LABELS}
    roles = {name: RegisterRole(innernodeclass=nodes.inline) for name in ("person", "place", "org", "entity")}
    initial_data: dict[str, Any] = {"entries": {}, "labels": []}
    data_version = 1

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.view: dict[str, dict[str, Any]] = {}
        self.names: dict[str, str] = {}

    @property
    def entries(self) -> dict[str, dict[str, dict[str, Any]]]:
        return self.data["entries"]

    def note_entry(self, docname: str, key: str, record: dict[str, Any]) -> None:
        self.entries.setdefault(docname, {})[key] = record

    def clear_doc(self, docname: str) -> None:
        self.entries.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["entries"]:
                self.entries[docname] = otherdata["entries"][docname]

    def refresh(self) -> None:
        """Rebuild the merged view: one entry per key, with the aliases of every page that lists it (each page lists
        those written in its thread); the rest the pages agree on (the first page by name wins)."""
        self.view, self.names = {}, {}
        aliases: dict[str, set[str]] = {}
        for docname in sorted(self.entries):
            for key, record in self.entries[docname].items():
                self.view.setdefault(key, record)
                aliases.setdefault(key, set()).update(record["aliases"])
        for key in sorted(self.view):
            record = self.view[key] = {**self.view[key], "aliases": sorted(aliases[key], key=alias_order)}
            for name in (record["name"], *record["aliases"]):
                self.names.setdefault(fold(name), key)
        self._sync_labels()

    def _sync_labels(self) -> None:
        """Every entry is also a standard label (``entity-<key>``), for intersphinx users without this domain."""
        std = self.env.domains.standard_domain
        for label in self.data["labels"]:
            std.labels.pop(label, None)
            std.anonlabels.pop(label, None)
        self.data["labels"] = []
        targets = [(LABEL_PREFIX + key, self.page(key), record["name"]) for key, record in self.view.items()]
        targets += [(f"register-{name}", f"{FOLDER}/{name}", title) for name, title in INDEX_PAGES.items()]
        for label, page, title in targets:
            std.labels[label] = (page, "", title)
            std.anonlabels[label] = (page, "")
            self.data["labels"].append(label)

    def page(self, key: str) -> str:
        return f"{FOLDER}/{key}"

    def lookup(self, target: str) -> str | None:
        return target if target in self.view else self.names.get(fold(target))

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str,
                     node: pending_xref, contnode: Element) -> nodes.reference | None:
        return forget_resolved(node, self._reference(builder, fromdocname, typ, target, node, contnode))

    def _reference(self, builder: Builder, fromdocname: str, typ: str, target: str, node: pending_xref,
                   contnode: Element) -> nodes.reference | None:
        key = self.lookup(target)
        if key is None:
            logger.warning("unknown register entry %r", target, location=node, type="register", subtype="ref")
            return None
        record = self.view[key]
        if typ in TYPES and typ != "entity" and TYPES[typ] != record["type"]:
            logger.warning("%r is a %s in the register, not a %s", target, record["type"], TYPES[typ],
                           location=node, type="register", subtype="ref")
        text = contnode if node.get("refexplicit") else nodes.inline(record["name"], record["name"])
        uri = relative_uri(builder.get_target_uri(fromdocname), builder.get_target_uri(self.page(key)))
        ref = nodes.reference("", "", internal=True, refuri=uri, reftitle=f"{record['name']} ({record['type']})",
                              classes=["mention", f"mention-{record['type']}"])
        ref += text
        return ref

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str,
                         node: pending_xref, contnode: Element) -> list[tuple[str, nodes.reference]]:
        key = self.lookup(target)
        if key is None:
            return []
        ref = self._reference(builder, fromdocname, "entity", key, node, contnode)
        return [(f"register:{self.view[key]['type']}", ref)] if ref is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, record in self.view.items():
            yield key, record["name"], record["type"], self.page(key), "", 1
