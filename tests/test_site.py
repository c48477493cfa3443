"""The built site: post cards, anchors, the post role, labels, listing, corpus.json, parallel and incremental builds."""

from __future__ import annotations

import json
import shutil

import jsonschema
import lxml.html
import pytest

from conftest import EXAMPLES, ROOT, make_site


def _html(app, page: str):
    return lxml.html.parse(str(app.outdir / page)).getroot()


def _corpus(app) -> dict:
    return json.loads((app.outdir / "corpus.json").read_text("utf-8"))


@pytest.fixture
def sample_site(sample, tmp_path, site_builder):
    src = make_site(tmp_path, [sample], forum="Time Bomb 2000", retrieved="2023-06-01")
    (src / "docs").mkdir()
    data = json.loads(next((src / "corpus").rglob("*.thread.json")).read_text("utf-8"))
    anchors = [p["anchor"] for p in data["posts"]]
    (src / "docs" / "essay.md").write_text(
        "# Essay\n\nAs {post}`%s` put it, and see {ref}`%s`. Also {post}`the reply <%s>`.\n"
        % (anchors[2], anchors[6], anchors[3]), "utf-8")
    app, warnings = site_builder(src)
    return app, warnings, anchors, data


def test_sample_builds_without_warnings(sample_site):
    app, warnings, *_ = sample_site
    assert warnings == ""


def test_every_post_is_a_card_at_its_anchor(sample_site):
    app, _, anchors, data = sample_site
    page = _html(app, "corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html")
    cards = page.xpath("//div[contains(@class,'forum-post')]")
    assert [c.get("id") for c in cards] == anchors
    header = cards[20].xpath(".//p[@class='post-header']")[0]
    assert header.xpath("string(.//span[@class='post-author'])") == "inskanoot"
    assert header.xpath("string(.//span[@class='post-user-title'])") == "Veteran Member"
    assert header.xpath("string(.//span[@class='post-n'])") == "#21"
    assert header.xpath(".//span[@class='post-edited']")
    assert not cards[19].xpath(".//span[@class='post-edited']")
    assert header.xpath(".//a[@class='post-permalink reference internal']/@href") == [f"#{anchors[20]}"]
    assert page.xpath("string(//h1)").startswith("WAR Why is the US Military")


def test_post_role_and_labels_link_to_the_post(sample_site):
    app, _, anchors, _ = sample_site
    essay = _html(app, "docs/essay.html")
    links = {a.text_content(): a.get("href") for a in essay.xpath("//a[contains(@class,'reference')]")}
    thread = "../corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html"
    title = "“Why is the US Military sending personnel to Peru?”"
    assert links[f"Melodi, post 3 in {title}"] == f"{thread}#{anchors[2]}"
    assert links[f"night driver, post 7 in {title}"] == f"{thread}#{anchors[6]}"
    assert links["the reply"] == f"{thread}#{anchors[3]}"


def test_inventory_lists_posts_as_standard_labels(sample_site):
    from sphinx.util.inventory import InventoryFile

    app, _, anchors, _ = sample_site
    with open(app.outdir / "objects.inv", "rb") as f:
        inv = InventoryFile.load(f, "https://corpus.example/", lambda base, uri: base + uri)
    data = inv.data if hasattr(inv, "data") else inv
    labels, posts = data["std:label"], data["forum:post"]
    assert set(anchors) <= set(labels) and set(anchors) <= set(posts)
    assert labels[anchors[0]].uri.endswith(f"#{anchors[0]}")


def test_corpus_json_is_complete_and_valid(sample_site, sample):
    app, _, anchors, _ = sample_site
    corpus = _corpus(app)
    schema = json.loads((ROOT / "schemas" / "corpus.schema.json").read_text("utf-8"))
    jsonschema.validate(corpus, schema)
    (thread,) = corpus["threads"]
    assert thread["prefix"] == "WAR" and thread["forum"] == "Time Bomb 2000" and thread["retrieved"] == "2023-06-01"
    assert [p["anchor"] for p in thread["posts"]] == anchors
    assert [p["n"] for p in thread["posts"]] == list(range(1, 24))
    assert [p["edited"] for p in thread["posts"]].index(True) == 20
    assert thread["posts"][4]["url"].endswith(f".html#{anchors[4]}")


def test_every_non_chrome_line_is_in_corpus_json_and_visible(sample_site, sample):
    app, _, _, data = sample_site
    (thread,) = _corpus(app)["threads"]
    exported = {thread["prefix"] + "\u00a0" + thread["title"]}
    for post in thread["posts"]:
        exported |= {post["author"], post["user_title"]}
        blocks = [part for b in post["blocks"] for part in [b, *b.get("blocks", [])]]  # articles hold their parts
        exported |= {line for b in blocks for line in b["text"].split("\n")}
        exported |= {"View: " + b["text"] for b in blocks if b["kind"] == "embed"}
    chrome = {c["text"] for c in data["chrome"]}
    page = _html(app, "corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html")
    visible = " ".join("".join(page.xpath("//article[@role='main']")[0].itertext()).split())
    for number, line in enumerate(sample.read_text("utf-8").split("\n"), 1):
        text = line.strip()
        if not text.strip("\u00a0") or line in chrome:
            continue
        assert text in exported or line in exported, f"line {number} missing from corpus.json"
        shown = " ".join(text.removeprefix("View: ").split())
        assert shown in visible, f"line {number} not visible in the HTML"


def test_home_page_lists_forums_and_threads(sample_site):
    app, *_ = sample_site
    home = _html(app, "index.html")
    assert "Time Bomb 2000 — 1 threads, 23 posts" in home.text_content()
    (link,) = home.xpath("//ul[contains(@class,'thread-list')]//a")
    assert link.get("href") == "corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html"


def test_parallel_build_matches_serial_and_incremental_updates(tmp_path, site_builder):
    serial_src = make_site(tmp_path / "s", EXAMPLES[:1], forum="Harbour Town Forum")
    parallel_src = tmp_path / "p"
    shutil.copytree(serial_src, parallel_src)
    serial, warnings = site_builder(serial_src)
    assert warnings == ""
    parallel, warnings = site_builder(parallel_src, parallel=2)
    assert warnings == ""
    assert _corpus(serial) == _corpus(parallel)
    # Add a second thread: only it is read; the home page is re-written with both threads.
    from converters.importer import import_captures

    import_captures([str(EXAMPLES[1])], parallel_src / "corpus", forum="Harbour Town Forum")
    again, warnings = site_builder(parallel_src, parallel=2)
    assert warnings == ""
    assert len(_corpus(again)["threads"]) == 2
    assert "2 threads" in _html(again, "index.html").text_content()
    assert "1 added, 0 changed, 0 removed" in again.status.getvalue()


def test_unknown_post_anchor_warns(tmp_path, site_builder):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum")
    (src / "docs").mkdir()
    (src / "docs" / "note.md").write_text("# Note\n\nSee {post}`nobody-zzzzzz`.\n", "utf-8")
    _, warnings = site_builder(src)
    assert "unknown post anchor 'nobody-zzzzzz'" in warnings
