"""A corpus split into Sphinx projects linked by intersphinx: the benchmark's two-shard example.

One Sphinx project holds its whole environment in memory and resolves references serially, so a
very large corpus is built as several projects ("shards"), each a share of the thread pages with
the same ``conf.py``. Every shard loads the others' ``objects.inv`` through intersphinx, so a quote
of a post in another shard still links to it. References go both ways, so the shards are built
twice: once to write every inventory, once more with all of them (only the pages that refer across
shards change then). The import stays one corpus: anchors and quote tracing span all shards.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

CONF_TAIL = '''
# A shard of a larger corpus: the other shards are found through their inventories.
extensions = [*extensions, "sphinx.ext.intersphinx"]
intersphinx_mapping = {mapping!r}
intersphinx_cache_limit = 0
'''
UNKNOWN = re.compile(r"unknown post anchor|quote source .* is not a post")
CROSS_LINK = re.compile(r'href="(?:\.\./)+shard-\d+/')


def split(site: Path, out: Path, count: int) -> list[Path]:
    """``count`` projects under ``out/src``, each with the site's conf and home page and a share of its pages."""
    pages = sorted((site / "corpus").rglob("*.md"))
    shards = [out / "src" / f"shard-{i}" for i in range(count)]
    for i, src in enumerate(shards):
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir(parents=True)
        for name in ("conf.py", "index.md"):
            shutil.copy(site / name, src / name)
        for curated in (site / "corpus").glob("*.yaml"):  # the register's curated entries, for every shard
            (src / "corpus").mkdir(exist_ok=True)
            shutil.copy(curated, src / "corpus" / curated.name)
        for page in pages[i::count]:
            (src / page.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(page, src / page.relative_to(site))
        inventory = (out / "html" / "shard-{}" / "objects.inv").resolve()  # intersphinx reads it from the shard
        others = {f"shard-{j}": (f"../shard-{j}/", str(inventory).format(j)) for j in range(count) if j != i}
        with (src / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(CONF_TAIL.format(mapping=others))
    return shards


def build(shards: list[Path], out: Path, sphinx: Any) -> dict[str, Any]:
    """Build every shard twice (see the module doc): times, and how many links cross shards.

    ``sphinx(src, html, doctrees, log)`` runs one build and returns a `bench.run.Run`.
    """
    figures: dict[str, Any] = {"shards": len(shards), "passes": []}
    for number in (1, 2):
        times, unknown = [], 0
        for src in shards:
            log = out / "logs" / f"{src.name}-pass-{number}.log"
            times.append(round(sphinx(src, out / "html" / src.name, out / "doctrees" / src.name, log).seconds, 2))
            unknown += len(UNKNOWN.findall(log.read_text("utf-8")))
        figures["passes"].append({"build_s": times, "unresolved_posts": unknown})
    figures["cross_shard_links"] = sum(len(CROSS_LINK.findall(page.read_text("utf-8")))
                                       for page in (out / "html").rglob("*.html"))
    return figures
