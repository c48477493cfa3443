"""A corpus built as two Sphinx projects (shards): quotes of a post in the other shard link to it."""

from __future__ import annotations

import shutil

from bench import run, shards
from conftest import ROOT
from converters.importer import import_captures

NBSP = "\u00a0"
QUOTED = ("The ferry office told me the winter timetable starts on the fourth of November and the last "
          "sailing back from the island leaves at five past four every weekday")


def _dump(title: str, posts: list[tuple[str, str]]) -> str:
    lines = [f"INFO{NBSP}{title}", ""]
    for author, body in posts:
        lines += [author, "", "Member", body, NBSP, ""]
    return "\n".join(lines) + "Top\n"


def test_two_shards_link_quotes_across(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(_dump("Z winter timetable", [("Brackenfold", QUOTED), ("kelpie", "Thanks, that helps a lot.")]))
    b = tmp_path / "b.txt"
    b.write_text(_dump("B ferry complaints", [("marinerpete62", "Anyone else annoyed?"),
                                             ("tidewright", f"{QUOTED}\nThat is far too early for anyone working.")]))
    site = tmp_path / "site"
    site.mkdir()
    for name in ("conf.py", "index.md"):
        shutil.copy(ROOT / name, site / name)
    import_captures([str(a), str(b)], site / "corpus", forum="Harbour Town Forum")
    out = tmp_path / "shards"
    figures = shards.build(shards.split(site, out, 2), out, run.sphinx)
    first, second = figures["passes"]
    assert first["unresolved_posts"] >= 1  # the quoting shard (0) was built before shard 1 had an inventory
    assert second["unresolved_posts"] == 0
    assert figures["cross_shard_links"] >= 1
    quoting = next((out / "html" / "shard-0" / "corpus").rglob("*.html")).read_text("utf-8")
    assert "../shard-1/corpus/" in quoting
