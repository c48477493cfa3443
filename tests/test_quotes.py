"""Quote tracing: the sample thread and the examples against hand-written quote lists, splitting
properties, attribution to originals, missing sources, paraphrase, cross-thread order and re-import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, SAMPLE
from converters.anchors import reconcile
from converters.importer import SIDECAR, import_captures
from converters.model import Block, Post, Thread
from converters.quotes import QuoteTracer
from converters.tokens import tokenize

FIXTURES = ROOT / "tests" / "fixtures" / "quotes"


def _threads(corpus: Path) -> dict[str, Thread]:
    """The corpus's thread models by source file name."""
    out = {}
    for sidecar in corpus.rglob(f"*{SIDECAR}"):
        thread = Thread.from_json(json.loads(sidecar.read_text("utf-8")))
        out[Path(thread.source).name] = thread
    return out


def _observed(threads: dict[str, Thread]) -> tuple[list[dict], list[dict]]:
    """Quotes and articles as the fixtures write them (post numbers, article titles)."""
    numbers = {p.anchor: p.n for t in threads.values() for p in t.posts}
    titles = {b.article: b.meta.get("title") for t in threads.values() for p in t.posts for b in p.blocks
              if b.kind == "article"}
    quotes, articles = [], []
    for name, thread in threads.items():
        for post in thread.posts:
            for block in post.blocks:
                parts = [(block, None)] if block.kind != "article" else [(b, block) for b in block.blocks]
                if block.kind == "article":
                    articles.append({"thread": name, "post": post.n, **block.meta, "starts": block.blocks[0].text,
                                     "id": block.article})
                for part, inside in parts:
                    if part.kind == "quote":
                        quotes.append({
                            "thread": name, "post": post.n, "text": part.text, "score": part.score,
                            "source": numbers[part.source] if part.source else f"unknown:{part.missing_source}",
                            "article": titles.get(part.article) if part.article else None,
                            "inside": inside.meta.get("title") if inside else None,
                        })
    return quotes, articles


def _same_unknowns(expected: list[dict], observed: list[dict]) -> None:
    """Quotes of one missing post share one id, and different missing posts have different ids."""
    pairs = {(e["source"], o["source"]) for e, o in zip(expected, observed) if str(e["source"]).startswith("unknown:")}
    assert len({e for e, _ in pairs}) == len(pairs) == len({o for _, o in pairs})
    for e, o in zip(expected, observed):
        if str(e["source"]).startswith("unknown:"):
            e["source"] = o["source"]


def _check(expected: dict, threads: dict[str, Thread], default_thread: str | None = None) -> None:
    quotes, articles = _observed(threads)
    want = [{"thread": default_thread, "article": None, "inside": None, **q} for q in expected["quotes"]]
    assert len(quotes) == len(want), [(q["post"], q["source"]) for q in quotes]
    _same_unknowns(want, quotes)
    for w, q in zip(want, quotes):
        where = f"post {q['post']} of {q['thread']}"
        assert (q["thread"], q["post"], q["source"], q["article"], q["inside"]) == \
            (w["thread"], w["post"], w["source"], w["article"], w["inside"]), where
        assert q["text"].startswith(w["starts"]) and q["text"].endswith(w["ends"]), (where, q["text"][:80])
        assert q["score"] is not None and 0.8 <= q["score"] <= 1, where
    got = [{k: a.get(k) for k in ("thread", "post", "title", "author", "outlet", "date", "starts")} for a in articles]
    assert got == [{"thread": default_thread, "title": None, "author": None, "outlet": None, "date": None, **a}
                   for a in expected["articles"]]


@pytest.fixture(scope="module")
def sample_corpus(tmp_path_factory) -> Path:
    """The sample thread imported once into a corpus of its own."""
    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    corpus = tmp_path_factory.mktemp("sample-corpus")
    import_captures([str(SAMPLE)], corpus, forum="Time Bomb 2000")
    return corpus


def test_sample_thread_quotes_and_articles_match_a_close_reading(sample_corpus):
    expected = yaml.safe_load((FIXTURES / "sample.yaml").read_text("utf-8"))
    threads = _threads(sample_corpus)
    _check(expected, threads, default_thread=SAMPLE.name)
    (thread,) = threads.values()
    quoting = {q["post"] for q in expected["quotes"]}
    assert set(expected["not_quoted"]) == {p.n for p in thread.posts} - quoting  # the fixture covers every post


def test_example_threads_quotes_and_articles_match_a_close_reading(tmp_path):
    import_captures([str(p) for p in EXAMPLES], tmp_path, forum="Harbour Town Forum")
    expected = yaml.safe_load((FIXTURES / "harbour-town.yaml").read_text("utf-8"))
    order = {name: i for i, name in enumerate(sorted(_threads(tmp_path)))}
    expected["quotes"].sort(key=lambda q: order[q["thread"]])
    expected["articles"].sort(key=lambda a: order[a["thread"]])
    threads = dict(sorted(_threads(tmp_path).items()))
    _check(expected, threads)


def test_reimport_gives_the_same_tracing_and_keeps_anchors(sample_corpus):
    first = {p.name: p.read_bytes() for p in sample_corpus.rglob("*") if p.is_file()}
    outcomes = import_captures([str(SAMPLE)], sample_corpus, forum="Time Bomb 2000")
    assert not outcomes[0].changed
    assert {p.name: p.read_bytes() for p in sample_corpus.rglob("*") if p.is_file()} == first


# --- building threads by hand -------------------------------------------------------------------

def _thread(*posts: tuple[str, str], title: str = "T", sequence: int | None = 1) -> Thread:
    thread = Thread(title=title, forum="F", sequence=sequence,
                    posts=[Post(author=a, blocks=[Block("text", p) for p in text.split("\n\n")]) for a, text in posts])
    return reconcile(thread, None, set())


def _kinds(post: Post) -> list[tuple[str, str | None]]:
    return [(b.kind, b.source) for b in post.blocks]


ORIGINAL = ("The harbour wall was raised by forty centimetres in the spring and the council promised it "
            "would hold back any tide the estuary could throw at it for the next twenty years.")


def test_quote_is_split_from_the_reply_and_attributed():
    thread = _thread(("ann", ORIGINAL), ("bob", ORIGINAL + "\nIt did not hold a single winter, as we all saw."))
    QuoteTracer().trace(thread)
    ann, bob = thread.posts
    assert _kinds(bob) == [("quote", ann.anchor), ("text", None)]
    assert bob.blocks[0].text == ORIGINAL and bob.blocks[0].meta == {"author": "ann"}
    assert bob.blocks[0].score == 1.0
    assert bob.blocks[1].text == "It did not hold a single winter, as we all saw."


def test_copy_tolerates_wrapping_quotes_bullets_and_trailing_remarks():
    source = ("Demands included:\n\n“The release of the three fishermen held since March”\n\n"
              "New elections for the harbour board\n\nA public inquiry into the sale of the quay, "
              "which nobody voted for.")
    copy = ("Look at what they asked for:\n"
            "  • \"The release of the three\nfishermen held since March\"\n"
            "  • New elections for the harbour board\n"
            "  • A public inquiry into the sale of the quay, which nobody voted for. (emphasis added)\n"
            "Not much to ask.")
    thread = _thread(("ann", source), ("bob", copy))
    QuoteTracer().trace(thread)
    bob = thread.posts[1]
    assert _kinds(bob) == [("text", None), ("quote", thread.posts[0].anchor), ("text", None)]
    assert bob.blocks[1].text.endswith("(emphasis added)")
    assert bob.blocks[2].text == "Not much to ask."


def test_reused_phrases_and_paraphrase_are_not_quotes():
    reuse = ("Honestly I think the council promised it would hold back any tide the estuary could throw at it "
             "and they were wrong about that.")
    paraphrase = ("In spring the harbour wall went up by forty centimetres, and the council said it would hold "
                  "back any tide the estuary might throw at it for twenty years to come.")
    thread = _thread(("ann", ORIGINAL), ("bob", reuse), ("cat", paraphrase))
    QuoteTracer().trace(thread)
    assert all(b.kind == "text" for p in thread.posts for b in p.blocks)


def test_requote_points_at_the_original_and_each_part_at_its_own_source():
    reply = "I was there when they opened it and the mayor cut a ribbon in the pouring rain."
    thread = _thread(("ann", ORIGINAL), ("bob", ORIGINAL + "\n\n" + reply),
                     ("cat", ORIGINAL + "\n\n" + reply + "\nSo was I, and my shoes never dried out."))
    QuoteTracer().trace(thread)
    ann, bob, cat = thread.posts
    assert _kinds(cat) == [("quote", ann.anchor), ("quote", bob.anchor), ("text", None)]


def test_quotes_of_a_post_not_in_the_corpus_share_one_unknown_source():
    missing = "The tidal flap worked exactly as designed and the river simply came down faster than any model said."
    thread = _thread(("ann", missing + "\nMongo, I would agree if the river had not done this twice before."),
                     ("bob", "Some other remark about the weather this week, nothing to do with floods."),
                     ("cat", missing + "\n\nHe is right, the flap is not the problem here at all."))
    QuoteTracer().trace(thread)
    ann, _, cat = thread.posts
    assert [b.kind for b in ann.blocks] == ["quote", "text"] and [b.kind for b in cat.blocks] == ["quote", "text"]
    assert ann.blocks[0].source is None and cat.blocks[0].source is None
    assert ann.blocks[0].missing_source == cat.blocks[0].missing_source
    assert ann.blocks[0].missing_source.startswith("unknown-")


def test_quoting_the_first_line_of_a_post_is_not_a_missing_source():
    first = "United Fruit, Smedley Butler and a century of the same story, we have learned nothing at all."
    thread = _thread(("ann", first + "\nThose in charge know that war is profitable, for them."),
                     ("bob", first + "\nWell said."))
    QuoteTracer().trace(thread)
    ann, bob = thread.posts
    assert _kinds(bob) == [("quote", ann.anchor), ("text", None)]
    assert [b.kind for b in ann.blocks] == ["text"]


def test_other_threads_are_sources_only_if_imported_before():
    older = _thread(("ann", ORIGINAL), title="Older", sequence=1)
    newer = _thread(("bob", ORIGINAL + "\nSee the other thread."), title="Newer", sequence=2)
    tracer = QuoteTracer()
    tracer.add_thread(older)
    tracer.trace(newer)
    assert _kinds(newer.posts[0]) == [("quote", older.posts[0].anchor), ("text", None)]
    again = _thread(("ann", ORIGINAL), title="Older", sequence=1)  # re-import of the older thread
    tracer.trace(again)
    assert _kinds(again.posts[0]) == [("text", None)]


def test_marked_quotes_without_a_source_are_traced_by_their_text():
    thread = _thread(("ann", ORIGINAL), ("bob", "x"))
    thread.posts[1].blocks = [Block("quote", ORIGINAL, meta={"author": "ann"}), Block("text", "Agreed.")]
    thread.posts.append(Post(author="cat", anchor="cat-aaaaaa", n=3,
                             blocks=[Block("quote", "Words from a post on another page that nobody here wrote."),
                                     Block("text", "Quite.")]))
    QuoteTracer().trace(thread)
    assert thread.posts[1].blocks[0].source == thread.posts[0].anchor
    assert thread.posts[2].blocks[0].missing_source.startswith("unknown-")


# --- the splitting property ---------------------------------------------------------------------

SOURCE_WORDS = ("harbour tidal culvert council estuary ribbon mayor flood quay slipway lifeboat storm rainfall "
                "pumping station inquiry ferry timetable winter summer pontoon skipper diesel harbourmaster "
                "mooring chandlery bakery market shutter sandbag warning barrier gauge upstream downstream "
                "plantation survey engineer budget grant scheme meeting minutes agenda petition ballot "
                "don’t won’t isn’t what’s").split()
OWN_WORDS = ("apple banana cherry damson elder fig grape hazel iris juniper kale lemon mango nectar olive "
             "pear quince radish sorrel thyme umber violet walnut yarrow zinnia").split()
PUNCT = ("", "", "", ",", ".", ";", "?")

words = st.lists(st.tuples(st.sampled_from(SOURCE_WORDS), st.sampled_from(PUNCT)), min_size=12, max_size=30,
                 unique_by=lambda pair: pair[0])  # prose, not one word over and over
own = st.lists(st.sampled_from(OWN_WORDS), min_size=1, max_size=20).map(" ".join)


def _wrap(tokens: list[str], width: int) -> list[str]:
    lines, line = [], ""
    for token in tokens:
        if line and len(line) + 1 + len(token) > width:
            lines.append(line)
            line = token
        else:
            line = f"{line} {token}".strip()
    return lines + [line]


def _words(post: Post) -> list[str]:
    return [t.word for b in post.blocks for t in tokenize(b.text)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(words, min_size=1, max_size=4), data=st.data(), before=st.none() | own, after=own,
       width=st.integers(25, 140))
def test_a_post_made_of_an_earlier_span_and_new_text_is_split_at_the_seam(paragraphs, data, before, after, width):
    flat = [w for p in paragraphs for w in p]
    a0 = data.draw(st.integers(0, len(flat) - 12))
    a1 = data.draw(st.integers(a0 + 12, min(len(flat), a0 + 60)))
    source = "\n\n".join(" ".join(w + p for w, p in para) for para in paragraphs)
    # The copy: re-wrapped, punctuation changed, curly apostrophes straightened.
    copied = [w.replace("’", "'") + data.draw(st.sampled_from(PUNCT)) for w, _ in flat[a0:a1]]
    span = _wrap(copied, width)
    body = "\n".join(([before] if before else []) + span + [after])
    thread = _thread(("ann", source), ("bob", "placeholder"))
    thread.posts[1].blocks = [Block("text", body)]
    words_before = _words(thread.posts[1])
    QuoteTracer().trace(thread)
    bob = thread.posts[1]
    expected = ([("text", None)] if before else []) + [("quote", thread.posts[0].anchor), ("text", None)]
    assert _kinds(bob) == expected
    assert bob.blocks[-2].text == "\n".join(span)
    assert bob.blocks[-1].text == after
    assert _words(bob) == words_before  # nothing lost or moved


@pytest.mark.parametrize("capture", EXAMPLES, ids=lambda p: p.name)
def test_tracing_never_changes_anchors(capture, tmp_path):
    from converters import formats

    thread = formats.parse(str(capture), capture.read_bytes())
    thread.forum = "Harbour Town Forum"
    reconcile(thread, None, set())
    anchors = [p.anchor for p in thread.posts]
    QuoteTracer().trace(thread)
    assert [p.anchor for p in thread.posts] == anchors


def test_quotes_command_prints_the_quote_graph(sample_corpus, capsys):
    from converters.__main__ import main

    (page,) = sample_corpus.rglob("*.md")
    assert main(["quotes", str(page), "--corpus", str(sample_corpus)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("12 quotes, 5 articles")
    assert any(line.startswith("  post 8 Melodi <- night driver, post 7  [score 1.00, 119 words]") for line in lines)
    unknown = {line.split("unknown source ")[1].split()[0] for line in lines if "unknown source" in line}
    assert len(unknown) == 1
    assert main(["quotes", str(page), "--corpus", str(sample_corpus), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(e["n"], e["source_n"]) for e in data["quotes"]][:3] == [(6, None), (8, 7), (9, 3)]
    assert main(["quotes", str(sample_corpus / "nothing.txt")]) == 1
    assert "expected a corpus page" in capsys.readouterr().err


class _Counted(list):
    """A word list that counts how often alignment reads a word."""

    reads = 0

    def __getitem__(self, index):
        _Counted.reads += 1
        return super().__getitem__(index)


def test_aligning_a_long_copy_of_repetitive_text_reads_each_word_a_few_times():
    """A megabyte pasted twice (the same sentences over and over) must not make alignment quadratic."""
    from converters.align import align
    from converters.shingles import keys, positions

    sentences = ["the ferry was late again and the tide tables were blamed", "prices went up by a third"]
    words = [w for i in range(4000) for w in f"{sentences[i % 2]} ({i})".split()]
    a, b = _Counted(words), _Counted(words[: len(words) // 2])
    b_where, a_where = positions(keys(b)), positions(keys(a))
    _Counted.reads = 0
    (region,) = align(b, b_where, a, a_where, [0] * len(b), 5)
    assert (region.b0, region.b1, region.a0, region.matched) == (0, len(b), 0, len(b))
    assert _Counted.reads <= 4 * len(b)  # before: every run re-read the rest of the copy (~400 times as many)
