"""Fuzzing every input format: whatever the bytes, the result is a thread model or a ConversionError naming the file.

Hypothesis feeds each format module (and format detection) arbitrary bytes and text, and mutations of
real captures of every format (lines dropped, repeated, swapped or cut, hostile text spliced in). An
unhandled exception is a bug: the importer must never crash on input. Every thread that comes out
must render to a page.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from converters import formats
from converters.errors import ConversionError
from converters.model import Thread
from converters.myst_writer import render
from hostile import payloads

PATH = "captures/fuzzed.input"
MODULES = formats.available()
SEEDS = [p.read_bytes() for p in [*EXAMPLES, *sorted((ROOT / "tests" / "fixtures" / "xenforo").glob("page-*.html")),
                                  *sorted((ROOT / "tests" / "fixtures" / "discourse").glob("*.json"))]]
SEEDS.append(json.dumps({"format": "forum-thread", "version": 1, "title": "T", "forum": "F", "prefix": "P",
                         "url": "https://example.org/t", "chrome": [{"line": 1, "text": "Top"}],
                         "posts": [{"author": "a", "anchor": "a-abcdef", "n": 1, "blocks": [
                             {"kind": "text", "text": "hi", "links": [{"start": 0, "end": 2, "url": "https://x.org/"}]},
                             {"kind": "article", "text": "x", "meta": {"title": "t"}},
                             {"kind": "quote", "text": "q", "source": "a-abcdef"}]}]}).encode())
SNIPPETS = [p.text.encode("utf-8", "surrogatepass") for p in payloads()[::7]] + [b"\x00", b"\xff", b"\xc3", b"\r", b"{", b"<"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _outcome(thread_or_error) -> None:
    if isinstance(thread_or_error, ConversionError):
        assert thread_or_error.path == PATH and str(thread_or_error).startswith(PATH), str(thread_or_error)
        assert thread_or_error.line is None or thread_or_error.line >= 1
        return
    assert isinstance(thread_or_error, Thread)
    render(thread_or_error)


def _run(call):
    try:
        result = call()
    except ConversionError as err:
        result = err
    _outcome(result)


@st.composite
def mutated(draw) -> bytes:
    """A real capture with its lines dropped, repeated, swapped, cut or spliced with hostile bytes."""
    lines = draw(st.sampled_from(SEEDS)).split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "repeat", "swap", "cut", "splice", "truncate"]))
        if op == "drop":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        elif op == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(SNIPPETS)) + lines[i][at:]
        else:
            lines = lines[:i]
    return b"\n".join(lines)


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_thread_or_a_clear_error(data):
    _run(lambda: formats.parse(PATH, data))


@FUZZ
@given(mutated())
def test_mutated_captures_give_a_thread_or_a_clear_error(data):
    _run(lambda: formats.parse(PATH, data))


@FUZZ
@given(st.sampled_from(MODULES), st.one_of(st.text(max_size=2000), mutated().map(lambda b: b.decode("utf-8", "replace"))))
def test_every_format_module_handles_any_text(module, text):
    """Each module on its own (as ``--format NAME`` forces it), whatever the text."""
    module.detect(text)
    _run(lambda: module.parse(text, PATH))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                           max_leaves=30)


@FUZZ
@given(st.dictionaries(st.sampled_from(["title", "forum", "prefix", "url", "retrieved", "source", "chrome", "posts",
                                        "pages", "extra"]), json_values, max_size=6),
       st.lists(st.dictionaries(st.sampled_from(["author", "user_title", "anchor", "n", "blocks", "date", "status",
                                                 "edited", "tombstone", "provenance", "position", "x"]),
                                json_values, max_size=6), max_size=3))
def test_thread_json_of_any_shape_gives_a_thread_or_a_clear_error(fields, posts):
    document = {"format": "forum-thread", "version": 1, "title": "T", "forum": "F", **fields}
    if posts:
        document["posts"] = posts
    _run(lambda: formats.parse(PATH, json.dumps(document).encode()))
