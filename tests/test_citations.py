"""Citation records, CSL rendering and the BibTeX/RIS/CSL-JSON writers, without a Sphinx build."""

from __future__ import annotations

import json
import re

import jsonschema
import pybtex.database
import pytest
import rispy
from docutils import nodes
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from converters.anchors import reconcile
from converters.model import Block, Post, Thread
from ext.cite.dates import date_parts
from ext.cite.formats import LATEX, bibtex, csl_json, one_line, ris
from ext.cite.meta import _meta
from ext.cite.records import Settings, article_records, post_record, thread_record
from ext.cite.render import render, render_text

CSL_SCHEMA = json.loads((ROOT / "schemas" / "csl-data.json").read_text("utf-8"))
SETTINGS = Settings(base_url="https://corpus.example/", forum_names={"TB2K": "Time Bomb 2000"})
THREAD = {"title": "Winter ferry timetable", "forum": "TB2K", "url": None, "retrieved": "2023-06-01"}
PAGE = "corpus/tb2k/winter.html"
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(lambda s: one_line(s))
printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


def _post(**kw) -> dict:
    return {"author": "night driver", "n": 7, "date": None, "retrieved": None, "tombstone": False, "blocks": [], **kw}


@pytest.mark.parametrize(("raw", "parts"), [
    ("2023-05-27", [2023, 5, 27]), ("2023-05-27T04:20:00-04:00", [2023, 5, 27]), ("2023-05", [2023, 5]),
    ("May 27, 2023", [2023, 5, 27]), ("SATURDAY, MAY 27, 2023 - 04:20 AM", [2023, 5, 27]),
    ("27th May 2023", [2023, 5, 27]), ("Sept. 3 2021", [2021, 9, 3]), ("May 2023", [2023, 5]),
    ("05/06/2023", None), ("Yesterday at 4:20 PM", None), ("Feb 30, 2023", None), ("", None), (None, None),
])
def test_dates_are_read_only_when_unambiguous(raw, parts):
    assert date_parts(raw) == parts


def test_post_record_is_csl_post_with_anchor_url_and_dates():
    post = _post(date="2023-05-28", retrieved="2023-06-01")
    record = post_record("night-driver-ab12cd", post, THREAD, PAGE, SETTINGS)
    assert record == {
        "id": "night-driver-ab12cd", "type": "post", "author": [{"literal": "night driver"}],
        "title": "Winter ferry timetable", "container-title": "Time Bomb 2000", "genre": "online forum post",
        "issued": {"date-parts": [[2023, 5, 28]]}, "accessed": {"date-parts": [[2023, 6, 1]]},
        "URL": "https://corpus.example/corpus/tb2k/winter.html#night-driver-ab12cd",
    }
    jsonschema.validate([record], CSL_SCHEMA)


def test_access_date_falls_back_to_thread_then_setting():
    assert post_record("a", _post(), THREAD, PAGE, SETTINGS)["accessed"] == {"date-parts": [[2023, 6, 1]]}
    bare = {**THREAD, "retrieved": None}
    assert "accessed" not in post_record("a", _post(), bare, PAGE, SETTINGS)
    fallback = Settings(default_retrieved="2022-01-02")
    assert post_record("a", _post(), bare, PAGE, fallback)["accessed"] == {"date-parts": [[2022, 1, 2]]}


def test_articles_pasted_into_a_post_are_citable():
    blocks = [{"kind": "text", "text": "hi"},
              {"kind": "article", "text": "…", "url": "https://news.example/a", "article": "a-8djwbwcd",
               "meta": {"title": "Why Are US Military Personnel Heading To Peru?", "author": "Nick Corbishley",
                        "outlet": "NakedCapitalism.com", "date": "SATURDAY, MAY 27, 2023 - 04:20 AM"}},
              {"kind": "article", "text": "no details recovered"},
              {"kind": "article", "text": "…", "meta": {"title": "Untraced"}}]
    record, untraced = article_records("melodi-abc123", _post(blocks=blocks))
    assert untraced == {"id": "melodi-abc123-article-3", "type": "webpage", "title": "Untraced"}
    assert record == {"id": "a-8djwbwcd", "type": "webpage", "author": [{"family": "Corbishley", "given": "Nick"}],
                      "title": "Why Are US Military Personnel Heading To Peru?",
                      "container-title": "NakedCapitalism.com", "issued": {"date-parts": [[2023, 5, 27]]},
                      "URL": "https://news.example/a"}
    url = "https://news.example/a"
    title = "Why Are US Military Personnel Heading To Peru?"
    # A title ending in "?" takes no added period; MLA and Chicago keep the given name whole.
    assert render_text(record, "apa") == f"Corbishley, N. (2023, May 27). {title} NakedCapitalism.com. {url}"
    assert render_text(record, "modern-language-association") == (
        f"Corbishley, Nick. “{title}” NakedCapitalism.com, 27 May 2023, {url}.")
    assert render_text(record, "chicago-notes") == (
        f"Nick Corbishley, “{title},” NakedCapitalism.com, May 27, 2023, {url}.")


def test_styles_render_forum_post_patterns_with_and_without_date():
    undated = post_record("night-driver-ab12cd", _post(), THREAD, PAGE, SETTINGS)
    dated = post_record("night-driver-ab12cd", _post(date="2023-05-28"), THREAD, PAGE, SETTINGS)
    url = undated["URL"]
    assert render_text(undated, "apa") == (
        f"night driver. (n.d.). Winter ferry timetable [Online forum post]. Time Bomb 2000. "
        f"Retrieved June 1, 2023, from {url}")
    assert render_text(dated, "apa") == (
        f"night driver. (2023, May 28). Winter ferry timetable [Online forum post]. Time Bomb 2000. {url}")
    assert render_text(dated, "modern-language-association") == (
        f"night driver. “Winter ferry timetable.” Online forum post. Time Bomb 2000, 28 May 2023, {url}.")
    assert render_text(undated, "chicago-notes") == (
        f"night driver, “Winter ferry timetable,” online forum post, Time Bomb 2000, n.d., "
        f"accessed June 1, 2023, {url}.")
    apa = render(dated, "apa")
    assert [n.astext() for n in apa if isinstance(n, nodes.emphasis)] == ["Winter ferry timetable"]


def test_a_thread_without_author_is_cited_by_its_title_once():
    """A thread record has no author: the styles put its title first, and CSL says it is then not printed
    again (citeproc-py repeated it: "Winter ferry timetable. (n.d.). Winter ferry timetable [Online …")."""
    record = thread_record("t-1", THREAD, _post(date="2023-05-28"), PAGE, SETTINGS)
    url = record["URL"]
    assert render_text(record, "apa") == (
        f"Winter ferry timetable. (2023, May 28). [Online forum thread]. Time Bomb 2000. {url}")
    assert render_text(record, "modern-language-association") == (
        f"“Winter Ferry Timetable.” Online forum thread. Time Bomb 2000, 28 May 2023, {url}.")
    for style in ("apa", "modern-language-association", "chicago-notes"):
        assert render_text(record, style).casefold().count("winter ferry timetable") == 1


def test_title_ending_in_question_mark_takes_no_extra_period():
    record = post_record("a", _post(), {**THREAD, "title": "Why Peru?"}, PAGE, SETTINGS)
    assert "“Why Peru?” Online forum post." in render_text(record, "modern-language-association")


@settings(max_examples=40, deadline=None)
@given(author=printable, title=printable, forum=printable)
@example(author="<b>night</b>", title="<script>alert(1)</script>", forum="\ufdd0x\ufdd1")
@example(author="0", title="0", forum="ı")
def test_rendered_citations_keep_user_text_as_text(author, title, forum):
    record = post_record("a-b", _post(author=author), {**THREAD, "title": title, "forum": forum}, PAGE, Settings())
    rendered = render(record, "apa")
    assert all(isinstance(n, (nodes.Text, nodes.emphasis)) for n in rendered)
    assert all(isinstance(c, nodes.Text) for n in rendered if isinstance(n, nodes.emphasis) for c in n.children)
    def norm(value: str) -> str:  # APA may capitalise a first letter ("ı" → "I"); citeproc-py normalises spaces
        return " ".join(value.upper().casefold().split())

    plain = norm("".join(n.astext() for n in rendered))
    for value in (author, title, forum):
        assert norm(re.sub("[\ufdd0-\ufdef]", "\ufffd", value)).rstrip(".") in plain


@settings(max_examples=30, deadline=None)
@given(author=printable, title=printable, date=st.sampled_from([None, "2023-05-28", "1999-12"]))
def test_cached_style_lookups_give_citeproc_pys_own_rendering(author, title, date):
    """What `ext.cite.render` keeps to speed citeproc-py up (XPath results and whether an element calls a
    variable, per style element; each item's reference) changes nothing in any style's output: a post, its
    thread and an article pasted into it, rendered with and without them."""
    from citeproc import CitationItem

    from ext.cite import render

    post = _post(author=author, date=date)
    records = [post_record("a-b", post, {**THREAD, "title": title}, PAGE, Settings()),
               thread_record("t-x", {**THREAD, "title": title}, post, PAGE, Settings()),
               {"id": "a-x", "type": "webpage", "title": title, "container-title": "Reuters",
                "author": [{"family": author, "given": "Ann"}], "issued": {"date-parts": [[2023, 6, 7]]}}]
    styles = ("apa", "modern-language-association", "chicago-notes")
    kept = [render._citeproc(record, style) for record in records for style in styles]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "_PINNED", {})  # no element is known: every lookup and answer is citeproc-py's own
        patch.setattr(render, "_Item", CitationItem)
        assert [render._citeproc(record, style) for record in records for style in styles] == kept


def _unlatex(value: str) -> str:
    reverse = {v: k for k, v in LATEX.items()}
    pattern = "|".join(re.escape(v) for v in sorted(reverse, key=len, reverse=True))
    return re.sub(pattern, lambda m: reverse[m.group()], value)


@settings(max_examples=60, deadline=None)
@given(author=text, title=text, forum=text)
@example(author="Tom and Jerry", title="}, author = {evil", forum="100% \\ {unbalanced")
@example(author="a\nER  - ", title="line\nTY  - JOUR\u2028x", forum="@online{x,")
def test_exports_parse_and_round_trip_hostile_text(author, title, forum):
    record = post_record("a-b", _post(author=author, date="2023-05-28"), {**THREAD, "title": title, "forum": forum},
                         PAGE, SETTINGS)
    entries = pybtex.database.parse_string(bibtex([record]), "bibtex").entries
    assert list(entries) == ["a-b"]
    entry = entries["a-b"]
    assert set(entry.fields) == {"title", "titleaddon", "organization", "date", "urldate", "url"}
    def spaced(value: str) -> str:  # BibTeX readers collapse runs of white space
        return " ".join(value.split())

    assert spaced(_unlatex(entry.fields["title"])) == spaced(one_line(title))
    assert spaced(_unlatex(entry.fields["organization"])) == spaced(one_line(forum))
    (person,) = entry.persons["author"]
    assert spaced(_unlatex(str(person))) == "{" + spaced(one_line(author)) + "}"
    (loaded,) = rispy.loads(ris([record]))
    assert loaded["title"] == one_line(title) and loaded["authors"] == [one_line(author)]
    assert loaded["secondary_title"] == one_line(forum) and loaded["urls"] == [record["URL"]]
    assert json.loads(csl_json([record])) == [record]
    jsonschema.validate(json.loads(csl_json([record])), CSL_SCHEMA)


def test_meta_tag_values_are_escaped():
    tag = _meta("citation_title", '"><script>alert(1)</script>\n&')
    assert tag == '<meta name="citation_title" content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;" />'


def test_reimport_keeps_each_posts_first_retrieval_date():
    def capture(retrieved: str, *texts: str) -> Thread:
        posts = [Post(author=f"user{i}", blocks=[Block("text", t)]) for i, t in enumerate(texts)]
        return Thread(title="T", forum="F", posts=posts, retrieved=retrieved)

    first = reconcile(capture("2023-06-01", "one", "two"), None, set())
    later = reconcile(capture("2024-01-15", "one", "two", "three"), first, set())
    assert [p.retrieved for p in later.posts] == ["2023-06-01", "2023-06-01", "2024-01-15"]
    assert [p.anchor for p in later.posts[:2]] == [p.anchor for p in first.posts]


@settings(max_examples=60, deadline=None)
@given(author=printable, title=printable, date=st.sampled_from([None, "2023-05-28", "2023-05"]))
@example(author="J.R.", title="Winter ferry timetable", date=None)
@example(author="dr who?", title="Why?", date="2023-05-28")
@example(author="ab", title="Anyone near Ahvaz? landslide reported!", date="2023-05")
@example(author="the “boss”", title="the “boss” said", date=None)
@example(author="!.0", title="!.0", date=None)
@example(author="“Boss”.Jr", title="ab cd", date=None)
def test_shared_renderings_equal_citeproc_rendering_each_post_and_thread(author, title, date):
    """Posts and threads share renderings with the name and title put in; each must be exactly what
    citeproc-py gives for that record (a style that title-cases thread titles renders each on its own)."""
    from ext.cite.render import URL_SLOT, _citeproc, _clean, render_marked

    thread = {**THREAD, "title": title}
    post = post_record("a-b", _post(author=author, date=date), thread, PAGE, SETTINGS)
    whole = thread_record("t", thread, _post(author=author, date=date), PAGE, SETTINGS)
    for record in (post, whole):
        direct = {**_clean(record), "URL": URL_SLOT}
        for style in ("apa", "modern-language-association", "chicago-notes"):
            assert render_marked(record, style) == _citeproc(direct, style)


def test_posts_of_many_threads_share_one_rendering_per_style(monkeypatch):
    """A citation costs citeproc-py milliseconds: the posts of 30 threads by 30 people, all on one day,
    take one rendering per style (and its probes), not one per thread."""
    from ext.cite import render

    rendered: list[str] = []
    real = render._citeproc
    monkeypatch.setattr(render.RENDERINGS, "known", {})
    monkeypatch.setattr(render, "_citeproc", lambda record, style: rendered.append(style) or real(record, style))
    render._printed_as.cache_clear()
    texts = []
    for k in range(30):
        thread = {**THREAD, "title": f"Ferry timetable number {k}"}
        record = post_record(f"p-{k}", _post(author=f"member {k}", date="2023-05-28"), thread, PAGE, SETTINGS)
        texts.append(render.render_marked(record, "apa"))
    assert texts[7].startswith("member 7. (2023, May 28). \ufdd0Ferry timetable number 7\ufdd1")
    assert len(rendered) <= 1 + 2 * (1 + len(render.PROBE_VALUES))  # the shape, and a probe of each slot

    rendered.clear()  # MLA title-cases a thread's title: through citeproc-py's own text case, shared all the same
    threads = [thread_record(f"t-{k}", {**THREAD, "title": f"the ferry timetable number {k}"}, _post(), PAGE, SETTINGS)
               for k in range(30)]
    texts = [render.render_marked(record, "modern-language-association") for record in threads]
    assert texts[7].startswith("“The Ferry Timetable Number 7.” Online forum thread.")
    assert len(rendered) <= 1 + 1 + len(render.PROBE_VALUES)
    render._printed_as.cache_clear()
