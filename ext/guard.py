"""Build-time guard for corpus pages: nothing in them may load, include, embed or run anything.

Converter-written pages carry user text only as quoted option values and ``| `` lines, so the guard
should never fire on them. It is the second line of defence, for a page edited by hand or a
converter bug. Sphinx and MyST have holes that ``raw_enabled``/``file_insertion_enabled`` do not
close: ``![](path)``, ``{figure}`` and ``{image}`` copy local files into ``_images/``, ``{download}``
copies them into ``_downloads/``, ``{meta}`` writes ``<meta>`` tags, math pulls MathJax from a CDN,
and reST hyperlinks in ``{eval-rst}`` take any URL scheme. In corpus pages the guard removes all of
these, links only ``http``/``https`` (or scheme-less, same-site) URLs, and reports each as an error
naming the page and line. It runs while the page is read, before Sphinx collects images and downloads.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

SAFE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL ("java\tscript:")

# Nodes that load or embed something, with what the reader is told instead.
FOREIGN: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.raw, "raw markup"),
    (nodes.image, "an image"),
    (addnodes.download_reference, "a file download"),
    (nodes.meta, "a page <meta> tag"),
    (nodes.math, "math (it loads a script from a CDN)"),
    (nodes.math_block, "math (it loads a script from a CDN)"),
)

FOREIGN_TYPES = tuple(cls for cls, _ in FOREIGN)


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lowercase), or None for a scheme-less URL."""
    cleaned = _URL_IGNORED.sub("", url.strip("".join(map(chr, range(0x21)))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def safe_url(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


def in_corpus(docname: str, corpus_dir: str) -> bool:
    return docname.startswith(corpus_dir.rstrip("/") + "/")


def _placeholder(node: nodes.Node, what: str) -> nodes.Element:
    text = f"[removed by the build: {what}]"
    inline = isinstance(node.parent, nodes.TextElement) or isinstance(node, nodes.Inline)
    cls = nodes.inline if inline else nodes.paragraph
    return cls(text, text, classes=["guard-removed"])


class CorpusGuard(SphinxTransform):
    """Neutralise anything in a corpus page that could load, include or run something."""

    default_priority = 870  # after docutils resolves link targets (640), before doctree-read (880)

    def apply(self, **kwargs: object) -> None:
        if not in_corpus(self.env.docname, self.config.forum_corpus_dir):
            return
        foreign: list[tuple[nodes.Element, str]] = []
        linked: list[nodes.Element] = []
        for node in self.document.findall(nodes.Element):  # one walk: a corpus page has thousands of nodes
            if isinstance(node, FOREIGN_TYPES):
                foreign.append((node, next(what for cls, what in FOREIGN if isinstance(node, cls))))
            elif node.get("refuri") is not None:
                linked.append(node)
        for node, what in foreign:
            if node.parent is not None:
                self._reject(node, what)
                node.replace_self(_placeholder(node, what))
        for node in linked:
            uri = node["refuri"]
            if safe_url(uri):  # (no foreign node holds a link: none was taken out with one above)
                continue
            self._reject(node, f"a link to {url_scheme(uri)}: URL")
            del node["refuri"]
            if isinstance(node, nodes.reference) and node.parent is not None:
                node.replace_self(nodes.inline(node.rawsource, "", *node.children, classes=["guard-removed"]))

    def _reject(self, node: nodes.Node, what: str) -> None:
        logger.error("corpus page %s contains %s; removed (corpus pages are written by the converter "
                     "and may not load, include or run anything)", self.env.docname, what,
                     location=node, type="forum", subtype="guard")
