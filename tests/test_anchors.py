"""Stable anchors: deterministic, unique, readable, and permanent across re-imports."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from converters.anchors import reconcile
from converters.importer import import_captures
from converters.model import Post, Thread, Block

ANCHOR = re.compile(r"^[a-z][a-z0-9-]*-[a-z0-9]{6,}$")
SEP = "\n\u00a0\n"


def _posts(corpus):
    (sidecar,) = corpus.rglob("*.thread.json")
    return json.loads(sidecar.read_text("utf-8"))["posts"]


def _recapture(raw: str, tmp_path, name="later.txt") -> str:
    """The sample as a later capture: post 4 deleted, post 13 edited, two posts appended."""
    parts = raw.split(SEP)
    assert len(parts) == 24  # title + post 1, posts 2..23, the closing "Top"
    parts[12] = parts[12] + " (Edited: one more sentence.)"
    new = ["\nlatecomer\n\nNew Member\nFirst of two new posts.", "\nMelodi\n\nDisaster Cat\nAnd a reply."]
    parts = parts[:3] + parts[4:-1] + new + parts[-1:]
    path = tmp_path / name
    path.write_text(SEP.join(parts), "utf-8")
    return str(path)


def test_anchors_are_readable_unique_and_deterministic(sample, tmp_path):
    import_captures([str(sample)], tmp_path / "a", forum="TB2K")
    import_captures([str(sample)], tmp_path / "b", forum="TB2K")
    first, second = _posts(tmp_path / "a"), _posts(tmp_path / "b")
    anchors = [p["anchor"] for p in first]
    assert anchors == [p["anchor"] for p in second]
    assert len(set(anchors)) == 23
    assert all(ANCHOR.match(a) for a in anchors)
    assert anchors[6].startswith("night-driver-")


def test_reimport_keeps_every_surviving_anchor(sample, tmp_path):
    corpus = tmp_path / "corpus"
    import_captures([str(sample)], corpus, forum="TB2K")
    before = _posts(corpus)
    import_captures([_recapture(sample.read_text("utf-8"), tmp_path)], corpus, forum="TB2K")
    after = _posts(corpus)
    assert len(list(corpus.rglob("*.md"))) == 1  # the same thread, updated in place
    by_anchor = {p["anchor"]: p for p in after}
    for index, post in enumerate(before):
        assert post["anchor"] in by_anchor, f"post {index + 1} lost its anchor"
    gone = by_anchor[before[3]["anchor"]]
    assert gone["tombstone"] and gone["n"] is None and gone["author"] == "psychgirl"
    edited = by_anchor[before[12]["anchor"]]
    assert not edited["tombstone"] and "one more sentence" in edited["blocks"][-1]["text"]
    live = [p for p in after if not p["tombstone"]]
    assert [p["n"] for p in live] == list(range(1, 25))
    assert [p["author"] for p in live[-2:]] == ["latecomer", "Melodi"]
    assert [p["anchor"] for p in after].index(gone["anchor"]) == 3  # the tombstone stays in place


def test_reimporting_the_same_capture_changes_nothing(sample, tmp_path):
    corpus = tmp_path / "corpus"
    import_captures([str(sample)], corpus, forum="TB2K")
    pages = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    outcomes = import_captures([str(sample)], corpus, forum="TB2K")
    assert not outcomes[0].changed
    assert pages == {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}


texts = st.lists(st.text(alphabet="abc ", min_size=1, max_size=12), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(texts, st.data())
def test_surviving_posts_keep_anchors_for_any_edit_sequence(bodies, data):
    """Deleting any posts and appending new ones never changes a surviving post's anchor."""
    def thread(items):
        return Thread("T", "F", posts=[Post(author=f"u{i % 3}", blocks=[Block("text", f"{i} {b}")])
                                       for i, b in items])
    first = reconcile(thread(list(enumerate(bodies))), None, set())
    keep = data.draw(st.lists(st.booleans(), min_size=len(bodies), max_size=len(bodies)))
    items = [(i, b) for (i, b), k in zip(enumerate(bodies), keep) if k] + [(100, "new"), (101, "newer")]
    second = reconcile(thread(items), first, set())
    old = {p.text: p.anchor for p in first.posts}
    for post in second.posts:
        if post.text in old:
            assert post.anchor == old[post.text]
    assert sum(p.tombstone for p in second.posts) == keep.count(False)
    assert len({p.anchor for p in second.posts}) == len(second.posts)
