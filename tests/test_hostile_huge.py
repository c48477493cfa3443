"""Huge inputs: a 5 MB post, a single 1 MB line and a 20,000-post thread, imported and built for real.

They take minutes of one core, so they run only with ``--huge``: ``make test`` runs them in a second
process beside the rest of the suite (``make test-huge`` alone). One site holds all three and one
ordinary thread, whose page is the allow-list baseline. Each import's time and the build's, and the
count of huge payloads that leaked (0), are printed at the end of the run.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import lxml.html
import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import EXAMPLES, SUMMARY, make_site
from converters.importer import import_captures
from hostile import ONE_CITATION_STYLE, huge
from hostile.allowlist import Baseline, content, problems
from hostile.page import shown_text

pytestmark = pytest.mark.huge


@pytest.fixture(scope="module")
def huge_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("huge")
    src = make_site(root, [EXAMPLES[0]], forum="Huge")
    captures = {"post": huge.huge_post(), "line": huge.huge_line(), "thread": huge.huge_thread()}
    times = {}
    for name, text in captures.items():
        path = root / f"{name}.txt"
        path.write_text(text, "utf-8")
        start = time.perf_counter()
        import_captures([str(path)], src / "corpus", forum="Huge")
        times[f"import {name}"] = time.perf_counter() - start
    app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO(), confoverrides=ONE_CITATION_STYLE)
    start = time.perf_counter()
    try:
        app.build()
    finally:
        app.cleanup()
    times["build"] = time.perf_counter() - start
    SUMMARY.append("huge inputs: " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))
    out = Path(app.outdir)
    corpus = {t["title"]: t for t in json.loads((out / "corpus.json").read_text("utf-8"))["threads"]}
    return out, corpus, captures


def _page(out: Path, corpus: dict, title: str):
    return lxml.html.parse(str(out / corpus[title]["page"])).getroot()


def test_huge_post_is_kept_and_shown_whole(huge_site):
    out, corpus, captures = huge_site
    thread = corpus["A five megabyte post"]
    text = "".join(b["text"] for b in thread["posts"][0]["blocks"])
    assert len(text) >= huge.POST_MB * 1_000_000 * 0.99
    body = huge.text_of_size(huge.POST_MB * 1_000_000)
    assert "".join(text.split()) == "".join(body.split())
    shown = shown_text(content(_page(out, corpus, "A five megabyte post")))
    assert "".join(body.split()) in "".join(shown.split())


def test_one_megabyte_line_is_shown_on_one_line(huge_site):
    out, corpus, _ = huge_site
    line = huge.text_of_size(huge.LINE_MB * 1_000_000, 0)
    (post,) = corpus["A one megabyte line"]["posts"]
    assert "".join(b["text"] for b in post["blocks"]).replace("\n", "") == line
    assert line in shown_text(content(_page(out, corpus, "A one megabyte line")))


def test_twenty_thousand_posts_each_get_a_card(huge_site):
    out, corpus, _ = huge_site
    thread = corpus["A twenty thousand post thread"]
    assert len(thread["posts"]) == huge.THREAD_POSTS
    cards = content(_page(out, corpus, "A twenty thousand post thread")).xpath(".//div[contains(@class,'forum-post')]")
    assert [c.get("id") for c in cards] == [p["anchor"] for p in thread["posts"]]


def test_huge_pages_are_within_the_allow_list(huge_site):
    out, corpus, _ = huge_site
    baseline = Baseline()
    ordinary = next(t for t in corpus.values() if "megabyte" not in t["title"] and "thousand" not in t["title"])
    baseline.learn(_page(out, corpus, ordinary["title"]), ordinary["page"])
    for css in (out / "_static").rglob("*.css"):
        baseline.learn_styles(css.read_text("utf-8"))
    found = {t["title"]: problems(_page(out, corpus, t["title"]), baseline, t["page"]) for t in corpus.values()}
    huge_titles = [t for t in found if "megabyte" in t or "thousand" in t]
    SUMMARY.append(f"huge inputs: {len(huge_titles)} payloads tried, {sum(bool(found[t]) for t in huge_titles)} leaked")
    assert found == {title: [] for title in found}
