"""Citation rendering speed with and without the style-lookup cache of `ext.cite.render`, in one process.

    .venv/bin/python -m bench.citeproc [N]

Renders N dated forum-post records (distinct authors, titles and dates, so nothing is shared) in
APA, MLA and Chicago notes, first with citeproc-py's own XPath lookups, then with the cache, checks
that both give the same text, and prints milliseconds per citation and the ratio.
"""

from __future__ import annotations

import sys
import time

from citeproc.model import CitationStylesElement

from ext.cite import render

STYLES = ("apa", "modern-language-association", "chicago-notes")


def records(n: int) -> list[dict]:
    return [{"id": f"p{i}", "type": "post", "title": f"Thread {i} about the ferry", "container-title": "Bench Forum",
             "author": [{"literal": f"user{i}"}], "genre": "online forum post",
             "issued": {"date-parts": [[2000 + i % 20, 1 + i % 12, 1 + i % 28]]},
             "accessed": {"date-parts": [[2024, 3, 1]]}, "URL": f"corpus/t{i}.html#p{i}"} for i in range(n)]


def per_citation(recs: list[dict]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    out = [render._citeproc(r, style) for r in recs for style in STYLES]
    return 1000 * (time.perf_counter() - start) / len(out), out


def main(argv: list[str]) -> int:
    recs = records(int(argv[0]) if argv else 100)
    for style in STYLES:
        render.load_style(style)
    cached_search = CitationStylesElement.xpath_search
    CitationStylesElement.xpath_search = render._uncached_xpath_search
    try:
        per_citation(records(3))  # warm up (locale and term lookups made once per process)
        plain_ms, plain = per_citation(recs)
    finally:
        CitationStylesElement.xpath_search = cached_search
    cached_ms, cached = per_citation(recs)
    assert cached == plain, "the cache changed a citation"
    print(f"{len(plain)} citations: citeproc-py {plain_ms:.1f} ms each, with the lookup cache {cached_ms:.1f} ms "
          f"({plain_ms / cached_ms:.1f}x faster), identical text")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
