"""The work of a clean build, counted: Python function calls and doctree nodes, which no noise changes.

On a shared machine the same build takes anything from 8 to 15 s of processor time from one run to
the next, so a change that saves a tenth cannot be seen in timings without many runs. What a build
does can be counted instead: the Python function calls it makes (cProfile's count; its times are not
used), the nodes of the thread pages' doctrees, which every transform and the HTML writer walk, and
the garbage collector's full collections and the dead objects they found (each walks every object
the build holds, seconds apiece at 10,000 posts).

    .venv/bin/python bench/buildwork.py _build/bench/1000/site

Run it in each checkout of the code to compare two versions on the same site; it prints one line.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pickle
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the code to count is this checkout's (not bench/, whose citeproc.py shadows citeproc)


def count(site: Path) -> tuple[int, int, int, list[int]]:
    """Function calls of a clean serial build of ``site``, nodes in its thread doctrees, posts in them, and
    the dead objects each full collection found."""
    from docutils import nodes
    from sphinx.cmd.build import main

    full: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(info["collected"])

    with tempfile.TemporaryDirectory() as out:
        profile = cProfile.Profile()
        gc.callbacks.append(note)
        profile.enable()
        try:
            rc = main(["-b", "html", "-q", "-d", f"{out}/doctrees", str(site), f"{out}/html"])
        finally:
            profile.disable()
            gc.callbacks.remove(note)
        if rc:
            raise SystemExit(f"the build of {site} failed ({rc})")
        calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
        total = posts = 0
        for path in Path(out, "doctrees", "corpus").rglob("*.doctree"):
            with path.open("rb") as handle:
                doctree = pickle.load(handle)
            for node in doctree.findall():
                total += 1
                posts += isinstance(node, nodes.container) and "forum-post" in node["classes"]
    return calls, total, posts, full


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder (with conf.py), such as _build/bench/1000/site")
    args = parser.parse_args(argv)
    calls, total, posts, full = count(args.site.resolve())
    print(f"{args.site}: {calls:,} function calls; {total:,} doctree nodes in thread pages, "
          f"{total / max(posts, 1):.1f} a post ({posts:,} posts); {len(full)} full collections, "
          f"finding {', '.join(f'{n:,}' for n in full) or 'no'} dead objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
