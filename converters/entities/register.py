"""The curated register file (``corpus/register.yaml``) and the review proposals made from it.

The file is written by people and kept in version control; the converter only reads it. Its
entries always win over automatic recognition: a mention of any of an entry's names resolves to
that entry, with its name, type, aliases, authority ids and description. Its ``not_entities`` list
names words that are never entries (forum slang, a board's own furniture). ``python -m converters
entities --review`` writes what recognition found and the register lacks to
``register.proposed.yaml`` beside it, for a person to copy over; it never touches the register.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConversionError
from ..model import slugify
from .normalise import key as name_key

REGISTER_FILE = "register.yaml"
PROPOSALS_FILE = "register.proposed.yaml"
TYPES = ("person", "place", "organisation")
# Authority ids the site links to, and what a valid id looks like.
AUTHORITIES = {
    "wikidata": re.compile(r"Q[1-9]\d*"),
    "geonames": re.compile(r"[1-9]\d*"),
    "viaf": re.compile(r"[1-9]\d*"),
    "gnd": re.compile(r"[0-9X-]{4,12}"),
    "ror": re.compile(r"0[a-z0-9]{8}"),
    "iso3166": re.compile(r"[A-Z]{2}"),
    "iso3166-2": re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}"),
}
ENTRY_FIELDS = {"name", "type", "id", "aliases", "authority", "description"}


@dataclass
class Entity:
    """One register entry: curated, or made by resolution (`converters.entities.resolve`)."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    authority: dict[str, str] = field(default_factory=dict)
    description: str = ""
    members: list[tuple[str, str]] = field(default_factory=list)  # (forum, member name)
    curated: bool = False
    mentions: int = 0
    curated_aliases: list[str] = field(default_factory=list)  # the curated register's own, listed on every page

    def copy(self) -> Entity:
        return copy.deepcopy(self)


def alias_order(name: str) -> tuple[str, str]:
    """How an entry's aliases are sorted, here and on the site: by their folded case, then as written."""
    return name.casefold(), name


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, for error messages."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


@dataclass
class Register:
    """The curated entries by key, their names for lookup, and the curated "not an entity" names."""

    path: Path | None = None
    entries: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    not_entities: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> Register:
        """The register at ``path`` (empty if there is none); a bad file raises `ConversionError`."""
        register = cls(path)
        if not path.exists():
            return register
        try:
            data = yaml.load(path.read_text("utf-8"), Loader=_LineLoader) or {}  # noqa: S506 (safe loader)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            raise ConversionError(str(path), mark.line + 1 if mark else None, f"not valid YAML: {err}") from None
        if not isinstance(data, dict):
            raise ConversionError(str(path), 1, "expected a mapping with 'entities' and 'not_entities'")
        unknown = set(data) - {"entities", "not_entities", "__line__"}
        if unknown:
            raise ConversionError(str(path), 1, f"unknown top-level keys {sorted(unknown)}; "
                                  "expected 'entities' and 'not_entities'")
        for raw in data.get("entities") or []:
            register._add(raw)
        for name in data.get("not_entities") or []:
            if not isinstance(name, str) or not name.strip():
                raise ConversionError(str(path), data.get("__line__"), f"not_entities: expected names, got {name!r}")
            register.not_entities.add(name_key(name))
        return register

    def _add(self, raw: Any) -> None:
        where = str(self.path)
        if not isinstance(raw, dict):
            raise ConversionError(where, None, f"entities: expected a mapping per entry, got {raw!r}")
        line = raw.pop("__line__", None)

        def fail(message: str) -> ConversionError:
            return ConversionError(where, line, f"register entry {raw.get('name', '?')!r}: {message}")

        if unknown := set(raw) - ENTRY_FIELDS:
            raise fail(f"unknown fields {sorted(unknown)}; expected some of {sorted(ENTRY_FIELDS)}")
        name, kind = raw.get("name"), raw.get("type")
        if not isinstance(name, str) or not name.strip():
            raise fail("expected a 'name'")
        if kind not in TYPES:
            raise fail(f"'type' must be one of {TYPES}, got {kind!r}")
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise fail("'aliases' must be a list of names")
        if not isinstance(raw.get("authority") or {}, dict):
            raise fail("'authority' must map schemes to ids, e.g. {wikidata: Q30}")
        authority = {str(k): str(v) for k, v in (raw.get("authority") or {}).items() if k != "__line__"}
        for scheme, value in authority.items():
            pattern = AUTHORITIES.get(scheme)
            if pattern is None:
                raise fail(f"unknown authority {scheme!r}; expected some of {sorted(AUTHORITIES)}")
            if not pattern.fullmatch(value):
                raise fail(f"{scheme} id {value!r} does not look like one (expected {pattern.pattern})")
        entry_key = str(raw.get("id") or slugify(name, fallback="e"))
        if not re.fullmatch(r"[a-z][a-z0-9-]*", entry_key):
            raise fail(f"'id' must be lowercase letters, digits and hyphens, got {entry_key!r}")
        if entry_key in self.entries:
            raise fail(f"id {entry_key!r} is used by another entry")
        entry = Entity(entry_key, name.strip(), kind, [a.strip() for a in aliases], authority,
                       str(raw.get("description") or "").strip(), curated=True)
        for alias in [entry.name, *entry.aliases]:
            other = self.names.get(name_key(alias))
            if other is not None and other != entry_key:
                raise fail(f"name {alias!r} is also a name of entry {other!r}")
            self.names[name_key(alias)] = entry_key
        self.entries[entry_key] = entry

    def lookup(self, surface: str) -> Entity | None:
        entry_key = self.names.get(name_key(surface))
        return self.entries[entry_key] if entry_key else None

    def is_not_entity(self, surface: str) -> bool:
        return name_key(surface) in self.not_entities


def proposals(entities: dict[str, Entity]) -> str:
    """What resolution found that the register lacks, as register entries for a person to review."""
    entries = []
    for entity in sorted(entities.values(), key=lambda e: (-e.mentions, e.name.casefold())):
        if entity.curated:
            continue
        entry: dict[str, Any] = {"name": entity.name, "type": entity.type}
        if entity.aliases:
            entry["aliases"] = list(entity.aliases)
        if entity.authority:
            entry["authority"] = dict(entity.authority)
        entry["description"] = ""
        entries.append((entity.mentions, entry))
    head = ("# Proposed register entries, made by `python -m converters entities --review`.\n"
            "# Nothing here is used: copy the entries you accept into register.yaml (and add a\n"
            "# wrong name to its not_entities list). This file is rewritten by every review.\n")
    body = "".join(f"# {count} mention{'s' * (count != 1)}\n"
                   + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
                   for count, entry in entries)
    return head + "entities:\n" + _indent(body) if entries else head + "entities: []\n"


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" if line else "\n" for line in text.splitlines())
