"""Incremental builds: after an import, rebuilding the built site gives exactly the HTML of a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench import generate
from conftest import EXAMPLES, make_site
from converters.importer import import_captures
from ext.register.pages import Pages


def _synthetic(folder: Path, posts: int, seed: int) -> list[Path]:
    """A few synthetic threads (quotes, pasted articles, names), as text dumps."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, thread in enumerate(generate.Generator(seed).corpus(posts, per_thread=6)):
        paths.append(folder / f"synthetic-{seed}-{i}.txt")
        paths[-1].write_text(generate.textdump(thread), "utf-8")
    return paths


def _pages(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.suffix in (".html", ".json", ".js", ".inv", ".bib", ".ris") and "_static" not in p.parts}


def test_rebuild_after_import_equals_clean_build(tmp_path, site_builder):
    first = [EXAMPLES[0], *_synthetic(tmp_path / "in", 14, seed=1)]
    src = make_site(tmp_path, first, forum="Harbour Town Forum", retrieved="2024-03-01")
    site_builder(src, parallel=2)
    # A second import: a new thread of the same forum, more synthetic threads, and a re-import.
    later = [EXAMPLES[1], *_synthetic(tmp_path / "in2", 10, seed=2), EXAMPLES[0]]
    import_captures([str(p) for p in later], src / "corpus", forum="Harbour Town Forum", retrieved="2024-03-01")
    incremental, warnings = site_builder(src, parallel=2)
    assert "added" in incremental.status.getvalue()

    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean, _ = site_builder(clean_src, freshenv=True)
    got, want = _pages(incremental.outdir), _pages(clean.outdir)
    assert sorted(got) == sorted(want)
    differ = [name for name in want if got[name] != want[name]]
    assert differ == [], f"pages that differ from a clean build: {differ}"


def test_a_rebuild_makes_only_the_register_pages_whose_inputs_changed(tmp_path, site_builder, monkeypatch):
    src = make_site(tmp_path, _synthetic(tmp_path / "in", 30, seed=11), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    site_builder(src)
    made: list[str] = []
    real = Pages.entry_page
    monkeypatch.setattr(Pages, "entry_page", lambda self, key: made.append(key) or real(self, key))
    app, _ = site_builder(src)  # nothing changed: no entry page is made
    assert made == []

    first_read = max(app.env.all_docs.values())
    new = _synthetic(tmp_path / "in2", 6, seed=12)
    import_captures([str(p) for p in new], src / "corpus", forum="Harbour Town Forum", retrieved="2024-03-01")
    app, _ = site_builder(src)
    read = {d for d, t in app.env.all_docs.items() if t > first_read}
    named_there = {m["entity"] for post in app.env.domains["forum"].posts.values() if post["docname"] in read
                   for block in post["blocks"] for leaf in block.get("blocks") or [block]
                   for m in leaf.get("mentions", [])}
    entries = app.env.domains["register"].view
    print(f"{len(made)} of {len(entries)} entry pages made; {len(read)} docs read; not named there: "
          f"{sorted(set(made) - named_there)}")
    assert made and set(made) <= named_there and len(made) < len(entries)
