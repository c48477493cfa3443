"""Imports on Dask: a `distributed.LocalCluster` gives the same corpus as a serial import, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import generate
from conftest import EXAMPLES
from converters import cluster
from converters.errors import ConversionError
from converters.importer import import_captures

distributed = pytest.importorskip("distributed")


def _files(corpus: Path) -> dict[str, bytes]:
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("captures")
    paths = list(EXAMPLES)
    for i, thread in enumerate(generate.Generator(3).corpus(40, per_thread=8)):
        paths.append(folder / f"synthetic-{i}.txt")
        paths[-1].write_text(generate.textdump(thread), "utf-8")
    return paths


@pytest.fixture(scope="module")
def address():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as local:
        yield local.scheduler_address


def test_cluster_import_equals_serial_import(tmp_path, captures, address):
    serial = import_captures(map(str, captures), tmp_path / "serial", forum="Harbour Town Forum")
    with cluster.mapper(address) as mapper:
        assert isinstance(mapper, cluster.DaskMapper)
        on_dask = import_captures(map(str, captures), tmp_path / "dask", forum="Harbour Town Forum", mapper=mapper)
    assert [o.page.name for o in on_dask] == [o.page.name for o in serial]
    assert _files(tmp_path / "dask") == _files(tmp_path / "serial")
    models = [json.loads(text) for name, text in _files(tmp_path / "dask").items() if name.endswith(".thread.json")]
    assert any(b.get("mentions") for m in models for p in m["posts"] for b in p["blocks"])  # names ran on Dask


def test_bad_file_on_a_worker_fails_the_whole_import(tmp_path, captures, address):
    corpus = tmp_path / "corpus"
    import_captures([str(captures[0])], corpus, forum="Harbour Town Forum")
    before = _files(corpus)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not a capture")
    with cluster.mapper(address) as mapper, pytest.raises(ConversionError) as caught:
        import_captures([*map(str, captures[1:]), str(bad)], corpus, forum="Harbour Town Forum", mapper=mapper)
    assert caught.value.path == str(bad) and "UTF-8" in caught.value.message
    assert _files(corpus) == before
