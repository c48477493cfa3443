"""The site in a real browser (Chromium through Playwright): what a reader does, and no errors while doing it.

One site is built for the module — the real sample thread (where ../shared has it) and the bundled
example threads, with the articles page — and served over local HTTP. The subject thread is the
sample thread, or without it the example thread with the most quotes. A reader follows a quote to
its source and back, opens an entity page from a name in a post, copies a citation and a post's
link, lands on a post by its anchor (desktop and phone) and uses the page by keyboard; no page may
log a console error, throw, fail a request or violate the Content-Security-Policy. Screenshots of
the home page, the subject thread, an entity page and a participant page are saved to
``_build/screenshots/`` (``make screenshots`` copies them to ``docs/screenshots/`` for the README).
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from browser import serve
from conftest import EXAMPLES, ROOT, SAMPLE, make_site
from converters.importer import import_captures

SHOTS = ROOT / "_build" / "screenshots"
# The theme scrolls smoothly to a link's target unless the reader asks for less motion: the tests ask,
# to run fast, except where landing on a post is what they check.
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "reduced_motion": "reduce"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "reduced_motion": "reduce"}
SAMPLE_FORUM = "Time Bomb 2000"

# A card is "in view" once scrolling has settled (the same position two frames running) with its top
# inside the window and nothing (a sticky header) drawn over it: the point just inside the card's
# top-left corner belongs to the card. A page still being parsed after a navigation may not have the
# card yet: that is "not yet", not an error.
IN_VIEW = """id => {
  const el = document.getElementById(id);
  if (!el) return false;
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(Math.min(r.left + 12, innerWidth - 1), r.top + 6);
  const still = window.__lastScrollY === scrollY;
  window.__lastScrollY = scrollY;
  return still && r.top >= 0 && r.top < innerHeight - 48 && el.contains(hit);
}"""
HIGHLIGHT = """id => {
  const el = document.getElementById(id), s = getComputedStyle(el);
  return {target: el.matches(':target'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""


@dataclass
class Site:
    base: str
    outdir: Path
    thread: dict[str, Any]  # the subject thread as corpus.json has it

    def url(self, page: str, anchor: str = "") -> str:
        return self.base + page + (f"#{anchor}" if anchor else "")


def _subject(corpus: dict[str, Any]) -> dict[str, Any]:
    """The sample thread where it was imported, else the thread with the most quotes of corpus posts."""
    def quotes(thread: dict[str, Any]) -> int:
        return sum(1 for q in thread["quotes"] if q["source"])
    sample = [t for t in corpus["threads"] if t["forum"] == SAMPLE_FORUM]
    return sample[0] if sample else max(corpus["threads"], key=quotes)


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium) -> Iterator[Site]:
    src = make_site(tmp_path_factory.mktemp("browser"), [SAMPLE] if SAMPLE.exists() else [], forum=SAMPLE_FORUM,
                    retrieved="2023-06-01")
    import_captures([str(p) for p in EXAMPLES], src / "corpus", forum="Harbour Town Forum", retrieved="2024-03-01")
    (src / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "articles.md", src / "docs" / "articles.md")
    app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
        outdir = Path(app.outdir)
        corpus = json.loads((outdir / "corpus.json").read_text("utf-8"))
        with serve(outdir) as base:
            yield Site(base, outdir, _subject(corpus))
    finally:
        app.cleanup()


def _settle_on(page: Any, anchor: str) -> None:
    """Wait until the page has scrolled ``anchor``'s card into view; then it must be the highlighted target."""
    page.wait_for_function(f"location.hash === {json.dumps('#' + anchor)}")
    page.wait_for_function(IN_VIEW, arg=anchor, timeout=5000)
    state = page.evaluate(HIGHLIGHT, anchor)
    assert state["target"] and state["outline"] != "none" and state["width"] >= 2, state


def _internal_quote(thread: dict[str, Any]) -> tuple[str, str]:
    """A quote in the thread of another post of the same thread: (quoting post, quoted post)."""
    posts = {p["anchor"] for p in thread["posts"]}
    return next((q["post"], q["source"]) for q in thread["quotes"]
                if q["source"] in posts and q["source"] != q["post"])


def test_a_quote_leads_to_its_source_and_quoted_by_leads_back(site, open_page):
    quoting, source = _internal_quote(site.thread)
    page = open_page(site.url(site.thread["page"], quoting), **DESKTOP)
    _settle_on(page, quoting)
    page.locator(f'[id="{quoting}"] .quote-source a[href$="#{source}"]').first.click()
    _settle_on(page, source)
    page.locator(f'[id="{source}"] .post-quoted-by a[href$="#{quoting}"]').click()
    _settle_on(page, quoting)
    page.go_back()
    _settle_on(page, source)
    assert page.problems == []


def test_a_name_in_a_post_opens_its_register_page_which_leads_back_to_the_post(site, open_page):
    page = open_page(site.url(site.thread["page"]), **DESKTOP)
    mention = page.locator(".forum-post .post-body p.post-text a.mention").first
    card = mention.evaluate("a => a.closest('.forum-post').id")
    name = mention.get_attribute("title").rsplit(" (", 1)[0]  # "Peru (place)"
    mention.click()
    page.wait_for_url("**/register/**")
    assert page.locator("article[role=main] h1").inner_text().strip() == name
    page.locator(f'a.kwic-name[href$="#{card}"]').first.click()  # the mention, in context, links to its post
    _settle_on(page, card)
    assert page.url.split("#")[0] == site.url(site.thread["page"])
    assert page.problems == []


def test_copying_a_citation_and_a_post_link(site, open_page):
    anchor = site.thread["posts"][1]["anchor"]
    page = open_page(site.url(site.thread["page"], anchor), permissions=["clipboard-read", "clipboard-write"], **DESKTOP)
    card = page.locator(f'[id="{anchor}"]')
    card.locator("button.post-copy-link").click()
    page.wait_for_function(f"navigator.clipboard.readText().then(t => t.endsWith({json.dumps('#' + anchor)}))")
    assert page.evaluate("navigator.clipboard.readText()") == site.url(site.thread["page"], anchor)
    card.locator("p.cite-post > a").click()  # to the post's entry on the thread's citation page
    page.wait_for_url(f"**/citations/**#{anchor}")
    entry = page.locator(f'section[id="{anchor}"]')
    assert entry.evaluate("e => e.matches(':target')")
    apa = entry.locator("p.cite-text").first
    expected = apa.inner_text().strip()
    button = apa.locator("xpath=preceding-sibling::button[1]")
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == expected and anchor in copied and site.thread["title"] in copied
    entry.locator("h2 > a").click()  # and back to the post
    _settle_on(page, anchor)
    assert page.problems == []


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_post_loaded_by_its_anchor_is_in_view_and_highlighted(site, open_page, device):
    posts = site.thread["posts"]
    anchor = posts[len(posts) // 2]["anchor"]
    page = open_page(site.url(site.thread["page"], anchor), **{**device, "reduced_motion": "no-preference"})
    _settle_on(page, anchor)  # on the phone the theme's header sticks to the top: the card must be below it
    assert page.problems == []


def test_pages_work_by_keyboard(site, open_page):
    page = open_page(site.url(site.thread["page"]), **DESKTOP)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    cite = page.locator("details.cite-thread > summary").first
    cite.focus()
    page.keyboard.press("Enter")
    assert cite.evaluate("s => s.parentElement.open")
    folded = page.locator("details.article-more > summary")
    if folded.count():  # a long pasted article: folded, and opened by keyboard
        assert not folded.first.evaluate("s => s.parentElement.open")
        folded.first.focus()
        page.keyboard.press("Enter")
        assert folded.first.evaluate("s => s.parentElement.open")
    page.locator(".thread-overview .ov-participants a").last.focus()
    members = page.locator(".thread-overview .ov-discussed a").count()
    for _ in range(members + 1):  # past the most-discussed names, into the quote graph
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg.qg') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/members/**")
    assert page.problems == []


def _pages(site: Site, page: Any) -> dict[str, str]:
    """Home, subject thread, an entity and a participant page (the thread's first most-discussed name and member)."""
    page.goto(site.url(site.thread["page"]))
    return {"home": "index.html", "thread": site.thread["page"],
            "entity": _target(page, ".ov-discussed a"), "participant": _target(page, ".ov-participants a")}


def _target(page: Any, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    return page.evaluate("h => new URL(h, location.href).pathname.slice(1)", href)


def test_no_page_logs_an_error_fails_a_request_or_breaks_the_policy(site, open_page):
    page = open_page(site.url("index.html"), **DESKTOP)
    pages = [*_pages(site, page).values(), "register/index.html", "register/people.html", "docs/articles.html",
             "search.html?q=harbour"]
    for name in pages:
        page.goto(site.url(name))
        if name.startswith("search"):
            page.wait_for_load_state("networkidle")  # the search index loads, and results are shown, after "load"
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, name
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_on_a_phone_in_light_and_dark(site, open_page, scheme):
    page = open_page(site.url("index.html"), color_scheme=scheme, **PHONE)
    for name in _pages(site, page).values():
        page.goto(site.url(name))
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), f"{name} scrolls sideways"
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        dark = sum(int(c) for c in body[body.index("(") + 1 : body.index(")")].split(",")[:3]) < 3 * 80
        assert dark == (scheme == "dark"), (name, body)
    assert page.problems == []


def test_screenshots(site, open_page):
    """The pictures the README shows: home, the subject thread, an entity page, a participant page, the thread on a phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(site.url("index.html"), **DESKTOP)
    for name, target in _pages(site, page).items():
        page.goto(site.url(target))
        page.screenshot(path=SHOTS / f"{name}.png")
    phone = open_page(site.url(site.thread["page"], site.thread["posts"][1]["anchor"]), color_scheme="dark", **PHONE)
    _settle_on(phone, site.thread["posts"][1]["anchor"])
    phone.screenshot(path=SHOTS / "thread-phone-dark.png")
    for name in ("home", "thread", "entity", "participant", "thread-phone-dark"):
        assert (SHOTS / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.problems == [] and phone.problems == []
