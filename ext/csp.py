"""A strict Content-Security-Policy for every page, as a ``<meta http-equiv>`` tag.

The policy (``forum_csp`` in ``conf.py``) allows scripts, styles and connections from the site
itself only. The theme writes a few inline bits of its own into every page (furo: a script that
applies the saved colour scheme, a ``<style>`` of CSS variables, ``style`` attributes on its SVG
icons). The extension renders each page template once *without the page's content* and allows
exactly those bits by their SHA-256 hashes; anything inline that the content brought would not
match and is blocked by the browser. A meta-tag policy cannot set ``frame-ancestors`` or reporting:
set those as HTTP headers on the web server if you need them.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

import lxml.html
from sphinx.application import Sphinx

# What the theme's own rendering must not see: everything that comes from the page being written.
PAGE_CONTENT = {"body": "", "toc": "", "title": "", "metatags": "", "prev": None, "next": None,
                "parents": [], "rellinks": [], "display_toc": False, "furo_navigation_tree": "",
                "meta": {}, "sourcename": "", "page_source_suffix": ""}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def template_inline_hashes(app: Sphinx, templatename: str, context: dict[str, Any]) -> tuple[list[str], list[str], bool]:
    """Hashes of the inline scripts and styles ``templatename`` writes by itself, and whether it uses style attributes."""
    rendered = app.builder.templates.render(templatename, {**context, **PAGE_CONTENT})  # type: ignore[attr-defined]
    page = lxml.html.fromstring(rendered)
    scripts = {_hash(s.text or "") for s in page.iter("script") if not s.get("src")}
    styles = {_hash(s.text or "") for s in page.iter("style")}
    attributes = {_hash(el.get("style")) for el in page.iter() if isinstance(el.tag, str) and el.get("style") is not None}
    return sorted(scripts), sorted(styles | attributes), bool(attributes)


def build_policy(policy: str, scripts: list[str], styles: list[str], style_attributes: bool) -> str:
    """``policy`` with the hashes added to ``script-src`` and ``style-src`` (made from ``default-src`` if absent)."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    default = directives.get("default-src", [])
    for name, extra in (("script-src", scripts), ("style-src", styles)):
        if extra:
            sources = directives.setdefault(name, [s for s in default if s != "'none'"])
            sources.extend(e for e in extra if e not in sources)
    if style_attributes and "'unsafe-hashes'" not in directives["style-src"]:
        directives["style-src"].append("'unsafe-hashes'")
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def add_csp_meta(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: put the policy, with the template's own inline hashes, in the page's head."""
    if not app.config.forum_csp:
        return
    cache: dict[str, str] = app.builder.__dict__.setdefault("forum_csp_by_template", {})
    if templatename not in cache:
        cache[templatename] = build_policy(app.config.forum_csp, *template_inline_hashes(app, templatename, context))
    tag = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(cache[templatename])}">'
    context["metatags"] = tag + "\n" + context.get("metatags", "")
