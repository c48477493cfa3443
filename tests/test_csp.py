"""The strict Content-Security-Policy: every page carries it, and the sample site works under it in Chromium."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import pytest
from sphinx.testing.util import SphinxTestApp

from browser import serve
from conftest import SAMPLE, make_site

POLICY = "//meta[@http-equiv='Content-Security-Policy']/@content"


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    src = make_site(tmp_path_factory.mktemp("csp"), [SAMPLE], forum="Time Bomb 2000", retrieved="2023-06-01")
    app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir)


def _one_page_per_kind(out: Path) -> list[str]:
    """A page of every folder of the site (thread pages, register entries, members ...) and the top pages."""
    pages: dict[str, str] = {}
    for page in sorted(out.rglob("*.html")):
        rel = page.relative_to(out).as_posix()
        pages.setdefault(rel if "/" not in rel else rel.rsplit("/", 1)[0], rel)
    return sorted(pages.values())


def test_every_page_has_the_policy_before_any_script_or_style(sample_out):
    for page in sample_out.rglob("*.html"):
        head = lxml.html.parse(str(page)).getroot().find("head")
        (policy,) = head.xpath(POLICY)
        assert policy.startswith("default-src 'none'; script-src 'self'"), page
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        order = [el.get("http-equiv") or el.tag for el in head if el.tag in ("meta", "script", "style", "link")]
        assert order.index("Content-Security-Policy") < min(order.index(t) for t in ("script", "style", "link")
                                                            if t in order), f"{page}: the policy must come first"


def test_sample_site_shows_no_csp_violation_in_chromium(sample_out, open_page):
    pages = _one_page_per_kind(sample_out)
    assert len(pages) >= 5, pages
    with serve(sample_out) as base:
        for rel in pages:
            page = open_page(base + rel)
            page.wait_for_load_state("networkidle")
            assert page.problems == [], f"{rel}: {page.problems}"
        search = open_page(base + "search.html?q=Peru")
        search.wait_for_selector("#search-results ul.search li", timeout=20_000)
        search.wait_for_load_state("networkidle")
        assert search.problems == [], search.problems
        assert search.locator("#search-results ul.search li").count() > 0


def test_the_policy_blocks_script_that_is_not_the_sites(sample_out, open_page):
    """An inline script added to a page (what an injection would be) does not run, and is reported."""
    thread = next(p for p in _one_page_per_kind(sample_out) if p.startswith("corpus/"))
    with serve(sample_out) as base:
        page = open_page(base + thread)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
                      " document.body.appendChild(s); }")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.pwned") is None
        assert any("Content Security Policy" in p or "CSP violation" in p for p in page.problems), page.problems
