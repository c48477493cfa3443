"""No text from a post ever becomes markup: whatever a post says is shown literally, exactly."""

from __future__ import annotations

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.anchors import reconcile
from converters.model import Block, Post, Thread, normalize_text
from converters.myst_writer import render

from conftest import make_site
from hostile.page import shown_text

HOSTILE = [
    "```{include} /etc/passwd\n```", "<script>alert(1)</script>", "```{raw} html\n<b>x</b>\n```", "$$\nx^2\n$$",
    "[x](javascript:alert(1))", "# not a heading", "> not a quote", "1. not a list", ":::{note}\nx\n:::",
    "% not a comment", "{eval-rst}`x`", "{{ config }} {% for x in y %}", "<img src=x onerror=alert(1)>",
    "---\nmyst:\n  enable_extensions: [substitution]\n---", "| a | b |\n|---|---|\n| 1 | 2 |", "[^1]\n\n[^1]: note",
    "(label)=\n# H", "```{post} x\n:author: evil\n```", "`````", "\\ \"escaped\"", "| fake line", ":author: evil",
    "  indented\n\n    code block", "*emph* **bold** _u_ ~~s~~ `code`", "<!-- comment -->", "&amp; &lt;b&gt;",
    "https://example.org/a_(b) and javascript:alert(2)", "\t\ttabbed  \u2028line\u2029sep\x85nel\u202ertl\u200b",
]

# Arbitrary text (the model normalises line endings, NUL and lone surrogates before any of it is
# written); invisible characters are shown as marks, read back by `shown_text`.
TEXT = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=120), st.sampled_from(HOSTILE))
NAME = st.text(st.characters(blacklist_categories=("Cs", "Zl", "Zp"), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85"),
               min_size=1, max_size=30).filter(str.strip)


def _site(tmp_path, title: str, posts: list[tuple[str, str, str]]):
    thread = Thread(title=title, forum="Test Forum", posts=[
        Post(author=a, user_title=u, blocks=[Block("text", t)]) for a, u, t in posts])
    reconcile(thread, None, set())
    src = make_site(tmp_path, [])
    page = src / "corpus" / "test-forum" / "thread.md"
    page.parent.mkdir(parents=True)
    page.write_text(render(thread), "utf-8")
    return src, thread


def _visible(element) -> str:
    return shown_text(element)


def _check(app, thread: Thread) -> None:
    tree = lxml.html.parse(str(app.outdir / "corpus" / "test-forum" / "thread.html"))
    (heading,) = tree.xpath("//section[contains(@class,'forum-thread')]/h1")
    for link in heading.xpath(".//a[contains(@class,'headerlink')]"):
        link.drop_tree()
    assert _visible(heading) == thread.title
    for post in thread.posts:
        (card,) = tree.xpath(f"//div[@id='{post.anchor}']")
        assert _visible(card.xpath(".//span[@class='post-author']")[0]) == post.author
        (para,) = card.xpath(".//p[contains(@class,'post-text')]")
        assert _visible(para) == post.blocks[0].text
        tags = {el.tag for el in para.iter() if el.get("class") != "invisible-char"} - {"p", "a"}
        assert not tags, f"markup from post text: {tags}"
        for link in para.iter("a"):
            assert link.get("href").startswith(("http://", "https://"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(title=NAME, posts=st.lists(st.tuples(NAME, NAME, TEXT), min_size=1, max_size=6))
def test_any_text_is_shown_exactly(tmp_path_factory, site_builder, title, posts):
    src, thread = _site(tmp_path_factory.mktemp("prop"), title, posts)
    app, warnings = site_builder(src, freshenv=True)
    assert "ERROR" not in warnings and "CRITICAL" not in warnings, warnings
    _check(app, thread)


def test_hostile_text_appears_literally(tmp_path, site_builder):
    posts = [(f"user{i}", "Member", text) for i, text in enumerate(HOSTILE)]
    src, thread = _site(tmp_path, "```{include} /etc/passwd``` <script>", posts)
    app, warnings = site_builder(src)
    assert "WARNING" not in warnings, warnings
    _check(app, thread)
    html = (app.outdir / "corpus" / "test-forum" / "thread.html").read_text("utf-8")
    tree = lxml.html.fromstring(html)
    assert "root:x:0:0" not in html
    assert not [s for s in tree.iter("script") if "alert" in (s.text or "")]
    assert not tree.xpath("//img | //iframe | //@*[starts-with(name(), 'on')]")
    assert "javascript:" not in "".join(tree.xpath("//a/@href"))


def test_normalisation_is_the_only_change():
    assert normalize_text("a\r\nb\rc\0d\ud800") == "a\nb\nc\u2400d\ufffd"


ANY = st.text(st.characters(blacklist_categories=("Cs",)))


@settings(max_examples=500, deadline=None)
@given(ANY)
def test_text_lines_round_trip(text):
    from converters.myst_writer import encode_text
    from ext.textlines import decode_text

    lines = encode_text(text)
    assert decode_text(lines) == text
    assert all(line.startswith(("| ", "\\ ")) or line == "|" for line in lines)
    assert all(not any(c in line for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") for line in lines)


@settings(max_examples=500, deadline=None)
@given(ANY)
def test_option_values_round_trip_through_myst(value):
    from myst_parser.parsers.options import options_to_items

    from converters.myst_writer import quote

    items, _ = options_to_items(f"author: {quote(value)}")
    assert items == [("author", value)]


def test_printable_fast_path_misses_no_unsafe_character():
    """The writer skips its per-character check for printable lines: no unsafe character is printable."""
    from converters.myst_writer import _unsafe, encode_line

    assert not [hex(c) for c in range(0x110000) if _unsafe(chr(c)) and chr(c).isprintable()]
    assert encode_line("a\u200bb").startswith("\\ ")  # a zero-width space (Cf) is still escaped
