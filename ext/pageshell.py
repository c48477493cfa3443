"""Many theme pages for the cost of a few: the page template is rendered once per folder, then filled in.

The pages written from domain data (register entries, members' pages, citation pages) are not
documents, and differ only in name, title and body, and rendering the theme's page template costs some 4 ms a page: thousands of
them were a fifth of a build. `PageShells` renders the template once per folder through the
builder's own ``handle_page`` (so every ``html-page-context`` hook runs, and relative links are
right for that folder) with noncharacter slots as name, title and body, and writes each page as its
shell with the values put in: the title escaped as the template escapes it (``striptags|e``), the
body as given (it is HTML made by the caller, with every piece of corpus text escaped). A test
compares such pages with ones rendered the ordinary way, byte for byte.

`PageSet` writes one set of such pages, keeping a digest of each in the doctree folder so that an
incremental build rewrites only the pages whose content changed, and removes the pages that are gone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder

NAME, TITLE, BODY = "\ufdd2", "\ufdd3", "\ufdd4"
Page = tuple[str, str, str]  # page name, title, body (HTML)
_SLOTS_SHOWN = {ord(slot): "\ufffd" for slot in (NAME, TITLE, BODY)}


def config_salt(builder: Builder) -> str:
    """What a page or file made from domain data depends on besides that data: the builder, the hashes of
    its configuration and tags (Sphinx's own ``build_info``, which decides whether every page is written)
    and this extension's code."""
    info = getattr(builder, "build_info", None)
    return f"{builder.name}\x1f{getattr(info, 'config_hash', '')}\x1f{getattr(info, 'tags_hash', '')}\x1f{code_digest()}"


@functools.cache
def code_digest() -> str:
    """A digest of the extension's source files: pages a new version makes may differ."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


class PageShells:
    """Writes pages (name, title, body) with the builder's template, one rendering per folder."""

    def __init__(self, builder: StandaloneHTMLBuilder, template: str = "page.html") -> None:
        self.builder = builder
        self.template = template
        self._shells: dict[str, str] = {}

    def _shell(self, folder: str) -> str:
        if folder not in self._shells:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "shell.html"
                self.builder.handle_page(posixpath.join(folder, NAME), {"title": TITLE, "body": BODY},
                                         self.template, outfilename=out)
                self._shells[folder] = out.read_text(self.builder.config.html_output_encoding)
        return self._shells[folder]

    def render(self, pagename: str, title: str, body: str) -> str:
        """The page's HTML; ``title`` is treated as the template treats it, ``body`` is used as it is.

        A title is forum text: a slot character in it is shown as U+FFFD (it must not fill a slot).
        """
        folder, name = posixpath.split(pagename)
        shell = self._shell(folder)
        if any(slot in name for slot in (NAME, TITLE, BODY)):
            raise ValueError(f"page {pagename!r}: reserved character in its name")
        title = title.translate(_SLOTS_SHOWN)
        title_html = str(escape(Markup(title).striptags()))
        head, found, tail = shell.partition(BODY)
        if not found:
            raise ValueError(f"the template {self.template!r} does not show the page body")
        return "".join((_fill(head, name, title_html), body, _fill(tail, name, title_html)))

    def write(self, pagename: str, title: str, body: str) -> None:
        path = self.builder.get_output_path(pagename)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.render(pagename, title, body), encoding=self.builder.config.html_output_encoding,
                        errors="xmlcharrefreplace")


def _fill(part: str, name: str, title_html: str) -> str:
    """The name goes in as it is and where the template URL-quoted it (the canonical link)."""
    return part.replace(NAME, name).replace(quote(NAME), quote(name)).replace(TITLE, title_html)


class PageSet:
    """One set of such pages (all under ``folder`` of the output), written at ``html-collect-pages`` time.

    A digest of each page (its content and the builder's configuration) is kept in the doctree
    folder: a page whose digest is unchanged and whose file exists is not written again, a caller
    that knows a page is unchanged (`keep`), or can say what the page is made from (`unchanged`),
    need not even make it, and `finish` removes the ``.html`` files under ``folder`` that are no
    longer in the set.
    """

    def __init__(self, app: Sphinx, name: str, folder: str) -> None:
        self.app, self.builder, self.folder = app, app.builder, folder
        self.file = Path(app.doctreedir) / f"{name}-pages.json"
        self.salt = config_salt(self.builder)
        try:
            state = json.loads(self.file.read_text("utf-8"))
            same = state.get("salt") == self.salt
            self.old: dict[str, str] = state["pages"] if same else {}
            self.old_inputs: dict[str, str] = state.get("inputs", {}) if same else {}
            self.old_notes: dict[str, Any] = state.get("notes", {}) if same else {}
        except (OSError, ValueError, KeyError, AttributeError):
            self.old, self.old_inputs, self.old_notes = {}, {}, {}
        self.new: dict[str, str] = {}
        self.new_inputs: dict[str, str] = {}
        self.new_notes: dict[str, Any] = {}
        self.shells = PageShells(self.builder)  # type: ignore[arg-type]
        self.written = 0

    @functools.cached_property
    def present(self) -> set[Path]:
        """The ``.html`` files under ``folder`` when first asked: listed once (a look-up a page, thousands of them,
        took longer), and what `finish` removes from."""
        found: set[Path] = set()
        for where, _, files in os.walk(Path(self.app.outdir) / self.folder):
            found.update(Path(where, name) for name in files if name.endswith(".html"))
        return found

    def keep(self, pagename: str) -> bool:
        """Keep the page as the last build wrote it, if it can be (same configuration, file still there)."""
        if pagename in self.old and self.builder.get_output_path(pagename) in self.present:
            self.new[pagename] = self.old[pagename]
            return True
        return False

    def unchanged(self, pagename: str, inputs: str) -> bool:
        """Whether the page was last made from the same ``inputs`` (all it is made from) and is still there:
        then it is kept as it is. Either way the inputs are remembered for the next build."""
        self.new_inputs[pagename] = hashlib.sha256(inputs.encode("utf-8", "surrogatepass")).hexdigest()
        return self.old_inputs.get(pagename) == self.new_inputs[pagename] and self.keep(pagename)

    def recall(self, name: str) -> Any:
        """What the last build `note`-d as ``name`` (``None``: nothing, or another configuration)."""
        return self.old_notes.get(name)

    def note(self, name: str, value: Any) -> None:
        """Keep ``value`` (JSON) for the next build's `recall`, such as what the pages were made from as a whole."""
        self.new_notes[name] = value

    def write(self, pages: Iterable[Page]) -> None:
        for pagename, title, body in pages:
            self.new[pagename] = hashlib.sha256(f"{title}\x1f{body}".encode()).hexdigest()
            changed = self.old.get(pagename) != self.new[pagename]
            if changed or self.builder.get_output_path(pagename) not in self.present:
                self.shells.write(pagename, title, body)
                self.written += 1

    def finish(self) -> None:
        keep = {self.builder.get_output_path(page) for page in self.new}
        for path in self.present - keep:
            path.unlink()
        self.file.parent.mkdir(parents=True, exist_ok=True)
        inputs = {page: digest for page, digest in self.new_inputs.items() if page in self.new}
        state = {"salt": self.salt, "pages": self.new, "inputs": inputs, "notes": self.new_notes}
        self.file.write_text(json.dumps(state, sort_keys=True), "utf-8")
