"""``_build/html/citations/``: the corpus for reference managers, complete and per thread.

``citations/corpus.{csl.json,bib,ris}`` hold every thread, post and pasted article;
``citations/<forum>/<thread>.{csl.json,bib,ris}`` one thread each (the thread page's path under the
corpus folder), beside the thread's citation page (``.html``, `ext.cite.pages`). Written after an HTML build from the domain: files whose content is unchanged are
not rewritten, and files of threads no longer in the corpus are removed.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from . import corpus
from .formats import FORMATS
from .records import Record, Settings

FOLDER = "citations"
COMPLETE = "corpus"


def thread_stem(app: Sphinx, docname: str) -> str:
    """Where a thread's files go under ``citations/``: its page path below the corpus folder."""
    prefix = app.config.forum_corpus_dir.rstrip("/") + "/"
    return docname.removeprefix(prefix)


def citation_page(app: Sphinx, docname: str) -> str:
    """The page name of a thread's citation page (`ext.cite.pages`), beside its download files."""
    return f"{FOLDER}/{thread_stem(app, docname)}"


def citation_files(app: Sphinx) -> dict[str, str]:
    """Every file of the downloads folder (path below it -> text)."""
    settings = Settings.from_config(app.config)
    forum = corpus.domain(app)
    everything: list[Record] = []
    files: dict[str, str] = {}
    for thread_id, thread in sorted(forum.threads.items(), key=lambda item: item[1]["docname"]):
        records = corpus.records_of_thread(app, thread_id, settings)
        everything += records
        for extension, writer in FORMATS.values():
            files[f"{thread_stem(app, thread['docname'])}.{extension}"] = writer(records)
    everything = corpus.unique(everything)
    for extension, writer in FORMATS.values():
        files[f"{COMPLETE}.{extension}"] = writer(everything)
    return files


def write_citation_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.outdir) / FOLDER
    files = citation_files(app)
    for name, text in files.items():
        target = root / name
        if not target.exists() or target.read_text("utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    wanted = {root / name for name in files}
    suffixes = tuple(f".{extension}" for extension, _ in FORMATS.values())
    for stale in [p for p in root.rglob("*") if p.name.endswith(suffixes) and p not in wanted]:
        stale.unlink()


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
