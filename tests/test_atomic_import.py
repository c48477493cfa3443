"""Imports are all-or-nothing: a failure at any step leaves the corpus exactly as it was (git status clean)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from converters import importer


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


class Fail:
    """Make the ``n``-th call of a function raise, as a full disk or a crash would."""

    def __init__(self, real, n: int) -> None:
        self.real, self.n, self.calls = real, n, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.n:
            raise OSError(28, "No space left on device (injected)")
        return self.real(*args, **kwargs)


def _files(corpus: Path) -> dict[Path, str]:
    """An import's files: two changed pages, one new page in a new forum folder (three levels deep)."""
    return {corpus / "forum-a" / "one.md": "one, changed\n", corpus / "forum-a" / "two.md": "two, changed\n",
            corpus / "forum-b" / "deep" / "three.md": "three, new\n"}


@pytest.mark.parametrize("target", ["fdopen", "copyfile", "replace"])
def test_a_failure_at_any_step_of_writing_changes_nothing(tmp_path, monkeypatch, target):
    corpus = tmp_path / "corpus"
    (corpus / "forum-a").mkdir(parents=True)
    for name in ("one", "two"):
        (corpus / "forum-a" / f"{name}.md").write_text(f"{name}, as it was\n")
    before, folders = _snapshot(corpus), _folders(corpus)
    module = {"fdopen": importer.os, "copyfile": importer.shutil, "replace": importer.os}[target]
    real = getattr(module, target)
    steps = 0
    for n in range(1, 10):
        failing = Fail(real, n)
        monkeypatch.setattr(module, target, failing)
        try:
            importer.write_atomically(_files(corpus))
        except OSError:
            steps += 1
            assert _snapshot(corpus) == before, f"failing {target} call {n} changed the corpus"
            assert _folders(corpus) == folders, f"failing {target} call {n} left folders behind"
        else:
            break
        finally:
            monkeypatch.setattr(module, target, real)
    assert steps >= 2, f"{target} was called too few times to test"
    importer.write_atomically(_files(corpus))
    assert _snapshot(corpus) == {k.relative_to(corpus).as_posix(): v.encode() for k, v in _files(corpus).items()}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository holding a corpus of the example threads, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.org")
    _git(repo, "config", "user.name", "test")
    importer.import_captures([str(EXAMPLES[0])], repo / "corpus", forum="Harbour Town Forum")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "corpus")
    return repo


def test_a_corrupted_import_leaves_git_status_clean(repo, tmp_path, monkeypatch):
    grown = tmp_path / "grown.txt"
    grown.write_text(EXAMPLES[0].read_text("utf-8").replace("\nTop", "\nlate\n\nMember\nnew post\n\u00a0\n\nTop"))
    bad = tmp_path / "corrupt.txt"
    bad.write_bytes(EXAMPLES[1].read_bytes()[:500] + b"\xff\xfe garbage")
    result = subprocess.run([sys.executable, "-m", "converters", "import", "--forum", "Harbour Town Forum",
                             "--corpus", str(repo / "corpus"), str(grown), str(EXAMPLES[1]), str(bad)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "corrupt.txt:" in result.stderr and "invalid UTF-8" in result.stderr
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    # The disk fills up while the files are moved into place: the second move fails.
    monkeypatch.setattr(importer.os, "replace", Fail(os.replace, 2))
    with pytest.raises(OSError, match="injected"):
        importer.import_captures([str(grown), str(EXAMPLES[1])], repo / "corpus", forum="Harbour Town Forum")
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == ""
