"""The allow-list a built page is checked against: what our templates and directives may emit.

It is the one place to extend when legitimate markup is added. Most of it is learned from a
*benign build*: the same kind of page built from ordinary text in every field, so whatever the
theme and the extension write (cite panels, register links, new post furniture) is allowed as
soon as it is in the templates; classes the site's stylesheets style are allowed too. On top of that, explicit rules that no build can relax:

* no ``on*`` event-handler attribute, anywhere;
* every URL attribute is ``http``/``https`` or scheme-less (same site);
* a resource the page loads (script, stylesheet, image, frame, object) is one the benign page loads;
* inline ``<script>``/``<style>`` text and ``style`` attributes are the benign page's own.

Markup that only hostile text can trigger but that is legitimate goes in ``EXTRA``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import html

# Legitimate markup a benign page does not show: the marks for invisible characters (ext/invisible.py).
EXTRA_TAGS = {"abbr"}
EXTRA_ATTRIBUTES = {("abbr", "class"), ("abbr", "title")}
# Register entries' other names (ext/register/pages.py): only names written several ways have them.
EXTRA_CLASSES = {"invisible-char", "register-aliases"}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "{http://www.w3.org/1999/xlink}href",
                  "srcset", "poster", "data", "cite", "background", "ping", "manifest", "codebase", "longdesc"}
# Attributes that make the browser fetch something when the page loads.
LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
           ("frame", "src"), ("embed", "src"), ("object", "data"), ("source", "src"), ("video", "src"),
           ("video", "poster"), ("audio", "src"), ("track", "src"), ("image", "href"), ("input", "src")}
# <link rel=...> values that only name another page (the browser loads nothing).
NAVIGATION_RELS = {"next", "prev", "index", "search", "canonical", "author", "copyright", "alternate", "help", "license"}
SAFE_SCHEMES = {"http", "https"}
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read (it drops tabs and newlines and leading control characters)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.lstrip("".join(map(chr, range(0x21)))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def _resolved(page: str, value: str) -> str:
    """A scheme-less URL as the site path it loads (pages at any depth load the same files)."""
    if url_scheme(value) is not None or value.startswith("//"):
        return value
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), value.split("#")[0]))


def _loads(el: html.HtmlElement, name: str) -> bool:
    if (el.tag, name) not in LOADING:
        return False
    return el.tag != "link" or not set((el.get("rel") or "").lower().split()) <= NAVIGATION_RELS


def _elements(root: html.HtmlElement) -> Iterable[html.HtmlElement]:
    return (el for el in root.iter() if isinstance(el.tag, str))


def _classes(el: html.HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def content(root: html.HtmlElement) -> html.HtmlElement:
    """The part of the page made from the corpus page (the theme's main article)."""
    return root.xpath("//article[@role='main']")[0]


@dataclass
class Baseline:
    """What a benign build of the same kind of page contains."""

    tags: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)
    content_tags: set[str] = field(default_factory=set)
    content_classes: set[str] = field(default_factory=set)
    loads: set[tuple[str, str, str]] = field(default_factory=set)
    inline_code: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)

    def learn_styles(self, css: str) -> Baseline:
        """Classes the site's stylesheets style are markup the site means to emit."""
        self.content_classes |= set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
        return self

    def learn(self, root: html.HtmlElement, page: str) -> Baseline:
        """Add what ``root`` (the page at site path ``page``) contains."""
        for el in _elements(root):
            self.tags.add(el.tag)
            self.attributes.update((el.tag, name) for name in el.attrib)
            self.loads.update((el.tag, name, _resolved(page, value)) for name, value in el.attrib.items()
                              if _loads(el, name))
            if el.tag in ("script", "style") and not el.get("src"):
                self.inline_code.add(el.text or "")
            if el.get("style") is not None:
                self.style_attributes.add(el.get("style"))
        for el in _elements(content(root)):
            self.content_tags.add(el.tag)
            self.content_classes |= _classes(el)
        return self


def problems(root: html.HtmlElement, baseline: Baseline, page: str) -> list[str]:
    """Everything in ``root`` (the page at site path ``page``) that the allow-list does not allow, as readable lines (empty: clean)."""
    found: list[str] = []
    tags = baseline.tags | EXTRA_TAGS
    attributes = baseline.attributes | EXTRA_ATTRIBUTES
    for el in _elements(root):
        if el.tag not in tags:
            found.append(f"element <{el.tag}> not in the allow-list")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"event handler {name}= on <{el.tag}>")
            elif (el.tag, name) not in attributes:
                found.append(f"attribute {name}= on <{el.tag}> not in the allow-list")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: URL in {name}= of <{el.tag}>: {value[:80]!r}")
            if _loads(el, name) and (el.tag, name, _resolved(page, value)) not in baseline.loads:
                found.append(f"<{el.tag} {name}={value[:80]!r}> loads something the benign page does not")
        if el.tag in ("script", "style") and not el.get("src") and (el.text or "") not in baseline.inline_code:
            found.append(f"inline <{el.tag}> that is not the theme's: {(el.text or '')[:80]!r}")
        if el.get("style") is not None and el.get("style") not in baseline.style_attributes:
            found.append(f"style attribute on <{el.tag}>: {el.get('style')[:80]!r}")
    for el in _elements(content(root)):
        if el.tag not in baseline.content_tags | EXTRA_TAGS:
            found.append(f"element <{el.tag}> inside the page content")
        if extra := _classes(el) - baseline.content_classes - EXTRA_CLASSES:
            found.append(f"class {' '.join(sorted(extra))} on <{el.tag}> inside the page content")
    return found
