"""Quote tracing at scale: time per post as the corpus grows, and how many planted quotes are found.

The corpus is `bench.generate`'s synthetic threads (quotes of earlier paragraphs, also across threads;
articles pasted into several threads), parsed by the text-dump converter and given anchors first;
only `QuoteTracer.trace` is timed (processor time, so that other work on the machine does not count;
wall time is reported too), thread after thread, as an import of the whole corpus would run it.
Besides the mean per post, the mean over the last tenth of the posts shows the marginal cost once
the index holds nearly the whole corpus: flat means tracing stays near-linear.

    python bench/tracing.py 1000 10000          # a table
    python bench/tracing.py 1000 10000 --json   # the figures as JSON
    python bench/tracing.py 10000 --memory      # also what the tracer holds (a separate, slower run)

`measure` is the importable form (the full benchmark, ``make bench``, can call it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from converters.anchors import reconcile  # noqa: E402
from converters.formats import textdump  # noqa: E402
from converters.model import Thread  # noqa: E402
from converters.quotes import QuoteTracer  # noqa: E402


def corpus(posts: int, seed: int = 7) -> tuple[list[Thread], int]:
    """Synthetic threads holding ``posts`` posts, with anchors, and how many quotes were planted in them."""
    synth = generate.Generator(seed).corpus(posts)
    threads, taken = [], set()
    for i, source in enumerate(synth, start=1):
        thread = textdump.parse(generate.textdump(source), f"bench-{i}.txt")
        thread.forum, thread.sequence = "Bench Forum", i
        thread.url = f"https://forum.example/threads/{i}/"  # generated titles repeat; URLs keep threads apart
        reconcile(thread, None, taken)
        taken.update(p.anchor for p in thread.posts)
        threads.append(thread)
    return threads, sum(1 for t in synth for p in t.posts if p.quote)


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
    args = parser.parse_args(argv)
    results = [measure(size, args.seed) for size in args.sizes]
    for result in results if args.memory else ():
        result["held_mb"] = held_mb(result["posts"], args.seed)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"{'posts':>7} {'threads':>7} {'cpu s':>8} {'wall s':>8} {'ms/post':>8} {'ms/post, last 10%':>18} "
          f"{'planted':>8} {'found':>6} {'articles':>8}")
    for r in results:
        print(f"{r['posts']:>7} {r['threads']:>7} {r['seconds']:>8.2f} {r['wall_seconds']:>8.2f} {r['ms_per_post']:>8.3f} "
              f"{r['ms_per_post_last_tenth']:>18.3f} {r['planted_quotes']:>8} {r['quotes_found_first']:>6} "
              f"{r['articles']:>8}" + (f"  held {r['held_mb']} MB" if "held_mb" in r else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
