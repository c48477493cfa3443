"""Shared fixtures: the real sample thread (from ../shared), temporary corpora and Sphinx builds."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from converters.importer import import_captures  # noqa: E402

pytest_plugins = ("sphinx.testing.fixtures", "browser")  # browser.py: Chromium + a local HTTP server

SAMPLE = ROOT.parent / "shared" / "samples" / "000_93126ad562984980.txt"
EXAMPLES = sorted((ROOT / "examples" / "harbour-town").glob("*.txt"))
# Lines tests want printed at the end of the run (the hostile-input suite's payload counts).
SUMMARY: list[str] = []


def pytest_addoption(parser) -> None:
    parser.addoption("--huge", action="store_true", help="also run the huge-input tests (minutes; make test-huge)")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``huge`` (a 5 MB post, a 1 MB line, a 20,000-post thread) run only with --huge."""
    if config.getoption("--huge"):
        return
    skip = pytest.mark.skip(reason="huge inputs: make test runs them in a second process (pytest --huge, or make test-huge)")
    for item in items:
        if "huge" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter) -> None:
    if SUMMARY:
        terminalreporter.section("summary")
        for line in SUMMARY:
            terminalreporter.write_line(line)


@pytest.fixture
def sample() -> Path:
    """The real captured thread; it lives outside the repo, so tests skip where it is absent."""
    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    return SAMPLE


def make_site(tmp_path: Path, captures: list[Path], forum: str = "Test Forum", **kwargs) -> Path:
    """A site source folder: the project's conf.py and home page, with ``captures`` imported."""
    src = tmp_path / "site"
    src.mkdir(parents=True)
    shutil.copy(ROOT / "conf.py", src / "conf.py")
    shutil.copy(ROOT / "index.md", src / "index.md")
    if captures:
        import_captures([str(c) for c in captures], src / "corpus", forum=forum, **kwargs)
    return src


def json_capture(folder: Path, title: str, posts: list[dict]) -> Path:
    """A thread in the JSON thread format, of the given posts, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    slug = title.lower().replace(" ", "-")
    thread = {"format": "forum-thread", "version": 1, "title": title, "forum": "Harbour Town Forum",
              "url": f"https://forum.example/t/{slug}", "posts": posts}
    path = folder / f"{slug}.json"
    path.write_text(json.dumps(thread), "utf-8")
    return path


def synthetic_captures(folder: Path, posts: int, seed: int) -> list[Path]:
    """A few synthetic threads (quotes, pasted articles, names), as text dumps."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, thread in enumerate(generate.Generator(seed).corpus(posts, per_thread=6)):
        paths.append(folder / f"synthetic-{seed}-{i}.txt")
        paths[-1].write_text(generate.textdump(thread), "utf-8")
    return paths


@pytest.fixture
def site_builder(make_app):
    """Build a site folder with Sphinx's test app; returns (app, warnings text)."""

    def build(src: Path, parallel: int = 0, **kwargs):
        app = make_app("html", srcdir=src, parallel=parallel, freshenv=kwargs.pop("freshenv", False), **kwargs)
        app.build()
        # A second app in one test re-registers Sphinx's own nodes; that notice is not about our build.
        lines = [w for w in app.warning.getvalue().splitlines() if "is already registered" not in w]
        return app, "\n".join(lines)

    return build
