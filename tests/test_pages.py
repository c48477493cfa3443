"""Threads saved page by page: pages merge in any order, later pages append, re-imports keep every anchor."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.anchors import reconcile
from converters.importer import import_captures
from converters.model import Block, Post, Thread
from converters.pages import merge_captures

FIXTURES = Path(__file__).parent / "fixtures" / "xenforo"
PAGES = [str(FIXTURES / f"page-{n}.html") for n in (1, 2, 3)]
PAGE_4 = str(FIXTURES / "later" / "page-4.html")
PAGE_3_LATER = str(FIXTURES / "later" / "page-3.html")
EXPECTED_IDS = ["20011", "20014", "20019", "20023", "20030", "20034", "20038", "20041", "20045", "20047",
                "20052", "20055", "20060", "20063"]


def _posts(corpus: Path) -> list[dict]:
    (sidecar,) = corpus.rglob("*.thread.json")
    return json.loads(sidecar.read_text("utf-8"))["posts"]


def _anchors(corpus: Path) -> dict[str, str]:
    return {p["source_id"]: p["anchor"] for p in _posts(corpus)}


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("pages") / "corpus"
    import_captures(PAGES, corpus, forum="Harbour Town Forum")
    return corpus


def test_pages_merge_into_one_thread_in_forum_order(three_pages):
    posts = _posts(three_pages)
    assert len(list(three_pages.rglob("*.md"))) == 1
    assert [p["source_id"] for p in posts] == sorted(p["source_id"] for p in posts)
    assert [p["n"] for p in posts] == list(range(1, 15))
    assert not any(p["tombstone"] for p in posts)


def test_pages_in_any_order_give_the_same_thread(three_pages, tmp_path):
    expected = _posts(three_pages)
    corpus = tmp_path / "corpus"
    import_captures(list(reversed(PAGES)), corpus, forum="Harbour Town Forum")
    assert _posts(corpus) == expected


def test_merge_is_independent_of_page_order():
    from converters import formats

    captures = [formats.parse(p, Path(p).read_bytes()) for p in PAGES]
    orders = [[p.source_id for p in merge_captures(list(order)).posts] for order in itertools.permutations(captures)]
    assert all(order == orders[0] for order in orders) and len(orders[0]) == 14


def test_the_same_page_twice_is_kept_once(tmp_path):
    corpus = tmp_path / "corpus"
    import_captures([PAGES[1], PAGES[0], PAGES[1]], corpus, forum="Harbour Town Forum")
    assert len(_posts(corpus)) == 10


def test_a_later_page_appends_and_page_3_again_changes_no_anchor(three_pages, tmp_path):
    corpus = tmp_path / "corpus"
    import_captures(PAGES, corpus, forum="Harbour Town Forum")
    before = _anchors(corpus)
    import_captures([PAGE_4], corpus, forum="Harbour Town Forum")
    after_4 = _anchors(corpus)
    assert {k: after_4[k] for k in before} == before  # pages 1-3 kept, not tombstoned
    assert len(after_4) == 16 and not any(p["tombstone"] for p in _posts(corpus))
    page = next(corpus.rglob("*.md")).read_text("utf-8")
    import_captures([PAGES[2]], corpus, forum="Harbour Town Forum")
    assert _anchors(corpus) == after_4
    assert next(corpus.rglob("*.md")).read_text("utf-8") == page  # nothing changed at all


def test_page_3_recaptured_after_a_deletion(tmp_path):
    """Post 20055 deleted for good: the posts after it move up, page 4's posts now show on page 3."""
    corpus = tmp_path / "corpus"
    import_captures(PAGES, corpus, forum="Harbour Town Forum")
    import_captures([PAGE_4], corpus, forum="Harbour Town Forum")
    before = _anchors(corpus)
    import_captures([PAGE_3_LATER], corpus, forum="Harbour Town Forum")
    posts = {p["source_id"]: p for p in _posts(corpus)}
    assert {k: p["anchor"] for k, p in posts.items()} == before
    assert [k for k, p in posts.items() if p["tombstone"]] == ["20055"]
    assert posts["20052"]["edited"] and "mornings: Tamsin" in " ".join(b["text"] for b in posts["20052"]["blocks"])
    assert posts["20070"]["page"] == 3 and not posts["20011"]["tombstone"]  # page 1 was not captured again
    live = [p for p in _posts(corpus) if not p["tombstone"]]
    assert [p["n"] for p in live] == list(range(1, 16))


def test_quotes_resolve_once_the_quoted_page_arrives(tmp_path):
    corpus = tmp_path / "corpus"
    import_captures([PAGES[2]], corpus, forum="Harbour Town Forum")
    quote = next(b for p in _posts(corpus) if p["source_id"] == "20052" for b in p["blocks"] if b["kind"] == "quote")
    assert quote["source_id"] == "20041" and quote["source"] is None
    import_captures([PAGES[1]], corpus, forum="Harbour Town Forum")
    posts = {p["source_id"]: p for p in _posts(corpus)}
    quote = next(b for b in posts["20052"]["blocks"] if b["kind"] == "quote")
    assert quote["source"] == posts["20041"]["anchor"]


# A property over any thread cut into pages: whichever pages are imported in whatever order,
# a post keeps the anchor it was first given, and only posts removed from a page captured again
# become tombstones.

def _thread(pages: dict[int, list[int]], removed: set[int] = frozenset()) -> Thread:
    posts = [Post(author=f"u{i % 3}", blocks=[Block("text", f"post {i}")], source_id=str(1000 + i), position=i,
                  page=page, date=f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}+00:00")
             for page, numbers in pages.items() for i in numbers if i not in removed]
    return Thread("T", "F", posts=posts, url="https://f.example/t/1/", pages=sorted(pages))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_page_order_keeps_anchors(data):
    count = data.draw(st.integers(2, 5))
    size = data.draw(st.integers(1, 4))
    layout = {page: list(range((page - 1) * size + 1, page * size + 1)) for page in range(1, count + 1)}
    stored: Thread | None = None
    first_anchor: dict[str, str] = {}
    removed: set[int] = set()
    for page in data.draw(st.lists(st.sampled_from(sorted(layout)), min_size=1, max_size=8)):
        gone = data.draw(st.sets(st.sampled_from(layout[page]), max_size=1))
        removed |= gone
        capture = _thread({page: layout[page]}, removed)
        stored = reconcile(capture, stored, set())
        for post in stored.posts:
            assert first_anchor.setdefault(post.source_id, post.anchor) == post.anchor
    tombstones = {int(p.source_id) - 1000 for p in stored.posts if p.tombstone}
    assert tombstones <= removed
    assert [p.position for p in stored.posts] == sorted(p.position for p in stored.posts)
    assert len({p.anchor for p in stored.posts}) == len(stored.posts)


def test_a_text_dump_then_saved_pages_keeps_every_anchor(tmp_path):
    """The dump has no post ids: its posts are matched by author and text, page by page."""
    corpus = tmp_path / "corpus"
    url = "https://forum.harbourtown.example/threads/lifeboat-open-day-volunteers.1042/"
    import_captures([str(FIXTURES / "thread.txt")], corpus, forum="Harbour Town Forum", url=url)
    dumped = [p["anchor"] for p in _posts(corpus)]
    import_captures([PAGES[0]], corpus, forum="Harbour Town Forum")
    posts = _posts(corpus)
    assert [p["anchor"] for p in posts] == dumped and not any(p["tombstone"] for p in posts)
    assert [p["source_id"] for p in posts[:6]] == ["20011", "20014", "20019", "20023", "20030", None]
    import_captures([PAGES[2], PAGES[1]], corpus, forum="Harbour Town Forum")
    posts = _posts(corpus)
    assert [p["anchor"] for p in posts if p["source_id"] not in ("20038", "20045")] == dumped
    assert [p["source_id"] for p in posts] == sorted(EXPECTED_IDS) and not any(p["tombstone"] for p in posts)


def _saved_page(title: str, url: str, posts: list[tuple[int, str, str]]) -> str:
    articles = "\n".join(
        f'<article class="message" data-author="{author}" data-content="post-{pid}">'
        f'<time datetime="2024-05-0{i + 1}T10:00:00+00:00"></time>'
        f'<div class="message-body"><div class="bbWrapper">{body}</div></div></article>'
        for i, (pid, author, body) in enumerate(posts))
    return (f'<html id="XF"><head><link rel="canonical" href="{url}"><title>{title} | F</title></head>'
            f'<body><h1 class="p-title-value">{title}</h1>\n{articles}\n</body></html>')


def test_markup_names_the_source_even_where_tracing_would_find_another(tmp_path):
    """A quote of post 999 (another thread) whose words also stand in post 2: markup wins, then resolves."""
    words = "The slipway will be awash from about half twelve so plan the tours for the afternoon instead."
    quote = f'<blockquote class="bbCodeBlock bbCodeBlock--quote" data-quote="hm" data-source="post: 999">{words}</blockquote>Noted.'
    here, there = tmp_path / "here.html", tmp_path / "there.html"
    here.write_text(_saved_page("Here", "https://f.example/threads/a.1/", [(1, "a", "Hello."), (2, "b", words), (3, "c", quote)]))
    there.write_text(_saved_page("There", "https://f.example/threads/b.2/", [(999, "hm", words)]))
    corpus = tmp_path / "corpus"

    def quoted() -> dict:
        posts = json.loads((corpus / "f" / "here.thread.json").read_text("utf-8"))["posts"]
        (block,) = [b for b in posts[2]["blocks"] if b["kind"] == "quote"]
        return block

    import_captures([str(here)], corpus, forum="F")
    assert (quoted()["source_id"], quoted()["source"], quoted()["meta"]) == ("999", None, {"author": "hm"})
    import_captures([str(there)], corpus, forum="F")
    original = json.loads((corpus / "f" / "there.thread.json").read_text("utf-8"))["posts"][0]
    assert quoted()["source"] == original["anchor"]
