"""Search that scales: with Pagefind the site carries a chunked index and its search page uses it."""

from __future__ import annotations

import gzip
import json

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, make_site
from converters.importer import import_captures


@pytest.fixture
def pagefind_site(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES, forum="Harbour Town Forum")
    app, _ = site_builder(src, confoverrides={"forum_search": "pagefind", "register_mentions_per_page": 3})
    assert app.builder.indexer is None, "no page was fed to Sphinx's own index"
    return app.outdir


def test_pagefind_site_rebuilds_without_sphinx_index_warnings(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum")
    site_builder(src, confoverrides={"forum_search": "pagefind"})
    import_captures([str(EXAMPLES[1])], src / "corpus", forum="Harbour Town Forum")
    app, warnings = site_builder(src, confoverrides={"forum_search": "pagefind"})
    assert "search index couldn't be loaded" not in warnings
    assert not (app.outdir / "searchindex.js").exists()


def test_pagefind_replaces_sphinx_index(pagefind_site):
    out = pagefind_site
    assert not (out / "searchindex.js").exists()
    entry = json.loads((out / "_pagefind" / "pagefind-entry.json").read_text())
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    assert pages >= len(list((out / "corpus").rglob("*.html"))) + 1
    search = lxml.html.parse(str(out / "search.html")).getroot()
    scripts = [s.get("src") for s in search.iter("script") if s.get("src")]
    assert "_pagefind/pagefind-ui.js" in scripts and "_static/forum-search.js" in scripts
    policy = search.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert not policy or "'wasm-unsafe-eval'" in policy[0]


def _indexed(out) -> dict[str, str]:
    """The pages of a Pagefind bundle and the text it indexed for each (its fragments: gzip, a tag, JSON)."""
    pages = {}
    for fragment in (out / "_pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"].lstrip("/")] = data["content"]
    return pages


def test_the_index_holds_each_passage_once_on_its_thread_page(pagefind_site):
    out = pagefind_site
    pages = _indexed(out)
    assert not [url for url in pages if url.startswith("citations/")] and (out / "citations").is_dir()
    entries = ((f"register/{p.name}", lxml.html.parse(str(p)).getroot()) for p in sorted((out / "register").glob("*.html")))
    url, entry = next((u, e) for u, e in entries if len(e.xpath("string(//span[@class='kwic-right'])").split()) > 5)
    snippet = " ".join(entry.xpath("string(//span[@class='kwic-right'])").split()[:4])  # words of a post
    indexed = " ".join(pages[url].split())
    assert entry.findtext(".//h1").strip() in indexed  # the entry is found by its name,
    assert snippet and snippet not in indexed  # not by the words of the posts it lists
    assert any(snippet in " ".join(t.split()) for u, t in pages.items() if u.startswith("corpus/"))  # its thread is
    parts = list((out / "register" / "mentions").glob("*.html"))  # an entry's further pages of mentions
    assert parts and not [u for u, text in pages.items()  # nor a member's further pages of posts
                          if u.startswith(("register/mentions/", "register/posts/")) and text.strip()]
    member = next(u for u in pages if u.startswith("register/members/") and u != "register/members/index.html")
    opening = lxml.html.parse(str(out / member)).getroot().xpath("string(//span[@class='member-post-opening'][1])")
    assert len(opening.split()) >= 6 and " ".join(opening.split()[:6]) not in " ".join(pages[member].split())


def test_a_rebuild_replaces_the_pagefind_bundle_whole(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum")
    site_builder(src, confoverrides={"forum_search": "pagefind"})
    import_captures([str(EXAMPLES[1])], src / "corpus", forum="Harbour Town Forum")
    app, _ = site_builder(src, confoverrides={"forum_search": "pagefind"})
    out = app.outdir
    assert len(list((out / "_pagefind").glob("*.pf_meta"))) == 1  # no index of the last build left beside it
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("_pagefind")) == ["_pagefind"]
    entry = json.loads((out / "_pagefind" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(_indexed(out))


def test_small_corpus_keeps_sphinx_index(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum")
    app, _ = site_builder(src)
    assert (app.outdir / "searchindex.js").exists() and not (app.outdir / "_pagefind").exists()


def test_search_box_query_finds_posts_in_a_browser(pagefind_site, serve_site, open_page):
    """The theme's search box sends ``?q=``; Pagefind's UI answers with the thread, under the site's CSP."""
    with serve_site(pagefind_site) as base:
        page = open_page(f"{base}search.html?q=timetable")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
        links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
        assert any("winter-ferry-timetable" in link for link in links)
        assert page.problems == []


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.text(alphabet=st.characters(categories=["Ll", "Lu"]), min_size=1, max_size=12), max_size=20))
def test_cached_stemmer_stems_as_sphinx_does(words):
    """The corpus's English search language (each word stemmed once) gives Sphinx's own stems."""
    from sphinx.search import languages
    from sphinx.search.en import SearchEnglish

    from ext.search import CachedEnglish

    assert languages["en"] is CachedEnglish  # registered by the extension (this module's sites loaded it)
    ours, sphinx = CachedEnglish({}), SearchEnglish({})
    for word in words + words:  # the second time from the cache
        assert ours.stem(word) == sphinx.stem(word)
