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
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

AUTO_MIN_ITEMS = 16  # below this many threads, starting worker processes costs more than it saves
SCHEDULERS = ("auto", "sync", "processes")


class Mapper(Protocol):
    def __call__(self, function: Callable[[Any], R], items: Sequence[Any]) -> list[R]: ...


def serial_map(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [function(item) for item in items]


def _partitions(items: Sequence[Any], workers: int) -> int:
    """A few partitions per worker: even load without a task per thread."""
    return max(1, min(len(items), 4 * workers))


class DaskMapper:
    """``map`` as a ``dask.bag`` computed on the given scheduler; an empty or tiny input stays local."""

    def __init__(self, scheduler: Any, workers: int, local_below: int = 0) -> None:
        self.scheduler, self.workers, self.local_below = scheduler, workers, local_below

    def __call__(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if len(items) < max(1, self.local_below):
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
        from concurrent.futures import ProcessPoolExecutor

        from dask.multiprocessing import get_context

        with ProcessPoolExecutor(workers, mp_context=get_context()) as pool:
            import dask

            with dask.config.set(pool=pool):
                yield DaskMapper("processes", workers, AUTO_MIN_ITEMS if scheduler == "auto" else 0)
        return
    from distributed import Client

    with Client(scheduler) as client:
        yield DaskMapper(client, max(1, len(client.scheduler_info().get("workers", {}))))
