"""Bad files get clear errors: the file, the line where known, and what was expected; nothing is written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT
from converters.errors import ConversionError
from converters.formats import parse
from converters.importer import import_captures

THREAD = {"format": "forum-thread", "version": 1, "title": "T", "forum": "F",
          "posts": [{"author": "alice", "blocks": [{"kind": "text", "text": "hello"}]}]}
DUMP = "NEWS\u00a0A title\n\nalice\n\nMember\nhello\n\u00a0\n\nTop\n"


def _json(**changes) -> bytes:
    return json.dumps({**THREAD, **changes}).encode()


@pytest.mark.parametrize(("data", "line", "expected"), [
    ("hello".encode("utf-16"), 1, "UTF-16 text; expected a text capture saved as UTF-8"),
    (b"%PDF-1.7\n%\xe2\xe3", 1, "a PDF document"),
    (b"PK\x03\x04\x14\x00", 1, "a ZIP archive"),
    (b"\x1f\x8b\x08\x00", 1, "a gzip archive"),
    (b"\x89PNG\r\n\x1a\n", 1, "a PNG image"),
    (DUMP.encode() + b"\n" * 9000 + b"x\x00y", 9010, "binary data (NUL byte)"),
    (DUMP.encode()[:-3] + "é".encode()[:1], 9, "ends inside a UTF-8 character (truncated?)"),
    (_json()[:-20], 1, "(the file ends early: truncated?)"),
    (b'{"format": "forum-thread", "version": 1, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", None, "nested too deeply"),
    (b'{"format": "forum-thread", "version": 1, "n": 1' + b"0" * 5000 + b"}", None, "unreadable JSON"),
    (_json(posts=[{"author": "a", "anchor": "a-1\n```{raw} html"}]), None, "at posts/0/anchor"),
    (_json(posts=[{"author": "a", "mystery": 1}]), None, "unexpected keyword argument 'mystery'"),
    (_json(posts=[{"author": "a", "blocks": [{"kind": "script", "text": "x"}]}]), None, "at posts/0/blocks/0/kind"),
    (b"NEWS\xc2\xa0A title\n\n", 1, "unrecognised format; expected one of: "),
])
def test_bad_file_is_named_with_line_and_expectation(data, line, expected):
    with pytest.raises(ConversionError) as caught:
        parse("captures/bad.x", data)
    error = caught.value
    assert error.path == "captures/bad.x" and error.line == line and expected in str(error), str(error)
    assert str(error).startswith("captures/bad.x" + (f":{line}: " if line else ": "))


def test_an_anchor_taken_by_another_thread_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    import_captures([str(EXAMPLES[0])], corpus, forum="F")
    taken = json.loads(next(corpus.rglob("*.thread.json")).read_text("utf-8"))["posts"][0]["anchor"]
    thief = tmp_path / "thief.json"
    thief.write_bytes(_json(title="Other", posts=[{"author": "mallory", "anchor": taken, "blocks": []}]))
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    with pytest.raises(ConversionError, match=f"post anchor '{taken}' is already used"):
        import_captures([str(thief)], corpus)
    assert before == {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}


def test_cli_reports_every_kind_of_bad_file_and_writes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    run = [sys.executable, "-m", "converters", "import", "--quiet", "--forum", "F", "--corpus", str(corpus)]
    assert subprocess.run([*run, str(EXAMPLES[0])], cwd=ROOT, capture_output=True).returncode == 0
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    cases = {"empty.txt": b"", "binary.txt": b"abc\x00def", "utf16.txt": "x".encode("utf-16"),
             "truncated.json": _json()[:40], "prose.txt": b"Just one line of prose.\n"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    for name, message in {"empty.txt": "empty.txt: the file is empty", "binary.txt": "binary.txt:1: binary data",
                          "utf16.txt": "utf16.txt:1: this is UTF-16", "truncated.json": "truncated.json:1: invalid JSON",
                          "prose.txt": "prose.txt:1: unrecognised format", "folder": "folder: cannot read the file"}.items():
        if name == "folder":
            (tmp_path / name).mkdir()
        result = subprocess.run([*run, str(EXAMPLES[1]), str(tmp_path / name)], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 1, result.stderr
        assert message in result.stderr and "the corpus is unchanged" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert before == {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
