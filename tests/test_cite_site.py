"""Citing posts on the built site: the cite control, exports, meta tags, intersphinx links, stability."""

from __future__ import annotations

import json
from io import StringIO

import jsonschema
import lxml.html
import pybtex.database
import pytest
import rispy
from sphinx.testing.util import SphinxTestApp

from conftest import EXAMPLES, ROOT, SAMPLE, make_site
from converters.importer import import_captures
from ext.cite.render import render_text

BASE = "https://corpus.example/"
THREAD_PAGE = "corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html"
TITLE = "Why is the US Military sending personnel to Peru?"
CSL_SCHEMA = json.loads((ROOT / "schemas" / "csl-data.json").read_text("utf-8"))
SEP = "\n\u00a0\n"


def _build(src, parallel: int = 0, **confoverrides) -> tuple[SphinxTestApp, str]:
    app = SphinxTestApp("html", srcdir=src, confoverrides=confoverrides, status=StringIO(), warning=StringIO(),
                        parallel=parallel)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = [w for w in app.warning.getvalue().splitlines() if "is already registered" not in w]
    return app, "\n".join(warnings)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The real sample thread, built once for this module with absolute URLs."""
    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    src = make_site(tmp_path_factory.mktemp("cite"), [SAMPLE], forum="Time Bomb 2000", retrieved="2023-06-01")
    app, warnings = _build(src, forum_base_url=BASE)
    assert warnings == ""
    return app


def _page(app, page: str = THREAD_PAGE):
    return lxml.html.parse(str(app.outdir / page)).getroot()


def _citations_of(app, page: str, card):
    """The entry on the citation page that a post card's "Cite" link leads to."""
    (href,) = card.xpath("p[contains(@class,'cite-post')]/a/@href")
    path, anchor = href.split("#")
    target = (app.outdir / page).parent / path
    (entry,) = lxml.html.parse(str(target)).getroot().xpath(f"//section[@id='{anchor}']")
    assert anchor == card.get("id")
    return entry


def _cite_texts(app, page: str, card) -> dict[str, str]:
    """Label -> text of each entry of a post's citations (its card's "Cite" link leads to them)."""
    out = {}
    for entry in _citations_of(app, page, card).xpath("div[contains(@class,'cite-entry')]"):
        label = entry.xpath("string(p[@class='cite-label'])")
        body = entry.xpath("p[contains(@class,'cite-text')] | .//pre")
        out[label] = body[0].text_content().strip() if body else ""
    return out


def test_every_post_has_a_cite_link_to_citations_matching_the_style_guides(sample_site):
    cards = _page(sample_site).xpath("//div[contains(@class,'forum-post')]")
    assert len(cards) == 23 and all(_citations_of(sample_site, THREAD_PAGE, c) is not None for c in cards)
    card = cards[6]
    anchor = card.get("id")
    url = f"{BASE}{THREAD_PAGE}#{anchor}"
    texts = _cite_texts(sample_site, THREAD_PAGE, card)
    entry = _citations_of(sample_site, THREAD_PAGE, card)
    assert list(texts) == ["APA 7", "MLA 9", "Chicago 18 (note)", "BibTeX", "RIS", "CSL-JSON"]
    # Forum posts: user name as author; thread title; forum; date or n.d.; URL with the post's anchor.
    assert texts["APA 7"] == (f"night driver. (n.d.). {TITLE} [Online forum post]. Time Bomb 2000. "
                              f"Retrieved June 1, 2023, from {url}")
    assert texts["MLA 9"] == (f"night driver. “{TITLE}” Online forum post. Time Bomb 2000, {url}. "
                              "Accessed 1 June 2023.")
    assert texts["Chicago 18 (note)"] == (f"night driver, “{TITLE},” online forum post, Time Bomb 2000, n.d., "
                                          f"accessed June 1, 2023, {url}.")
    assert entry.xpath("string(.//div[p='APA 7']//em)") == TITLE
    assert entry.xpath("string(.//div[p='MLA 9']//em)") == "Time Bomb 2000"
    assert entry.xpath(".//p[@class='cite-link']/a/@href") == [url]
    back = entry.xpath("h2/a/@href")[0]
    assert back.endswith(f"{THREAD_PAGE}#{anchor}") and entry.xpath("string(h2)") == f"night driver, post 7 in “{TITLE}”"
    # The thread's own control is on its page, with the citation in each style.
    thread = _page(sample_site).xpath("//details[contains(@class,'cite-thread')]")[0]
    assert [p.text for p in thread.xpath(".//div[contains(@class,'cite-entry')]/p[@class='cite-label']")] == [
        "APA 7", "MLA 9", "Chicago 18 (note)", "BibTeX", "RIS", "CSL-JSON"]
    # What the page shows is citeproc-py's rendering of the CSL-JSON the site exports.
    records = json.loads((sample_site.outdir / "citations" / "corpus.csl.json").read_text("utf-8"))
    record = next(r for r in records if r["id"] == anchor)
    assert render_text(record, "apa") == texts["APA 7"]
    assert render_text(record, "chicago-notes") == texts["Chicago 18 (note)"]
    assert json.loads(texts["CSL-JSON"]) == [record]


def test_cite_control_works_without_script_and_is_not_indexed(sample_site):
    page = _page(sample_site)
    assert page.xpath("//script[contains(@src,'cite.js')]")
    assert not [s for s in page.xpath("//script[not(@src)]") if "cite" in (s.text or "")]
    assert not page.xpath("//*[@*[starts-with(name(), 'on')]]")  # no inline event handlers
    search = (sample_site.outdir / "searchindex.js").read_text("utf-8")
    assert "titleaddon" not in search  # the citations (here a BibTeX field name) are not search terms


def test_exports_parse_validate_and_load(sample_site):
    folder = sample_site.outdir / "citations"
    stem = folder / "time-bomb-2000" / "why-is-the-us-military-sending-personnel-to-peru"
    anchors = [c.get("id") for c in _page(sample_site).xpath("//div[contains(@class,'forum-post')]")]
    for path in (folder / "corpus", stem):
        records = json.loads(path.with_name(path.name + ".csl.json").read_text("utf-8"))
        jsonschema.validate(records, CSL_SCHEMA)
        posts = [r["id"] for r in records if r["type"] == "post"]
        assert posts == anchors
        bib = pybtex.database.parse_file(str(path.with_name(path.name + ".bib")), "bibtex")
        assert list(bib.entries) == [r["id"] for r in records]
        assert {bib.entries[a].type for a in anchors} == {"online"}
        assert bib.entries[anchors[0]].fields["url"] == f"{BASE}{THREAD_PAGE}#{anchors[0]}"
        ris = rispy.loads(path.with_name(path.name + ".ris").read_text("utf-8"))
        assert [r["id"] for r in ris] == [r["id"] for r in records]
        assert ris[1]["authors"] == ["Melodi"] and ris[1]["title"] == TITLE
    # Pasted articles (traced by the converter) are cited on the posts that carry them.
    thread, *rest = json.loads(stem.with_name(stem.name + ".csl.json").read_text("utf-8"))
    articles = [r for r in rest if r["type"] != "post"]
    citations = lxml.html.parse(str(stem.with_name(stem.name + ".html"))).getroot()
    shown = citations.xpath("//div[contains(@class,'cite-article')]/p[@class='cite-label']/text()")
    assert thread["type"] == "webpage" and thread["title"] == TITLE
    assert set(shown) == {f"Pasted article: {r.get('title') or r['URL']}" for r in articles} != set()
    home = _page(sample_site, "index.html")
    assert home.xpath("//p[@class='corpus-downloads']/a/@href") == [
        "corpus.json", "citations/corpus.bib", "citations/corpus.ris", "citations/corpus.csl.json"]


def test_thread_page_has_citation_meta_tags(sample_site):
    head = _page(sample_site).xpath("//head")[0]
    meta = {m.get("name"): m.get("content") for m in head.xpath("meta[starts-with(@name,'citation_')]")}
    assert meta == {"citation_title": TITLE, "citation_author": "Melodi", "citation_publisher": "Time Bomb 2000",
                    "citation_public_url": BASE + THREAD_PAGE}
    assert not _page(sample_site, "index.html").xpath("//meta[starts-with(@name,'citation_')]")


def test_another_sphinx_project_links_to_posts_through_intersphinx(sample_site, tmp_path):
    """A project without our extension: {ref}, external roles and MyST <inv:...> links resolve to the anchor."""
    anchors = [c.get("id") for c in _page(sample_site).xpath("//div[contains(@class,'forum-post')]")]
    src = tmp_path / "essay"
    src.mkdir()
    inventory = sample_site.outdir / "objects.inv"
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx.ext.intersphinx"]\n'
        f'intersphinx_mapping = {{"tb2k": ({BASE!r}, {str(inventory)!r})}}\n', "utf-8")
    (src / "index.md").write_text(
        "# Essay\n\n"
        f"As {{ref}}`{anchors[6]}` put it; see also {{ref}}`the opening post <{anchors[0]}>`,\n"
        f"{{external+tb2k:ref}}`{anchors[2]}` and [a MyST link](<inv:tb2k:std:label#{anchors[3]}>).\n", "utf-8")
    app, warnings = _build(src)
    assert warnings == ""
    found = _page(app, "index.html").xpath("//a[@class='reference external']")
    links = {a.text_content(): a.get("href") for a in found}
    assert links[f"night driver, post 7 in “{TITLE}”"] == f"{BASE}{THREAD_PAGE}#{anchors[6]}"
    assert links["the opening post"] == f"{BASE}{THREAD_PAGE}#{anchors[0]}"
    assert links[f"Melodi, post 3 in “{TITLE}”"] == f"{BASE}{THREAD_PAGE}#{anchors[2]}"
    assert links["a MyST link"] == f"{BASE}{THREAD_PAGE}#{anchors[3]}"


def test_citations_never_change_when_the_thread_grows(tmp_path):
    """Re-import a later capture (more posts, later retrieval date): every existing post cites the same.

    Built in parallel and incrementally: citations are rendered while pages are read, URLs filled in
    when they are written (a new base URL re-writes them without re-reading).
    """
    capture = next(e for e in EXAMPLES if e.name == "ferry-timetable.txt")
    src = make_site(tmp_path, [capture], forum="Harbour Town Forum", retrieved="2024-03-01")
    page = "corpus/harbour-town-forum/winter-ferry-timetable-to-st-elwyn-from-4-november.html"
    app, warnings = _build(src, parallel=2, forum_base_url=BASE)
    assert warnings == ""
    before = {c.get("id"): _cite_texts(app, page, c) for c in _page(app, page).xpath("//div[contains(@class,'forum-post')]")}
    parts = capture.read_text("utf-8").split(SEP)
    later = tmp_path / "later.txt"
    later.write_text(SEP.join(parts[:-1] + ["\nnewcomer\n\nNew Member\nIs the 17:30 back in spring?"] + parts[-1:]),
                     "utf-8")
    import_captures([str(later)], src / "corpus", forum="Harbour Town Forum", retrieved="2024-06-15")
    app, warnings = _build(src, parallel=2, forum_base_url=BASE)
    assert warnings == "" and "0 added, 1 changed, 0 removed" in app.status.getvalue()
    after = {c.get("id"): _cite_texts(app, page, c) for c in _page(app, page).xpath("//div[contains(@class,'forum-post')]")}
    assert len(after) == len(before) + 1
    assert {anchor: after[anchor] for anchor in before} == before
    (new,) = set(after) - set(before)
    assert "Retrieved June 15, 2024" in after[new]["APA 7"]
    moved, _ = _build(src, forum_base_url="https://mirror.example/")
    assert "0 added, 0 changed, 0 removed" in moved.status.getvalue()
    texts = _cite_texts(moved, page, _page(moved, page).xpath(f"//div[@id='{new}']")[0])
    assert texts["MLA 9"].endswith(f"https://mirror.example/{page}#{new}. Accessed 15 June 2024.")


def test_a_misspelt_citation_style_stops_the_build_at_start(tmp_path):
    from sphinx.errors import ConfigError

    src = make_site(tmp_path, [])
    with pytest.raises(ConfigError, match="forum_citation_styles\\['Harvard'\\]: no CSL style 'harvard-typo'"):
        SphinxTestApp("html", srcdir=src, confoverrides={"forum_citation_styles": {"Harvard": "harvard-typo"}},
                      status=StringIO(), warning=StringIO())
