"""Citation rendering speed with and without what `ext.cite.render` keeps for citeproc-py, in one process.

    .venv/bin/python -m bench.citeproc [N]
    .venv/bin/python -m bench.citeproc --doctrees _build/bench/10000/doctrees

Renders N dated forum-post records (distinct authors, titles and dates, so nothing is shared) in
APA, MLA and Chicago notes, or with ``--doctrees`` every record a built site rendered (its
``citeproc-renderings.pickle``: threads, the posts of each thread and date, pasted articles), first
as citeproc-py does on its own (every XPath lookup and every "does this group call a variable" walk
made again, each item's reference looked up through its bibliography), then with what the
extension keeps (those answers per style element, the reference per item); checks that both give
the same text and prints the processor time a citation and the ratio.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from citeproc import CitationItem

from ext.cite import render

STYLES = ("apa", "modern-language-association", "chicago-notes")


Job = tuple[dict, str]  # a CSL-JSON record and a style


def records(n: int) -> list[dict]:
    return [{"id": f"p{i}", "type": "post", "title": f"Thread {i} about the ferry", "container-title": "Bench Forum",
             "author": [{"literal": f"user{i}"}], "genre": "online forum post",
             "issued": {"date-parts": [[2000 + i % 20, 1 + i % 12, 1 + i % 28]]},
             "accessed": {"date-parts": [[2024, 3, 1]]}, "URL": f"corpus/t{i}.html#p{i}"} for i in range(n)]


def synthetic(n: int) -> list[Job]:
    return [(record, style) for record in records(n) for style in STYLES]


def from_build(doctrees: Path) -> list[Job]:
    """What a build rendered, from the renderings it kept (`ext.cite.renderings`): (salt, {(style, JSON): text})."""
    with (doctrees / "citeproc-renderings.pickle").open("rb") as handle:
        _, kept = pickle.load(handle)
    return [(json.loads(record), style) for style, record in kept]


def per_citation(jobs: list[Job]) -> tuple[float, list[str]]:
    start = time.process_time()
    out = [render._citeproc(record, style) for record, style in jobs]
    return 1000 * (time.process_time() - start) / len(out), out


@contextmanager
def citeproc_alone() -> Iterator[None]:
    """citeproc-py as it is: no style element is known to the extension, items are citeproc-py's own."""
    pinned, item = render._PINNED, render._Item
    render._PINNED, render._Item = {}, CitationItem
    try:
        yield
    finally:
        render._PINNED, render._Item = pinned, item


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100, help="synthetic records (default 100)")
    parser.add_argument("--doctrees", type=Path, help="render what the build with this doctree folder rendered")
    args = parser.parse_args(argv)
    jobs = from_build(args.doctrees) if args.doctrees else synthetic(args.n)
    for style in {style for _, style in jobs}:
        render.load_style(style)
    with citeproc_alone():
        per_citation(synthetic(1))  # warm up (locale and term lookups made once per process)
        plain_ms, plain = per_citation(jobs)
    kept_ms, kept = per_citation(jobs)
    assert kept == plain, "what the extension keeps changed a citation"
    print(f"{len(plain)} citations: citeproc-py alone {plain_ms:.1f} ms each, with what the extension keeps "
          f"{kept_ms:.1f} ms ({plain_ms / kept_ms:.1f}x faster; processor time), identical text")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
