"""The build-time guard: a corpus page that would load, include or run something is neutralised and reported.

Converter-written pages never contain such markup (tests/test_hostile.py checks that); this is the
second line of defence, for a page edited by hand or a converter bug. The page under test is
tests/fixtures/hostile-pages/evil.md; a canary file lies outside the site's source folder.
"""

from __future__ import annotations

import shutil

import lxml.html
import pytest

from conftest import ROOT, make_site

EVIL = ROOT / "tests" / "fixtures" / "hostile-pages" / "evil.md"
CANARY = "CANARY-5d0c-guard-outside-the-corpus"


@pytest.fixture
def evil_site(tmp_path, site_builder):
    (tmp_path / "canary.txt").write_text(CANARY, "utf-8")
    (tmp_path / "canary.png").write_text(CANARY, "utf-8")
    src = make_site(tmp_path, [])
    (src / "corpus" / "hand").mkdir(parents=True)
    shutil.copy(EVIL, src / "corpus" / "hand" / "evil.md")
    (src / "docs").mkdir()
    (src / "docs" / "essay.md").write_text("# Essay\n\n![a chart](chart.png)\n\n[a link](https://example.org/)\n", "utf-8")
    shutil.copy(tmp_path / "canary.png", src / "docs" / "chart.png")
    app, warnings = site_builder(src)
    return app, warnings


def test_each_foreign_construct_is_reported_with_page_and_line(evil_site):
    _, warnings = evil_site
    guard = [w for w in warnings.splitlines() if "[forum.guard]" in w]
    # (MyST itself refuses Markdown links to javascript:, vbscript:, data: and file: URLs.)
    for what in ("an image", "a file download", "a page <meta> tag", "math", "javascript: URL", "data: URL"):
        assert any(what in w for w in guard), f"{what} not reported:\n{warnings}"
    assert all("corpus/hand/evil.md:" in w and "ERROR" in w for w in guard), guard


def test_nothing_outside_the_corpus_reaches_the_site(evil_site):
    app, _ = evil_site
    out = app.outdir
    assert not list((out / "_downloads").rglob("*")) and not [p for p in (out / "_images").rglob("*")
                                                              if "chart" not in p.name]
    assert not [p for p in out.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()
                and "_images" not in p.parts], "the canary reached the site"


def test_the_page_keeps_its_text_and_loses_its_markup(evil_site):
    app, _ = evil_site
    page = lxml.html.parse(str(app.outdir / "corpus" / "hand" / "evil.html")).getroot()
    main = page.xpath("//article[@role='main']")[0]
    assert not main.xpath(".//img | .//script | .//iframe | .//math | .//*[contains(@class,'math')]")
    assert not page.xpath("//meta[@http-equiv='refresh']") and "mathjax" not in lxml.html.tostring(page, encoding=str).lower()
    hrefs = main.xpath(".//a/@href")
    assert "https://example.org/" in hrefs
    assert not [h for h in hrefs if h.split(":")[0].lower() in ("javascript", "data", "vbscript")], hrefs
    removed = main.xpath(".//*[contains(@class,'guard-removed')]")
    assert len(removed) >= 8 and "click" in main.text_content()


def test_pages_outside_the_corpus_are_not_touched(evil_site):
    """Essays under docs/ are the site's own writing: their images stay."""
    app, warnings = evil_site
    essay = lxml.html.parse(str(app.outdir / "docs" / "essay.html")).getroot()
    assert essay.xpath("//img[contains(@src, 'chart')]")
    assert "docs/essay" not in warnings
