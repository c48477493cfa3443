"""Saved XenForo 2 pages: every post, id, date, position and quote source is read from markup alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from converters import formats
from converters.errors import ConversionError
from converters.formats import xenforo

FIXTURES = Path(__file__).parent / "fixtures" / "xenforo"
THREAD_URL = "https://forum.harbourtown.example/threads/lifeboat-open-day-volunteers.1042/"


def _parse(name: str):
    path = FIXTURES / name
    return formats.parse(str(path), path.read_bytes())


def _blocks(post, kind: str):
    return [b for b in post.blocks if b.kind == kind]


def test_thread_details_and_page_number():
    thread = _parse("page-2.html")
    assert (thread.prefix, thread.title) == ("EVENTS", "Lifeboat station open day: volunteers and parking")
    assert thread.forum == "Harbour Town Forum"
    assert thread.url == THREAD_URL  # the canonical URL without /page-2
    assert thread.pages == [2]
    assert _parse("page-1.html").url == THREAD_URL


EXPECTED = {  # id: (author, user title, date, position, page)
    "20011": ("Gull_Watcher", "Veteran Member", "2024-05-02T08:14:37+01:00", 1, 1),
    "20014": ("marinerpete62", "Senior Member", "2024-05-02T09:02:10+01:00", 2, 1),
    "20019": ("Ada Penhallow", "Harbour Regular", "2024-05-02T10:31:44+01:00", 3, 1),
    "20023": ("Brackenfold", "Has Too Much Time", "2024-05-02T18:40:05+01:00", 4, 1),
    "20030": ("kelpie", "Lurker No More", "2024-05-03T07:55:00+01:00", 5, 1),
    "20034": ("Tamsin Rowe", "Member", "2024-05-03T12:20:33+01:00", 6, 2),
    "20038": ("quickcash99", "", "2024-05-03T13:02:00+01:00", None, 2),
    "20041": ("Ada Penhallow", "Harbour Regular", "2024-05-03T14:45:12+01:00", 7, 2),
    "20045": ("sunny_days", "New Member", "2024-05-03T15:10:00+01:00", 7, 2),
    "20047": ("marinerpete62", "Senior Member", "2024-05-03T16:30:27+01:00", 8, 2),
    "20052": ("Gull_Watcher", "Veteran Member", "2024-05-04T09:12:50+01:00", 9, 3),
    "20055": ("Brackenfold", "Has Too Much Time", "2024-05-04T11:40:03+01:00", 10, 3),
    "20060": ("Tamsin Rowe", "Member", "2024-05-04T12:05:41+01:00", 11, 3),
    "20063": ("kelpie", "Lurker No More", "2024-05-04T13:30:09+01:00", 12, 3),
}

QUOTES = {  # id: [(quoted post id, quoted name, first words)], in reading order
    "20014": [("20011", "Gull_Watcher", "They need people for three jobs")],
    "20034": [("20011", "Gull_Watcher", "They need people"), ("20014", "marinerpete62", "Put me down")],
    "20041": [("20023", "Brackenfold", "The launch demo is at two"), ("20030", "kelpie", "the gate is chained")],
    "20047": [(None, "Old Tom", "Never stand between"), (None, None, "The coal yard may be used")],
    "20052": [("20041", "Ada Penhallow", "The key is with the harbourmaster")],
    "20055": [("18807", "harbourmaster", "High water on the 18th")],
    "20063": [("20060", "Tamsin Rowe", "Ten till four")],
}


@pytest.fixture(scope="module")
def posts():
    return {p.source_id: p for name in ("page-1.html", "page-2.html", "page-3.html") for p in _parse(name).posts}


def test_every_post_id_author_date_and_position(posts):
    assert set(posts) == set(EXPECTED)
    for source_id, (author, title, date, position, page) in EXPECTED.items():
        post = posts[source_id]
        assert (post.author, post.user_title, post.date, post.position, post.page) == (author, title, date, position, page)


def test_every_quote_and_its_source(posts):
    for source_id, post in posts.items():
        quotes = [(b.source_id, b.meta.get("author"), b.text) for b in _blocks(post, "quote")]
        expected = QUOTES.get(source_id, [])
        assert [(s, a) for s, a, _ in quotes] == [(s, a) for s, a, _ in expected], source_id
        assert all(text.startswith(start) for (*_, text), (*_, start) in zip(quotes, expected))
    quote_text = " ".join(b.text for b in posts["20034"].blocks)
    assert "said:" not in quote_text and "Click to expand" not in quote_text


def test_nested_quote_is_split_in_reading_order(posts):
    inner, outer, *own = posts["20034"].blocks
    assert (inner.source_id, outer.source_id) == ("20011", "20014")
    assert outer.text.startswith("Put me down") and inner.text.endswith("tour groups round.")
    assert own[0].kind == "text" and own[0].text.startswith("Half ten is too late")


def test_edited_deleted_and_moderated_posts(posts):
    edited = posts["20023"]
    assert edited.edited and edited.edited_date == "2024-05-02T19:02:11+01:00"
    assert not posts["20011"].edited
    deleted = posts["20038"]
    assert deleted.status == "deleted" and deleted.blocks == []
    assert deleted.status_note == "Deleted by Brackenfold, May 3, 2024, Reason: Spam link"
    moderated = posts["20045"]
    assert moderated.status == "moderated" and moderated.blocks[0].text.startswith("Is there parking")


def test_images_attachments_embeds_and_links(posts):
    first = posts["20011"]
    (image,) = _blocks(first, "image")
    assert (image.text, image.url) == ("open-day-poster.jpg", "https://i.example.net/kb/open-day-poster.jpg")
    (bare,) = _blocks(first, "link")
    assert bare.text == bare.url == "https://www.example.org/kestle-bay/open-day-2023-report.pdf"
    labelled = next(b for b in first.blocks if b.links)
    (link,) = labelled.links
    assert labelled.text[link.start : link.end] == "the station's page"
    assert link.url == "https://rnli.example.org/stations/kestle-bay" and link.source_id is None
    assert "Tide tables are a suggestion" not in first.text  # the signature is left out
    (attachment,) = _blocks(posts["20030"], "image")
    assert attachment.text == "coal-yard-gate.jpg" and attachment.url.endswith("/attachments/coal-yard-gate-jpg.5521/")
    assert "Somebody will need a key :(" in posts["20030"].text  # a smiley is its text
    (embed,) = _blocks(posts["20019"], "embed")
    assert embed.url == "https://www.flickr.com/photos/kestlebaylifeboat/53690412377/"
    assert "View:" not in posts["20019"].text


def test_links_to_posts_of_the_forum_name_them(posts):
    def targets(post):
        return [(b.text[k.start : k.end], k.source_id) for b in post.blocks for k in b.links]

    assert ("as Gull said", "20011") in targets(posts["20019"])  # /threads/…/post-20011
    assert ("my earlier post", "20019") in targets(posts["20041"])  # /goto/post?id=20019
    assert ("Tamsin's point about the queue", "20034") in targets(posts["20052"])  # /posts/20034/
    assert ("@marinerpete62", None) in targets(posts["20019"])  # a member's page is not a post


@pytest.mark.parametrize("name", ["page-1.html", "page-2.html", "de-board-page-2.html"])
def test_line_numbers_point_into_the_file(name):
    lines = (FIXTURES / name).read_text("utf-8").splitlines()
    for post in _parse(name).posts:
        assert f'data-content="post-{post.source_id}"' in lines[post.provenance.first_line - 1]
        for block in post.blocks:
            if block.kind in ("text", "quote"):
                first_word = block.text.split()[0].replace("'", "&#039;")
                assert first_word in lines[block.line - 1], (post.source_id, block.text[:40])


def test_german_board_reads_the_same_way():
    thread = _parse("de-board-page-2.html")
    assert (thread.forum, thread.prefix, thread.title, thread.pages) == (
        "Segelforum Nordsee", "FRAGE", "Winterlager für Jollen in Husum?", [2])
    first, second, deleted, last = thread.posts
    (quote,) = _blocks(first, "quote")
    assert (quote.source_id, quote.meta, quote.text) == (
        "88090", {"author": "Hein_Mück"}, "Die Halle am Außenhafen nimmt nur noch Kielboote, Jollen müssen draußen stehen.")
    assert second.edited and second.edited_date == "2023-10-04T13:05:40+02:00" and second.position == 7
    assert "Preise\nHalle: 9 € pro Quadratmeter" in second.text  # a spoiler: its title, then its content
    assert [(b.kind, b.text) for b in second.blocks if b.kind != "text"] == [
        ("embed", "https://www.youtube.com/watch?v=Xq3mQ0Zp1cE"), ("image", "winterlager-husum.jpg"),
        ("link", "preisliste-2023.pdf")]
    assert deleted.status == "deleted" and deleted.status_note.startswith("Gelöscht von Ole H.")
    assert deleted.text == "Danke! Danke!"  # moderators saw the deleted text: it is kept
    assert [b.source_id for b in _blocks(last, "quote")] == ["88090", "88101"]
    assert "Persenning  4,20 x 1,80\n  Ösen      alle 30 cm" in last.text  # code keeps its spacing
    assert "Code:" not in last.text and "hat gesagt" not in last.text


ENGLISH_TO_OTHER = {"said:": "dixit :", "Click to expand...": "Cliquer pour agrandir…", "Last edited": "Dernière édition",
                    "Deleted by": "Supprimé par", "Reason": "Raison", "Attachments": "Pièces jointes", "Views": "Vues",
                    "This message is awaiting moderator approval, and is invisible to normal visitors.": "En attente."}


@pytest.mark.parametrize("name", ["page-1.html", "page-2.html"])
def test_no_english_words_are_needed(tmp_path, name):
    """The same page with XenForo's words translated gives the same posts."""
    text = (FIXTURES / name).read_text("utf-8")
    for english, other in ENGLISH_TO_OTHER.items():
        text = text.replace(english, other)
    translated = tmp_path / name
    translated.write_text(text, "utf-8")
    original = _parse(name)
    again = formats.parse(str(translated), translated.read_bytes())
    for before, after in zip(original.posts, again.posts, strict=True):
        after.status_note, before.status_note = "", ""
        after.provenance = before.provenance
        assert after == before


def _page(body: str) -> bytes:
    return ('<!DOCTYPE html>\n<html id="XF" data-template="thread_view">\n<head><title>T | F</title></head>\n'
            f'<body>\n<h1 class="p-title-value">T</h1>\n{body}\n</body>\n</html>\n').encode()


def _error(tmp_path, data: bytes) -> ConversionError:
    path = tmp_path / "bad.html"
    path.write_bytes(data)
    with pytest.raises(ConversionError) as caught:
        formats.parse(str(path), data)
    assert str(caught.value).startswith(f"{path}:")
    return caught.value


def test_a_xenforo_page_that_is_not_a_thread(tmp_path):
    data = b'<!DOCTYPE html>\n<html id="XF" data-template="forum_view">\n<head></head>\n<body>\n<ol></ol>\n</body></html>'
    err = _error(tmp_path, data)
    assert err.line == 4 and "XenForo forum_view page without posts" in err.message


def test_posts_without_author_body_or_with_duplicate_ids(tmp_path):
    no_author = _page('<article class="message" data-content="post-7">\n<div class="message-body">'
                      '<div class="bbWrapper">hi</div></div></article>')
    err = _error(tmp_path, no_author)
    assert err.line == 6 and "post 7 names no author" in err.message
    cut = _page('<article class="message" data-author="a" data-content="post-7">\n<div class="message-attribution">')
    err = _error(tmp_path, cut)
    assert err.line == 6 and "post 7 has no body" in err.message and "incomplete" in err.message
    post = '<article class="message" data-author="a" data-content="post-7"><div class="message-body"><div class="bbWrapper">x</div></div></article>'
    err = _error(tmp_path, _page(post + "\n" + post))
    assert err.line == 7 and "post 7 appears twice" in err.message and "line 6" in err.message
    err = _error(tmp_path, _page(post.replace("post-7", "post-x7")))
    assert "not a number" in err.message


def test_other_html_is_not_taken_for_a_thread(tmp_path):
    err = _error(tmp_path, b"<html><body><article class='message'>hello</article></body></html>")
    assert err.line == 1 and "unrecognised format" in err.message
    assert xenforo.detect((FIXTURES / "thread.txt").read_text("utf-8")) == 0


def test_every_fixture_page_is_detected_as_xenforo():
    for path in sorted(FIXTURES.rglob("*.html")):
        assert re.search(r"<html id=\"XF\"", path.read_text("utf-8"))
        assert formats.parse(str(path), path.read_bytes()).posts
        assert xenforo.detect(path.read_text("utf-8")) > 0.9
