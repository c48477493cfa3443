"""citeproc-py's renderings kept between builds (`ext.cite.renderings`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, make_site, synthetic_captures
from ext.cite import render
from ext.cite.renderings import FILE, RENDERINGS, Renderings


def _style(tmp_path: Path, text: str = "") -> str:
    path = tmp_path / "style.csl"
    path.write_text(Path(render.style_file("apa")).read_text("utf-8") + text, "utf-8")
    return str(path)


def test_renderings_are_taken_up_only_from_the_same_styles(tmp_path):
    style = _style(tmp_path)
    kept = Renderings()
    kept.load(tmp_path, [style])
    assert kept.get(style, "{}", lambda: "made") == "made"
    kept.save(tmp_path)

    again = Renderings()
    again.load(tmp_path, [style])
    assert again.get(style, "{}", lambda: "made again") == "made"

    Path(style).write_text(Path(style).read_text("utf-8") + "<!-- edited -->", "utf-8")
    edited = Renderings()
    edited.load(tmp_path, [style])
    assert edited.get(style, "{}", lambda: "made again") == "made again"


def test_a_damaged_file_only_costs_time(tmp_path):
    style = _style(tmp_path)
    (tmp_path / FILE).write_bytes(b"not a pickle")
    kept = Renderings()
    kept.load(tmp_path, [style])
    assert kept.get(style, "{}", lambda: "made") == "made"


@pytest.mark.parametrize("parallel", [0, 2])
def test_a_page_read_again_takes_its_citations_from_the_last_build(tmp_path, site_builder, monkeypatch, parallel):
    """In a new process (nothing rendered yet) a thread page read again renders no citation anew, and the
    site is the same as before; also when the last build read its pages in parallel processes."""
    src = make_site(tmp_path, [*EXAMPLES, *synthetic_captures(tmp_path / "in", 48, seed=5)])
    monkeypatch.setattr(RENDERINGS, "known", {})
    app, _ = site_builder(src, parallel=parallel)
    page = next((src / "corpus").rglob("*.md"))
    out = Path(app.outdir, page.relative_to(src).with_suffix(".html"))
    before = out.read_text("utf-8")
    later = time.time() + 5
    os.utime(page, (later, later))

    rendered: list[str] = []
    real = render._citeproc
    monkeypatch.setattr(RENDERINGS, "known", {})  # as in a new process: nothing kept in memory
    monkeypatch.setattr(render, "_citeproc", lambda record, style: rendered.append(style) or real(record, style))
    render._printed_as.cache_clear()
    app, _ = site_builder(src)
    assert page.relative_to(src).with_suffix("").as_posix() in app.env.all_docs
    assert rendered == []
    assert out.read_text("utf-8") == before


@pytest.fixture(autouse=True)
def _fresh_probes():
    yield
    render._printed_as.cache_clear()
