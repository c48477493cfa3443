"""Directives exactly as the converter writes them are read without MyST (`ext.written`); the site must be
the same as when MyST reads every one of them."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from conftest import make_site, synthetic_captures
from hostile import payloads

from ext import directives, written
from ext.register import directives as register_directives


def _hostile_thread(folder: Path) -> Path:
    """One thread whose posts carry every hostile payload as their text, with a link over the whole of it."""
    posts = [{"author": f"member {k}", "blocks": [
        {"kind": "text", "text": p.text}, {"kind": "quote", "text": p.text, "meta": {"author": "x"}}]}
        for k, p in enumerate(payloads()) if p.text.strip()]
    path = folder / "hostile.json"
    path.write_text(json.dumps({"format": "forum-thread", "version": 1, "title": "Hostile", "forum": "F",
                                "retrieved": "2024-01-01", "posts": posts}), "utf-8")
    return path


def _built(app) -> tuple[dict[str, str], dict, dict]:
    """Every doctree as text (paths made relative), and the forum and register domains' data."""
    root = Path(app.doctreedir)
    trees = {str(f.relative_to(root)): pickle.loads(f.read_bytes()).pformat().replace(str(app.srcdir), "SRC")
             for f in sorted(root.rglob("*.doctree"))}
    return trees, app.env.domaindata["forum"], app.env.domaindata["register"]


def test_direct_reading_builds_what_myst_builds(tmp_path, site_builder, monkeypatch):
    captures = [*synthetic_captures(tmp_path / "in", 60, seed=11), _hostile_thread(tmp_path)]
    fast_src = make_site(tmp_path / "fast", captures)
    myst_src = make_site(tmp_path / "myst", captures)
    read_directly: list[str] = []
    block, post = directives._ForumDirective._written_block, directives.ThreadDirective._written_post
    monkeypatch.setattr(directives._ForumDirective, "_written_block",
                        lambda self, fence: (found := block(self, fence)) and read_directly.append(fence.name)
                        or found)
    monkeypatch.setattr(directives.ThreadDirective, "_written_post",
                        lambda self, fence: (found := post(self, fence)) and read_directly.append(fence.name) or found)
    fast = _built(site_builder(fast_src)[0])
    assert read_directly.count("post") > 60 and read_directly.count("post-text") > 60  # read without MyST
    assert {"post-quote", "post-image", "post-link", "thread-register"} <= set(read_directly)

    monkeypatch.setattr(directives, "fences", lambda lines: None)
    monkeypatch.setattr(register_directives, "fences", lambda lines: None)
    myst = _built(site_builder(myst_src)[0])
    assert fast[0].keys() == myst[0].keys()
    for name, tree in fast[0].items():
        assert tree == myst[0][name], name
    assert fast[1:] == myst[1:]


def test_fences_are_only_what_commonmark_reads_the_same():
    lines = ["```{post-text}", ":mentions: \"0:3:x\"", "", "| abc", "```", "", "````{post-quote}", "```{post-text}",
             "| q", "```", "````"]
    found = written.fences(lines)
    assert [(f.name, f.start, f.end, f.ticks) for f in found] == [("post-text", 0, 4, 3), ("post-quote", 6, 10, 4)]
    assert written.fences(["```{post-text}", "| a", "``` "]) is None  # closed with a space: CommonMark closes it
    assert written.fences(["```{post-text}", "| a", "   ```", "```"]) is None  # an indented closing fence
    assert written.fences(["some text", "```{post-text}", "```"]) is None  # anything but fences at the top
    assert written.fences(["```{post-text}", "| a"]) is None  # never closed


def test_options_are_read_only_where_json_and_yaml_agree():
    spec = directives.BlockDirective.option_spec
    assert written.read_options([':mentions: "0:3:x"', "", "| abc"], 0, spec) == ({"mentions": "0:3:x"}, 2)
    assert written.read_options([':links: "[\\"a\\"]"'], 0, spec) == ({"links": '["a"]'}, 1)
    assert written.read_options([':links: "\\u0007"'], 0, spec) is None  # \u: MyST reads it
    post = directives.PostDirective.option_spec
    assert written.read_options([":n: 7", ":edited:", "", "x"], 0, post) == ({"n": 7, "edited": None}, 3)
    assert written.read_options([":n: -7"], 0, post) is None  # the option's own check refuses it
    assert written.read_options([':colour: "red"'], 0, spec) is None  # not an option of the directive
    assert written.read_options([':url: "a"', ':url: "b"'], 0, spec) is None  # given twice
