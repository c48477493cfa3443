"""Safe defaults of the site: outside links marked, invisible characters shown, code-running options refused."""

from __future__ import annotations

import json

import lxml.html
import pytest
from sphinx.errors import ConfigError

from conftest import EXAMPLES, make_site
from converters.importer import import_captures
from hostile.page import shown_text

SNEAKY = {
    "author": "ad\u200bmin",
    "text": "Open \u202eexe.txt\u202c now. Family \U0001f468\u200d\U0001f469\u200d\U0001f467, Persian "
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645, bell\u0007, soft\u00adhyphen.",
}


def test_links_to_other_sites_are_nofollow_noopener(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES, forum="Harbour Town Forum")
    app, _ = site_builder(src)
    links = [a for page in app.outdir.rglob("corpus/**/*.html")
             for a in lxml.html.parse(str(page)).getroot().xpath("//article[@role='main']//a[@href]")]
    external = [a for a in links if a.get("href").startswith(("http://", "https://"))]
    assert external, "the example threads link to other sites"
    assert all(a.get("rel") == "nofollow noopener" for a in external), [a.get("href") for a in external]
    assert not [a for a in links if a not in external and a.get("rel")]


@pytest.fixture
def sneaky_site(tmp_path, site_builder):
    capture = tmp_path / "sneaky.json"
    capture.write_text(json.dumps({
        "format": "forum-thread", "version": 1, "title": "Tricks \u202eevil", "forum": "F",
        "posts": [{"author": SNEAKY["author"], "blocks": [{"kind": "text", "text": SNEAKY["text"]}]}]}), "utf-8")
    src = make_site(tmp_path, [])
    import_captures([str(capture)], src / "corpus")
    app, warnings = site_builder(src)
    assert warnings == ""
    (page,) = app.outdir.rglob("corpus/**/*.html")
    return app, lxml.html.parse(str(page)).getroot()


def test_invisible_characters_are_shown_as_marks(sneaky_site):
    _, page = sneaky_site
    main = page.xpath("//article[@role='main']")[0]
    marks = {m.text_content(): m.get("title") for m in main.xpath(".//abbr[@class='invisible-char']")}
    assert marks["⟨U+202E⟩"].startswith("RIGHT-TO-LEFT OVERRIDE") and "⟨U+202C⟩" in marks
    assert marks["⟨U+200B⟩"].startswith("ZERO WIDTH SPACE") and "⟨U+0007⟩" in marks and "⟨U+00AD⟩" in marks
    assert "⟨U+200D⟩" not in marks and "⟨U+200C⟩" not in marks  # joiners inside an emoji and a Persian word
    raw = main.text_content()
    assert "\u202e" not in raw and "\u200b" not in raw and "\u0007" not in raw
    assert shown_text(main.xpath(".//span[contains(@class,'post-author')]")[0]) == SNEAKY["author"]
    assert "\u202e" not in page.findtext(".//title") and "⟨U+202E⟩" in page.findtext(".//title")


def test_corpus_json_keeps_invisible_characters_exactly(sneaky_site):
    app, _ = sneaky_site
    (thread,) = json.loads((app.outdir / "corpus.json").read_text("utf-8"))["threads"]
    (post,) = thread["posts"]
    assert post["author"] == SNEAKY["author"] and post["blocks"][0]["text"] == SNEAKY["text"]


@pytest.mark.parametrize("overrides", [{"myst_enable_extensions": ["colon_fence", "substitution"]},
                                       {"extensions": ["myst_parser", "ext", "sphinx.ext.ifconfig"]}])
def test_options_that_run_page_text_as_code_are_refused(tmp_path, make_app, overrides):
    src = make_site(tmp_path, [])
    with pytest.raises(ConfigError, match="would run code from page text"):
        make_app("html", srcdir=src, confoverrides=overrides)
