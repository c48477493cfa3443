"""Quote tracing at scale: time per post as the corpus grows, and how many planted quotes are found.

The corpus is `bench.generate`'s synthetic threads (quotes of earlier paragraphs, also across threads;
articles pasted into several threads), parsed by the text-dump converter and given anchors first;
only `QuoteTracer.trace` is timed (processor time, so that other work on the machine does not count;
wall time is reported too), thread after thread, as an import of the whole corpus would run it (with
its garbage-collector thresholds).
Besides the mean per post, the mean over the last tenth of the posts shows the marginal cost once
the index holds nearly the whole corpus: flat means tracing stays near-linear.

Those means come from separate runs minutes apart, on a machine whose speed drifts by a third.
``--marginal`` measures the question itself in one process: it traces corpora of each size, then
traces the threads that come next in the same synthetic forum into each, the sizes taking turns
round after round (each probe is undone afterwards, so every round sees the same corpus), and
counts the work each post of a probe costs (candidate sources proposed, alignments, and those that
found a passage), which no machine noise changes.

    python bench/tracing.py 1000 10000          # a table
    python bench/tracing.py 1000 10000 --json   # the figures as JSON
    python bench/tracing.py 10000 --memory      # also what the tracer holds (a separate, slower run)
    python bench/tracing.py 1000 10000 50000 --marginal   # the next threads' cost at each size

`measure` is the importable form (the full benchmark, ``make bench``, can call it).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from converters import quotes  # noqa: E402
from converters.anchors import reconcile  # noqa: E402
from converters.formats import textdump  # noqa: E402
from converters.model import Thread  # noqa: E402
from converters.quotes import QuoteTracer  # noqa: E402
from converters.shingles import ShingleIndex  # noqa: E402


def corpus(posts: int, seed: int = 7) -> tuple[list[Thread], int]:
    """Synthetic threads holding ``posts`` posts, with anchors, and how many quotes were planted in them."""
    synth = generate.Generator(seed).corpus(posts)
    return parsed(synth), sum(1 for t in synth for p in t.posts if p.quote)


def parsed(synth: list[generate.SynthThread], first: int = 1, taken: set[str] | None = None) -> list[Thread]:
    """The synthetic threads as the text-dump converter reads them, numbered from ``first``, with anchors
    (none of them in ``taken``, the anchors of the threads before)."""
    threads, taken = [], set(taken or ())
    for i, source in enumerate(synth, start=first):
        thread = textdump.parse(generate.textdump(source), f"bench-{i}.txt")
        thread.forum, thread.sequence = "Bench Forum", i
        thread.url = f"https://forum.example/threads/{i}/"  # generated titles repeat; URLs keep threads apart
        reconcile(thread, None, taken)
        taken.update(p.anchor for p in thread.posts)
        threads.append(thread)
    return threads


@contextmanager
def collecting_as_the_import() -> Iterator[None]:
    """No garbage collection, as in ``python -m converters import``: with the default thresholds,
    each full collection walks every traced post again, and tracing seemed to slow down as the corpus grew."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@collecting_as_the_import()
def measure(posts: int, seed: int = 7) -> dict[str, Any]:
    """Trace a synthetic corpus of ``posts`` posts; timings in milliseconds per post."""
    threads, planted = corpus(posts, seed)
    tracer = QuoteTracer()
    times: list[float] = []
    wall = time.perf_counter()
    for thread in threads:
        start = time.process_time()
        tracer.trace(thread)
        times.extend([(time.process_time() - start) / len(thread.posts)] * len(thread.posts))
    wall = time.perf_counter() - wall
    tail = times[-max(1, len(times) // 10):]
    first_blocks = [p.blocks[0] for t in threads for p in t.posts if p.blocks]
    return {
        "posts": len(times), "threads": len(threads), "seconds": round(sum(times), 3),
        "wall_seconds": round(wall, 3), "ms_per_post": round(1000 * sum(times) / len(times), 3),
        "ms_per_post_last_tenth": round(1000 * sum(tail) / len(tail), 3),
        "planted_quotes": planted,
        "quotes_found_first": sum(b.kind == "quote" for b in first_blocks),
        "articles": sum(b.kind == "article" for t in threads for p in t.posts for b in p.blocks),
    }


class Probe:
    """A corpus of one size, traced, and the threads that come next in the same synthetic forum."""

    def __init__(self, synth: list[generate.SynthThread], posts: int, threads: int) -> None:
        count = next(k for k in range(1, len(synth) + 1) if sum(len(t.posts) for t in synth[:k]) >= posts)
        self.posts = sum(len(t.posts) for t in synth[:count])
        self.corpus = parsed(synth[:count])
        self.tracer = QuoteTracer()
        for thread in self.corpus:
            self.tracer.trace(thread)
        self.taken = {p.anchor for t in self.corpus for p in t.posts}
        self.next, self.first = synth[count : count + threads], count + 1

    def trace_next(self) -> tuple[float, int]:
        """Processor seconds to trace fresh copies of the next threads, and their posts; then undone."""
        threads = parsed(self.next, self.first, self.taken)
        tracer, entries, articles = self.tracer, len(self.tracer.entries), set(self.tracer.articles)
        start = time.process_time()
        for thread in threads:
            tracer.trace(thread)
        seconds = time.process_time() - start
        postings = tracer.index._postings  # the probe's posts are the newest documents: undo them, newest first
        for doc in range(len(tracer.entries) - 1, entries - 1, -1):
            for key in set(tracer.entries[doc].grams):
                docs = postings[key]
                if docs == doc:
                    del postings[key]
                elif type(docs) is list and docs[-1] == doc:
                    docs.pop()
                    if len(docs) == 1:
                        postings[key] = docs[0]
        del tracer.entries[entries:]
        for thread in threads:
            del tracer.live[thread.key]
        tracer.articles = articles
        return seconds, sum(len(t.posts) for t in threads)

    def work(self) -> dict[str, float]:
        """Per post of the next threads: candidate sources proposed, alignments made and those that found a
        passage of ``MIN_WORDS`` or more (counted, not timed)."""
        counts = {"candidates": 0, "alignments": 0, "found": 0}
        candidates, aligned = ShingleIndex.candidates, quotes.align

        def counted_candidates(*args: Any, **kwargs: Any) -> list[int]:
            found = candidates(*args, **kwargs)
            counts["candidates"] += len(found)
            return found

        def counted_align(*args: Any, **kwargs: Any) -> Any:
            regions = aligned(*args, **kwargs)
            counts["alignments"] += 1
            counts["found"] += any(r.matched >= quotes.MIN_WORDS for r in regions)
            return regions

        ShingleIndex.candidates, quotes.align = counted_candidates, counted_align  # type: ignore[method-assign]
        try:
            _, posts = self.trace_next()
        finally:
            ShingleIndex.candidates, quotes.align = candidates, aligned  # type: ignore[method-assign]
        return {k: round(v / posts, 3) for k, v in counts.items()}


@collecting_as_the_import()
def marginal(sizes: list[int], seed: int = 7, threads: int = 20, rounds: int = 7) -> list[dict[str, Any]]:
    """What tracing the next ``threads`` threads costs a post in corpora of each size: one process, the
    sizes taking turns ``rounds`` times (median processor time), and the work counted."""
    need = max(sizes) + 4 * threads * generate.POSTS_PER_THREAD
    synth = generate.Generator(seed).corpus(need)
    probes = [Probe(synth, size, threads) for size in sizes]
    times: list[list[float]] = [[] for _ in probes]
    for r in range(rounds):
        for i in [(r + k) % len(probes) for k in range(len(probes))]:
            seconds, posts = probes[i].trace_next()
            times[i].append(1000 * seconds / posts)
    base = statistics.median(times[0])
    return [{"posts": p.posts, "next_posts": sum(len(t.posts) for t in p.next),
             "ms_per_post": round(statistics.median(t), 3), "range": [round(min(t), 3), round(max(t), 3)],
             "ratio_to_smallest": round(statistics.median(t) / base, 2), **p.work()}
            for p, t in zip(probes, times)]


def held_mb(posts: int, seed: int = 7) -> float:
    """Megabytes the tracer holds once the whole corpus is traced (its index and entries; `tracemalloc`)."""
    threads, _ = corpus(posts, seed)
    tracemalloc.start()
    try:
        tracer = QuoteTracer()
        for thread in threads:
            tracer.trace(thread)
        return round(tracemalloc.get_traced_memory()[0] / 1e6, 1)
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000], help="corpus sizes in posts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--memory", action="store_true", help="also measure what the tracer holds (slower)")
    parser.add_argument("--marginal", action="store_true",
                        help="instead, time tracing the next threads into each size, sizes taking turns in one process")
    parser.add_argument("--rounds", type=int, default=7, help="with --marginal: how many turns (default: 7)")
    args = parser.parse_args(argv)
    if args.marginal:
        results, table = marginal(args.sizes, args.seed, rounds=args.rounds), _marginal_table
    else:
        results, table = [measure(size, args.seed) for size in args.sizes], _table
        for result in results if args.memory else ():
            result["held_mb"] = held_mb(result["posts"], args.seed)
    print(json.dumps(results, indent=1) if args.json else "\n".join(table(results)))
    return 0


def _table(results: list[dict[str, Any]]) -> Iterator[str]:
    yield (f"{'posts':>7} {'threads':>7} {'cpu s':>8} {'wall s':>8} {'ms/post':>8} {'ms/post, last 10%':>18} "
           f"{'planted':>8} {'found':>6} {'articles':>8}")
    for r in results:
        yield (f"{r['posts']:>7} {r['threads']:>7} {r['seconds']:>8.2f} {r['wall_seconds']:>8.2f} "
               f"{r['ms_per_post']:>8.3f} {r['ms_per_post_last_tenth']:>18.3f} {r['planted_quotes']:>8} "
               f"{r['quotes_found_first']:>6} {r['articles']:>8}" + (f"  held {r['held_mb']} MB" if "held_mb" in r else ""))


def _marginal_table(results: list[dict[str, Any]]) -> Iterator[str]:
    yield (f"{'posts':>7} {'next posts':>10} {'ms/post':>8} {'range':>14} {'ratio':>6} {'candidates/post':>16} "
           f"{'alignments/post':>16} {'found/post':>11}")
    for r in results:
        yield (f"{r['posts']:>7} {r['next_posts']:>10} {r['ms_per_post']:>8.3f} "
               f"{r['range'][0]:>6.3f}-{r['range'][1]:<7.3f} {r['ratio_to_smallest']:>6.2f} "
               f"{r['candidates']:>16.2f} {r['alignments']:>16.2f} {r['found']:>11.2f}")


if __name__ == "__main__":
    sys.exit(main())
