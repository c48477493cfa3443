"""The reading room without a browser: thread overview, quote graph, folded articles, thread neighbours,
participant pages and the home page's most named entries, checked in the built HTML (the example corpus)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from docutils import nodes

from conftest import EXAMPLES, make_site
from converters.importer import import_captures
from ext.articlefold import fold
from ext.graphsvg import Edge, Person, render

FORUM = "Harbour Town Forum"


def _html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(path)).getroot()


def _text(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Both example threads, built once."""
    from sphinx.testing.util import SphinxTestApp

    src = make_site(tmp_path_factory.mktemp("reading"), EXAMPLES, forum=FORUM, retrieved="2024-03-01")
    app = SphinxTestApp("html", srcdir=src)
    app.build()
    corpus = json.loads((Path(app.outdir) / "corpus.json").read_text("utf-8"))
    yield Path(app.outdir), corpus, app.warning.getvalue()
    app.cleanup()


def _resolve(page: Path, href: str) -> Path:
    return (page.parent / href.split("#")[0]).resolve()


def test_builds_without_warnings(site):
    assert site[2] == ""


def test_each_thread_opens_with_its_participants_quotes_and_names(site):
    outdir, corpus, _ = site
    for thread in corpus["threads"]:
        path = outdir / thread["page"]
        section = _html(path).xpath("//section[contains(@class,'forum-thread')]")[0]
        overview = section.xpath("./section[@id='thread-overview']")[0]
        first_post = section.xpath("./div[contains(@class,'forum-post')]")[0]
        assert overview.getparent().index(overview) < section.index(first_post)  # before the first post
        authors = Counter(p["author"] for p in thread["posts"])
        chips = {_text(li.xpath(".//a")[0]): _text(li.xpath(".//span[@class='ov-count']")[0])
                 for li in overview.xpath(".//ul[contains(@class,'ov-participants')]/li")}
        assert chips == {a: f"{n} post{'s' * (n != 1)}" for a, n in authors.items()}
        for href in overview.xpath(".//ul[contains(@class,'ov-participants')]//a/@href"):
            assert _resolve(path, href).is_file(), href  # each member's page exists
        assert _text(overview.xpath(".//p[@class='ov-summary']")[0]).startswith(
            f"{len(thread['posts'])} posts by {len(authors)} members")
        discussed = overview.xpath(".//ul[contains(@class,'ov-discussed')]//a")
        assert discussed and all(_resolve(path, a.get("href")).is_file() for a in discussed)


def test_the_quote_graph_draws_one_arrow_per_pair_of_members(site):
    outdir, corpus, _ = site
    thread = max(corpus["threads"], key=lambda t: len(t["quotes"]))
    author = {p["anchor"]: p["author"] for t in corpus["threads"] for p in t["posts"]}
    pairs = Counter((author[q["post"]], author[q["source"]]) for q in thread["quotes"] if q["source"])
    svg = _html(outdir / thread["page"]).xpath("//figure[@class='quote-graph']/svg")[0]
    tips = [_text(p.xpath("title")[0]) for p in svg.xpath(".//path[contains(@class,'qg-edge')]")]
    expected = [f"{a} quoted {b} {n} time{'s' * (n != 1)}" if a != b else f"{a} quoted their own post {n} time{'s' * (n != 1)}"
                for (a, b), n in pairs.items()]
    assert sorted(tips) == sorted(expected)
    names = [_text(t) for t in svg.xpath(".//text")]
    assert set(names) >= {a for pair in pairs for a in pair}
    listed = [_text(li) for li in _html(outdir / thread["page"]).xpath("//ul[contains(@class,'ov-quotes')]/li")]
    assert len(listed) == len(pairs)  # the same quotes as a list, for readers who cannot see the picture


def test_threads_link_to_their_neighbours_in_home_page_order(site):
    outdir, corpus, _ = site
    home = _html(outdir / "index.html")
    order = [a.get("href") for a in home.xpath("//ul[contains(@class,'thread-list')]//a")]
    assert len(order) == 2
    first, second = (outdir / href for href in order)
    assert _html(first).xpath("//a[@class='next-page']/@href") and not _html(first).xpath("//a[@class='prev-page']")
    assert _resolve(first, _html(first).xpath("//a[@class='next-page']/@href")[0]) == second.resolve()
    assert _resolve(second, _html(second).xpath("//a[@class='prev-page']/@href")[0]) == first.resolve()
    assert not _html(second).xpath("//a[@class='next-page']")


def test_participant_pages_show_titles_quotes_and_every_post(site):
    outdir, corpus, _ = site
    posts = [p for t in corpus["threads"] for p in t["posts"]]
    author = {p["anchor"]: p["author"] for p in posts}
    quotes = [(author[q["post"]], author[q["source"]]) for t in corpus["threads"] for q in t["quotes"] if q["source"]]
    member = Counter(a for a, _ in quotes).most_common(1)[0][0]
    page = outdir / "register" / "members" / "harbour-town-forum" / f"{member.lower().replace('_', '-').replace(' ', '-')}.html"
    html = _html(page)
    own = [p for p in posts if p["author"] == member]
    links = html.xpath("//ul[@class='member-posts']//a[@class='member-post']/@href")
    assert [h.split("#")[1] for h in links] == [p["anchor"] for p in own]
    titles = {p["user_title"] for p in own if p["user_title"]}
    if titles:
        assert set(html.xpath("//span[@class='member-title']/text()")) == titles
    quoted = Counter(b for a, b in quotes if a == member)
    line = _text(html.xpath("//p[@class='member-quotes']")[0])
    assert line == "Quotes: " + ", ".join(f"{b} ({n})" for b, n in sorted(quoted.items(), key=lambda kv: (-kv[1], kv[0])))


def test_home_page_lists_the_most_named_entries_with_the_registers_counts(site):
    outdir, *_ = site
    home = _html(outdir / "index.html")
    columns = home.xpath("//div[contains(@class,'register-highlights')]/div")
    assert [_text(c.xpath(".//h3")[0]) for c in columns][:1] == ["People"]
    for column in columns:
        counts = [int(_text(s).split()[0]) for s in column.xpath(".//span[@class='hl-count']")]
        assert counts == sorted(counts, reverse=True) and counts
        a = column.xpath(".//ol//a")[0]
        entry = _html(_resolve(outdir / "index.html", a.get("href")))
        assert _text(entry.xpath("//h1")[0]) == _text(a)
        assert f"{counts[0]} mention" in _text(entry.xpath("//p[@class='register-meta']")[0])


def _article(parts: list[str]) -> nodes.container:
    box = nodes.container(classes=["post-article"])
    box += nodes.paragraph("Pasted article", "Pasted article", classes=["block-label", "article-label"])
    box.extend(nodes.paragraph(text, text, classes=["post-text"]) for text in parts)
    return box


def test_long_articles_fold_to_their_head_and_short_ones_do_not():
    long_article = _article(["Headline", "By A. Writer", "x " * 300, "More words here. " * 40, "The end."])
    assert fold(long_article, 1200)
    label, *head, more = long_article.children
    assert [p.astext() for p in head] == ["Headline", "By A. Writer", "x " * 300]
    assert more.tagname == "disclosure"
    summary = more.children[0].astext()
    assert summary.startswith("Show the full article (2 more paragraphs, 122 words)")
    assert [p.astext() for p in more.children[1:]] == ["More words here. " * 40, "The end."]
    short = _article(["Headline", "A short piece."])
    assert not fold(short, 1200) and len(short.children) == 3


def test_graph_escapes_names_and_shows_invisible_characters():
    people = [Person('<script>alert("x")</script>', 3, 'x.html?a=1&b="2"'), Person("evil\u202etxt.exe", 1),
              Person("visitor", 0, "v.html")]
    svg = render(people, [Edge(0, 1, 2), Edge(1, 0, 1), Edge(2, 2, 1)], "qg-t", "Who quoted whom")
    tree = lxml.etree.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert not tree.xpath("//s:script", namespaces=ns)
    labels = tree.xpath("//s:text/text()", namespaces=ns)
    assert labels[0] == '<script>alert("x")</script>'[:21] + "…" and labels[1] == "evil⟨U+202E⟩txt.exe"
    assert tree.xpath("//s:a/@href", namespaces=ns) == ['x.html?a=1&b="2"', "v.html"]
    assert len(tree.xpath("//s:path[contains(@class,'qg-edge')]", namespaces=ns)) == 3
    assert tree.xpath("//s:circle[contains(@class,'qg-visitor')]", namespaces=ns)
    assert "style=" not in svg


def test_overview_follows_imports_without_a_fresh_build(tmp_path, site_builder):
    """A thread added later appears in its neighbour's links and in a quoted member's graph after a plain rebuild."""
    src = make_site(tmp_path, EXAMPLES[:1], forum=FORUM, retrieved="2024-03-01")
    app, _ = site_builder(src)
    first = next(Path(app.outdir).glob("corpus/*/*.html"))
    assert not _html(first).xpath("//a[@class='next-page' or @class='prev-page']")
    import_captures([str(EXAMPLES[1])], src / "corpus", forum=FORUM, retrieved="2024-03-01")
    app, warnings = site_builder(src)
    assert warnings == ""
    assert _html(first).xpath("//a[@class='next-page' or @class='prev-page']")
