"""The text-dump converter on the real sample and on hand-made edge cases."""

from __future__ import annotations

import pytest

from converters.errors import ConversionError
from converters.formats import parse, textdump

SAMPLE_POSTS = [
    ("Melodi", "Disaster Cat"), ("Sacajawea", "Has No Life - Lives on TB"), ("Melodi", "Disaster Cat"),
    ("psychgirl", "Has No Life - Lives on TB"), ("Marthanoir", "TB Fanatic"), ("Melodi", "Disaster Cat"),
    ("night driver", "ESFP adrift in INTJ sea"), ("Melodi", "Disaster Cat"),
    ("packyderms_wife", "Neither here nor there."), ("Melodi", "Disaster Cat"), ("ron341", "Contributing Member"),
    ("Melodi", "Disaster Cat"), ("Sooth", "Veteran Member"), ("Dozdoats", "On TB every waking moment"),
    ("Melodi", "Disaster Cat"), ("Cacheman", "Ultra MAGA!"), ("Housecarl", "On TB every waking moment"),
    ("Dobbin", "Faithful Steed"), ("Yogizorch", "Has No Life - Lives on TB"), ("jed turtle", "a brother in the Lord"),
    ("inskanoot", "Veteran Member"), ("inskanoot", "Veteran Member"), ("Melodi", "Disaster Cat"),
]
CHROME = {"Top", "Last edited:", "97,216351", "MORE GEO"}


def _dump(*posts: tuple[str, str, str], title: str = "NEWS\u00a0A title") -> bytes:
    parts = [title, ""]
    for author, user_title, body in posts:
        parts += [author, "", user_title + "\n" + body, "\u00a0", ""]
    return "\n".join(parts + ["Top"]).encode()


def test_sample_posts_authors_and_titles(sample):
    thread = parse(str(sample), sample.read_bytes())
    assert (thread.prefix, thread.title) == ("WAR", "Why is the US Military sending personnel to Peru?")
    assert [(p.author, p.user_title) for p in thread.posts] == SAMPLE_POSTS
    assert [i for i, p in enumerate(thread.posts, 1) if p.edited] == [21]


def test_sample_chrome_is_removed_from_text_and_kept(sample):
    thread = parse(str(sample), sample.read_bytes())
    lines = {line for p in thread.posts for b in p.blocks for line in b.text.split("\n")}
    assert not CHROME & lines
    assert {c.text for c in thread.chrome} == CHROME
    raw = sample.read_text("utf-8").split("\n")
    assert all(raw[c.line - 1] == c.text for c in thread.chrome)


def test_sample_body_lines_that_look_like_headers_stay_in_bodies(sample):
    thread = parse(str(sample), sample.read_bytes())
    dobbin = thread.posts[17]
    assert dobbin.blocks[-1].text == "Dobbin"  # a sign-off, not a new post
    byline = [line for b in thread.posts[20].blocks for line in b.text.split("\n")]
    assert "Joseph P. Farrell" in byline
    assert any("<G-D-R->" in b.text for b in thread.posts[6].blocks)


def test_sample_images_embeds_and_provenance(sample):
    thread = parse(str(sample), sample.read_bytes())
    kinds = [(i, b.kind, b.text) for i, p in enumerate(thread.posts, 1) for b in p.blocks if b.kind != "text"]
    assert (5, "image", "4PDLXAS6RZSON66XNUWEHC2SGU.jpg") in kinds
    assert (16, "embed", "https://twitter.com/BenjaminNorton/status/1662512832192172032") in kinds
    assert thread.posts[0].provenance.first_line == 3


def test_every_non_chrome_character_is_kept(sample):
    """Each non-blank line of the file is the title, a header, chrome, or inside a block."""
    thread = parse(str(sample), sample.read_bytes())
    kept = {thread.prefix + "\u00a0" + thread.title, *(c.text for c in thread.chrome)}
    for post in thread.posts:
        kept |= {post.author, post.user_title}
        kept |= {line for b in post.blocks for line in b.text.split("\n")}
        kept |= {"View: " + b.text for b in post.blocks if b.kind == "embed"}
    for number, line in enumerate(sample.read_text("utf-8").split("\n"), 1):
        if line.strip(" \t\u00a0"):
            assert line.strip() in kept or line in kept, f"line {number} lost: {line[:60]!r}"


def test_separator_inside_a_body_is_not_a_post_boundary():
    body = "first paragraph\n\u00a0\nA long line that cannot be an author name because it goes on and on and on.\n\nmore"
    thread = parse("t.txt", _dump(("alice", "Member", body), ("bob", "Member", "reply")))
    assert [p.author for p in thread.posts] == ["alice", "bob"]
    assert "more" in thread.posts[0].text


def test_links_images_and_footer_counters():
    body = "see\nhttps://example.org/a\nphoto.PNG\nView: https://example.org/v/1\n12,3454\nMORE NEWS"
    thread = parse("t.txt", _dump(("alice", "Member", body)))
    assert [b.kind for b in thread.posts[0].blocks] == ["text", "link", "image", "embed"]
    assert {c.text for c in thread.chrome} == {"12,3454", "MORE NEWS", "Top"}


@pytest.mark.parametrize(("data", "line", "expected"), [
    (b"", None, "empty"),
    (b"  \n\n", None, "empty"),
    (b"title\n\x00\x01binary", 2, "binary"),
    (b"title\n\nalice\n\nMember\nbad \xff byte", 6, "invalid UTF-8"),
    (b"<html><body>not a dump</body></html>", 1, "unrecognised format"),
    (b"just one line of prose", 1, "unrecognised format"),
])
def test_bad_input_names_file_and_line(data, line, expected):
    with pytest.raises(ConversionError) as caught:
        parse("captures/bad.txt", data)
    assert caught.value.path == "captures/bad.txt"
    assert caught.value.line == line
    assert expected in str(caught.value)
    assert str(caught.value).startswith("captures/bad.txt")


def test_detection_prefers_the_text_dump(sample):
    assert textdump.detect(sample.read_text("utf-8")) >= 0.9
    assert textdump.detect('{"format": "forum-thread"}') == 0


def test_thread_json_round_trip_and_errors(sample):
    import json

    thread = parse(str(sample), sample.read_bytes())
    thread.forum = "TB2K"
    data = json.dumps(thread.to_json()).encode()
    again = parse("t.json", data)
    assert again.to_json() == thread.to_json()
    with pytest.raises(ConversionError, match=r"t.json:2: invalid JSON"):
        parse("t.json", b'{"format": "forum-thread",\n oops}')
    with pytest.raises(ConversionError, match=r"at posts/0.*'author' is a required property"):
        parse("t.json", json.dumps({"format": "forum-thread", "version": 1, "title": "T", "forum": "F",
                                    "posts": [{"blocks": []}]}).encode())
