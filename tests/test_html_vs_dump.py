"""One thread, two captures: saved XenForo pages and a copied text dump give the same posts and quote graph.

The HTML names its quotes' sources in markup; the text dump has lost that markup, so its quotes are
found by tracing text reuse (`converters.quotes`). A visitor's copy holds no deleted or moderated
posts (only moderators see those), so the comparison is over the posts a visitor sees.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converters.importer import import_captures

FIXTURES = Path(__file__).parent / "fixtures" / "xenforo"


def _imported(tmp_path: Path, name: str, files: list[Path]) -> list[dict]:
    corpus = tmp_path / name
    import_captures([str(f) for f in files], corpus, forum="Harbour Town Forum")
    (sidecar,) = corpus.rglob("*.thread.json")
    return json.loads(sidecar.read_text("utf-8"))["posts"]


def _all_blocks(post: dict) -> list[dict]:
    return [b for block in post["blocks"] for b in [block, *block.get("blocks", [])]]


def _words(post: dict) -> str:
    return " ".join(" ".join(b["text"] for b in post["blocks"]).split())


def _quote_graph(posts: list[dict]) -> set[tuple[int, int]]:
    """(quoting post, quoted post), both as positions among the posts."""
    where = {p["anchor"]: i for i, p in enumerate(posts)}
    return {(i, where[b["source"]]) for i, p in enumerate(posts) for b in _all_blocks(p)
            if b["kind"] == "quote" and b.get("source") in where}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("both")
    html = _imported(tmp, "html", [FIXTURES / f"page-{n}.html" for n in (3, 1, 2)])
    dump = _imported(tmp, "dump", [FIXTURES / "thread.txt"])
    return [p for p in html if not p.get("status")], dump


def test_same_posts(both):
    html, dump = both
    assert len(html) == len(dump) == 12
    for a, b in zip(html, dump):
        assert (a["author"], a["user_title"], a["edited"]) == (b["author"], b["user_title"], b["edited"])
        assert _words(a) == _words(b), a["author"]


def test_same_media(both):
    html, dump = both

    def media(posts):
        return [[(b["kind"], b["text"]) for b in p["blocks"] if b["kind"] in ("image", "embed", "link")] for p in posts]

    assert media(html) == media(dump)


def test_same_quote_graph(both):
    html, dump = both
    graph = _quote_graph(html)
    assert graph == {(1, 0), (5, 0), (5, 1), (6, 3), (6, 4), (8, 6), (11, 10)}  # markup: the nested quote too
    assert _quote_graph(dump) == graph
