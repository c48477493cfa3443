"""Search that scales: with Pagefind the site carries a chunked index and its search page uses it."""

from __future__ import annotations

import json

import lxml.html

from conftest import EXAMPLES, make_site


def test_pagefind_replaces_sphinx_index(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES, forum="Harbour Town Forum")
    app, warnings = site_builder(src, confoverrides={"forum_search": "pagefind"})
    out = app.outdir
    assert not (out / "searchindex.js").exists()
    entry = json.loads((out / "_pagefind" / "pagefind-entry.json").read_text())
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    assert pages >= len(list((out / "corpus").rglob("*.html"))) + 1
    search = lxml.html.parse(str(out / "search.html")).getroot()
    scripts = [s.get("src") for s in search.iter("script") if s.get("src")]
    assert "_pagefind/pagefind-ui.js" in scripts and "_static/forum-search.js" in scripts
    policy = search.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert not policy or "'wasm-unsafe-eval'" in policy[0]


def test_small_corpus_keeps_sphinx_index(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum")
    app, _ = site_builder(src)
    assert (app.outdir / "searchindex.js").exists() and not (app.outdir / "_pagefind").exists()
