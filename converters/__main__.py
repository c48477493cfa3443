"""Command line: ``python -m converters import PATH...``, ``quotes THREAD`` (see ``--help``)."""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from . import cluster, formats, quotegraph
from .entities import command as entities_command
from .errors import ConversionError
from .importer import import_captures

DESCRIPTION = """\
Turn captured forum threads into MyST pages of the corpus.

Each PATH is one capture of one thread (or one page of it). The format is detected
automatically (see `python -m converters formats`). A thread is identified by forum +
source URL when known, else forum + title: importing a later capture of the same thread
updates its page and keeps every post anchor; posts gone from the source stay as
tombstones. The import is atomic: if any file is bad, nothing in the corpus changes.
"""
# An import holds the whole corpus's thread models (hundreds of thousands of small objects) for its
# whole run, and what it makes besides (parsed captures, occurrences of names, pages) is freed by
# reference counting: it makes no garbage in cycles to speak of. So the collector, which only walked
# those models again and again, does not run in an import (`bench/addthread.py` adding one thread to
# a 10,000-post corpus: 3.8 and 3.5 s against 5.5 and 4.1 s with it at (50,000, 20, 100); a fresh
# 1,000-post import peaked at 212 MB against 210).


def _date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m converters", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import captured threads into the corpus",
                              description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("paths", nargs="+", metavar="PATH", help="captured thread files")
    imp.add_argument("--forum", help="forum name (required where the capture does not name it)")
    imp.add_argument("--url", help="source URL of the thread (identifies it across captures)")
    imp.add_argument("--retrieved", type=_date, help="date the capture was made, YYYY-MM-DD")
    imp.add_argument("--format", dest="fmt", help="force an input format instead of detecting it")
    imp.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    imp.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    imp.add_argument("--scheduler", default="auto", metavar="WHERE",
                     help="where per-thread work runs: auto (default: local worker processes for more than a "
                          "few threads), sync (this process), processes, or a Dask scheduler address "
                          "(tcp://host:8786)")
    imp.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    commands.add_parser("formats", help="list the input formats this version reads")
    quotes = commands.add_parser("quotes", help="print the quote graph of a thread in the corpus",
                                 description="Print who quotes whom in a thread, and the articles its posts paste.")
    quotes.add_argument("thread", metavar="THREAD", type=Path, help="a corpus page (.md) or its .thread.json")
    quotes.add_argument("--corpus", type=Path, default=Path("corpus"),
                        help="corpus folder, to name quoted posts of other threads (default: corpus)")
    quotes.add_argument("--json", action="store_true", help="print the graph as JSON")
    entities_command.add_parser(commands)
    return parser


def _quotes(args: argparse.Namespace) -> int:
    try:
        thread, corpus = quotegraph.load(args.thread, args.corpus)
    except ConversionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    data = quotegraph.graph(thread, corpus)
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else "\n".join(quotegraph.describe(data)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    if args.command == "formats":
        for module in formats.available():
            print(f"{module.NAME:12} {(module.__doc__ or '').strip().splitlines()[0]}")
        return 0
    if args.command == "quotes":
        return _quotes(args)
    if args.command == "entities":
        return entities_command.run(args)
    if args.url and len(args.paths) > 1:
        print("error: --url names one thread; pass one PATH with it", file=sys.stderr)
        return 2
    collecting = gc.isenabled()
    gc.disable()
    tqdm.monitor_interval = 0  # no monitor thread beside the bars: a single-threaded import forks its helper
    try:
        with cluster.mapper(args.scheduler, args.workers) as mapper:
            outcomes = import_captures(args.paths, args.corpus, forum=args.forum, url=args.url,
                                       retrieved=args.retrieved, fmt=args.fmt, progress=not args.quiet,
                                       mapper=mapper)
    except ConversionError as err:
        print(f"error: {err}\nnothing was written; the corpus is unchanged", file=sys.stderr)
        return 1
    finally:
        if collecting:  # (called from Python, as the tests do, the caller's process collects again)
            gc.enable()
    if not args.quiet:
        for o in outcomes:
            state = "written" if o.changed else "unchanged"
            gone = f", {o.tombstones} gone from the source" if o.tombstones else ""
            print(f"{o.page}: {o.posts} posts{gone} ({state})")
    return 0


if __name__ == "__main__":
    status = main()
    gc.freeze()  # the process ends here: what the import read is not collected object by object (~0.3 s at 10,000 posts)
    sys.exit(status)
