"""Search that scales: Sphinx's one-file index for a small corpus, a chunked Pagefind index for a large one.

Sphinx writes ``searchindex.js``, one file the browser downloads whole at the first query; it grows
with the corpus (about 2.4 MB at 10,000 posts, see the README's benchmark). Pagefind (from PyPI, a
binary inside the wheel, run offline) indexes the written HTML into small chunks, so a query loads
a few of them. ``forum_search`` picks the index: ``"sphinx"``, ``"pagefind"``, or ``"auto"`` (the
default): Pagefind once the corpus holds more than ``forum_pagefind_above`` posts. With Pagefind,
Sphinx's indexer is switched off (it is also a large share of the write phase) and the theme's
search page shows Pagefind's UI, which also finds the register's pages.

Pagefind indexes a thread's posts on its page only: the citation pages are not read, and what
repeats posts' words elsewhere (a register entry's keyword-in-context lines, a member's list of
post openings, a thread's overview and citation panels: elements of class ``no-search``) is left
out. That keeps one hit per passage and, at 50,000 posts, the indexer's time and memory down by
nearly half. Each build writes a new bundle beside the last and then puts it in its place, so
nothing of an older index is left behind, and an indexer that fails leaves the last one whole.

Sphinx's English indexer stems every occurrence of every word (Snowball, in Python): a fifth of a
10,000-post build. `CachedEnglish`, registered for ``en``, stems each distinct word once; the
index is the same.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.errors import ExtensionError
from sphinx.search.en import SearchEnglish

from .cite.downloads import FOLDER as CITATIONS

PAGEFIND_ABOVE = 20_000  # posts: Sphinx's index is about 5 MB there
TEMPLATES = Path(__file__).parent / "templates"
BUNDLE = "_pagefind"
NO_SEARCH = "no-search"  # the class of elements the search index leaves out
NOT_SEARCHED = (CITATIONS,)  # folders of the site the search does not read (and `_not_searched`)


class CachedEnglish(SearchEnglish):
    """Sphinx's English search language, each distinct word stemmed once per process."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        try:
            return self._stems[word]
        except KeyError:
            stemmed = self._stems[word] = super().stem(word)
            return stemmed


def uses_pagefind(app: Sphinx) -> bool:
    mode = app.config.forum_search
    if mode == "auto":
        return len(app.env.domains["forum"].posts) > app.config.forum_pagefind_above  # type: ignore[attr-defined]
    return mode == "pagefind"


def _add_templates(app: Sphinx, config: Any) -> None:
    if config.forum_search not in ("auto", "sphinx", "pagefind"):
        raise ExtensionError(f"forum_search must be 'auto', 'sphinx' or 'pagefind', not {config.forum_search!r}")
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def _choose(app: Sphinx, builder: Builder) -> None:
    """``write-started``: with Pagefind, Sphinx's indexer is dropped before any page is fed to it.

    The HTML builder makes its indexer after this event (``prepare_writing``) and at once loads the
    last ``searchindex.js`` into it (``load_indexer``); loading is where it is dropped instead.
    """
    app.forum_pagefind = builder.format == "html" and uses_pagefind(app)  # type: ignore[attr-defined]
    if app.forum_pagefind:  # type: ignore[attr-defined]
        def drop_indexer(docnames: Any) -> None:
            builder.indexer = None  # type: ignore[attr-defined]

        builder.load_indexer = drop_indexer  # type: ignore[attr-defined]
    else:
        vars(builder).pop("load_indexer", None)


def search_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> str | None:
    """``html-page-context`` (after the CSP): the search page runs Pagefind's UI, which needs WebAssembly."""
    if pagename != "search" or not getattr(app, "forum_pagefind", False):
        return None
    wasm = html.escape("script-src 'wasm-unsafe-eval' ")
    context["metatags"] = context.get("metatags", "").replace(html.escape("script-src "), wasm, 1)
    return "forum-pagefind-search.html"


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: index the written site with Pagefind (every page, the register's too)."""
    if exception is not None or not getattr(app, "forum_pagefind", False):
        return
    out = Path(app.outdir)
    new, old = out / f"{BUNDLE}.new", out / f"{BUNDLE}.old"
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(out), "--output-path", str(new), "--glob", _pages(out),
           "--exclude-selectors", f".{NO_SEARCH}", "--silent"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        shutil.rmtree(new, ignore_errors=True)
        raise ExtensionError(f"pagefind failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    if (out / BUNDLE).exists():
        (out / BUNDLE).rename(old)
    new.rename(out / BUNDLE)
    shutil.rmtree(old, ignore_errors=True)
    (out / "searchindex.js").unlink(missing_ok=True)  # left by an earlier build with Sphinx's index


def _pages(out: Path) -> str:
    """Pagefind's glob for the site's pages: those in every folder but `NOT_SEARCHED` and Sphinx's own
    (``_static``, ``_sources``, the bundle)."""
    return "{" + ",".join(_globs(out, "", _not_searched())) + "}"


def _not_searched() -> tuple[str, ...]:
    """`NOT_SEARCHED` and the register's further pages of an entry's mentions and a member's posts (whose
    words the thread pages hold)."""
    from .register.domain import FOLDER, PARTS, POSTS  # (here: the register's pages import this module)

    return (*NOT_SEARCHED, f"{FOLDER}/{PARTS}", f"{FOLDER}/{POSTS}")


def _globs(folder: Path, path: str, skipped: tuple[str, ...]) -> list[str]:
    globs = [f"{path}*.html"]
    for sub in sorted(d.name for d in folder.iterdir() if d.is_dir() and not d.name.startswith(("_", "."))):
        if path + sub in skipped:
            continue
        if any(skip.startswith(f"{path}{sub}/") for skip in skipped):
            globs += _globs(folder / sub, f"{path}{sub}/", skipped)  # a folder inside is not read: list the others
        else:
            globs.append(f"{path}{sub}/**/*.html")
    return globs


def setup(app: Sphinx) -> None:
    app.add_search_language(CachedEnglish)
    app.add_config_value("forum_search", "auto", "html", types=[str])
    app.add_config_value("forum_pagefind_above", PAGEFIND_ABOVE, "html", types=[int])
    app.connect("config-inited", _add_templates)
    app.connect("write-started", _choose)
    app.connect("html-page-context", search_page, priority=950)
    app.connect("build-finished", build_index)
