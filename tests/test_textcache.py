"""Kept n-gram keys (`converters.textcache`): a later import reads only the posts it compares, and traces
exactly as if it had read every post again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import converters.entities.resolve as resolve
import converters.quotes as quotes
from converters.textcache import FOLDER, NAME, TextCache
import converters.importer as importer
from converters.importer import _cues, import_captures
from converters.model import Thread, leaves

from conftest import synthetic_captures


def _corpus(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and FOLDER not in p.parts}


def _import(paths: list[Path], corpus: Path) -> None:
    import_captures([str(p) for p in paths], corpus, forum="Harbour Town Forum", retrieved="2024-03-01")


def _quoted_sources(corpus: Path) -> set[str]:
    sources = set()
    for side in corpus.rglob("*.thread.json"):
        for post in json.loads(side.read_text("utf-8"))["posts"]:
            sources.update(b.get("source") for b in post["blocks"] if b["kind"] == "quote" and b.get("source"))
    return sources


def test_kept_keys_trace_like_reading_every_post_and_read_only_candidates(tmp_path, monkeypatch):
    threads = synthetic_captures(tmp_path / "in", 120, seed=7)
    earlier, later = threads[:-4], threads[-4:]
    with_cache, without = tmp_path / "kept", tmp_path / "read-again"
    for corpus in (with_cache, without):
        _import(earlier, corpus)
    assert (with_cache / FOLDER / NAME).exists()
    earlier_anchors = {p["anchor"] for side in with_cache.rglob("*.thread.json")
                       for p in json.loads(side.read_text("utf-8"))["posts"]}

    shutil.rmtree(without / FOLDER)
    _import(later, without)
    read: list[str] = []
    real = quotes._entry
    monkeypatch.setattr(quotes, "_entry", lambda thread, *rest: read.append(thread) or real(thread, *rest))
    _import(later, with_cache)

    assert _corpus(with_cache) == _corpus(without)
    assert _quoted_sources(with_cache) & earlier_anchors, "the later threads quote posts of the earlier import"
    print(f"{len(read)} posts read for {len(earlier_anchors)} earlier posts")
    assert len(read) < len(earlier_anchors) / 2, "earlier posts are read only when they are candidates"


def test_a_thread_whose_texts_changed_is_read_again(tmp_path):
    corpus = tmp_path / "corpus"
    _import(synthetic_captures(tmp_path / "in", 12, seed=8), corpus)
    cache = TextCache.load(corpus)
    side = next(corpus.rglob("*.thread.json"))
    thread = Thread.from_json(json.loads(side.read_text("utf-8")))
    assert cache.grams(thread) is not None
    thread.posts[0].blocks[0].text += " and one more sentence"
    assert cache.grams(thread) is None


def test_an_unreadable_cache_is_read_as_empty(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / FOLDER).mkdir(parents=True)
    (corpus / FOLDER / NAME).write_bytes(b"not a pickle")
    _import(synthetic_captures(tmp_path / "in", 12, seed=9), corpus)
    assert TextCache.load(corpus).threads


def test_a_cache_that_cannot_be_written_does_not_fail_the_import(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / FOLDER).write_text("a file where the cache folder would be", "utf-8")
    _import(synthetic_captures(tmp_path / "in", 6, seed=10), corpus)
    assert list(corpus.rglob("*.md")), "the corpus is written"
    assert "could not keep the import's cache" in caplog.text


def test_name_resolution_reads_the_context_of_earlier_threads_from_the_cache(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _import(synthetic_captures(tmp_path / "in", 30, seed=9), corpus)
    earlier = {Thread.from_json(json.loads(p.read_text("utf-8"))).key for p in corpus.rglob("*.thread.json")}
    read: list[str] = []
    real = resolve.thread_cues
    monkeypatch.setattr(resolve, "thread_cues", lambda thread, gaz: read.append(thread.key) or real(thread, gaz))
    _import(synthetic_captures(tmp_path / "in2", 8, seed=10), corpus)
    assert read and not set(read) & earlier, "only the new threads' candidates are read in context"


def test_kept_context_cues_are_used_only_for_the_same_candidates_and_rules(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _import(synthetic_captures(tmp_path / "in", 12, seed=8), corpus)
    cache = TextCache.load(corpus)
    side = next(corpus.rglob("*.thread.json"))
    thread = Thread.from_json(json.loads(side.read_text("utf-8")))
    for post in thread.posts:  # as name resolution reads it: the candidates recognition left
        for block in leaves(post):
            block.mentions = [m for m in block.mentions if m.label not in resolve.DERIVED]
    made: list[int] = []

    def compute() -> dict:
        made.append(1)
        return {}

    _cues(cache, thread, compute)
    assert made == [], "kept for these texts, candidates and rules"
    with monkeypatch.context() as patch:
        patch.setattr(importer, "cues_version", lambda: "other rules")
        _cues(cache, thread, compute)
    assert made == [1]
    cache = TextCache.load(corpus)
    mention = next(m for p in thread.posts for b in leaves(p) for m in b.mentions)
    mention.label = "ORG" if mention.label != "ORG" else "PERSON"  # recognition read it differently
    _cues(cache, thread, compute)
    assert made == [1, 1]


def test_an_import_digests_each_thread_once(tmp_path, monkeypatch):
    """Every kept value is checked against a digest of the thread's texts: one digest a thread, as their texts
    are settled (the corpus's as loaded, the new ones once traced), not one at every look-up."""
    import converters.textcache as textcache

    captures = synthetic_captures(tmp_path / "in", 60, seed=11)
    corpus = tmp_path / "corpus"
    _import(captures[:-1], corpus)
    digested: list[str] = []
    real = textcache.texts_digest
    monkeypatch.setattr(textcache, "texts_digest", lambda thread: digested.append(thread.key) or real(thread))
    _import(captures[-1:], corpus)
    threads = len(list(corpus.rglob("*.thread.json")))
    assert threads > 3 and sorted(digested) == sorted(set(digested)) and len(digested) == threads
