"""The register's general rules: gazetteer, span repairs, resolution, curation, quotes, review."""

from __future__ import annotations

import re
import unicodedata

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from converters.entities.annotate import recognise
from converters.entities.gazetteer import fold, gazetteer
from converters.entities.normalise import display, key
from converters.entities.recognise import Recogniser
from converters.entities.register import Register, proposals
from converters.entities.resolve import Resolver, inherit
from converters.errors import ConversionError
from converters.model import Block, Mention, Post, Thread


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser(["Gull_Watcher", "Ada Penhallow", "night driver"])


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _names(text: str, mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.name or text[m.start:m.end], m.label) for m in mentions]


# -- normalisation and the gazetteer ----------------------------------------------------------------

def test_spellings_of_one_name_share_a_key():
    assert key("the U.S.’s") == key("US") == "us"
    assert key("Apurímac") == key("Apurimac")
    assert display("the “Nazi International”") == "Nazi International"
    assert display("James Yeager's") == "James Yeager"


def test_gazetteer_knows_countries_by_every_common_name_and_never_looks_up_codes():
    gaz = gazetteer()
    ids = {gaz.lookup(n).id for n in ("US", "U.S.", "USA", "the United States", "United States of America")}
    assert ids == {"country:US"}
    assert gaz.lookup("Viet Nam").name == "Vietnam"
    assert gaz.lookup("Junin").name == "Junín"  # accents optional
    assert gaz.lookup("GEO") is None and gaz.lookup("IN") is None  # codes are not names


def test_gazetteer_scan_respects_word_and_hyphen_boundaries():
    text = "the Trans-Pacific deal, Peru-Bolivia talks, Washington-based staff, Vietnam/Cambodia-style war"
    found = [text[s:e] for s, e, _ in gazetteer().find(text)]
    assert "Pacific" not in found
    assert {"Peru", "Bolivia", "Washington", "Vietnam", "Cambodia"} <= set(found)


def test_towns_named_like_words_or_people_need_a_place_context(recogniser):
    text = "Much remains unknown. Nice try. We drove from Tacna to Iquitos, Pucallpa and Cusco."
    doc = recogniser.mentions(text, _no_entities())
    names = {n for n, _ in _names(text, doc)}
    assert "Much" not in names and "Nice" not in names
    assert {"Iquitos", "Pucallpa", "Cusco"} <= names


class _no_entities:
    ents: tuple = ()


# -- span repairs (given the spans a tagger produced) -----------------------------------------------

@pytest.mark.parametrize(("text", "span", "label", "expected"), [
    ("Strikes hit Tacna and Moquegua in May.", "Tacna and Moquegua", "ORG", [("Tacna", "GPE"), ("Moquegua", "GPE")]),
    ("talks between North and South Korea stalled", "North and South Korea", "GPE",
     [("North Korea", "GPE"), ("South Korea", "GPE")]),
    ("the former president of Chile Michelle Bachelet said", "Chile Michelle Bachelet", "PERSON",
     [("Chile", "GPE"), ("Michelle Bachelet", "PERSON")]),
    ("a handover to Rafael Correa’s party and allies", "Rafael Correa’s party", "PERSON", [("Rafael Correa", "PERSON")]),
    ("the vote in Peru’s Congress last week", "Peru’s Congress", "ORG", [("Congress", "ORG")]),
    ("as People’s Dispatch reported", "People’s Dispatch", "ORG", [("People’s Dispatch", "ORG")]),
    ("Now American Troops Are Going Into Peru.", "American Troops Are Going Into Peru", "ORG", []),
    ("Is Another Military Coup Brewing in Peru?", "Another Military Coup Brewing", "ORG", []),
    ("After Historic Electoral Victory for Leftist Candidate", "Historic Electoral Victory for", "PERSON", []),
    ('George "My Face is melting" Soros', 'George "My Face', "PERSON", []),
    ("under a combined Special Command of the army", "Special Command", "ORG", []),
    ("Unbeknown, it seems, to most people", "Unbeknown", "GPE", []),
    ("the victorious Allied powers cut deals", "Allied", "ORG", []),
    ("met Defence Minister Gustavo Bobbio Rosas on Monday", "Gustavo Bobbio", "PERSON",
     [("Gustavo Bobbio Rosas", "PERSON")]),
    ("posting in the Latin America Thread instead", "the Latin America Thread", "LOC", [("Latin America", "LOC")]),
])
def test_tagger_spans_are_repaired_by_general_rules(recogniser, text, span, label, expected):
    start, end = _span(text, span)
    assert _names(text, recogniser.repair(text, start, end, label)) == expected


def test_members_names_are_found_but_lowercase_phrases_are_not(recogniser):
    text = "Gull_Watcher is right, and Ada Penhallow too; a night driver would know."
    found = _names(text, recogniser.mentions(text, _no_entities()))
    assert ("Gull_Watcher", "MEMBER") in found and ("Ada Penhallow", "MEMBER") in found
    assert all(name != "night driver" for name, _ in found)


def test_past_the_model_budget_text_is_searched_without_the_model(recogniser, monkeypatch, caplog):
    """A flood of text cannot stall an import: past the budget only the cheap finders run, and it is said."""
    from converters.entities import recognise as module

    calls: list[str] = []
    real = module.nlp()

    class Counting:
        def pipe(self, texts, **kw):
            texts = list(texts)
            calls.extend(texts)
            return real.pipe(texts, **kw)

    monkeypatch.setattr(module, "nlp", lambda: Counting())
    monkeypatch.setattr(module, "MODEL_BUDGET", 2 * module.CHUNK)
    filler = "The ferry was late again and the harbour master blamed the tide tables.\n" * 400
    text = filler + "Gull_Watcher moved to Lisbon and met Angela Merkel there.\n"
    found = _names(text, recogniser.recognise([text])[0])
    assert sum(map(len, calls)) <= 2 * module.CHUNK < len(text)
    assert ("Gull_Watcher", "MEMBER") in found and ("Lisbon", "GAZ") in found
    assert all("Merkel" not in name for name, _ in found)  # only the model knows her
    assert "the name model read at most the first 20,000" in caplog.text


# -- resolution over hand-built threads -------------------------------------------------------------

def _block(text: str, *spans: tuple[str, str]) -> Block:
    mentions, cursor = [], 0
    for words, label in spans:  # in reading order
        start = text.index(words, cursor)
        mentions.append(Mention(start, start + len(words), label))
        cursor = start + len(words)
    return Block("text", text, mentions=mentions)


def _thread(title: str, *posts: tuple[str, list[Block]], forum: str = "F") -> Thread:
    thread = Thread(title=title, forum=forum, url=f"https://f.example/{title}")
    for i, (author, blocks) in enumerate(posts, 1):
        thread.posts.append(Post(author=author, blocks=blocks, anchor=f"{author.lower().replace(' ', '-')}-{i:06d}", n=i))
    return thread


def _resolve(*threads: Thread, register: Register | None = None):
    return Resolver(list(threads), register or Register()).run()


def test_one_entry_per_real_entity():
    a = _thread("a", ("ann", [
        _block("President Pedro Castillo was ousted; US and U.S. troops and the United States agreed.",
               ("Pedro Castillo", "PERSON"), ("US", "GPE"), ("U.S.", "GPE"), ("United States", "GPE")),
        _block("Castillo appealed. The Central Intelligence Agency (CIA) said nothing; the CIA never does.",
               ("Castillo", "NORP"), ("Central Intelligence Agency", "ORG"), ("CIA", "ALIAS"), ("CIA", "ORG")),
    ]))
    entities = _resolve(a)
    by_name = {e.name: e for e in entities.values()}
    assert set(by_name) == {"Pedro Castillo", "United States", "Central Intelligence Agency"}
    assert "Castillo" in by_name["Pedro Castillo"].aliases and by_name["Pedro Castillo"].type == "person"
    assert set(by_name["United States"].aliases) == {"US", "U.S."}
    assert by_name["United States"].authority["geonames"] == "6252001"
    assert by_name["Central Intelligence Agency"].type == "organisation"


def test_a_lone_surname_joins_the_full_name_of_its_own_thread():
    one = _thread("one", ("a", [_block("Maria Lopez and Lopez again.", ("Maria Lopez", "PERSON"), ("Lopez", "PERSON"))]))
    two = _thread("two", ("b", [_block("Juan Lopez and Lopez too.", ("Juan Lopez", "PERSON"), ("Lopez", "PERSON"))]))
    entities = _resolve(one, two)
    assert {e.name for e in entities.values()} == {"Maria Lopez", "Juan Lopez"}
    assert all(e.mentions == 2 for e in entities.values())


def test_parenthesised_other_names_merge_and_type_comes_from_all_evidence():
    text = "remnants of the Shining Path terrorist group (aka Sendero Luminoso) in the valleys"
    t = _thread("t", ("a", [_block(text, ("Shining Path", "ALIAS"), ("Sendero Luminoso", "PERSON"))]))
    (entity,) = _resolve(t).values()
    assert entity.type == "organisation" and {entity.name, *entity.aliases} == {"Shining Path", "Sendero Luminoso"}


def test_label_disagreements_are_settled_by_evidence_across_the_corpus():
    posts = [("x", [_block("I agree with Mongo here.", ("Mongo", "GPE"))]),
             ("y", [_block("Read Mongo's post again.", ("Mongo", "ORG"))]),
             ("z", [_block("You and Mongo are right.", ("Mongo", "GPE"))])]
    (entity,) = _resolve(_thread("t", *posts)).values()
    assert entity.type == "person"  # although the tagger said place twice (and Mongo is a town in Chad)


def test_slang_chrome_user_titles_and_lowercase_words_are_never_entries():
    thread = _thread("t", ("a", [_block("Meh. RIP to him. TB is slow. Lithium prices, lithium mines, lithium.",
                                        ("Meh", "PERSON"), ("RIP", "ORG"), ("TB", "ORG"), ("Lithium", "GPE"))]))
    thread.posts[0].user_title = "Has No Life - Lives on TB"
    assert _resolve(thread) == {}


def test_forum_members_named_in_posts_are_people_linked_to_their_identity():
    thread = _thread("t", ("Ada Penhallow", [_block("Hello all.")]),
                     ("bob", [_block("Thanks Ada, and the Zonk Zippers.", ("Ada", "PERSON"))]))
    (entity,) = _resolve(thread).values()
    assert entity.name == "Ada Penhallow" and entity.type == "person" and entity.members == [("F", "Ada Penhallow")]


def test_curated_register_always_wins(tmp_path):
    path = tmp_path / "register.yaml"
    path.write_text("entities:\n  - name: Río Wend\n    type: organisation\n    id: wend-river\n"
                    "    aliases: [Wend]\n    authority: {wikidata: Q42}\n    description: A test.\n"
                    "not_entities: [Zonk]\n", "utf-8")
    register = Register.load(path)
    t = _thread("t", ("a", [_block("The Wend rose. Zonk went to Lima.", ("Wend", "GPE"), ("Zonk", "PERSON"),
                                   ("Lima", "GPE"))]))
    entities = _resolve(t, register=register)
    assert set(entities) == {"wend-river", "lima"}
    wend = entities["wend-river"]
    assert (wend.name, wend.type, wend.authority, wend.description, wend.curated) == (
        "Río Wend", "organisation", {"wikidata": "Q42"}, "A test.", True)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("entities:\n  - name: X\n    type: planet\n", 2, "'type' must be one of"),
    ("entities:\n  - name: X\n    type: place\n    authority: {wikidata: 42}\n", 2, "does not look like"),
    ("entities: [\n", 2, "not valid YAML"),
    ("entities:\n  - {name: A, type: place}\n  - {name: B, type: place, aliases: [A]}\n", 3, "also a name of"),
])
def test_a_bad_register_file_is_an_error_naming_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "register.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConversionError) as err:
        Register.load(path)
    assert err.value.path == str(path) and err.value.line == line and message in err.value.message


def test_review_proposes_only_what_the_register_lacks():
    entities = _resolve(_thread("t", ("a", [_block("Lima and Quito.", ("Lima", "GPE"), ("Quito", "GPE"))])))
    entities["lima"].curated = True
    text = proposals(entities)
    assert "name: Quito" in text and "name: Lima" not in text and text.startswith("# Proposed")


def _keys(*threads: Thread) -> set[tuple[str, str]]:
    return {(m.key, b.text[m.start:m.end]) for t in threads for p in t.posts for b in p.blocks for m in b.mentions
            if m.key}


def test_an_entry_keeps_its_key_when_a_later_thread_gives_it_a_fuller_name():
    one = _thread("one", ("a", [_block("Pemberton said no. Pemberton again.", ("Pemberton", "PERSON"),
                                       ("Pemberton", "PERSON"))]))
    assert set(_resolve(one)) == {"pemberton"}
    two = _thread("two", ("b", [_block("Gaz Pemberton spoke at noon.", ("Gaz Pemberton", "PERSON"))]))
    (entity,) = _resolve(one, two).values()
    assert (entity.key, entity.name) == ("pemberton", "Gaz Pemberton")  # the page's address does not move
    assert _keys(one, two) == {("pemberton", "Pemberton"), ("pemberton", "Gaz Pemberton")}
    for block in (*one.posts[0].blocks, *two.posts[0].blocks):  # a corpus resolved afresh names it by its name
        for mention in block.mentions:
            mention.key = None
    assert set(_resolve(one, two)) == {"gaz-pemberton"}


def test_names_found_again_keep_the_keys_they_had():
    block = _block("We sailed from Lisbon at dawn.", ("Lisbon", "GAZ"))
    block.mentions[0].key = "lisbon-harbour"  # what an earlier import called it
    thread = _thread("t", ("a", [block]))
    recognise([thread], [thread])  # `converters entities --recognise`, after an upgrade
    assert [(m.key, block.text[m.start:m.end]) for m in block.mentions] == [("lisbon-harbour", "Lisbon")]
    assert set(_resolve(thread)) == {"lisbon-harbour"}


def test_a_split_entry_leaves_its_key_with_the_name_it_is_the_key_of():
    one = _thread("one", ("a", [_block("Ada Okonkwo wrote.", ("Ada Okonkwo", "PERSON"))]))
    two = _thread("two", ("b", [_block("Okonkwo wrote. Okonkwo said. Okonkwo left.", ("Okonkwo", "PERSON"),
                                       ("Okonkwo", "PERSON"), ("Okonkwo", "PERSON"))]))
    assert set(_resolve(one, two)) == {"ada-okonkwo"}  # the corpus's one Okonkwo
    three = _thread("three", ("c", [_block("Chidi Okonkwo arrived.", ("Chidi Okonkwo", "PERSON"))]))
    entities = _resolve(one, two, three)  # two full names now: the lone surname is its own entry
    assert {k: e.name for k, e in entities.items()} == {
        "ada-okonkwo": "Ada Okonkwo", "okonkwo": "Okonkwo", "chidi-okonkwo": "Chidi Okonkwo"}


def test_a_curated_entry_takes_its_key_from_an_entry_made_before(tmp_path):
    t = _thread("t", ("a", [_block("The Wend rose again.", ("Wend", "ORG"))]))
    assert set(_resolve(t)) == {"wend"}
    path = tmp_path / "register.yaml"
    path.write_text("entities:\n  - {name: Wend Valley, type: place, id: wend}\n", "utf-8")
    other = _thread("u", ("b", [_block("Down the Wend Valley.", ("Wend Valley", "LOC"))]))
    entities = _resolve(t, other, register=Register.load(path))
    assert {k: (e.name, e.curated) for k, e in entities.items()} == {
        "wend": ("Wend Valley", True), "wend-organisation": ("Wend", False)}


# -- quotes inherit the mentions of their source ----------------------------------------------------

def test_a_quote_inherits_its_sources_mentions_instead_of_counting_them_again():
    source = _block("Evo Morales spoke in La Paz yesterday.", ("Evo Morales", "PERSON"), ("La Paz", "GPE"))
    quote = Block("quote", "Morales spoke in La Paz", source="ann-000001", mentions=[Mention(0, 7, "PERSON")])
    reply = Block("text", "Nonsense.")
    thread = _thread("t", ("ann", [source]), ("bob", [quote, reply]))
    entities = _resolve(thread)
    assert {e.name: e.mentions for e in entities.values()} == {"Evo Morales": 1, "La Paz": 1}
    assert [(quote.text[m.start:m.end], m.key, m.label) for m in quote.mentions] == [("La Paz", "la-paz", "QUOTED")]


def test_inherit_maps_offsets_through_an_exact_copy_and_else_by_name():
    source = Post("ann", [Block("text", "We met Lula in Brasília.", mentions=[
        Mention(7, 11, "PERSON", key="lula", type="person"), Mention(15, 23, "GPE", key="brasilia", type="place")])])
    exact = inherit("Lula in Brasília", source)
    assert [(m.start, m.end, m.key) for m in exact] == [(0, 4, "lula"), (8, 16, "brasilia")]
    reflowed = inherit("met  Lula\nin Brasília", source)
    assert [(m.start, m.end, m.key) for m in reflowed] == [(5, 9, "lula"), (13, 21, "brasilia")]



@given(st.text(alphabet="ab_ é1-.\n", max_size=40), st.text(alphabet="ab_ é1-.", min_size=1, max_size=4))
def test_a_quoted_name_is_found_where_no_word_character_touches_it(text, name):
    source = Post("ann", [Block("text", name, mentions=[Mention(0, len(name), "ORG", key="k", type="organisation")])])
    found = [(m.start, m.end) for m in inherit(text + "\x00", source)]  # (never an exact copy of the source)
    assert found == [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text + "\x00")]

# -- the entities command ---------------------------------------------------------------------------

def test_review_writes_proposals_and_never_touches_the_register(tmp_path, capsys):
    from conftest import EXAMPLES

    from converters.__main__ import main
    from converters.importer import import_captures

    corpus = tmp_path / "corpus"
    flood = [e for e in EXAMPLES if "flood" in e.name]
    import_captures([str(p) for p in flood], corpus, forum="Harbour Town Forum")
    register = corpus / "register.yaml"
    curated = "# ours\nentities:\n  - {name: River Wend, type: place, aliases: [Wend]}\nnot_entities: [Chronicle]\n"
    register.write_text(curated, "utf-8")
    assert main(["entities", "--review", "--corpus", str(corpus)]) == 0
    assert register.read_text("utf-8") == curated
    proposed = yaml.safe_load((corpus / "register.proposed.yaml").read_text("utf-8"))["entities"]
    names = {n for entry in proposed for n in [entry["name"], *entry.get("aliases", [])]}
    assert "Environment Agency" in names and not names & {"River Wend", "Wend", "Chronicle"}
    page = next(corpus.rglob("*.md")).read_text("utf-8")
    assert "{register-entry} river-wend" in page and ":curated:" in page
    assert "proposals:" in capsys.readouterr().out


@given(st.text())
def test_fold_removes_accents_of_any_text(text):
    """The ASCII fast path of `fold` agrees with decomposing every character."""
    slow = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    assert fold(text) == slow
