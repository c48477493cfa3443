"""Kept thread models (`converters.modelcache`): the import reads the same models as from JSON, and never
a stale one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import converters.modelcache as modelcache
from converters.errors import ConversionError
from converters.importer import Catalog, import_captures

from conftest import synthetic_captures


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    import_captures([str(p) for p in synthetic_captures(tmp_path / "in", 30, seed=5)], folder,
                    forum="Harbour Town Forum", retrieved="2024-03-01")
    return folder


def _models(catalog: Catalog) -> dict[str, dict]:
    return {key: thread.to_json() for key, (_, thread) in catalog.threads.items()}


def test_kept_models_equal_the_files_and_follow_their_edits(corpus, monkeypatch):
    assert (corpus / ".cache" / modelcache.NAME).exists()  # the import kept the models of the files it wrote
    first = {key: json.loads(page.with_name(page.stem + ".thread.json").read_text("utf-8"))
             for key, (page, _) in Catalog.load(corpus).threads.items()}
    parsed: list[str] = []
    real = modelcache.Thread.from_json
    monkeypatch.setattr(modelcache.Thread, "from_json", lambda data: parsed.append(data["title"]) or real(data))
    assert _models(Catalog.load(corpus)) == first and parsed == []  # all from the cache
    sidecar = sorted(corpus.rglob("*.thread.json"))[0]
    data = json.loads(sidecar.read_text("utf-8"))
    data["title"] = "Edited by hand"
    sidecar.write_text(json.dumps(data), "utf-8")
    edited = Catalog.load(corpus)
    assert parsed == ["Edited by hand"]  # only the edited file is read again
    assert "Edited by hand" in {t.title for _, t in edited.threads.values()}


def test_a_corrupt_file_is_reported_though_its_model_was_kept(corpus):
    import_captures([], corpus)
    sidecar = sorted(corpus.rglob("*.thread.json"))[0]
    sidecar.write_text(sidecar.read_text("utf-8")[:-20], "utf-8")
    with pytest.raises(ConversionError) as caught:
        Catalog.load(corpus)
    assert caught.value.path == str(sidecar) and "corrupt thread model" in caught.value.message


def test_a_cache_of_another_model_code_is_not_read(corpus, monkeypatch):
    import_captures([], corpus)
    assert modelcache.ModelCache.load(corpus).models
    monkeypatch.setattr(modelcache, "_stamp", lambda: "another version of converters/model.py")
    assert modelcache.ModelCache.load(corpus).models == {}
