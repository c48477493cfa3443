"""Quotes and articles on the site: quote headings, "Quoted by", the articles index, corpus.json, escaping,
and re-writing a quoted page when a new thread quotes it."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import lxml.html
import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import EXAMPLES, ROOT, SAMPLE, make_site
from converters.importer import SIDECAR, import_captures

SAMPLE_PAGE = "corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html"
FLOOD_PAGE = "corpus/harbour-town-forum/harbour-road-shut-again-as-the-wend-tops-the-quay-wall.html"
A1 = "Why Are US Military Personnel Heading To Peru?"


def _html(app, page: str):
    return lxml.html.parse(str(app.outdir / page)).getroot()


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _with_articles_page(src):
    (src / "docs").mkdir(exist_ok=True)
    shutil.copy(ROOT / "docs" / "articles.md", src / "docs" / "articles.md")
    return src


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample thread and the two example threads, built once, with the articles index page."""
    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    src = make_site(tmp_path_factory.mktemp("quotes"), [SAMPLE], forum="Time Bomb 2000")
    import_captures([str(p) for p in EXAMPLES], src / "corpus", forum="Harbour Town Forum")
    app = SphinxTestApp("html", srcdir=_with_articles_page(src))
    app.build()
    sidecar = next((src / "corpus" / "time-bomb-2000").glob(f"*{SIDECAR}"))
    anchors = [p["anchor"] for p in json.loads(sidecar.read_text("utf-8"))["posts"]]
    yield app, app.warning.getvalue(), anchors
    app.cleanup()


def _cards(app):
    return {c.get("id"): c for c in _html(app, SAMPLE_PAGE).xpath("//div[contains(@class,'forum-post')]")}


def test_builds_without_warnings(site):
    assert site[1] == ""


def test_quote_headings_name_and_link_the_source(site):
    app, _, anchors = site
    cards = _cards(app)
    (head,) = cards[anchors[7]].xpath(".//blockquote[contains(@class,'post-quote')]//p[@class='quote-source']")
    assert _text(head) == "Quoting night driver, post 7 · match 100%"
    assert head.xpath(".//a/@href") == [f"#{anchors[6]}"]
    heads = [_text(h) for h in cards[anchors[10]].xpath(".//p[@class='quote-source']")]
    assert heads == ["Quoting an unknown source — also quoted by Melodi, post 6 · match 100%",
                     "Quoting night driver, post 7 · match 100%"]
    (head,) = cards[anchors[17]].xpath(".//p[@class='quote-source']")
    assert _text(head) == f"Quoting Melodi, post 1 · from the article {A1} · match 100%"
    article_link = head.xpath(".//a/@href")[1]
    assert re.fullmatch(r"\.\./\.\./docs/articles\.html#a-[a-z0-9]+", article_link)


def test_quoted_posts_list_who_quoted_them(site):
    app, _, anchors = site
    cards = _cards(app)
    (line,) = cards[anchors[6]].xpath(".//p[contains(@class,'post-quoted-by')]")
    assert _text(line) == "Quoted by Melodi, post 8; ron341, post 11"
    assert line.xpath(".//a/@href") == [f"#{anchors[7]}", f"#{anchors[10]}"]
    assert _text(cards[anchors[0]].xpath(".//p[contains(@class,'post-quoted-by')]")[0]) == \
        "Quoted by Dobbin, post 18; inskanoot, post 22"
    assert not cards[anchors[15]].xpath(".//p[contains(@class,'post-quoted-by')]")  # the paraphrase quotes nothing


def test_articles_show_their_details_and_hold_their_quotes(site):
    app, _, anchors = site
    cards = _cards(app)
    labels = [_text(p) for p in _html(app, SAMPLE_PAGE).xpath("//p[contains(@class,'article-label')]")]
    assert labels[0] == f"Pasted article {A1} · Nick Corbishley · NakedCapitalism.com · 2023-05-27"
    assert labels[2] == "Pasted article CIA World Factbook"
    (farrell,) = cards[anchors[21]].xpath(".//div[contains(@class,'post-article')]")
    assert len(farrell.xpath(".//blockquote[contains(@class,'post-quote')]")) == 3
    own = _text(cards[anchors[0]].xpath(".//div[contains(@class,'post-body')]/p[contains(@class,'post-text')]")[0])
    assert own.startswith("As a Latin-American history major")  # Melodi's own words stay outside the article


def test_articles_index_lists_every_article_with_its_posts(site):
    app, *_ = site
    page = _html(app, "docs/articles.html")
    entries = {_text(li.xpath("./p[@class='article-head']")[0]): li for li in page.xpath("//li[contains(@class,'article-entry')]")}
    assert len(entries) == 6
    a1 = entries[f"{A1} — Nick Corbishley · NakedCapitalism.com · 2023-05-27"]
    thread = "“Why is the US Military sending personnel to Peru?”"
    assert _text(a1.xpath("./p[@class='article-posts']")[0]) == f"Pasted in Melodi, post 1 in {thread}"
    assert _text(a1.xpath("./p[@class='article-quoted-by']")[0]) == \
        f"Quoted in Dobbin, post 18 in {thread}; inskanoot, post 22 in {thread}"
    flood = next(li for head, li in entries.items() if head.startswith("Harbour Road closed"))
    assert "Gull_Watcher, post 6" in _text(flood)
    home = _html(app, "index.html")
    assert home.xpath("//p[@class='corpus-articles']//a/@href") == ["docs/articles.html"]


def test_corpus_json_carries_quotes_articles_and_the_quote_graph(site):
    app, _, anchors = site
    data = json.loads((app.outdir / "corpus.json").read_text("utf-8"))
    jsonschema.validate(data, json.loads((ROOT / "schemas" / "corpus.schema.json").read_text("utf-8")))
    thread = next(t for t in data["threads"] if t["title"].startswith("Why is"))
    posts = {p["anchor"]: p for p in thread["posts"]}
    (quote,) = [b for b in posts[anchors[7]]["blocks"] if b["kind"] == "quote"]
    assert (quote["source"], quote["source_author"], quote["score"]) == (anchors[6], "night driver", 1.0)
    assert quote["text"].startswith("Melodi, I kind of have to agree with Mongo.")
    unknown = [b for p in (anchors[5], anchors[10]) for b in posts[p]["blocks"] if b["kind"] == "quote"][:2]
    assert unknown[0]["source"] is None and unknown[0]["missing_source"] == unknown[1]["missing_source"]
    (article,) = [b for b in posts[anchors[0]]["blocks"] if b["kind"] == "article"]
    assert (article["title"], article["author"], article["outlet"], article["date"]) == \
        (A1, "Nick Corbishley", "NakedCapitalism.com", "2023-05-27")
    farrell = next(b for b in posts[anchors[21]]["blocks"] if b["kind"] == "article")
    inner = [b for b in farrell["blocks"] if b["kind"] == "quote"]
    assert [q["source"] for q in inner] == [anchors[0]] * 3 and {q["article"] for q in inner} == {article["article"]}
    assert len(thread["quotes"]) == 12
    assert {"post": anchors[19], "source": anchors[17], "missing_source": None, "article": None, "score": 1.0} \
        in thread["quotes"]
    listed = {a["id"]: a for a in data["articles"]}
    assert listed[article["article"]]["quoted_by"] == [anchors[17], anchors[21]]


HOSTILE = "<script>alert(1)</script> **bold** {post}`x`"


def test_hostile_text_in_quotes_and_articles_stays_text(tmp_path, make_app):
    thread = {"format": "forum-thread", "version": 1, "title": "Hostile", "forum": "F", "posts": [
        {"author": "ann", "blocks": [
            {"kind": "quote", "text": HOSTILE, "meta": {"author": HOSTILE}},
            {"kind": "article", "text": "", "url": "javascript:alert(1)",
             "meta": {"title": HOSTILE, "author": HOSTILE, "outlet": HOSTILE},
             "blocks": [{"kind": "text", "text": HOSTILE}]}]}]}
    capture = tmp_path / "hostile.json"
    capture.write_text(json.dumps(thread), "utf-8")
    src = _with_articles_page(make_site(tmp_path, [capture]))
    app = make_app("html", srcdir=src)
    app.build()
    for page in ("corpus/test-forum/hostile.html", "docs/articles.html"):
        html = _html(app, page)
        assert not html.xpath("//article//script | //article//strong[.='bold']"), page
        assert HOSTILE in html.text_content(), page
        assert not html.xpath("//a[starts-with(@href, 'javascript')]"), page


def test_a_new_thread_quoting_an_old_post_rewrites_the_old_page_without_rereading_it(tmp_path, make_app):
    src = _with_articles_page(make_site(tmp_path, EXAMPLES, forum="Harbour Town Forum"))
    app = make_app("html", srcdir=src)
    app.build()
    old = _html(app, FLOOD_PAGE)
    (ada,) = [c for c in old.xpath("//div[contains(@class,'forum-post')]")
              if c.xpath("string(.//span[@class='post-author'])") == "Ada Penhallow"][:1]
    assert _text(ada.xpath(".//p[contains(@class,'post-quoted-by')]")[0]) == \
        "Quoted by tidewright, post 5; marinerpete62, post 7"
    quoted = ada.xpath(".//p[contains(@class,'post-text')]")[2].text_content()  # her third paragraph
    capture = tmp_path / "new.txt"
    capture.write_text(f"NEWS\u00a0Flood meeting\n\nkelpie\n\nLurker No More\n{quoted}\nI have the minutes.\n\u00a0\n",
                       "utf-8")
    import_captures([str(capture)], src / "corpus", forum="Harbour Town Forum")
    app2 = make_app("html", srcdir=src)
    app2.build()
    status = app2.status.getvalue()
    reread = re.search(r"reading sources\.\.\. (.*)", status)
    assert reread is not None and "harbour-road" not in reread.group(0)  # the old page is not read again ...
    new = _html(app2, FLOOD_PAGE)  # ... but it is written again, with the new backlink
    (ada,) = [c for c in new.xpath("//div[@id]") if c.get("id") == ada.get("id")]
    line = _text(ada.xpath(".//p[contains(@class,'post-quoted-by')]")[0])
    assert line == "Quoted by tidewright, post 5; marinerpete62, post 7; kelpie, post 1 in “Flood meeting”"


def test_an_article_with_loose_text_is_an_error_naming_the_page(tmp_path, make_app):
    src = make_site(tmp_path, [])
    page = src / "corpus" / "f" / "t.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\norphan: true\n---\n\n``````{thread} t-x\n:title: \"T\"\n\n`````{post} ann-aaaaaa\n"
                    ":author: \"ann\"\n\n````{post-article}\n\n**not a part** [link](https://evil.example)\n````\n"
                    "`````\n``````\n", "utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    assert "t.md" in app.warning.getvalue() and "holds only post-* block directives" in app.warning.getvalue()
    assert not lxml.html.parse(str(app.outdir / "corpus" / "f" / "t.html")).getroot().xpath("//a[contains(@href,'evil')]")
