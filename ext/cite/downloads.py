"""``_build/html/citations/``: the corpus for reference managers, complete and per thread.

``citations/corpus.{csl.json,bib,ris}`` hold every thread, post and pasted article;
``citations/<forum>/<thread>.{csl.json,bib,ris}`` one thread each (the thread page's path under the
corpus folder), beside the thread's citation page (``.html``, `ext.cite.pages`). Written after an
HTML build from the domain: the entries of threads not read again come from the last build
(`ext.doccache`), files whose content is unchanged are not rewritten, and files of threads no longer
in the corpus are removed.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..doccache import DocCache
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
    cache = DocCache(app, "citation-entries")  # a thread's records come from its own page and the configuration
    everything: dict[str, dict[str, str]] = {}  # the first entry of each record id: an article is cited once
    wanted: set[Path] = set()
    for thread_id, thread in sorted(corpus.domain(app).threads.items(), key=lambda item: item[1]["docname"]):
        docname = thread["docname"]
        targets = {extension: root / f"{thread_stem(app, docname)}.{extension}" for extension, _ in FORMATS.values()}
        wanted.update(targets.values())
        entries = cache.get(docname, thread_id)
        if entries is None or not all(t.exists() for t in targets.values()):
            entries = _entries(app, thread_id, settings)
            cache.put(docname, thread_id, entries)
            for extension, writer in FORMATS.values():
                _write(targets[extension], writer.join(e[extension] for _, e in entries))
        for record_id, entry in entries:
            everything.setdefault(record_id, entry)
    for extension, writer in FORMATS.values():
        wanted.add(root / f"{COMPLETE}.{extension}")
        _write(root / f"{COMPLETE}.{extension}", writer.join(e[extension] for e in everything.values()))
    suffixes = tuple(f".{extension}" for extension, _ in FORMATS.values())
    for stale in [p for p in root.rglob("*") if p.name.endswith(suffixes) and p not in wanted]:
        stale.unlink()
    cache.save()


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
