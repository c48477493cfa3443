"""Hostile input: every payload of tests/hostile/payloads, in every field, imported and built for real.

One site holds them all (built once for the module): each payload becomes a thread-json capture
with the payload in every field (thread title, prefix, forum, URLs, source, chrome, author, user
title, dates, post ids, status note, and blocks of every kind with their URLs, quote source, article
title/author/outlet/date and in-text links), and a line of a text dump per category (as author, user
title and body). A payload leaks if any built page holds markup, an attribute, a URL scheme or an
inline script/style the allow-list (tests/hostile/allowlist.py) does not allow, if the canary file
outside the source folder reaches the site, or if its text is not shown literally. The number of
payloads tried and leaked is printed at the end of the run.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
from collections import defaultdict
from pathlib import Path

import lxml.html
import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import ROOT, SUMMARY
from converters import formats
from converters.errors import ConversionError
from converters.importer import import_captures
from converters.model import Thread, normalize_text
from hostile import ONE_CITATION_STYLE, Payload, payloads
from hostile.allowlist import Baseline, content, problems
from hostile.page import shown_text

CANARY_TEXT = "CANARY-7c1e0b9d-outside-the-corpus"
PASSWD = "root:x:0:0"
# Warnings that mean page text reached the MyST parser as markup, or the guard had to step in.
MARKUP_WARNINGS = ("[forum.guard]", "directive disabled", "File insertion disabled", "Unknown directive",
                   "Unknown interpreted text role", "bad escaped text line", "expected a text line",
                   "Exception occurred", "CRITICAL")
BENIGN_TEXT = ("Barack Obama met the United Nations team in Lima, Peru on Tuesday. "
               "See https://example.org/report for the report.\nSecond line of the post.")


def _json_thread(value: str, text: str) -> dict:
    """A thread model with ``value`` in every field that holds text (``text`` in the text blocks)."""
    length = len(normalize_text(text))
    return {
        "format": "forum-thread", "version": 1, "title": value, "forum": value, "prefix": value,
        "url": value, "retrieved": "2024-01-01", "source": value,
        "chrome": [{"line": 1, "text": value}],
        "posts": [
            {"author": value, "user_title": value, "date": value, "edited": True, "edited_date": value,
             "source_id": value, "status": "deleted", "status_note": value, "blocks": [
                 {"kind": "text", "text": text, "links": [{"start": 0, "end": length, "url": value}]},
                 {"kind": "quote", "text": text, "source": value, "meta": {"author": value}},
                 {"kind": "article", "text": text, "url": value,
                  "meta": {"title": value, "author": value, "outlet": value, "date": value}},
                 {"kind": "image", "text": value},
                 {"kind": "embed", "text": value, "url": value},
                 {"kind": "link", "text": value, "url": value}]},
        ]}


def _one_line(value: str, limit: int = 50) -> str:
    line = " ".join(value.split())[:limit].strip()
    return line or "someone"


def _dump(title: str, posts: list[tuple[str, str, str]]) -> str:
    parts = [title, ""]
    for author, user_title, body in posts:
        parts += [author, "", f"{user_title}\n{body}", "\u00a0", ""]
    return "\n".join(parts + ["Top"])


class HostileSite:
    """The built site, the payloads behind each page, and what each payload's check found."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.canary = root / "canary.txt"
        self.canary.write_text(CANARY_TEXT + "\n", "utf-8")
        shutil.copy(self.canary, root / "canary.png")
        self.payloads = payloads()
        self.rejected: dict[str, str] = {}  # payload id -> the clear error its dump got
        self.failures: dict[str, list[str]] = defaultdict(list)

    def src(self, name: str) -> Path:
        src = self.root / name
        (src / "captures").mkdir(parents=True)
        shutil.copy(ROOT / "conf.py", src / "conf.py")
        shutil.copy(ROOT / "index.md", src / "index.md")
        return src

    def build(self, src: Path) -> tuple[Path, str]:
        app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO(), parallel=2,
                            confoverrides=ONE_CITATION_STYLE)
        try:
            app.build()
            return Path(app.outdir), app.warning.getvalue()
        finally:
            app.cleanup()


DUMP_FORUM = "Hostile dumps"


def _captures(site: HostileSite, src: Path, items: list[tuple[str, str]]) -> tuple[dict[str, Path], dict[str, Path]]:
    """Thread-json captures for ``items`` (id, value) by id, and one text dump per category by category."""
    (src / "captures").mkdir(exist_ok=True)
    json_files: dict[str, Path] = {}
    for pid, value in items:
        path = src / "captures" / f"{pid}.json"
        path.write_text(json.dumps(_json_thread(value, value)), "ascii")
        json_files[pid] = path
    by_category: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, value in items:
        by_category[pid.rsplit("-", 1)[0]].append((pid, value))
    dumps: dict[str, Path] = {}
    for category, members in by_category.items():
        good: list[tuple[str, str]] = []
        for pid, value in members:
            data = _dump("HOSTILE\u00a0" + _one_line(value, 200), [(_one_line(value), _one_line(value), value)])
            single = src / "captures" / f"{pid}.txt"
            single.write_bytes(data.encode("utf-8", "surrogatepass"))
            try:
                formats.parse(str(single), single.read_bytes())
            except ConversionError as err:  # NUL and lone surrogates cannot be in a UTF-8 text capture
                site.rejected[pid] = str(err)
            else:
                good.append((pid, value))
            single.unlink()
        dump = src / "captures" / f"{category}.txt"
        title = f"HOSTILE\u00a0{category}: " + _one_line(good[0][1], 200)
        dump.write_text(_dump(title, [(_one_line(v), _one_line(v[::-1]), v) for _, v in good]), "utf-8")
        dumps[category] = dump
    return json_files, dumps


def _import(src: Path, json_files: dict[str, Path], dumps: dict[str, Path]) -> dict[str, Path]:
    """Import the captures with the real importer; returns each capture's built page (by id or category)."""
    corpus = src / "corpus"
    import_captures(map(str, json_files.values()), corpus)
    import_captures(map(str, dumps.values()), corpus, forum=DUMP_FORUM)
    pages = {}
    for model in corpus.rglob("*.thread.json"):
        thread = Thread.from_json(json.loads(model.read_text("utf-8")))
        pages[thread.key] = model.with_name(model.name.removesuffix(".thread.json") + ".html").relative_to(src)
    keys = {pid: formats.parse(str(path), path.read_bytes()).key for pid, path in json_files.items()}
    for category, path in dumps.items():
        thread = formats.parse(str(path), path.read_bytes())
        thread.forum = DUMP_FORUM
        keys[category] = thread.key
    return {name: pages[key] for name, key in keys.items()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> HostileSite:
    site = HostileSite(tmp_path_factory.mktemp("hostile"))
    benign = site.src("benign")
    benign_items = [("benign-001", "Ordinary words"), ("benign-002", BENIGN_TEXT)]
    _import(benign, *_captures(site, benign, benign_items))
    site.benign_out, site.benign_warnings = site.build(benign)
    hostile_src = site.src("site")
    items = [(p.id, p.filled(site.canary)) for p in site.payloads]
    site.pages = _import(hostile_src, *_captures(site, hostile_src, items))
    site.out, site.warnings = site.build(hostile_src)
    return site


def _baseline(out: Path) -> Baseline:
    baseline = Baseline()
    for page in out.rglob("*.html"):
        baseline.learn(lxml.html.parse(str(page)).getroot(), page.relative_to(out).as_posix())
    for css in (out / "_static").rglob("*.css"):
        baseline.learn_styles(css.read_text("utf-8"))
    return baseline


def _folded(text: str) -> str:
    """Text as articles are matched across threads (the site shows one title per article)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _check_json_page(site: HostileSite, payload: Payload, page: lxml.html.HtmlElement) -> list[str]:
    """Every field of the payload's thread-json capture shown literally, where the reader expects it."""
    value = normalize_text(payload.filled(site.canary))
    main = content(page)
    found: list[str] = []
    shown = shown_text(main)
    (heading,) = main.xpath(".//section[contains(@class,'forum-thread')]/h1")
    for link in heading.xpath(".//a[contains(@class,'headerlink')]"):
        link.drop_tree()
    if shown_text(heading) != f"{value} {value}":
        found.append(f"thread title/prefix shown as {shown_text(heading)[:80]!r}")
    card = main.xpath(".//div[contains(@class,'forum-post')]")[0]
    expected = {"post-author": value, "post-user-title": value, "post-date": value, "post-edited": f"edited {value}",
                "thread-forum": value, "status-text": value, "image-name": value}
    for cls, text in expected.items():
        if not any(shown_text(el) == text for el in main.xpath(f".//span[contains(@class,'{cls}')]")):
            found.append(f"{cls} not shown literally")
    paragraphs = [shown_text(p) for p in card.xpath(".//p")]
    if paragraphs.count(value) < 3:  # the text block, the quote and the article's text
        found.append(f"post text shown {paragraphs.count(value)} times, not 3")
    titles = [shown_text(t) for t in card.xpath(".//span[contains(@class,'article-title')]")]
    if not titles or _folded(titles[0]) != _folded(value):
        found.append(f"article title shown as {titles!r}")
    if f"1: {value}" not in shown:
        found.append("chrome line not shown")
    return found


def _check_dump_page(value_lines: list[str], page: lxml.html.HtmlElement) -> list[str]:
    """Each non-blank line of the dump is visible (text, or listed as chrome)."""
    shown = shown_text(content(page))
    return [f"line not shown: {line[:60]!r}" for line in value_lines if line not in shown]


def _dump_lines(value: str) -> list[str]:
    lines = []
    for line in normalize_text(value).split("\n"):
        text = line.strip().removeprefix("View: ")
        if text.strip(" \t\u00a0"):
            lines.append(text)
    return lines


def _check(site: HostileSite) -> None:
    baseline = _baseline(site.benign_out)
    found: dict[str, list[str]] = {}
    for page in site.out.rglob("*.html"):
        rel = page.relative_to(site.out).as_posix()
        found[rel] = problems(lxml.html.parse(str(page)).getroot(), baseline, rel)
    leaked = [str(p.relative_to(site.out)) for p in site.out.rglob("*") if p.is_file()
              and (CANARY_TEXT.encode() in p.read_bytes() or PASSWD.encode() in p.read_bytes())]
    leaked += [str(p.relative_to(site.out)) for d in ("_images", "_downloads") for p in (site.out / d).rglob("*")]
    own = set()
    for payload in site.payloads:
        rel = site.pages[payload.id].as_posix()
        own.add(rel)
        page = lxml.html.parse(str(site.out / rel)).getroot()
        site.failures[payload.id] += found[rel] + _check_json_page(site, payload, page)
        if payload.id not in site.rejected:
            dump = lxml.html.parse(str(site.out / site.pages[payload.category])).getroot()
            site.failures[payload.id] += _check_dump_page(_dump_lines(payload.filled(site.canary)), dump)
        if leaked:
            site.failures[payload.id].append(f"content from outside the corpus reached the site: {leaked}")
    site.shared_problems = sorted({f"{rel}: {m}" for rel, ms in found.items() if rel not in own for m in ms})


@pytest.fixture(scope="module")
def checked(hostile) -> HostileSite:
    _check(hostile)
    leaked = sorted(pid for pid, found in hostile.failures.items() if found)
    SUMMARY.append(f"hostile input: {len(hostile.payloads)} payloads tried, each in every field of a thread-json "
                   f"capture and in a text dump ({len(hostile.rejected)} dumps rejected with a clear error); "
                   f"{len(leaked)} leaked")
    return hostile


def test_enough_payloads_of_every_kind():
    kinds = defaultdict(int)
    for payload in payloads():
        kinds[payload.category] += 1
    assert sum(kinds.values()) >= 200
    assert set(kinds) >= {"html", "myst", "templates", "unicode", "urls", "names"}


def test_no_payload_leaks(checked):
    leaked = {pid: found for pid, found in checked.failures.items() if found}
    report = "\n".join(f"{pid}: {'; '.join(found[:3])}" for pid, found in sorted(leaked.items())[:20])
    assert not leaked, f"{len(leaked)} payloads leaked:\n{report}"


def test_every_page_is_within_the_allow_list(checked):
    assert not checked.shared_problems, "\n".join(checked.shared_problems[:30])


def test_build_never_parsed_page_text_as_markup(checked):
    bad = [w for w in checked.warnings.splitlines() if any(m in w for m in MARKUP_WARNINGS)]
    assert not bad, "\n".join(bad[:20])


def test_dumps_that_cannot_be_text_are_rejected_clearly(checked):
    """NUL and lone surrogates cannot be in a UTF-8 text capture: the file is refused, naming file and line."""
    assert checked.rejected, "expected the NUL and lone-surrogate payloads to be refused as text dumps"
    for pid, message in checked.rejected.items():
        assert f"{pid}.txt:" in message and ("NUL" in message or "invalid UTF-8" in message), message


def test_corpus_json_keeps_every_payload_exactly(checked):
    corpus = json.loads((checked.out / "corpus.json").read_text("utf-8"))
    authors = {p["author"] for t in corpus["threads"] for p in t["posts"]}
    titles = {t["title"] for t in corpus["threads"]}
    texts = {b["text"] for t in corpus["threads"] for p in t["posts"] for b in p["blocks"]}
    for payload in checked.payloads:
        value = normalize_text(payload.filled(checked.canary))
        assert value in authors and value in titles and value in texts, payload.id


@pytest.mark.parametrize("injected", [
    '<script>alert(1)</script>', '<img src="x" onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example/"></iframe>', '<p style="color:red">x</p>', '<svg><use href="#x"/></svg>',
    '<link rel="stylesheet" href="https://evil.example/x.css">', '<span class="post-author-fake">x</span>',
])
def test_the_allow_list_catches_injected_markup(hostile, injected):
    """The checker itself: a benign page with one injected element is reported."""
    page = next(hostile.benign_out.rglob("corpus/*/*.html"))
    rel = page.relative_to(hostile.benign_out).as_posix()
    baseline = _baseline(hostile.benign_out)
    root = lxml.html.parse(str(page)).getroot()
    assert problems(root, baseline, rel) == []
    content(root).append(lxml.html.fragment_fromstring(injected, create_parent="div"))
    assert problems(root, baseline, rel)
