"""The register in ``corpus.json``: ``entities`` (schema ``schemas/corpus.schema.json``) and each post's mentions."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .pages import mention_index

TYPE_NAMES = {"person": "person", "place": "place", "organisation": "organisation"}


def export_entities(app: Sphinx, url: Any) -> list[dict[str, Any]]:
    """Every entry: id, type, name, aliases, page, authority, description and its mentions as post anchors.

    ``url(page, anchor=None)`` makes a page address (absolute when ``forum_base_url`` is set).
    """
    register = app.env.domains["register"]
    index = mention_index(app.env.domains["forum"])
    out = []
    for key in sorted(register.view):  # type: ignore[attr-defined]
        record = register.view[key]  # type: ignore[attr-defined]
        occurrences = index.mentions.get(key, [])
        out.append({
            "id": key, "type": TYPE_NAMES[record["type"]], "name": record["name"], "aliases": record["aliases"],
            "page": url(app.builder.get_target_uri(register.page(key))),  # type: ignore[attr-defined]
            "authority": record["authority"], "description": record["description"],
            "members": [{"forum": f, "name": n} for f, n in record["members"]],
            "mentions": sorted({o.anchor for o in occurrences if not o.quoted}),
            "quoted_in": sorted({o.anchor for o in occurrences if o.quoted}),
        })
    return out


def post_mentions(post: dict[str, Any]) -> list[dict[str, str]]:
    """The mentions of a post's own words (not of the posts it quotes): entity id and surface form."""
    out = []
    for block in post["blocks"]:
        for leaf in block.get("blocks") or [block]:
            if leaf["kind"] == "quote" and leaf.get("source"):
                continue
            out.extend({"entity": m["entity"], "text": m["text"]} for m in leaf.get("mentions", []))
    return out
