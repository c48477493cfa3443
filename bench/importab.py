"""Does recognising names in a helper process pay off here? One new thread imported, both ways, in turns.

``--scheduler auto`` recognises a small import's names in a helper process that loads spaCy while
the importing process reads the corpus and traces quotes; ``--scheduler sync`` does everything in
the importing process. This imports the same new synthetic thread into fresh copies of a corpus
(one that ``make bench`` built, say), alternating the two so that the machine's drift falls on
both, prints each run's wall time and the medians, and checks that both wrote the same files.

    python bench/importab.py _build/bench/10000/site/corpus --runs 6
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/, whose citeproc.py would shadow the citeproc package

FORUM = "Bench Forum"  # as `bench.run` imports
SCHEDULERS = ("auto", "sync")


def files(corpus: Path) -> dict[str, bytes]:
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


def import_once(corpus: Path, copy: Path, capture: Path, scheduler: str) -> float:
    """Wall seconds of importing ``capture`` into a fresh ``copy`` of ``corpus``."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(corpus, copy)
    cmd = [sys.executable, "-m", "converters", "import", "--quiet", "--scheduler", scheduler, "--forum", FORUM,
           "--retrieved", "2024-03-01", "--corpus", str(copy), str(capture)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    from bench import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus folder, such as _build/bench/10000/site/corpus")
    parser.add_argument("--runs", type=int, default=6, help="imports with each scheduler (default: 6)")
    parser.add_argument("--seed", type=int, default=7010, help="which synthetic thread to add (default: 7010)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a corpus folder")
    times: dict[str, list[float]] = {s: [] for s in SCHEDULERS}
    with tempfile.TemporaryDirectory() as tmp:
        capture = Path(tmp) / f"thread-{args.seed}.txt"
        capture.write_text(generate.textdump(generate.Generator(args.seed).thread(generate.POSTS_PER_THREAD)), "utf-8")
        for run in range(args.runs):
            for scheduler in SCHEDULERS if run % 2 == 0 else SCHEDULERS[::-1]:
                seconds = import_once(args.corpus, Path(tmp) / scheduler, capture, scheduler)
                times[scheduler].append(seconds)
                print(f"run {run + 1}: --scheduler {scheduler:4}  {seconds:6.2f} s", flush=True)
        same = files(Path(tmp) / "auto") == files(Path(tmp) / "sync")
    for scheduler, runs in times.items():
        print(f"--scheduler {scheduler:4}  median {statistics.median(runs):6.2f} s  "
              f"({min(runs):.2f}-{max(runs):.2f}, {len(runs)} runs)")
    print("the same files written" if same else "THE FILES WRITTEN DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
