"""The built gazetteer is kept in the user's cache folder and used again only while it is current."""

from __future__ import annotations

import pytest

from converters.entities import gazetteer as gz

TEXT = "Flights from Lima to New York and Paris were cancelled."


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(gz.CACHE_ENV, str(tmp_path / "cache"))
    gz.gazetteer.cache_clear()
    yield tmp_path / "cache"
    gz.gazetteer.cache_clear()


def _places(gaz: gz.Gazetteer) -> list[tuple[int, int, str]]:
    return [(start, stop, place.id) for start, stop, place in gaz.find(TEXT)]


def _never_built(monkeypatch) -> None:
    def refuse(self) -> None:
        raise AssertionError("the gazetteer was built although a current copy was kept")
    monkeypatch.setattr(gz.Gazetteer, "__init__", refuse)


def test_a_second_process_loads_the_kept_gazetteer_and_finds_the_same_places(cache, monkeypatch):
    built = gz.gazetteer()
    assert [p.name for p in cache.glob("gazetteer-*.pickle")]
    gz.gazetteer.cache_clear()  # as a new process would start
    _never_built(monkeypatch)
    kept = gz.gazetteer()
    assert kept is not built
    assert _places(kept) == _places(built) and len(_places(kept)) == 3
    assert kept.lookup("Junin") == built.lookup("Junín")


def test_a_changed_source_makes_a_new_copy_and_drops_the_old(cache, monkeypatch):
    gz.gazetteer()
    first = {p.name for p in cache.glob("gazetteer-*.pickle")}
    monkeypatch.setattr(gz, "fingerprint", lambda: "0" * 24)  # the module, a table or a package changed
    gz.gazetteer.cache_clear()
    gz.gazetteer()
    assert {p.name for p in cache.glob("gazetteer-*.pickle")} == {"gazetteer-" + "0" * 24 + ".pickle"} != first


def test_a_damaged_copy_is_built_again(cache):
    gz.gazetteer()
    (kept,) = cache.glob("gazetteer-*.pickle")
    kept.write_bytes(b"\x80\x05 not a pickle")
    gz.gazetteer.cache_clear()
    assert len(_places(gz.gazetteer())) == 3
    assert kept.read_bytes()[:2] == b"\x80\x05" and kept.stat().st_size > 1000  # written again


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(gz.CACHE_ENV, str(blocker / "cache"))
    gz.gazetteer.cache_clear()
    try:
        assert len(_places(gz.gazetteer())) == 3
    finally:
        gz.gazetteer.cache_clear()
