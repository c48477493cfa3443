"""Pages written from a shell (`ext.pageshell`) are exactly the pages the theme would render one by one."""

from __future__ import annotations

import pytest

from conftest import make_site
from ext.pageshell import PageShells

TITLES = ["Adana", "Tom & Jerry <b>Ltd</b>", "“Quoted” name — with a dash", "<script>alert(1)</script>"]


@pytest.mark.parametrize("baseurl", ["", "https://corpus.example/"])
def test_a_shell_page_equals_the_page_rendered_on_its_own(tmp_path, site_builder, baseurl):
    src = make_site(tmp_path, [])
    app, _ = site_builder(src, confoverrides={"html_baseurl": baseurl})
    shells = PageShells(app.builder)
    for pagename in ("register/adana", "register/members/test-forum/tom", "citations/test-forum/a-thread"):
        for title in TITLES:
            body = f"<h1>{title.replace('<', '&lt;')}</h1><p>body of {pagename}</p>"
            direct = tmp_path / "direct.html"
            app.builder.handle_page(pagename, {"title": title, "body": body}, "page.html", outfilename=direct)
            assert shells.render(pagename, title, body) == direct.read_text("utf-8"), (pagename, title)
    if baseurl:
        assert f'href="{baseurl}register/adana.html"' in shells.render("register/adana", "Adana", "")


def test_slot_characters_in_forum_text_fill_no_slot(tmp_path, site_builder):
    """A title (forum text) holding the slot characters shows them as U+FFFD; a body keeps them as text."""
    app, _ = site_builder(make_site(tmp_path, []))
    shells = PageShells(app.builder)
    page = shells.render("register/x", "bad \ufdd4 \ufdd3 \ufdd2 title", "<p>body \ufdd3 \ufdd2</p>")
    assert "<title>bad \ufffd \ufffd \ufffd title - " in page and page.count("<p>body \ufdd3 \ufdd2</p>") == 1
    with pytest.raises(ValueError, match="reserved character"):
        shells.render("register/\ufdd2", "Title", "")
