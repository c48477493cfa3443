"""The register in the built site: linked mentions, entry pages, indexes, members, corpus.json, inventory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag

import jsonschema
import lxml.html
import pytest

from conftest import EXAMPLES, ROOT, SAMPLE, json_capture, make_site
from converters.importer import import_captures

THREAD = "corpus/time-bomb-2000/why-is-the-us-military-sending-personnel-to-peru.html"


def _build(src: Path, *args: str) -> tuple[Path, str]:
    out = src / "_build" / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", *args, str(src), str(out)],
                         capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert run.returncode == 0, run.stderr
    return out, run.stderr


def _page(path: Path):
    return lxml.html.parse(str(path)).getroot()


def _mentions(corpus: dict) -> Counter[str]:
    counts: Counter[str] = Counter()
    for thread in corpus["threads"]:
        for post in thread["posts"]:
            for block in post["blocks"]:
                for leaf in block.get("blocks") or [block]:
                    counts.update(m["entity"] for m in leaf.get("mentions", []))
    return counts


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    src = make_site(tmp_path_factory.mktemp("reg"), [SAMPLE], forum="Time Bomb 2000", retrieved="2023-06-01")
    (src / "docs").mkdir()
    (src / "docs" / "essay.md").write_text(
        "# Essay\n\n{person}`Pedro Castillo` met {place}`the U.S. envoy <U.S.>` and {org}`CIA`; "
        "{person}`Nobody Atall` did not.\n", "utf-8")
    out, warnings = _build(src)
    return out, warnings, json.loads((out / "corpus.json").read_text("utf-8"))


def test_the_only_warning_is_the_unknown_name_in_the_essay(sample_site):
    _, warnings, _ = sample_site
    lines = [w for w in warnings.splitlines() if "WARNING" in w]
    assert len(lines) == 1 and "unknown register entry 'Nobody Atall'" in lines[0]


def test_every_mention_is_on_its_entry_page_and_each_link_lands_on_its_post(sample_site):
    out, _, corpus = sample_site
    counts = _mentions(corpus)
    cards: dict[tuple[Path, str], str] = {}  # (page, post anchor) → the post's text
    for path in {(out / t["page"]).resolve() for t in corpus["threads"]}:
        for card in _page(path).xpath("//div[contains(@class,'forum-post')]"):
            cards[(path, card.get("id"))] = card.text_content()
    assert counts and set(counts) == {e["id"] for e in corpus["entities"]}
    for entity in corpus["entities"]:
        entry = out / entity["page"]
        lines = _page(entry).xpath("//ul[@class='kwic']/li")
        assert len(lines) == counts[entity["id"]], entity["id"]
        for line in lines:
            (name,) = line.xpath("a[@class='kwic-name']")
            target, anchor = urldefrag(name.get("href"))
            assert name.text_content() in cards[((entry.parent / target).resolve(), anchor)]


def test_names_in_posts_link_to_their_entries_with_their_text_unchanged(sample_site):
    out, _, corpus = sample_site
    page = _page(out / THREAD)
    links = page.xpath("//div[contains(@class,'post-body')]//a[contains(@class,'mention')]")
    assert len(links) == sum(_mentions(corpus).values())
    by_text = {a.text_content(): a.get("href") for a in links}
    assert by_text["Pedro Castillo"] == by_text["Castillo"] == "../../register/pedro-castillo.html"
    assert by_text["US"] == by_text["U.S."] == by_text["United States"] == "../../register/united-states.html"
    for link in links:
        assert (out / "corpus/time-bomb-2000" / link.get("href")).resolve().exists()
    named = page.xpath("string(//div[contains(@class,'thread-register')])")
    assert "Named in this thread" in named and "Pedro Castillo" in named


def test_essays_link_names_with_person_place_and_org_roles(sample_site):
    out, _, _ = sample_site
    links = {a.text_content(): a.get("href") for a in _page(out / "docs/essay.html").xpath("//a[contains(@class,'mention')]")}
    assert links == {"Pedro Castillo": "../register/pedro-castillo.html",
                     "the U.S. envoy": "../register/united-states.html",
                     "Central Intelligence Agency": "../register/central-intelligence-agency.html"}


def test_indexes_list_every_entry_by_type_and_members_link_both_ways(sample_site):
    out, _, corpus = sample_site
    for kind, page in (("person", "people"), ("place", "places"), ("organisation", "organisations")):
        listed = {a.text_content() for a in _page(out / f"register/{page}.html").xpath("//ul[@class='register-list']//a")}
        assert listed == {e["name"] for e in corpus["entities"] if e["type"] == kind}
    authors = {p["author"] for t in corpus["threads"] for p in t["posts"]}
    members = _page(out / "register/members.html").xpath("//ul[@class='register-list']//a")
    assert {a.text_content() for a in members} == authors
    melodi = _page(out / "register/melodi.html")
    (member_link,) = melodi.xpath("//p[@class='register-member']/a/@href")
    member_page = (out / "register" / member_link).resolve()
    (back,) = _page(member_page).xpath("//a[contains(@class,'mention')]/@href")
    assert (member_page.parent / back).resolve() == (out / "register/melodi.html").resolve()
    overview = _page(out / "register/index.html").text_content()
    assert "GeoNames" in overview and "CC BY 4.0" in overview


def test_corpus_json_lists_entities_and_each_posts_mentions(sample_site):
    _, _, corpus = sample_site
    schema = json.loads((ROOT / "schemas" / "corpus.schema.json").read_text("utf-8"))
    jsonschema.validate(corpus, schema)
    anchors = {p["anchor"] for t in corpus["threads"] for p in t["posts"]}
    ids = {e["id"] for e in corpus["entities"]}
    peru = next(e for e in corpus["entities"] if e["id"] == "peru")
    assert peru["type"] == "place" and peru["authority"]["geonames"] == "3932488"
    assert peru["page"] == "register/peru.html" and set(peru["mentions"]) <= anchors
    first = corpus["threads"][0]["posts"][0]
    assert {"entity": "zero-hedge", "text": "Zero Hedge"} in first["mentions"]
    assert all(m["entity"] in ids for t in corpus["threads"] for p in t["posts"] for m in p["mentions"])


def test_inventory_lists_entries_for_other_projects(sample_site):
    from sphinx.util.inventory import InventoryFile

    out, _, _ = sample_site
    with open(out / "objects.inv", "rb") as f:
        inv = InventoryFile.load(f, "https://corpus.example/", lambda base, uri: base + uri)
    data = inv.data if hasattr(inv, "data") else inv
    assert data["register:person"]["pedro-castillo"].uri == "https://corpus.example/register/pedro-castillo.html"
    assert data["std:label"]["entity-peru"].uri == "https://corpus.example/register/peru.html"


def test_curated_names_are_text_indexes_split_by_letter_and_builds_are_parallel_safe(tmp_path):
    flood = [e for e in EXAMPLES if "flood" in e.name]
    src = make_site(tmp_path / "s", flood, forum="Harbour Town Forum")
    (src / "corpus" / "register.yaml").write_text(
        'entities:\n  - name: "<script>alert(1)</script> Wend"\n    type: place\n    id: river-wend\n'
        "    aliases: [Wend, River Wend]\n    description: \"<b>not bold</b>\"\n", "utf-8")
    import_captures([str(flood[0])], src / "corpus", forum="Harbour Town Forum")  # re-resolve with the register
    parallel = tmp_path / "p"
    shutil.copytree(src, parallel)
    serial_out, warnings = _build(src, "-D", "register_split_at=3")
    assert "WARNING" not in warnings
    page = _page(serial_out / "register/river-wend.html")
    assert not page.xpath("//article//script") and not page.xpath("//article//b")
    assert "<script>alert(1)</script> Wend" in page.xpath("string(//h1)")
    assert "<b>not bold</b>" in page.text_content()
    letters = sorted(p.name for p in (serial_out / "register").glob("places-*.html"))
    assert letters and all(len(p.removeprefix("places-").removesuffix(".html")) <= 5 for p in letters)
    listed = set()
    for letter in letters:
        listed |= {a.text_content() for a in _page(serial_out / "register" / letter).xpath("//ul[@class='register-list']//a")}
    corpus = json.loads((serial_out / "corpus.json").read_text("utf-8"))
    assert listed == {e["name"] for e in corpus["entities"] if e["type"] == "place"}
    parallel_out, warnings = _build(parallel, "-D", "register_split_at=3", "-j", "2")
    assert "WARNING" not in warnings
    assert json.loads((parallel_out / "corpus.json").read_text("utf-8"))["entities"] == corpus["entities"]


def test_a_new_thread_adds_its_mentions_to_existing_entry_pages(tmp_path):
    src = make_site(tmp_path, EXAMPLES[:1], forum="Harbour Town Forum")
    out, _ = _build(src)
    before = {e["id"]: len(e["mentions"]) for e in json.loads((out / "corpus.json").read_text("utf-8"))["entities"]}
    import_captures([str(EXAMPLES[1])], src / "corpus", forum="Harbour Town Forum")
    out, warnings = _build(src)
    assert "WARNING" not in warnings
    corpus = json.loads((out / "corpus.json").read_text("utf-8"))
    shared = [e for e in corpus["entities"] if e["id"] in before and len(e["mentions"]) > before[e["id"]]]
    assert shared, "the second example thread names no entry of the first"
    for entity in shared:
        threads = _page(out / entity["page"]).xpath("//h3[@class='kwic-thread']")
        assert len(threads) >= 2


def test_an_entry_lists_the_aliases_of_every_page_that_names_it(tmp_path):
    """Each thread page lists only the aliases written in its thread; the entry's page and corpus.json join
    those of every page."""
    said = [("Ferry news", "The ferry to Peru is late again."), ("Travel plans", "She moved to the Republic of Peru.")]
    captures = [json_capture(tmp_path / "in", title, [{"author": "gull", "source_id": title, "blocks": [
        {"kind": "text", "text": text}]}]) for title, text in said]
    src = make_site(tmp_path / "site", captures, forum="Harbour Town Forum")
    assert "Republic of Peru" not in (src / "corpus" / "harbour-town-forum" / "ferry-news.md").read_text("utf-8")
    out, _ = _build(src)
    peru = next(e for e in json.loads((out / "corpus.json").read_text("utf-8"))["entities"] if e["id"] == "peru")
    assert "Republic of Peru" in peru["aliases"]
    assert "Republic of Peru" in _page(out / peru["page"]).xpath("string(//p[@class='register-aliases'])")
