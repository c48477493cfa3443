"""Incremental builds: after an import, rebuilding the built site gives exactly the HTML of a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES, make_site, synthetic_captures
from converters.importer import import_captures
from ext.register.pages import Pages


def _pages(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.suffix in (".html", ".json", ".js", ".inv", ".bib", ".ris") and "_static" not in p.parts}


def test_rebuild_after_import_equals_clean_build(tmp_path, site_builder):
    first = [EXAMPLES[0], *synthetic_captures(tmp_path / "in", 14, seed=1)]
    src = make_site(tmp_path, first, forum="Harbour Town Forum", retrieved="2024-03-01")
    site_builder(src, parallel=2)
    # A second import: a new thread of the same forum, more synthetic threads, and a re-import.
    later = [EXAMPLES[1], *synthetic_captures(tmp_path / "in2", 10, seed=2), EXAMPLES[0]]
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
    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 30, seed=11), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    site_builder(src)
    made: list[str] = []
    real = Pages.entry_page
    monkeypatch.setattr(Pages, "entry_page", lambda self, key, *rest: made.append(key) or real(self, key, *rest))
    listed: list[str] = []  # A–Z index pages made
    real_section = Pages.letter_section
    monkeypatch.setattr(Pages, "letter_section", lambda self, *args: listed.append(args[1]) or real_section(self, *args))
    app, _ = site_builder(src)  # nothing changed: no entry or index page is made
    assert made == [] and listed == []

    first_read = max(app.env.all_docs.values())
    new = synthetic_captures(tmp_path / "in2", 6, seed=12)
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
    assert listed  # new entries are listed


def test_an_entry_renamed_in_another_document_is_renamed_on_the_pages_naming_it_alongside(tmp_path, site_builder):
    """Entry X is named in documents A and B; Y is named with X in a post of B but nowhere in A. A renames X (the
    first document wins): Y's page lists X under "Often named with", so it changes though none of its documents did."""
    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 40, seed=21), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    app, _ = site_builder(src)
    forum, register = app.env.domains["forum"], app.env.domains["register"]
    docs_of: dict[str, set[str]] = {}
    with_of: dict[tuple[str, str], set[str]] = {}  # (entry, document) → entries named with it in a post there
    for post in forum.posts.values():
        keys = {m["entity"] for block in post["blocks"] for leaf in block.get("blocks") or [block]
                for m in leaf.get("mentions", []) if block["kind"] != "quote"}
        for key in keys:
            docs_of.setdefault(key, set()).add(post["docname"])
            with_of.setdefault((key, post["docname"]), set()).update(keys - {key})
    x, first, y = next((x, min(docs), y) for x, docs in sorted(docs_of.items()) if len(docs) > 1
                       for doc in sorted(docs)[1:] for y in sorted(with_of[(x, doc)])
                       if min(docs) not in docs_of[y] and y in register.view and x in register.view)
    page = Path(app.env.doc2path(first))
    old = register.view[x]["name"]
    text = page.read_text("utf-8")
    block = text.index(f"```{{register-entry}} {x}\n")
    renamed = text[:block] + text[block:].replace(f':name: "{old}"', f':name: "{old} Renamed"', 1)
    assert renamed != text
    page.write_text(renamed, "utf-8")

    incremental, _ = site_builder(src)
    y_page = Path(incremental.outdir, "register", f"{y}.html").read_text("utf-8")
    assert f"{old} Renamed" in y_page
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean, _ = site_builder(clean_src, freshenv=True)
    got, want = _pages(incremental.outdir), _pages(clean.outdir)
    assert [name for name in want if got.get(name) != want[name]] == []


def test_a_post_edited_remakes_only_the_entry_pages_of_what_that_post_names(tmp_path, site_builder, monkeypatch):
    """A page read again because one post changed: the entries named only in its other posts keep their pages."""
    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 30, seed=31), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    app, _ = site_builder(src)
    forum = app.env.domains["forum"]
    named: dict[str, set[str]] = {
        anchor: {m["entity"] for block in post["blocks"] for leaf in block.get("blocks") or [block]
                 for m in leaf.get("mentions", [])} for anchor, post in forum.posts.items()}
    anchor, post = next((a, p) for a, p in sorted(forum.posts.items())
                        if any(named[b] - named[a] for b in forum.threads[p["thread"]]["order"]))
    elsewhere = {k for b in forum.threads[post["thread"]]["order"] for k in named[b]} - named[anchor]
    page = Path(app.env.doc2path(post["docname"]))
    text = page.read_text("utf-8")
    line = text.index("\n| ", text.index(f"{{post}} {anchor}\n")) + 1  # the post's first line of text
    end = text.index("\n", line)
    page.write_text(text[:end] + " (edited)" + text[end:], "utf-8")  # after the text: no mention moves

    made: list[str] = []
    real = Pages.entry_page
    monkeypatch.setattr(Pages, "entry_page", lambda self, key, *rest: made.append(key) or real(self, key, *rest))
    incremental, _ = site_builder(src)
    assert set(made) <= named[anchor]
    assert elsewhere and not elsewhere & set(made)
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean, _ = site_builder(clean_src, freshenv=True)
    got, want = _pages(incremental.outdir), _pages(clean.outdir)
    assert [name for name in want if got.get(name) != want[name]] == []


def test_with_j_a_small_update_is_read_and_written_serially_and_a_large_one_in_parallel(tmp_path, site_builder,
                                                                                      monkeypatch):
    """`ext.readmode`: a parallel reader sends the whole environment back, which costs more than a few pages."""
    from sphinx.builders import Builder

    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 48, seed=41), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    used: list[str] = []
    for name in ("_read_parallel", "_write_parallel"):
        real = getattr(Builder, name)
        monkeypatch.setattr(Builder, name, lambda self, *a, _real=real, _name=name, **k: used.append(_name)
                            or _real(self, *a, **k))
    overrides = {"forum_parallel_read_from": 3}  # read in parallel from 6 pages with -j 2
    site_builder(src, parallel=2, confoverrides=overrides)
    assert used == ["_read_parallel", "_write_parallel"]

    page = sorted((src / "corpus").rglob("*.md"))[0]
    text = page.read_text("utf-8")
    line = text.index("\n| ") + 1
    end = text.index("\n", line)
    page.write_text(text[:end] + " (edited)" + text[end:], "utf-8")
    used.clear()
    app, _ = site_builder(src, parallel=2, confoverrides=overrides)
    assert used == [] and app.parallel == 2  # serial for that build only
    html = Path(app.outdir, page.relative_to(src).with_suffix(".html")).read_text("utf-8")
    assert "(edited)" in html
