"""A later import renders only the threads it changes, and every page is still exactly a fresh rendering."""

from __future__ import annotations

import json
from pathlib import Path

import converters.importer as importer
from converters.entities.annotate import entities_of, resolve
from converters.model import Thread
from converters.myst_writer import WRITER, render

from conftest import EXAMPLES, json_capture, synthetic_captures


def _models(corpus: Path) -> dict[Path, Thread]:
    return {side.with_name(side.name.removesuffix(".thread.json") + ".md"):
            Thread.from_json(json.loads(side.read_text("utf-8"))) for side in corpus.rglob("*.thread.json")}


def _assert_pages_are_fresh_renderings(corpus: Path) -> None:
    models = _models(corpus)
    entities = resolve(list(models.values()), corpus)
    for page, thread in models.items():
        assert page.read_text("utf-8") == render(thread, entities_of(thread, entities)), page.name


def test_a_new_thread_renders_itself_and_leaves_the_rest_exact(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    importer.import_captures([str(p) for p in [EXAMPLES[0], *synthetic_captures(tmp_path / "a", 30, seed=3)]], corpus,
                             forum="Harbour Town Forum", retrieved="2024-03-01")
    before = {p: p.read_text("utf-8") for p in corpus.rglob("*.md")}
    rendered: list[str] = []
    real = importer.render
    monkeypatch.setattr(importer, "render", lambda thread, entities=(): rendered.append(thread.title) or real(
        thread, entities))
    new = [EXAMPLES[1], *synthetic_captures(tmp_path / "b", 12, seed=4)]
    outcomes = importer.import_captures([str(p) for p in new], corpus, forum="Harbour Town Forum",
                                        retrieved="2024-03-01")
    models = _models(corpus)
    titles = {t.title for t in models.values()}
    assert sorted(rendered) == sorted(models[o.page].title for o in outcomes)  # the imported threads only
    _assert_pages_are_fresh_renderings(corpus)
    changed = [p for p, text in before.items() if p.read_text("utf-8") != text]
    print(f"{len(rendered)} of {len(titles)} threads rendered, {len(changed)} older pages changed")


def test_pages_of_another_writer_version_are_rendered_anew(tmp_path):
    corpus = tmp_path / "corpus"
    importer.import_captures([str(EXAMPLES[0])], corpus, forum="Harbour Town Forum", retrieved="2024-03-01")
    (page,) = corpus.rglob("*.md")
    page.write_text(page.read_text("utf-8").replace(WRITER, "% written by converters.myst_writer 0000"), "utf-8")
    importer.import_captures([str(EXAMPLES[1])], corpus, forum="Harbour Town Forum", retrieved="2024-03-01")
    assert WRITER in page.read_text("utf-8")
    _assert_pages_are_fresh_renderings(corpus)


def test_a_quote_of_a_thread_imported_later_points_at_its_post_once_it_arrives(tmp_path):
    """Thread A quotes a post (by the forum's id) of thread B, which a later import brings: A's page and model
    are written again, its quote now naming B's post, exactly as if both had come in one import."""
    quoting = json_capture(tmp_path, "Harbour wall repairs", [
        {"author": "Mara Quill", "source_id": "a-1", "blocks": [
            {"kind": "quote", "text": "the quay will be closed for a week or two.", "source_id": "b-7"},
            {"kind": "text", "text": "Does anyone know for how long?"}]}])
    quoted = json_capture(tmp_path, "Council notices", [
        {"author": "Tom Penrose", "source_id": "b-7", "blocks": [
            {"kind": "text", "text": "the quay will be closed for a week or two."}]}])
    later, together = tmp_path / "later", tmp_path / "together"
    importer.import_captures([str(quoting)], later)
    (model,) = _models(later).values()
    assert model.posts[0].blocks[0].source is None
    importer.import_captures([str(quoted)], later)
    importer.import_captures([str(quoting), str(quoted)], together)
    by_title = {t.title: t for t in _models(later).values()}
    assert by_title["Harbour wall repairs"].posts[0].blocks[0].source == by_title["Council notices"].posts[0].anchor
    for page in together.rglob("*.md"):
        assert (later / page.relative_to(together)).read_text("utf-8") == page.read_text("utf-8"), page.name
    _assert_pages_are_fresh_renderings(later)


def _keys(corpus: Path) -> set[tuple[str, str]]:
    """(register key, name as written) of every mention in the corpus."""
    return {(m.key, b.text[m.start:m.end]) for t in _models(corpus).values() for p in t.posts for b in p.blocks
            for m in b.mentions if m.key}


def test_a_thread_captured_again_keeps_the_register_keys_of_its_names(tmp_path):
    """A later capture of a thread gives "Pemberton" his full name: his entry is now named "Gaz Pemberton",
    but its key, the address of its page, stays what it was."""
    first = [{"author": "gull", "source_id": "1", "blocks": [
                 {"kind": "text", "text": "Pemberton said the ferry will stop. I asked Pemberton twice about it."}]},
             {"author": "rook", "source_id": "2", "blocks": [
                 {"kind": "text", "text": "Pemberton never answers questions about the harbour."}]}]
    later = [*first, {"author": "gull", "source_id": "3", "blocks": [
        {"kind": "text", "text": "Gaz Pemberton, the harbour master, resigned today. Gaz Pemberton will be missed."}]}]
    corpus = tmp_path / "corpus"
    importer.import_captures([str(json_capture(tmp_path / "a", "Harbour board", first))], corpus)
    assert _keys(corpus) == {("pemberton", "Pemberton")}
    importer.import_captures([str(json_capture(tmp_path / "b", "Harbour board", later))], corpus)
    assert _keys(corpus) == {("pemberton", "Pemberton"), ("pemberton", "Gaz Pemberton")}
    entry = next(e for e in resolve(list(_models(corpus).values()), corpus).values() if e.key == "pemberton")
    assert entry.name == "Gaz Pemberton"
    _assert_pages_are_fresh_renderings(corpus)


def _said(author: str, source_id: str, text: str) -> dict:
    return {"author": author, "source_id": source_id, "blocks": [{"kind": "text", "text": text}]}


PERU_THREADS = [("Ferry news", [_said("gull", "1", "The ferry to Peru is late again. Peru should fix the port."),
                                _said("rook", "2", "I flew to Peru last year instead.")]),
                ("Harbour prices", [_said("tern", "3", "Prices in Peru went up. Everyone in Peru complains.")])]
NEW_SPELLING = ("Travel plans", [_said("gull", "4", "My cousin moved to the Republic of Peru last spring. "
                                                    "The Republic of Peru is lovely.")])


def test_a_new_spelling_of_a_name_writes_only_the_thread_that_brings_it(tmp_path):
    """A thread writes "Republic of Peru", a new alias of the entry two earlier threads name as "Peru". Each
    page lists the aliases written in its own thread, so the earlier pages stay as they were: when every page
    listed every alias, such a thread rewrote each page naming the entry (1,235 pages of the 50,000-post
    bench corpus for one "Seattle Congress"), and the site read all of them again."""
    corpus = tmp_path / "corpus"
    importer.import_captures([str(json_capture(tmp_path / "a", *t)) for t in PERU_THREADS], corpus)
    before = {p: p.read_text("utf-8") for p in corpus.rglob("*.md")}
    importer.import_captures([str(json_capture(tmp_path / "b", *NEW_SPELLING))], corpus)
    after = {p: p.read_text("utf-8") for p in corpus.rglob("*.md")}
    assert {p for p in after if before.get(p) != after[p]} == {corpus / "harbour-town-forum" / "travel-plans.md"}
    peru = resolve(list(_models(corpus).values()), corpus)["peru"]
    assert "Republic of Peru" in peru.aliases
    assert "Republic of Peru" in after[corpus / "harbour-town-forum" / "travel-plans.md"]
    _assert_pages_are_fresh_renderings(corpus)
