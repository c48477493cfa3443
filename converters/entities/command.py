"""``python -m converters entities``: resolve the register again, and propose entries for review.

Run it after editing ``corpus/register.yaml`` (every page is re-rendered with the curated entries),
with ``--recognise`` after upgrading the recogniser (names are found again in every thread), and
with ``--review`` to write what the register lacks to ``corpus/register.proposed.yaml``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..errors import ConversionError
from ..importer import Catalog, _page_files, write_atomically
from .annotate import annotate_corpus
from .register import PROPOSALS_FILE, REGISTER_FILE, proposals


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("entities", help="resolve the register of people, places and organisations again",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--review", action="store_true",
                     help=f"write proposed entries to CORPUS/{PROPOSALS_FILE} (never touches {REGISTER_FILE})")
    cmd.add_argument("--recognise", action="store_true", help="find names again in every thread (slow)")
    cmd.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    cmd.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def run(args: argparse.Namespace) -> int:
    try:
        catalog = Catalog.load(args.corpus)
        threads = [thread for _, thread in catalog.threads.values()]
        entities = annotate_corpus(threads, args.corpus, threads if args.recognise else [], not args.quiet)
    except ConversionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    files: dict[Path, str] = {}
    for page, thread in catalog.threads.values():
        files.update(_page_files(page, thread, entities))
    if args.review:
        files[args.corpus / PROPOSALS_FILE] = proposals(entities)
    changed = {p: t for p, t in files.items() if not p.exists() or p.read_text("utf-8") != t}
    write_atomically(changed)
    if not args.quiet:
        kinds = Counter(e.type for e in entities.values())
        curated = sum(e.curated for e in entities.values())
        print(f"{len(entities)} entries: {kinds['person']} people, {kinds['place']} places, "
              f"{kinds['organisation']} organisations ({curated} curated); {len(changed)} files written")
        if args.review:
            print(f"proposals: {args.corpus / PROPOSALS_FILE}")
    return 0
