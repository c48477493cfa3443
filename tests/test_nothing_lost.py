"""Nothing is lost: every character of every post reaches corpus.json exactly and is visible on the page.

Checked over generated threads (hypothesis: thread-json captures with arbitrary text in every field,
and text dumps with arbitrary lines, imported with the real importer and built) and over the real
sample thread. Page chrome the text-dump converter removes is listed, visibly, at the end of the
thread page; invisible characters are shown as marks (`shown_text` reads them back).
"""

from __future__ import annotations

import json
import re

import lxml.html
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import make_site
from converters.importer import import_captures
from converters.model import normalize_text
from hostile.page import shown_text

SEP = "\u00a0"
# Any character, including controls, invisible and bidi characters and markup; lone surrogates too
# (thread-json only: the model turns them into U+FFFD).
ANY = st.characters(codec=None, exclude_categories=("Cs",)) | st.sampled_from("<>&\"'`*_[]{}()#%|\\:\u202e\u200b\u0000\ud800")
TEXT = st.text(ANY, min_size=1, max_size=60).filter(lambda t: t.strip())
NAME = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20).filter(str.strip)
KINDS = st.sampled_from(["text", "quote", "image", "link", "embed", "article"])


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _thread(title: str, posts: list[tuple[str, str, list[tuple[str, str]]]]) -> dict:
    return {"format": "forum-thread", "version": 1, "title": title, "forum": "Generated",
            "posts": [{"author": a, "user_title": u, "blocks": [{"kind": k, "text": t} for k, t in blocks]}
                      for a, u, blocks in posts]}


# A dump line that is neither blank nor a post separator (a no-break space alone on its line).
DUMP_LINE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\n\r\x00\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e"),
                    min_size=1, max_size=50).filter(lambda t: t.strip(" \t" + SEP))


def _dump(title: str, posts: list[tuple[str, list[str]]]) -> str:
    parts = [f"NEWS{SEP}{title}", ""]
    for author, lines in posts:
        parts += [author, "", "Member", *lines, SEP, ""]
    return "\n".join(parts + ["Top"])


def _cards(app) -> dict[str, lxml.html.HtmlElement]:
    cards = {}
    for page in app.outdir.rglob("corpus/**/*.html"):
        for card in lxml.html.parse(str(page)).getroot().xpath("//div[contains(@class,'forum-post')][@id]"):
            cards[card.get("id")] = card
    return cards


# Each example is an import and a build (seconds): no shrinking, a failure is reported as found.
@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=NAME, posts=st.lists(st.tuples(NAME, NAME, st.lists(st.tuples(KINDS, TEXT), min_size=1, max_size=3)),
                                  min_size=1, max_size=3),
       dump_posts=st.lists(st.tuples(NAME.map(lambda n: " ".join(n.split())[:40] or "x"),
                                     st.lists(DUMP_LINE, min_size=1, max_size=5)), min_size=1, max_size=3))
def test_generated_threads_lose_nothing(tmp_path_factory, site_builder, title, posts, dump_posts):
    root = tmp_path_factory.mktemp("lost")
    capture, dump = root / "generated.json", root / "generated.txt"
    capture.write_text(json.dumps(_thread(title, posts)), "ascii")
    dump.write_text(_dump("Generated dump", dump_posts), "utf-8")
    src = make_site(root, [])
    import_captures([str(capture)], src / "corpus")
    import_captures([str(dump)], src / "corpus", forum="Dumped")
    app, _ = site_builder(src, freshenv=True)
    corpus = {t["forum"]: t for t in json.loads((app.outdir / "corpus.json").read_text("utf-8"))["threads"]}
    cards = _cards(app)
    exported = corpus["Generated"]["posts"]
    assert len(exported) == len(posts)
    for (author, user_title, blocks), post in zip(posts, exported):
        expected = _squash(normalize_text("".join(t for _, t in blocks)))
        assert (post["author"], post["user_title"]) == (normalize_text(author), normalize_text(user_title))
        assert _squash("".join(b["text"] for b in post["blocks"])) == expected, "text lost from corpus.json"
        shown = _squash(shown_text(cards[post["anchor"]]))
        for block in (part for b in post["blocks"] for part in (b.get("blocks") or [b])):
            assert _squash(block["text"]) in shown, f"text not visible on the page: {block['text']!r}"
        assert _squash(normalize_text(author)) in shown and _squash(normalize_text(user_title)) in shown
    dumped = corpus["Dumped"]
    kept = {line for p in dumped["posts"] for b in p["blocks"] for line in b["text"].split("\n")}
    kept |= {p["author"] for p in dumped["posts"]}
    page = lxml.html.parse(str(next(app.outdir.rglob("corpus/dumped/*.html")))).getroot()
    visible = shown_text(page.xpath("//article[@role='main']")[0])
    for _, lines in dump_posts:
        for line in lines:
            text = line.strip()
            assert text in visible, f"dump line not visible: {text!r}"
            assert any(text in k or k in text for k in kept) or text in visible.split("Removed from post text")[-1], \
                f"dump line neither in corpus.json nor listed as chrome: {text!r}"


def test_every_character_of_the_sample_is_exported_and_visible(sample, tmp_path, site_builder):
    src = make_site(tmp_path, [sample], forum="Time Bomb 2000")
    app, _ = site_builder(src)
    (thread,) = json.loads((app.outdir / "corpus.json").read_text("utf-8"))["threads"]
    cards = _cards(app)
    for post in thread["posts"]:
        shown = _squash(shown_text(cards[post["anchor"]]))
        leaves = [part for b in post["blocks"] for part in (b.get("blocks") or [b])]  # an article shows its parts
        for text in (post["author"], post["user_title"], *(leaf["text"] for leaf in leaves)):
            assert _squash(text) in shown, f"not visible in post {post['n']}: {text[:60]!r}"
    model = json.loads(next((src / "corpus").rglob("*.thread.json")).read_text("utf-8"))
    chrome = {c["line"] for c in model["chrome"]}
    lines = sample.read_text("utf-8").split("\n")
    body = "".join(line.removeprefix("View: ") for number, line in enumerate(lines, 1)
                   if number > 1 and number not in chrome)  # line 1 is the thread's title
    exported = "".join(p["author"] + p["user_title"] + "".join(b["text"] for b in p["blocks"]) for p in thread["posts"])
    assert _squash(exported) == _squash(body).replace(SEP, ""), "a character of the sample is not in corpus.json"
