"""Discourse topics from its JSON API: a second engine dropped in as one module, found by detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converters import formats
from converters.errors import ConversionError
from converters.importer import import_captures

FIXTURES = Path(__file__).parent / "fixtures" / "discourse"
PAGE_1, PAGE_2 = FIXTURES / "topic-1187.json", FIXTURES / "topic-1187-page-2.json"


def _parse(path: Path):
    return formats.parse(str(path), path.read_bytes())


def test_the_format_is_registered_and_detected():
    assert "discourse" in [m.NAME for m in formats.available()]
    assert _parse(PAGE_1).title == "Harbour wall repairs from 4 March"


def test_posts_quotes_and_status():
    posts = {p.source_id: p for p in _parse(PAGE_1).posts}
    assert list(posts) == ["1187/1", "1187/2", "1187/3", "1187/5", "1187/6"]  # the small action (4) is chrome
    first = posts["1187/1"]
    assert (first.author, first.user_title, first.date, first.position, first.page) == (
        "Gull_Watcher", "Harbour Regular", "2024-02-19T09:12:44.318000+00:00", 1, 1)
    image = next(b for b in first.blocks if b.kind == "image")
    assert image.text == "harbour-notice.jpeg" and image.url.endswith("/original/2X/7/7a1c5e0f9b2d.jpeg")
    assert "1200×1600" not in first.text and ":construction:" in first.text
    assert posts["1187/2"].edited and posts["1187/2"].edited_date == "2024-02-19T11:02:37.550000+00:00"
    onebox = posts["1187/2"].blocks[-1]
    assert (onebox.kind, onebox.text, onebox.url) == (
        "link", "Harbour wall contract awarded", "https://www.example.org/wendshire/harbour-wall-contract")
    assert "Wendshire County Council has awarded" not in posts["1187/2"].text  # the preview is not the post
    nested = posts["1187/5"]
    assert [(b.source_id, b.meta["author"]) for b in nested.blocks if b.kind == "quote"] == [
        ("1187/2", "marinerpete62"), ("1187/3", "Ada_Penhallow")]
    link = next(k for b in nested.blocks for k in b.links)
    assert link.source_id == "1187/1"
    assert any(b.kind == "embed" and b.url == "https://www.youtube.com/watch?v=dQ8w2xYtP0o" for b in nested.blocks)
    withdrawn = posts["1187/6"]
    assert withdrawn.status == "deleted" and withdrawn.blocks == [] and withdrawn.status_note == "(post deleted by author)"


def test_pages_merge_and_quotes_resolve(tmp_path):
    corpus = tmp_path / "corpus"
    import_captures([str(PAGE_2), str(PAGE_1)], corpus, forum="Harbour Talk")
    (sidecar,) = corpus.rglob("*.thread.json")
    data = json.loads(sidecar.read_text("utf-8"))
    assert data["pages"] == [1, 2]
    anchors = {p["source_id"]: p["anchor"] for p in data["posts"]}
    assert list(anchors) == ["1187/1", "1187/2", "1187/3", "1187/5", "1187/6", "1187/21"]
    late = data["posts"][-1]
    (quote,) = [b for b in late["blocks"] if b["kind"] == "quote"]
    assert quote["source"] == anchors["1187/2"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("title"), "has no title"),
    (lambda d: d["post_stream"]["posts"][0].pop("username"), "at post_stream/posts/0: username is missing"),
    (lambda d: d["post_stream"]["posts"][1].update(post_number="2"), "at post_stream/posts/1: post_number"),
])
def test_bad_topics_are_clear_errors(tmp_path, change, message):
    data = json.loads(PAGE_1.read_text("utf-8"))
    change(data)
    path = tmp_path / "topic.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ConversionError) as caught:
        _parse(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "topic.json"
    path.write_text(PAGE_1.read_text("utf-8")[:900], "utf-8")
    with pytest.raises(ConversionError) as caught:
        formats.parse(str(path), path.read_bytes(), "discourse")
    assert caught.value.line is not None and "invalid JSON" in caught.value.message
