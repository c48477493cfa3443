"""Each thread's citation page (``citations/<forum>/<thread>.html``): every post, ready to cite.

A post card's "Cite" link leads to its entry here: the permanent link, the citation in each
configured CSL style, the record as BibTeX, RIS and CSL-JSON, and the articles pasted into the
post. The citations were rendered while the thread page was read (`ext.cite.panel`); the page is
written from the ``forum`` domain with every piece of corpus text HTML-escaped, through
`ext.pageshell` (an incremental build rewrites the pages of changed threads only).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..domain import post_label
from ..pageshell import Page, PageSet
from . import corpus
from .downloads import FOLDER, citation_page, download_uris
from .formats import FORMATS
from .records import Record, Settings
from .render import marked_to_html

esc = html.escape


def _entry(label: str, body: str) -> str:
    return f'<div class="cite-entry"><p class="cite-label">{esc(label)}</p>{body}</div>'


def _citations(labels: list[str], marked: list[str], url: str) -> str:
    return "".join(_entry(label, f'<p class="cite-text cite-copy">{marked_to_html(text, url)}</p>')
                   for label, text in zip(labels, marked))


def _post_section(back: str, post: dict[str, Any], thread: dict[str, Any], records: list[Record],
                  rendered: dict[str, list], labels: list[str]) -> str:
    """One post's entry; ``back`` is the thread page, relative to the citation page."""
    record, *articles = records
    anchor = str(record["id"])
    url = record["URL"]
    href = url if url.startswith(("http://", "https://")) else f"{back}#{anchor}"
    parts = [f'<section class="cite cite-post-entry" id="{esc(anchor, quote=True)}">',
             f'<h2><a class="cite-back" href="{esc(f"{back}#{anchor}", quote=True)}">'
             f'{esc(post_label(post, thread))}</a></h2>',
             f'<p class="cite-link"><span class="cite-label">Link</span> '
             f'<a class="cite-copy reference external" href="{esc(href, quote=True)}">{esc(url)}</a></p>',
             _citations(labels, rendered["post"], url)]
    for label, (_, writer) in FORMATS.items():
        parts.append(_entry(label, f'<pre class="cite-code cite-copy">{esc(writer([record]).rstrip())}</pre>'))
    for article, marked in zip(articles, rendered["articles"]):
        title = article.get("title") or article.get("URL", "")
        parts.append(f'<div class="cite-article"><p class="cite-label">Pasted article: {esc(title)}</p>'
                     f'{_citations(labels, marked, article.get("URL", ""))}</div>')
    parts.append("</section>")
    return "".join(parts)


def _downloads(app: Sphinx, pagename: str, docname: str) -> str:
    return " · ".join(f'<a class="cite-download" href="{esc(uri, quote=True)}">{esc(label)}</a>'
                      for label, uri in download_uris(app, pagename, docname))


def citation_pages(app: Sphinx, pages: PageSet) -> Iterator[Page]:
    """One page per thread, its posts in page order; threads whose page was not read again are kept as they are.

    A citation page depends only on its thread page and the configuration (which `PageSet` checks).
    """
    forum = corpus.domain(app)
    settings = Settings.from_config(app.config)
    labels = list(app.config.forum_citation_styles)
    read = getattr(app, "forum_docs_read", None)
    for thread in sorted(forum.threads.values(), key=lambda t: t["docname"]):
        docname = thread["docname"]
        pagename = citation_page(app, docname)
        if read is not None and docname not in read and pages.keep(pagename):
            continue
        back = relative_uri(app.builder.get_target_uri(pagename), app.builder.get_target_uri(docname))
        rendered = forum.data["citations"].get(docname, {})
        sections = [_post_section(back, forum.posts[anchor], thread, corpus.records_of_post(app, anchor, settings),
                                  rendered[anchor], labels)
                    for anchor in thread["order"] if anchor in rendered and anchor in forum.posts]
        title = f"Citing “{thread['title']}”"
        body = (f'<section class="citation-page"><h1>{esc(title)}</h1>'
                f'<p class="cite-intro">Each post of <a href="{esc(back, quote=True)}">'
                f'{esc(thread["title"])}</a> in {esc(settings.forum(thread["forum"]))}, ready to cite. '
                f'The whole thread: {_downloads(app, pagename, docname)}.</p>{"".join(sections)}</section>')
        yield pagename, title, body


def collect_citation_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write the citation pages whose content changed (nothing is handed back)."""
    if app.builder.format == "html":
        pages = PageSet(app, "citations", FOLDER)
        pages.write(citation_pages(app, pages))
        pages.finish()
    yield from ()


def note_docs_read(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: which pages this build reads (the others' citation pages are unchanged)."""
    app.forum_docs_read = set(docnames)  # type: ignore[attr-defined]
