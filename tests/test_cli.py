"""The import command: help, exit codes, summaries, and atomic failure."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES, ROOT


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "converters", *args], cwd=cwd, capture_output=True, text=True)


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_help_explains_the_import():
    out = _run("import", "--help").stdout
    assert "--forum" in out and "--retrieved" in out and "atomic" in out


def test_import_writes_pages_and_reports(tmp_path):
    result = _run("import", "--forum", "Harbour Town Forum", "--corpus", str(tmp_path), *map(str, EXAMPLES))
    assert result.returncode == 0, result.stderr
    assert "11 posts (written)" in result.stdout and "5 posts (written)" in result.stdout
    assert len(list(tmp_path.rglob("*.md"))) == 2
    again = _run("import", "--quiet", "--forum", "Harbour Town Forum", "--corpus", str(tmp_path), str(EXAMPLES[0]))
    assert again.returncode == 0 and again.stdout == ""


def test_a_bad_file_leaves_the_corpus_exactly_as_it_was(tmp_path):
    corpus = tmp_path / "corpus"
    assert _run("import", "--forum", "F", "--corpus", str(corpus), str(EXAMPLES[0])).returncode == 0
    before = _snapshot(corpus)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\nalice\n\nMember\nbroken \xff\n")
    grown = tmp_path / "grown.txt"
    grown.write_text(EXAMPLES[0].read_text("utf-8").replace("\nTop", "\nlate\n\nMember\nnew post\n\u00a0\n\nTop"))
    result = _run("import", "--forum", "F", "--corpus", str(corpus), str(grown), str(EXAMPLES[1]), str(bad))
    assert result.returncode == 1
    assert f"{bad}:6: invalid UTF-8" in result.stderr and "unchanged" in result.stderr
    assert _snapshot(corpus) == before


def test_failure_while_writing_rolls_back(tmp_path, monkeypatch):
    """Fail in the middle of writing: no file of the import lands, no temporary file is left."""
    import os

    from converters import importer

    corpus = tmp_path / "corpus"
    importer.import_captures([str(EXAMPLES[0])], corpus, forum="F")
    before = _snapshot(corpus)
    real_fdopen, calls = os.fdopen, []

    def failing_fdopen(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_fdopen(*args, **kwargs)

    monkeypatch.setattr(importer.os, "fdopen", failing_fdopen)
    grown = tmp_path / "grown.txt"
    grown.write_text(EXAMPLES[0].read_text("utf-8").replace("\nTop", "\nlate\n\nMember\nnew post\n\u00a0\n\nTop"))
    try:
        importer.import_captures([str(grown), str(EXAMPLES[1])], corpus, forum="F")
    except OSError:
        pass
    else:
        raise AssertionError("the write failure was swallowed")
    assert _snapshot(corpus) == before


def test_unknown_format_and_missing_forum_are_clear_errors(tmp_path):
    odd = tmp_path / "odd.html"
    odd.write_text("<html><body>hello</body></html>")
    result = _run("import", "--forum", "F", "--corpus", str(tmp_path / "c"), str(odd))
    assert result.returncode == 1 and f"{odd}:1: unrecognised format" in result.stderr
    result = _run("import", "--corpus", str(tmp_path / "c"), str(EXAMPLES[0]))
    assert result.returncode == 1 and "pass --forum" in result.stderr
    missing = _run("import", "--forum", "F", "--corpus", str(tmp_path / "c"), str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "cannot read the file" in missing.stderr
    assert not (tmp_path / "c").exists()
