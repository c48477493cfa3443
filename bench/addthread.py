"""Where the time of adding one thread goes: the import and the rebuild of a built bench site, step by step.

`make bench` times adding a thread as a whole; this splits it, on a site that ``make bench`` (or
``bench/run.py``) built and left in place (``_build/bench/10000``). It imports one new synthetic
thread (``--seed`` picks which) exactly as ``python -m converters import`` does, timing its steps,
then rebuilds the site serially in a second process, timing each event handler of the extension
and Sphinx's own steps, counting the register pages made and the documents read and written, and
how long that process takes to end once the build returned (``--collect-at-exit``: as long as it
took before the build froze what it made, `ext.collector`).
Each run adds a thread: the site keeps growing by one.

    python bench/addthread.py _build/bench/10000 --seed 101
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/, whose citeproc.py would shadow the citeproc package

FORUM = "Bench Forum"  # as `bench.run` imports
RESOLVER_STEPS = ("__init__", "_collect", "_group", "_merge", "_clusters", "_entities", "_propagate", "_inherit_quotes")


def counted(function: Callable[..., Any], label: str, into: dict[str, list[float]]) -> Callable[..., Any]:
    """``function``, counting its calls and the time spent in them in ``into[label]`` (calls, seconds)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            into[label][0] += 1
            into[label][1] += time.perf_counter() - start

    return wrapper


@contextmanager
def timing(owner: Any, name: str, into: dict[str, list[float]], label: str | None = None) -> Iterator[None]:
    """`counted` calls of ``owner.name`` (a function or method) while inside."""
    real = getattr(owner, name)
    setattr(owner, name, counted(real, label or name, into))
    try:
        yield
    finally:
        setattr(owner, name, real)


def import_steps(site: Path, seed: int) -> dict[str, float]:
    """Import one new thread into ``site/corpus`` through the command line's own entry point."""
    from bench import generate
    from converters import __main__ as cli
    from converters import importer
    from converters.entities import annotate
    from converters.entities.resolve import Resolver

    steps: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    with tempfile.TemporaryDirectory() as tmp:
        capture = Path(tmp) / f"thread-{seed}.txt"
        capture.write_text(generate.textdump(generate.Generator(seed).thread(generate.POSTS_PER_THREAD)), "utf-8")
        with ExitStack() as stack:
            for owner, name, label in [(importer.Catalog, "load", "read the thread models"),
                                       (importer, "_trace", "trace quotes"),
                                       (annotate, "recognise", "recognise names (spaCy load included)"),
                                       (annotate, "resolve", "resolve the register"),
                                       *((Resolver, step, f"  resolve: {step.strip('_')}") for step in RESOLVER_STEPS),
                                       (importer, "write_atomically", "write")]:
                stack.enter_context(timing(owner, name, steps, label))
            start = time.perf_counter()
            cli.main(["import", "--quiet", "--forum", FORUM, "--retrieved", "2024-03-01", "--corpus",
                      str(site / "corpus"), str(capture)])
            whole = time.perf_counter() - start
    return {**{label: seconds for label, (_, seconds) in steps.items()}, "whole import (this process)": whole}


def build_steps(site: Path, work: Path) -> dict[str, Any]:
    """Rebuild the site serially (in this process: run as ``--build-only``), timing what runs."""
    from sphinx.cmd.build import main as sphinx_main
    from sphinx.events import EventManager

    from ext.register.pages import Pages

    calls: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    connect = EventManager.connect

    def timed_connect(self: EventManager, name: str, callback: Callable[..., Any], priority: int) -> int:
        label = f"{name}: {getattr(callback, '__module__', '?')}.{getattr(callback, '__qualname__', callback)}"
        return connect(self, name, counted(callback, label, calls), priority)

    with ExitStack() as stack:
        stack.callback(setattr, EventManager, "connect", connect)
        EventManager.connect = timed_connect  # type: ignore[method-assign]
        stack.enter_context(timing(Pages, "entry_page", calls, "(register entry pages made)"))
        start = time.perf_counter()
        rc = sphinx_main(["-b", "html", "-q", "-d", str(work / "doctrees"), str(site), str(work / "html")])
        whole = time.perf_counter() - start
    if rc:
        raise SystemExit(f"the build failed ({rc})")
    shown = sorted(((k, int(n), round(v, 3)) for k, (n, v) in calls.items() if v >= 0.02 or k.startswith("(")),
                   key=lambda item: -item[2])
    return {"whole build (this process)": round(whole, 2), "handlers": shown}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="a size's folder of the benchmark, such as _build/bench/10000")
    parser.add_argument("--seed", type=int, default=101, help="which synthetic thread to add (default: 101)")
    parser.add_argument("--collect-at-exit", action="store_true",
                        help="let the build's process free what it made when it exits, as before ext/collector.py")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    site = args.work / "site"
    if not (site / "conf.py").exists() or not (args.work / "doctrees").is_dir():
        parser.error(f"{args.work} is not a built benchmark site (run `make bench` first)")
    if args.build_only:
        print(json.dumps({**build_steps(site, args.work), "returned": time.time()}), flush=True)
        if args.collect_at_exit:
            gc.unfreeze()
        return 0
    steps = import_steps(site, args.seed)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, str(args.work), "--build-only",
                           *(["--collect-at-exit"] if args.collect_at_exit else [])], capture_output=True, text=True)
    build_wall, ended = time.perf_counter() - start, time.time()
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
        return proc.returncode
    build = json.loads(proc.stdout.strip().splitlines()[-1])
    print("import, by step (s):")
    for name, seconds in steps.items():
        print(f"  {seconds:7.2f}  {name}")
    print(f"build (s): {build_wall:.2f} with start-up, {build['whole build (this process)']:.2f} inside, "
          f"{ended - build['returned']:.2f} for its process to end after it; by event handler:")
    for name, calls, seconds in build["handlers"]:
        print(f"  {seconds:7.3f}  {name} ({calls} calls)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
