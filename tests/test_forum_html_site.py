"""Saved forum pages on the site: quotes link to the quoted posts, links keep their targets, notices show."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import jsonschema
import lxml.html
import pytest
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from myst_parser.parsers.options import options_to_items

from conftest import ROOT, make_site
from converters.model import Block, Link, normalize_text
from converters.myst_writer import _links, quote
from ext.inline import parse_links, with_links
from hostile.page import shown_text

FIXTURES = Path(__file__).parent / "fixtures" / "xenforo"
PAGE = "corpus/harbour-town-forum/lifeboat-station-open-day-volunteers-and-parking.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The three saved pages of the fixture thread, imported and built once for this module."""
    src = make_site(tmp_path_factory.mktemp("xf"), [FIXTURES / f"page-{n}.html" for n in (1, 2, 3)],
                    forum="Harbour Town Forum")
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = [w for w in app.warning.getvalue().splitlines() if "is already registered" not in w]
    data = json.loads(next((src / "corpus").rglob("*.thread.json")).read_text("utf-8"))
    return app, warnings, {p["source_id"]: p for p in data["posts"]}


def _card(app, anchor: str):
    page = lxml.html.parse(str(app.outdir / PAGE)).getroot()
    (card,) = page.xpath(f"//div[@id='{anchor}']")
    return card


def test_builds_without_warnings(site):
    assert site[1] == []


def test_quotes_link_to_the_quoted_posts(site):
    app, _, posts = site
    card = _card(app, posts["20034"]["anchor"])  # a nested quote: Gull_Watcher inside marinerpete62
    heads = card.xpath(".//p[contains(@class,'quote-source')]")
    assert [h.xpath("string(.//a/@href)") for h in heads] == [
        f"#{posts['20011']['anchor']}", f"#{posts['20014']['anchor']}"]
    assert "Gull_Watcher" in heads[0].text_content()
    outside = _card(app, posts["20055"]["anchor"]).xpath("string(.//p[contains(@class,'quote-source')])")
    assert "harbourmaster (forum post 18807, not in this corpus)" in outside


def test_links_keep_their_targets_and_post_links_stay_on_the_site(site):
    app, _, posts = site
    links = {a.text_content(): a.get("href") for a in _card(app, posts["20019"]["anchor"]).xpath(".//div[contains(@class,'post-body')]//a")}
    assert links["as Gull said"] == f"#{posts['20011']['anchor']}"
    assert links["@marinerpete62"] == "https://forum.harbourtown.example/members/marinerpete62.44/"
    first = {a.text_content(): a.get("href") for a in _card(app, posts["20011"]["anchor"]).xpath(".//a")}
    assert first["the station's page"] == "https://rnli.example.org/stations/kestle-bay"


def test_deleted_and_moderated_posts_say_so(site):
    app, _, posts = site
    deleted = _card(app, posts["20038"]["anchor"])
    assert "post-deleted" in deleted.get("class")
    assert deleted.xpath("string(.//p[@class='status-note'])") == (
        "Deleted on the forum (shown to its moderators): Deleted by Brackenfold, May 3, 2024, Reason: Spam link")
    assert "post-moderated" in _card(app, posts["20045"]["anchor"]).get("class")


def test_corpus_json_carries_links_and_status(site):
    app, _, posts = site
    data = json.loads((app.outdir / "corpus.json").read_text("utf-8"))
    schema = json.loads((ROOT / "schemas" / "corpus.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    exported = {p["source_id"]: p for t in data["threads"] for p in t["posts"]}
    assert exported["20038"]["status"] == "deleted"
    link = next(k for b in exported["20019"]["blocks"] for k in b.get("links", []) if k.get("anchor"))
    assert link["anchor"] == posts["20011"]["anchor"]
    quote_block = next(b for b in exported["20055"]["blocks"] if b["kind"] == "quote")
    assert quote_block["source_id"] == "18807"


HOSTILE_POST = """<article class="message message--post" data-author="mallory" data-content="post-1">
<div class="message-body"><div class="bbWrapper">```{include} /etc/passwd
```<br />
<a href="javascript:alert(1)">[click](javascript:alert(2))</a> and <a href="https://ok.example/">{post}`x`</a><br />
<img class="bbImage" src="javascript:alert(3)" alt="&lt;script&gt;x.png" />
<blockquote class="bbCodeBlock bbCodeBlock--quote" data-quote="&quot;evil&#10;:source: x" data-source="post: 2">
<div class="bbCodeBlock-expandContent">| fake line<br />\\ "escaped"</div></blockquote>
</div></div></article>"""


def test_hostile_markup_in_a_saved_page_stays_text(tmp_path, site_builder):
    capture = tmp_path / "evil.html"
    capture.write_text('<html id="XF" data-template="thread_view"><head><title>T | F</title></head><body>'
                       f'<h1 class="p-title-value">```{{raw}} html</h1>\n{HOSTILE_POST}</body></html>', "utf-8")
    src = make_site(tmp_path, [capture], forum="Test Forum")
    app, warnings = site_builder(src)
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    page = next((app.outdir / "corpus").rglob("*.html"))
    tree = lxml.html.parse(str(page)).getroot()
    body = tree.xpath("//div[contains(@class,'post-body')]")[0]
    text = shown_text(body)
    assert "```{include} /etc/passwd ```" in text and "[click](javascript:alert(2))" in text and "{post}`x`" in text
    assert "| fake line" in text and '\\ "escaped"' in text
    assert [a.get("href") for a in body.iter("a")] == ["https://ok.example/"]
    assert not tree.xpath("//img | //iframe | //script[contains(., 'alert')]")
    assert "root:x:0:0" not in page.read_text("utf-8")


SCHEMES = st.sampled_from(["https://ok.example/", "http://x.example/a?b=`c`", "javascript:alert(1)", "data:text/html,x",
                           "/relative/post-1", "vbscript:x", "https://e.example/\"quote\"\n:source: x"])


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=60), st.data())
def test_any_links_round_trip_and_only_web_urls_link(text, data):
    """Links written by the converter come back as written; the text is unchanged; unsafe schemes stay text."""
    text = normalize_text(text)  # as a Block keeps it ("\r\n" is one character shorter): links point into that
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    links = [Link(a, b, data.draw(SCHEMES), anchor=data.draw(st.sampled_from([None, "post-abc123"]))) for a, b in pairs]
    block = Block("text", text, links=links)
    written = _links(block) or "[]"
    (item,), _ = options_to_items(f"links: {quote(written)}")
    spans = parse_links(item[1], len(block.text))
    assert [(s.start, s.end, s.url, s.anchor) for s in spans] == [(k.start, k.end, k.url, k.anchor) for k in links]
    shown = with_links(block.text, spans, lambda t: [nodes.Text(t)])
    assert "".join(n.astext() for n in shown) == block.text
    for node in shown:
        if isinstance(node, nodes.reference):
            assert node["refuri"].startswith(("http://", "https://"))


@pytest.mark.parametrize("value, message", [
    ("[[0, 5, \"https://x\"]]", "outside the text"), ("[[2, 1, \"https://x\"]]", "outside"),
    ("[[0, 1, \"u\"], [0, 2, \"u\"]]", "overlaps"), ("{\"a\": 1}", "expected a JSON list"),
    ("[[0, 1, 2]]", "bad item"), ("[[0, true, \"u\"]]", "bad item"), ("not json", "not JSON"),
])
def test_malformed_links_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        parse_links(value, 3)
