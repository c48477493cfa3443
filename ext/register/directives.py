"""``thread-register`` and ``register-entry``: the register entries a thread page mentions.

The converter writes them at the end of each thread page: per entry its key (argument), type,
name, authority ids, description and forum-member identities as quoted options, and its other
names as text lines. They are recorded in the ``register`` domain and shown at the foot of the
thread as "Named in this thread": the names by type, each linking to its register page.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..textlines import MalformedLine, decode_text
from .domain import TYPE_LABELS, RegisterDomain
from .mentions import mention_ref

HEADINGS = {"person": "People", "place": "Places", "organisation": "Organisations"}
AUTHORITY_SCHEMES = ("wikidata", "geonames", "viaf", "gnd", "ror", "iso3166", "iso3166-2")


def _type(value: str | None) -> str:
    return directives.choice(value, tuple(TYPE_LABELS))


def parse_authority(value: str) -> dict[str, str]:
    """``"wikidata:Q30 geonames:6252001"`` → ``{"wikidata": "Q30", "geonames": "6252001"}``."""
    out = {}
    for item in value.split():
        scheme, _, ident = item.partition(":")
        if scheme not in AUTHORITY_SCHEMES or not ident or not all(c.isalnum() or c == "-" for c in ident):
            raise ValueError(f"authority: bad item {item[:40]!r}; expected scheme:id, scheme one of {AUTHORITY_SCHEMES}")
        out[scheme] = ident
    return out


class ThreadRegisterDirective(SphinxDirective):
    """The entries of one thread; their names, grouped by type, linked to the register."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        self.env.temp_data["register:entries"] = entries = []
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        self.env.temp_data.pop("register:entries", None)
        box = nodes.container(classes=["thread-register"])
        box += nodes.rubric(text="Named in this thread")
        for kind, heading in HEADINGS.items():
            names = sorted((r for r in entries if r["type"] == kind), key=lambda r: r["name"].casefold())
            if not names:
                continue
            para = nodes.paragraph(classes=[f"register-{kind}"])
            para += nodes.strong(text=f"{heading}: ")
            for i, record in enumerate(names):
                if i:
                    para += nodes.Text(" · ")
                para += mention_ref(record["name"], record["key"])
            box += para
        return [box]


class RegisterEntryDirective(SphinxDirective):
    """One register entry; records it for this document, shows nothing itself."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "type": _type, "name": directives.unchanged_required, "authority": directives.unchanged,
        "description": directives.unchanged, "members": directives.unchanged, "curated": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        if not key.replace("-", "").isalnum() or not key[:1].isalpha() or key.lower() != key:
            raise self.error(f"register-entry: bad key {key[:40]!r}; expected lowercase letters, digits, hyphens")
        try:
            aliases = [a for a in decode_text(self.content).split("\n") if a]
            authority = parse_authority(self.options.get("authority", ""))
            members = json.loads(self.options.get("members", "[]"))
        except (MalformedLine, ValueError) as err:
            raise self.error(f"register-entry {key}: {err}") from None
        if not (isinstance(members, list) and all(
                isinstance(m, list) and len(m) == 2 and all(isinstance(x, str) for x in m) for m in members)):
            raise self.error(f"register-entry {key}: members: expected a JSON list of [forum, name]")
        record = {"key": key, "type": self.options.get("type", "person"), "name": self.options.get("name", key),
                  "aliases": aliases, "authority": authority, "description": self.options.get("description", ""),
                  "members": [tuple(m) for m in members], "curated": "curated" in self.options}
        domain: RegisterDomain = self.env.domains["register"]  # type: ignore[assignment]
        domain.note_entry(self.env.docname, key, record)
        self.env.temp_data.setdefault("register:entries", []).append(record)
        return []
