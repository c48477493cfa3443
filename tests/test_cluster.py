"""Imports on Dask: a `distributed.LocalCluster` gives the same corpus as a serial import, all or nothing."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
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


# -- a small import: names recognised in a helper that loaded the model while the corpus was read ----------

PRELOADED: list[int] = []


def _preload() -> None:
    PRELOADED.append(os.getpid())


def _failing_preload() -> None:
    raise RuntimeError("no model here")


def _where(item: int) -> tuple[int, int, list[int]]:
    return item * 2, os.getpid(), PRELOADED


def test_expected_work_runs_in_the_helper_that_preloaded_it_and_the_helper_is_stopped():
    before = set(multiprocessing.active_children())  # (the module's LocalCluster)
    mapper = cluster.DaskMapper("processes", workers=2, local_below=cluster.AUTO_MIN_ITEMS)
    try:
        assert mapper([1, 2].__getitem__, [0, 1]) == [1, 2]  # before: in this process
        mapper.expect(_preload, 2)
        results = mapper(_where, [1, 2])
    finally:
        mapper.close()
    assert [r[0] for r in results] == [2, 4]
    pids = {r[1] for r in results}
    assert pids != {os.getpid()} and len(pids) == 1 and results[0][2] == [*pids]  # preloaded where it ran
    assert set(multiprocessing.active_children()) <= before


def test_a_failing_preload_leaves_the_work_to_fail_or_succeed_on_its_own():
    mapper = cluster.DaskMapper("processes", workers=2, local_below=cluster.AUTO_MIN_ITEMS)
    try:
        mapper.expect(_failing_preload, 1)
        assert [r[0] for r in mapper(_where, [3])] == [6]  # no endless restart of a helper that cannot start
    finally:
        mapper.close()


def test_a_small_auto_import_equals_a_serial_one(tmp_path, captures):
    before = set(multiprocessing.active_children())
    serial = import_captures(map(str, captures[:2]), tmp_path / "serial", forum="Harbour Town Forum")
    with cluster.mapper("auto", workers=2) as mapper:
        auto = import_captures(map(str, captures[:2]), tmp_path / "auto", forum="Harbour Town Forum", mapper=mapper)
        assert mapper.helper is not None  # the names were recognised in the helper
    assert [o.page.name for o in auto] == [o.page.name for o in serial]
    assert _files(tmp_path / "auto") == _files(tmp_path / "serial")
    assert set(multiprocessing.active_children()) <= before


def test_with_one_core_or_many_items_no_helper_is_started():
    one_core = cluster.DaskMapper("processes", workers=1, local_below=cluster.AUTO_MIN_ITEMS)
    one_core.expect(_preload, 2)
    many = cluster.DaskMapper("processes", workers=2, local_below=cluster.AUTO_MIN_ITEMS)
    many.expect(_preload, cluster.AUTO_MIN_ITEMS)  # these go to the pool, whose workers load it themselves
    assert one_core.helper is None and many.helper is None


ROOT = Path(__file__).resolve().parents[1]
FORKED_HELPER = """
import gc, json, os
from converters import cluster
MARK = []

def _mark():
    MARK.append(os.getpid())

def _seen(item):
    return item, os.getpid(), list(MARK), gc.isenabled()

if __name__ == "__main__":
    MARK.append("set before the helper started")
    gc.disable()  # as the import does
    mapper = cluster.DaskMapper("processes", workers=2, local_below=cluster.AUTO_MIN_ITEMS)
    try:
        mapper.expect(_mark, 1)
        print(json.dumps({"parent": os.getpid(), "seen": mapper(_seen, [7])[0]}))
    finally:
        mapper.close()
"""


def test_a_single_threaded_import_forks_its_helper_from_what_it_has_loaded(tmp_path):
    """A forked helper starts from this process (modules loaded, state set) instead of a fresh interpreter."""
    script = tmp_path / "helper.py"
    script.write_text(FORKED_HELPER, "utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    item, helper, mark, collecting = found["seen"]
    assert item == 7 and helper != found["parent"]
    assert collecting  # the model's work collects its garbage, though the import does not
    expected = ["set before the helper started", helper] if sys.platform == "linux" else [helper]
    assert mark == expected
