"""``_build/html/citations/``: the corpus for reference managers, complete and per thread.

``citations/corpus.{csl.json,bib,ris}`` hold every thread, post and pasted article;
``citations/<forum>/<thread>.{csl.json,bib,ris}`` one thread each (the thread page's path under the
corpus folder), beside the thread's citation page (``.html``, `ext.cite.pages`). Written after an
HTML build from the domain: the entries of threads not read again come from the last build
(`EntryCache`), files whose content is unchanged are not rewritten, and files of threads no longer
in the corpus are removed.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..pageshell import config_salt
from . import corpus
from .formats import FORMATS
from .records import Settings

FOLDER = "citations"
COMPLETE = "corpus"


def thread_stem(app: Sphinx, docname: str) -> str:
    """Where a thread's files go under ``citations/``: its page path below the corpus folder."""
    prefix = app.config.forum_corpus_dir.rstrip("/") + "/"
    return docname.removeprefix(prefix)


def citation_page(app: Sphinx, docname: str) -> str:
    """The page name of a thread's citation page (`ext.cite.pages`), beside its download files."""
    return f"{FOLDER}/{thread_stem(app, docname)}"


Entries = list[tuple[str, dict[str, str]]]  # (record id, extension -> the record's entry in that format)


@dataclass
class EntryCache:
    """Each thread's entries as the last build made them, kept in the doctree folder.

    A thread's records are made from its own page's data and the configuration only, so while the
    page is not read again (same time of reading) and the configuration is the same, its entries
    and files are as they were: adding a thread formats that thread, not the 20,000 posts before it.
    """

    file: Path
    salt: str
    threads: dict[str, tuple[Any, str, Entries]] = field(default_factory=dict)  # docname -> (read at, id, entries)

    @classmethod
    def load(cls, app: Sphinx) -> EntryCache:
        cache = cls(Path(app.doctreedir) / "citation-entries.pickle", config_salt(app.builder))
        try:
            with cache.file.open("rb") as handle:
                salt, threads = pickle.load(handle)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
            return cache
        if salt == cache.salt:
            cache.threads = threads
        return cache

    def save(self, threads: dict[str, tuple[Any, str, Entries]]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        with self.file.open("wb") as handle:
            pickle.dump((self.salt, threads), handle, protocol=pickle.HIGHEST_PROTOCOL)


def _entries(app: Sphinx, thread_id: str, settings: Settings) -> Entries:
    return [(str(r["id"]), {extension: writer.entry(r) for extension, writer in FORMATS.values()})
            for r in corpus.records_of_thread(app, thread_id, settings)]


def _write(target: Path, text: str) -> None:
    if not target.exists() or target.read_text("utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write_citation_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Every thread's files (those of threads not read again are kept) and the corpus files; stale files go."""
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.outdir) / FOLDER
    settings = Settings.from_config(app.config)
    cache = EntryCache.load(app)
    threads: dict[str, tuple[Any, str, Entries]] = {}
    everything: dict[str, dict[str, str]] = {}  # the first entry of each record id: an article is cited once
    wanted: set[Path] = set()
    for thread_id, thread in sorted(corpus.domain(app).threads.items(), key=lambda item: item[1]["docname"]):
        docname, read_at = thread["docname"], app.env.all_docs.get(thread["docname"])
        targets = {extension: root / f"{thread_stem(app, docname)}.{extension}" for extension, _ in FORMATS.values()}
        wanted.update(targets.values())
        old = cache.threads.get(docname)
        if old is not None and old[:2] == (read_at, thread_id) and all(t.exists() for t in targets.values()):
            entries = old[2]
        else:
            entries = _entries(app, thread_id, settings)
            for extension, writer in FORMATS.values():
                _write(targets[extension], writer.join(e[extension] for _, e in entries))
        threads[docname] = (read_at, thread_id, entries)
        for record_id, entry in entries:
            everything.setdefault(record_id, entry)
    for extension, writer in FORMATS.values():
        wanted.add(root / f"{COMPLETE}.{extension}")
        _write(root / f"{COMPLETE}.{extension}", writer.join(e[extension] for e in everything.values()))
    suffixes = tuple(f".{extension}" for extension, _ in FORMATS.values())
    for stale in [p for p in root.rglob("*") if p.name.endswith(suffixes) and p not in wanted]:
        stale.unlink()
    cache.save(threads)


def download_uris(app: Sphinx, fromdoc: str, docname: str | None = None) -> list[tuple[str, str]]:
    """(label, relative URI) of the CSL-JSON, BibTeX and RIS files of one thread page, or of the whole corpus."""
    stem = thread_stem(app, docname) if docname else COMPLETE
    return [(label, relative_uri(app.builder.get_target_uri(fromdoc), f"{FOLDER}/{stem}.{extension}"))
            for label, (extension, _) in FORMATS.items()]


def download_links(app: Sphinx, fromdoc: str, docname: str | None = None) -> list[nodes.Node]:
    """`download_uris` as links, separated by middle dots."""
    out: list[nodes.Node] = []
    for label, uri in download_uris(app, fromdoc, docname):
        if out:
            out.append(nodes.Text(" · "))
        out.append(nodes.reference(label, label, refuri=uri, classes=["cite-download"]))
    return out
