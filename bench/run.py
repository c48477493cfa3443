"""The benchmark: plain Sphinx against the full pipeline, on the same synthetic posts (``make bench``).

For each size (posts in the corpus) it generates a corpus (`bench.generate`), then measures, each
step a subprocess with fresh output folders:

* the baseline: the same posts as plain MyST sections built by plain Sphinx + myst-parser;
* the import (``python -m converters import``) and the Sphinx build of the corpus, serial and ``-j 2``;
  the baseline and the serial build take turns ``--rounds`` times, each from empty output folders,
  and their medians are reported: on a shared machine one build of each can be a third apart;
* incremental updates: one new thread imported into the built corpus and rebuilt (serially, and
  the ``-j`` tree with ``-j``), and which documents were re-read and which pages re-written; as
  many as there are rounds, each adding another thread, and the median reported;
* peak memory (largest resident set of any process of the import or a build), raw spaCy NER speed
  on the same text, and the size of ``searchindex.js`` (and of a Pagefind index of the same site);
* quote tracing per post (`bench.tracing`) and the corpus built as two shards (`bench.shards`).

It prints a table with ratios to the baseline and writes ``report.json`` (the issue's shape) and
``details.json`` (pages touched, machine load, Pagefind) into the output folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import generate, raw_ner, shards, tracing  # noqa: E402
from converters.formats import textdump  # noqa: E402

PY = sys.executable
FORUM = "Bench Forum"
SITE_FILES = ("conf.py", "index.md")


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float


def timed(cmd: list[str], log: Path, cwd: Path = ROOT) -> Run:
    """Run ``cmd`` to completion (through `bench.peak`); its wall time and the peak RSS of its processes.

    What the steps before wrote is put on disk first (a full build writes hundreds of megabytes):
    otherwise the system writing it back meanwhile is timed as this step's work.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    os.sync()
    with log.open("w") as out:
        proc = subprocess.run([PY, str(ROOT / "bench" / "peak.py"), *cmd], cwd=cwd, stdout=out,
                              stderr=subprocess.PIPE, text=True)
    out_lines = proc.stderr.strip().splitlines()
    with log.open("a") as out:
        out.write("\n".join(out_lines[:-1]))
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd[:6])}... failed ({proc.returncode}); see {log}")
    figures = json.loads(out_lines[-1])
    with log.open("a") as out:  # kept with the step, should a later step fail
        out.write(f"\nbench: {json.dumps(figures)}\n")
    return Run(figures["seconds"], figures["cpu_seconds"], figures["peak_mb"])


def sphinx(src: Path, out: Path, doctrees: Path, log: Path, jobs: str | None = None) -> Run:
    cmd = [PY, "-m", "sphinx", "-b", "html", "-q", "-d", str(doctrees), str(src), str(out)]
    return timed(cmd + (["-j", jobs] if jobs else []), log)


def importer(site: Path, captures: list[Path], log: Path) -> Run:
    cmd = [PY, "-m", "converters", "import", "--quiet", "--forum", FORUM, "--retrieved", "2024-03-01",
           "--corpus", str(site / "corpus"), *map(str, captures)]
    return timed(cmd, log)


def taking_turns(rounds: int, base: Callable[[int], Run], full: Callable[[int], Run]) -> tuple[list[Run], list[Run]]:
    """The baseline and the full build, alternated: a slow spell of the machine falls on both alike."""
    bases, fulls = [], []
    for n in range(rounds):
        bases.append(base(n))
        fulls.append(full(n))
    return bases, fulls


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu_seconds for r in runs),
               max(r.peak_mb for r in runs))


def _size(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


def mtimes(folder: Path, pattern: str) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob(pattern)}


def touched(before: dict[str, int], after: dict[str, int], suffix: str) -> list[str]:
    """Documents whose file is new or was rewritten, as docnames."""
    return sorted(k[: -len(suffix)] for k, t in after.items() if before.get(k) != t)


def post_texts(captures: list[Path]) -> list[str]:
    return [p.text for c in captures for p in textdump.parse(c.read_text("utf-8"), str(c)).posts]


def pagefind(html: Path, log: Path) -> dict[str, float | int]:
    """Index the built site with Pagefind: time, total bytes, and the largest single index chunk."""
    run = timed([PY, "-m", "pagefind", "--site", str(html), "--output-subdir", "_pagefind"], log)
    files = [p for p in (html / "_pagefind").rglob("*") if p.is_file()]
    chunks = [p.stat().st_size for p in files if p.parent.name == "index"]
    return {"seconds": round(run.seconds, 2), "total_bytes": sum(p.stat().st_size for p in files),
            "files": len(files), "largest_index_chunk_bytes": max(chunks, default=0)}


UPDATE_STEPS = ("import_s", "build_s", "build_j_s")  # timed steps of an incremental update


def measure(size: int, work: Path, jobs: str, extras: bool, rounds: int) -> tuple[dict, dict]:
    """Every figure of one corpus size: the report row and the details behind it."""
    shutil.rmtree(work, ignore_errors=True)
    src = work / "src"
    stats = generate.write(src, size, extras=rounds)
    captures = sorted((src / "captures").glob("*.txt"))
    logs = work / "logs"

    site = work / "site"
    site.mkdir()
    for name in SITE_FILES:
        shutil.copy(ROOT / name, site / name)
    imp = importer(site, captures, logs / "import.log")

    def clean(*folders: Path) -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    def base_round(n: int) -> Run:
        clean(work / "baseline-html", work / "baseline-doctrees")
        return sphinx(src / "baseline", work / "baseline-html", work / "baseline-doctrees", logs / f"baseline-{n + 1}.log")

    def full_round(n: int) -> Run:  # the last round's site is the one updated below
        clean(work / "html", work / "doctrees")
        return sphinx(site, work / "html", work / "doctrees", logs / f"build-{n + 1}.log")

    bases, fulls = taking_turns(rounds, base_round, full_round)
    base, full = median_run(bases), median_run(fulls)
    par = sphinx(site, work / "html-j", work / "doctrees-j", logs / "build-j.log", jobs)

    def add_thread(extra: Path) -> dict[str, Any]:
        """One new thread imported into the built site, which is then rebuilt serially and with ``-j``."""
        html_before, trees_before = mtimes(work / "html", "*.html"), mtimes(work / "doctrees", "*.doctree")
        pages_before = mtimes(site, "*.md")
        time.sleep(0.05)  # distinct mtimes on coarse file systems
        name = extra.stem
        imported = importer(site, [extra], logs / f"incremental-import-{name}.log")
        built = sphinx(site, work / "html", work / "doctrees", logs / f"incremental-build-{name}.log")
        # The same update on the tree built with -j: a parallel reader sends the whole environment back
        # pickled, which costs more than it saves when one document is read.
        built_j = sphinx(site, work / "html-j", work / "doctrees-j", logs / f"incremental-build-j-{name}.log", jobs)
        reread = touched(trees_before, mtimes(work / "doctrees", "*.doctree"), ".doctree")
        rewritten = touched(html_before, mtimes(work / "html", "*.html"), ".html")
        changed_sources = touched(pages_before, mtimes(site, "*.md"), ".md")
        return {"runs": (imported, built, built_j), "import_s": round(imported.seconds, 2),
                "build_s": round(built.seconds, 2), "build_j_s": round(built_j.seconds, 2),
                "pages_the_import_changed": changed_sources, "reread": reread, "rewritten": rewritten,
                "reread_only_changed_pages": set(reread) <= set(changed_sources),
                "rewritten_beyond_reread": sorted(set(rewritten) - set(reread))}

    # Each round adds another thread (the site grows by one each time); the medians are reported.
    updates = [add_thread(extra) for extra in sorted((src / "extra").glob("*.txt"))]
    update_runs = [run for update in updates for run in update.pop("runs")]
    incremental_s = statistics.median(u["import_s"] + u["build_s"] for u in updates)

    rate, how = raw_ner.words_per_second(post_texts(captures))
    import_rate = stats["words"] / imp.seconds
    row = {
        "baseline_build_s": round(base.seconds, 2),
        "build_s": round(full.seconds, 2),
        "build_j2_s": round(par.seconds, 2),
        "ratio": round(full.seconds / base.seconds, 3),
        "ratio_cpu": round(full.cpu_seconds / base.cpu_seconds, 3),  # processor time, the same medians
        "incremental_s": round(incremental_s, 2),
        "peak_rss_mb": round(max(r.peak_mb for r in (imp, full, par, *update_runs)), 1),
        "import_s": round(imp.seconds, 2),
        "import_words_per_s": round(import_rate),
        "raw_ner_words_per_s": round(rate) if rate else None,
        "searchindex_bytes": _size(work / "html" / "searchindex.js"),  # None: the site used Pagefind
    }
    details = {
        **stats, "jobs": jobs,
        "rounds": {"baseline_s": [round(r.seconds, 2) for r in bases], "build_s": [round(r.seconds, 2) for r in fulls],
                   "baseline_cpu_s": [round(r.cpu_seconds, 2) for r in bases],
                   "build_cpu_s": [round(r.cpu_seconds, 2) for r in fulls]},
        "baseline_peak_rss_mb": round(base.peak_mb, 1),
        "build_peak_rss_mb": {"import": round(imp.peak_mb, 1), "serial": round(full.peak_mb, 1),
                              "parallel": round(par.peak_mb, 1)},
        "baseline_posts_per_s": round(stats["posts"] / base.seconds, 1),
        "build_ms_per_post": round(1000 * full.seconds / stats["posts"], 3),
        "incremental": {**{step: statistics.median(u[step] for u in updates) for step in UPDATE_STEPS},
                        "rounds": updates},
        "site_pagefind_bytes": sum(f.stat().st_size for f in (work / "html" / "_pagefind").rglob("*") if f.is_file()),
        "raw_ner": how,
        "import_vs_ner": round(import_rate / rate, 3) if rate else None,
    }
    if extras:
        details["pagefind"] = pagefind(work / "html", logs / "pagefind.log")
        details["tracing"] = tracing.measure(size)  # quote tracing per post as the corpus grows
        details["two_shards"] = shards.build(shards.split(site, work / "shards", 2), work / "shards", sphinx)
    return row, details


TABLE = [("posts", "{}"), ("baseline s", "{baseline_build_s:.1f}"), ("build s", "{build_s:.1f}"),
         ("ratio", "{ratio:.2f}"), ("cpu ratio", "{ratio_cpu:.2f}"), ("-j s", "{build_j2_s:.1f}"), ("add 1 thread s", "{incremental_s:.1f}"),
         ("peak MB", "{peak_rss_mb:.0f}"), ("import s", "{import_s:.1f}"), ("import w/s", "{import_words_per_s}"),
         ("NER w/s", "{raw_ner_words_per_s}"), ("searchindex KB", "{kb:.0f}")]


def table(sizes: dict[str, dict]) -> str:
    rows = [[title for title, _ in TABLE]]
    for posts, row in sizes.items():
        kb = (row["searchindex_bytes"] or 0) / 1024  # 0: Pagefind instead (above forum_pagefind_above posts)
        rows.append([posts] + [fmt.format(**row, kb=kb) for _, fmt in TABLE[1:]])
    widths = [max(len(r[i]) for r in rows) for i in range(len(TABLE))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the corpus pipeline against plain Sphinx.")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000], help="corpus sizes in posts")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench", help="work and report folder")
    parser.add_argument("--jobs", default="2", help="Sphinx -j for the parallel build (default 2)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="how many times the baseline and the serial build take turns (medians reported; default 3)")
    parser.add_argument("--no-extras", action="store_true",
                        help="skip the Pagefind index of the site and the quote-tracing timings")
    args = parser.parse_args(argv)
    report: dict[str, dict] = {"sizes": {}}
    details: dict[str, dict] = {"load_before": os.getloadavg(), "cpus": os.cpu_count(), "sizes": {}}
    for size in args.sizes:
        row, info = measure(size, args.out / str(size), args.jobs, not args.no_extras, max(1, args.rounds))
        report["sizes"][str(size)] = row
        details["sizes"][str(size)] = info
        details["load_after"] = os.getloadavg()
        print(f"{size} posts done (load {details['load_after'][0]:.2f})", file=sys.stderr)
        args.out.mkdir(parents=True, exist_ok=True)  # written after each size: a long run reports as it goes
        (args.out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
        (args.out / "details.json").write_text(json.dumps(details, indent=1) + "\n")
    print(table(report["sizes"]))
    print(f"load average before/after: {details['load_before'][0]:.2f} / {details['load_after'][0]:.2f} "
          f"on {details['cpus']} CPUs; report: {args.out / 'report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
