"""Article detection: header shapes, what is recovered from them, extents and corpus-wide ids."""

from __future__ import annotations

import pytest

from converters.anchors import reconcile
from converters.articles import detect, parse_date
from converters.model import Block, Post, Thread
from converters.quotes import QuoteTracer

BODY = ("The council confirmed on Monday that the harbour road would stay closed until engineers had "
        "inspected the quay wall, which was overtopped for the third time this winter.")


def _blocks(text: str) -> list[Block]:
    return [Block("text", p) for p in text.split("\n\n")]


def _article(blocks: list[Block]) -> tuple[int, Block]:
    (found,) = [(i, b) for i, b in enumerate(blocks) if b.kind == "article"]
    return found


@pytest.mark.parametrize("line, date", [
    ("SATURDAY, MAY 27, 2023 - 04:20 AM", "2023-05-27"), ("May 27, 2023", "2023-05-27"),
    ("27 May 2023", "2023-05-27"), ("Published: Jan. 3, 2024 at 9:15 pm EST", "2024-01-03"),
    ("2023-05-27T04:20:00Z", "2023-05-27"), ("May 32, 2023", None), ("I was born in May 2023", None),
])
def test_datelines(line, date):
    assert parse_date(line) == date


def test_byline_dateline_and_headline_make_an_article_to_the_end_of_the_post():
    blocks = detect(_blocks("Look at this.\n\nQuay wall fails again\n\nMONDAY, FEBRUARY 12, 2024 - 07:40 AM\n"
                            f"Authored by Jane Doe via the Kestle Bay Chronicle,\n\n{BODY}"), lambda _: False)
    at, article = _article(blocks)
    assert at == 1 and blocks[0].text == "Look at this."
    assert article.meta == {"title": "Quay wall fails again", "author": "Jane Doe", "outlet": "Kestle Bay Chronicle",
                            "date": "2024-02-12"}
    assert article.blocks[-1].text == BODY and article.article.startswith("a-")


def test_short_byline_with_outlet():
    blocks = detect(_blocks(f"Flood barrier delayed again\nBy Jane Doe and John Roe, Reuters\n\n{BODY}"), lambda _: False)
    assert _article(blocks)[1].meta == {"title": "Flood barrier delayed again", "author": "Jane Doe and John Roe",
                                        "outlet": "Reuters"}


def test_a_tweet_and_a_link_preview_end_where_their_shape_ends():
    text = ("Thoughts?\n\nThe quay wall failed again tonight, third time this winter.\n"
            "— Harbour Watch (@harbourwatch) February 12, 2024\n\nMy own view follows here.\n\n"
            "Quay wall fails again\nEngineers inspect the harbour road after the river overtops.\nchronicle.example\n\n"
            "And that is all I have to say.")
    blocks = detect(_blocks(text), lambda _: False)
    kinds = [b.kind for b in blocks]
    assert kinds == ["text", "article", "text", "article", "text"]
    tweet, preview = blocks[1], blocks[3]
    assert tweet.meta == {"author": "Harbour Watch (@harbourwatch)", "outlet": "Twitter", "date": "2024-02-12"}
    assert tweet.text.startswith("The quay wall failed")
    assert preview.meta == {"title": "Quay wall fails again", "outlet": "chronicle.example"}
    assert blocks[4].text == "And that is all I have to say."


def test_plain_replies_are_not_articles():
    text = ("Melodi, I kind of have to agree with Mongo.\n\nBy the way the road is open again.\n\n"
            "From what I have seen:\n\nit is fine.\n\nNeed arms? The US has got arms.\n\nDobbin")
    assert all(b.kind == "text" for b in detect(_blocks(text), lambda _: False))


def _thread(title: str, *texts: str, sequence: int) -> Thread:
    thread = Thread(title=title, forum="F", sequence=sequence,
                    posts=[Post(author=f"m{i}", blocks=_blocks(t)) for i, t in enumerate(texts)])
    return reconcile(thread, None, set())


def test_one_article_pasted_in_two_threads_is_one_article_and_excerpts_link_to_it():
    paste = f"Quay wall fails again\n\nMONDAY, FEBRUARY 12, 2024 - 07:40 AM\nAuthored by Jane Doe via Chronicle,\n\n{BODY}"
    first = _thread("One", "Posting this.\n\n" + paste, sequence=1)
    second = _thread("Two", paste, f"{BODY}\nThat is the key sentence.", sequence=2)
    tracer = QuoteTracer()
    tracer.trace(first)
    tracer.trace(second)
    _, original = _article(first.posts[0].blocks)
    _, again = _article(second.posts[0].blocks)
    assert again.article == original.article and again.meta["author"] == "Jane Doe"
    assert [b.kind for b in again.blocks] == ["quote"] and again.blocks[0].source == first.posts[0].anchor
    excerpt = second.posts[1].blocks[0]
    assert (excerpt.kind, excerpt.article, excerpt.source) == ("quote", original.article, first.posts[0].anchor)
