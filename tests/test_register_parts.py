"""An entry named in many posts shows its mentions on several pages (`ext.register.chunks`), whose cuts stay
put when a thread is added: the site stays as a clean build makes it, and only a page or two is made again."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_site, synthetic_captures
from converters.importer import import_captures
from ext.register.chunks import cut
from ext.register.pages import Pages
from test_incremental import _pages
from test_register_site import _mentions

PER_PAGE = 1  # every thread on a page of its own: members (of few posts here) too
CONF = {"register_mentions_per_page": PER_PAGE}


@given(st.lists(st.integers(1, 40), max_size=60), st.integers(1, 80))
def test_pages_hold_every_thread_once_in_order(lines, per_page):
    groups = [(f"t-{i}", n) for i, n in enumerate(lines)]
    pages = cut("entry", groups, per_page)
    assert [i for page in pages for i in page] == list(range(len(groups)))
    assert all(len(page) for page in pages) or not groups
    if sum(lines) <= per_page:
        assert len(pages) == 1


def test_a_thread_added_changes_about_one_page():
    rng = random.Random(5)
    changed = []
    for trial in range(300):
        groups = [(f"t-{trial}-{i}", rng.choice((1, 1, 2, 3, 8))) for i in range(80)]
        before = [tuple(groups[i][0] for i in page) for page in cut("place", groups, 20)]
        groups.insert(rng.randrange(len(groups) + 1), (f"new-{trial}", rng.choice((1, 2, 3))))
        after = {tuple(groups[i][0] for i in page) for page in cut("place", groups, 20)}
        changed.append(sum(page not in after for page in before))
    print(f"pages changed by one thread: mean {sum(changed) / len(changed):.2f}, max {max(changed)} "
          f"of {len(before)}")
    assert sum(changed) / len(changed) < 2 and len(before) > 5


def _page(path: Path):
    return lxml.html.parse(str(path)).getroot()


def test_every_mention_is_on_one_of_its_pages_and_the_pages_link_up(tmp_path, site_builder):
    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 60, seed=21), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    app, warnings = site_builder(src, confoverrides=CONF)
    assert "WARNING" not in warnings
    out = Path(app.outdir)
    corpus = json.loads((out / "corpus.json").read_text("utf-8"))
    counts = _mentions(corpus)
    split = 0
    for entity in corpus["entities"]:
        first = out / entity["page"]
        pager = _page(first).xpath("//p[@class='register-pages']//a/@href")
        pages = [first] + [(first.parent / href).resolve() for href in pager]
        split += len(pages) > 1
        lines: Counter[str] = Counter()
        for number, page in enumerate(pages, start=1):
            root = _page(page)
            for line in root.xpath("//ul[@class='kwic']/li"):
                (name,) = line.xpath("a[@class='kwic-name']")
                lines[urldefrag(name.get("href"))[1]] += 1
            if number > 1:  # back to the entry, to the page before (from page 3 on) and but on the last the next
                nav = [(page.parent / a.get("href")).resolve() for a in root.xpath("//p[@class='register-pages']//a")]
                want = [first] + pages[number - 2:number - 1] * (number > 2) + pages[number:number + 1]
                assert nav == [p.resolve() for p in want]
        assert sum(lines.values()) == counts[entity["id"]], entity["id"]  # each once, on one page
        assert set(entity["mentions"]) <= set(lines), entity["id"]
    print(f"{split} of {len(corpus['entities'])} entries on several pages")
    assert split >= 3

    members = 0  # a member's posts, likewise
    for first in (out / "register" / "members").rglob("*.html"):
        pager = _page(first).xpath("//p[@class='register-pages']//a/@href")
        if not pager or first.name == "index.html":
            continue
        members += 1
        pages = [first] + [(first.parent / href).resolve() for href in pager]
        listed = [a.get("href") for page in pages for a in _page(page).xpath("//a[@class='member-post']")]
        name = _page(first).findtext(".//h1").strip()
        posts = [p for t in corpus["threads"] for p in t["posts"] if p["author"] == name]
        assert len(listed) == len(posts) and len(set(listed)) == len(listed)
        for number, page in enumerate(pages[1:], start=2):
            nav = [(page.parent / a.get("href")).resolve() for a in _page(page).xpath("//p[@class='register-pages']//a")]
            assert nav[0] == first.resolve() and (number == len(pages) or nav[-1] == pages[number].resolve())
    assert members >= 3


def test_adding_a_thread_remakes_few_pages_and_equals_a_clean_build(tmp_path, site_builder, monkeypatch):
    src = make_site(tmp_path, synthetic_captures(tmp_path / "in", 80, seed=22), forum="Harbour Town Forum",
                    retrieved="2024-03-01")
    conf = {"register_mentions_per_page": 4}
    first, _ = site_builder(src, confoverrides=conf)
    parts = len(list((Path(first.outdir) / "register" / "mentions").glob("*.html")))
    made: list[str] = []
    real = Pages.part_page
    monkeypatch.setattr(Pages, "part_page",
                        lambda self, key, n, parts: made.append(f"{key}-{n}") or real(self, key, n, parts))
    import_captures([str(p) for p in synthetic_captures(tmp_path / "in2", 8, seed=23)], src / "corpus",
                    forum="Harbour Town Forum", retrieved="2024-03-01")
    incremental, _ = site_builder(src, confoverrides=conf)
    print(f"{len(made)} of {parts} further pages of mentions made again")
    assert parts > 15 and len(made) < parts / 3

    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean, _ = site_builder(clean_src, freshenv=True, confoverrides=conf)
    got, want = _pages(incremental.outdir), _pages(clean.outdir)
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []
