"""``thread-register`` and ``register-entry``: the register entries a thread page mentions.

The converter writes them at the end of each thread page: per entry its key (argument), type,
name, authority ids, description and forum-member identities as quoted options, and its other
names as text lines. They are recorded in the ``register`` domain and shown at the foot of the
thread as "Named in this thread": the names by type, each linking to its register page.

A thread page names dozens of entries: a block exactly as the converter writes it is read directly
(`written_entries`, `ext.written`); anything else goes through MyST and these directives.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..textlines import MalformedLine, decode_text
from ..written import fences, read_options
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
        entries = written_entries(self.content)
        if entries is None:  # each register-entry directive notes its own
            self.env.temp_data["register:entries"] = entries = []
            holder = nodes.Element()
            self.state.nested_parse(self.content, self.content_offset, holder)
            self.env.temp_data.pop("register:entries", None)
        else:
            for record in entries:
                _note(self.env, record)
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
        try:
            record = entry_record(self.arguments[0], self.options, self.content)
        except ValueError as err:
            raise self.error(str(err)) from None
        _note(self.env, record)
        self.env.temp_data.setdefault("register:entries", []).append(record)
        return []


def _note(env: Any, record: dict[str, Any]) -> None:
    domain: RegisterDomain = env.domains["register"]
    domain.note_entry(env.docname, record["key"], record)


def entry_record(key: str, options: dict[str, Any], content: Sequence[str]) -> dict[str, Any]:
    """The register record of one ``register-entry``: its key, converted options and alias lines."""
    if not key.replace("-", "").isalnum() or not key[:1].isalpha() or key.lower() != key:
        raise ValueError(f"register-entry: bad key {key[:40]!r}; expected lowercase letters, digits, hyphens")
    try:
        aliases = [a for a in decode_text(content).split("\n") if a]
        authority = parse_authority(options.get("authority", ""))
        members = json.loads(options.get("members", "[]"))
    except (MalformedLine, ValueError) as err:
        raise ValueError(f"register-entry {key}: {err}") from None
    if not (isinstance(members, list) and all(
            isinstance(m, list) and len(m) == 2 and all(isinstance(x, str) for x in m) for m in members)):
        raise ValueError(f"register-entry {key}: members: expected a JSON list of [forum, name]")
    return {"key": key, "type": options.get("type", "person"), "name": options.get("name", key),
            "aliases": aliases, "authority": authority, "description": options.get("description", ""),
            "members": [tuple(m) for m in members], "curated": "curated" in options}


def written_entries(lines: Sequence[str]) -> list[dict[str, Any]] | None:
    """The records of a ``thread-register`` body exactly as the converter writes it, read without MyST
    (`ext.written`); ``None`` for anything else, which MyST reads."""
    found = fences(lines)
    if found is None or not all(fence.written("register-entry") and fence.argument for fence in found):
        return None
    records = []
    for fence in found:
        options = read_options(lines, fence.start + 1, RegisterEntryDirective.option_spec)
        if options is None:
            return None
        try:
            records.append(entry_record(fence.argument or "", options[0], lines[options[1]:fence.end]))
        except ValueError:
            return None
    return records
