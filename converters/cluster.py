"""Where an import's per-thread work runs: in this process, on local Dask workers, or on a Dask cluster.

Two stages of an import do the same work for each thread, independently of the others: parsing the
captures and recognising names (spaCy, the slowest stage by far). They go through a `Mapper`, a
``map(function, items) -> list`` that keeps the order of ``items``. Everything that needs the whole
corpus (anchors, quote tracing, resolving the register, the atomic write) stays in the importing
process, so an import gives the same corpus whichever mapper ran it, and a failed import still writes
nothing.

``--scheduler`` picks the mapper: ``auto`` (the default: this process for a handful of threads,
Dask's local process pool for more), ``sync`` (this process), ``processes`` (a local pool, one
worker per core) or the address of a ``distributed`` scheduler (``tcp://host:8786``), whose
workers must have this project importable and, for names, spaCy and its model installed.

Loading spaCy and its model takes about two seconds, as long as recognising the names of a few
threads. A stage that needs a model says so early (`Mapper.expect`): under ``auto``, a handful of
threads is then recognised in one helper process that starts loading the model at once, while this
process reads the corpus and traces quotes (on a machine with a second core, those seconds are
no longer added to the import's).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

AUTO_MIN_ITEMS = 16  # below this many threads, starting worker processes costs more than it saves
SCHEDULERS = ("auto", "sync", "processes")


class Mapper(Protocol):
    def __call__(self, function: Callable[[Any], R], items: Sequence[Any]) -> list[R]: ...

    def expect(self, preload: Callable[[], object], count: int) -> None:
        """``count`` items of work that needs ``preload()`` (loading a model) will be mapped later."""


class InProcess:
    """This process, in order (``--scheduler sync``): the work loads what it needs when it first runs."""

    def __call__(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return [function(item) for item in items]

    def expect(self, preload: Callable[[], object], count: int) -> None:
        pass


serial_map = InProcess()


def _partitions(items: Sequence[Any], workers: int) -> int:
    """A few partitions per worker: even load without a task per thread."""
    return max(1, min(len(items), 4 * workers))


def _preloading(preload: Callable[[], object]) -> None:
    """A helper's start: ``preload()``, whose failure the work will meet again and report (a failed start would
    make the pool start another helper, forever). A forked helper collects garbage again: the import
    that forked it does not (`converters.__main__`), but the model's work is not the import's."""
    gc.enable()
    try:
        preload()
    except Exception:  # noqa: BLE001 - the work loads the same model, and fails with the reason
        pass


def _helper_context() -> BaseContext:
    """How to start the helper: forked where the platform can and this process runs a single thread (a forked
    helper starts without loading Python and this project again, and is ready about half a second
    sooner); else Dask's context, which spawns a fresh interpreter (forking a process whose other threads
    may hold locks can hang the child)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    from dask.multiprocessing import get_context

    return get_context()


class DaskMapper:
    """``map`` as a ``dask.bag`` computed on the given scheduler; an empty or tiny input stays local (in the
    helper process `expect` started, if any)."""

    def __init__(self, scheduler: Any, workers: int, local_below: int = 0) -> None:
        self.scheduler, self.workers, self.local_below = scheduler, workers, local_below
        self.helper: Pool | None = None

    def expect(self, preload: Callable[[], object], count: int) -> None:
        """Work for fewer than ``local_below`` items would run in this process and load its model there,
        after everything before it: start one helper process that loads it now (on another core), and run
        small work there from now on."""
        if self.helper is None and self.workers > 1 and 0 < count < self.local_below:
            self.helper = _helper_context().Pool(1, initializer=_preloading, initargs=(preload,))

    def close(self) -> None:
        """Stop the helper at once: it holds nothing to keep."""
        if self.helper is not None:
            self.helper.terminate()
            self.helper.join()
            self.helper = None

    def __call__(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if len(items) < max(1, self.local_below):
            if self.helper is not None:
                return self.helper.map(function, items)
            return serial_map(function, items)
        import dask.bag as db

        bag = db.from_sequence(list(items), npartitions=_partitions(items, self.workers))
        return list(bag.map(function).compute(scheduler=self.scheduler))


@contextmanager
def mapper(scheduler: str = "auto", workers: int | None = None) -> Iterator[Mapper]:
    """The mapper ``scheduler`` names, with its workers started and stopped around the import."""
    if scheduler == "sync":
        yield serial_map
        return
    workers = workers or os.cpu_count() or 1
    if scheduler in ("auto", "processes"):
        from dask.multiprocessing import get_context

        with ProcessPoolExecutor(workers, mp_context=get_context()) as pool:
            import dask

            local = DaskMapper("processes", workers, AUTO_MIN_ITEMS if scheduler == "auto" else 0)
            try:
                with dask.config.set(pool=pool):
                    yield local
            finally:
                local.close()
        return
    from distributed import Client

    with Client(scheduler) as client:
        yield DaskMapper(client, max(1, len(client.scheduler_info().get("workers", {}))))
