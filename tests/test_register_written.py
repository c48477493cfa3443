"""A thread page's register block as the converter writes it is read without MyST, and the same as MyST reads it."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from myst_parser.parsers.directives import parse_directive_text

from converters.entities.register import Entity
from converters.myst_writer import _register
from ext.register import directives
from ext.register.directives import RegisterEntryDirective, entry_record, written_entries

text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
entities = st.builds(
    Entity, key=st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), name=text,
    type=st.sampled_from(["person", "place", "organisation"]), aliases=st.lists(text, max_size=3),
    authority=st.sampled_from([{}, {"wikidata": "Q30"}, {"geonames": "6252001", "iso3166": "US"}]),
    description=st.one_of(st.just(""), text), members=st.lists(st.tuples(text, text), max_size=2),
    curated=st.booleans())


def _body(entries: list[Entity]) -> list[str]:
    lines = _register([(entity, tuple(entity.aliases)) for entity in entries])
    return lines[1:lines.index("`````", 1)]


def _through_myst(body: list[str]) -> list[dict]:
    """Each ``register-entry`` of the block as MyST parses the directive and its options."""
    records, i = [], 0
    while i < len(body):
        if not body[i].startswith("```{register-entry} "):
            i += 1
            continue
        end = body.index("```", i + 1)
        key = body[i].split(" ", 1)[1]
        parsed = parse_directive_text(RegisterEntryDirective, key, "\n".join(body[i + 1:end]))
        assert not parsed.warnings
        records.append(entry_record(key, parsed.options, parsed.body))
        i = end + 1
    return records


@settings(max_examples=150, deadline=None)
@given(st.lists(entities, min_size=1, max_size=3, unique_by=lambda e: e.key))
@example([Entity("ada", 'Ada "the \\ boss"', "person", ["Ada\tP", "A\nP"], members=[("Forum", 'x"y')])])
def test_written_register_reads_as_myst_reads_it(entries):
    body = _body(entries)
    fast = written_entries(body)
    assert fast is None or fast == _through_myst(body)
    if fast is not None:
        assert [(r["key"], r["name"], r["type"], r["description"], r["members"], r["curated"]) for r in fast] == \
               [(e.key, e.name, e.type, e.description, [tuple(m) for m in e.members], e.curated) for e in entries]


def test_a_written_register_takes_the_direct_reading():
    """Member identities (quoted JSON), descriptions and aliases as the converter writes them need no MyST."""
    entries = [Entity("ada-penhallow", "Ada Penhallow", "person", ["Ada", "Mrs P"],
                      members=[("Harbour Town Forum", "Ada Penhallow")], description='Harbourmaster, "retired"'),
               Entity("kestle-bay", "Kestle Bay", "place", authority={"geonames": "123"}, curated=True)]
    fast = written_entries(_body(entries))
    assert fast == _through_myst(_body(entries))
    assert [r["members"] for r in fast] == [[("Harbour Town Forum", "Ada Penhallow")], []]
    assert fast[1]["curated"] and fast[1]["authority"] == {"geonames": "123"}


def test_anything_else_goes_through_myst():
    """A control character (written as a \\u escape), an unknown option or a fence closed as CommonMark allows
    but the converter never writes: MyST reads it."""
    assert written_entries(_body([Entity("x", "a\x07b", "person")])) is None
    assert written_entries(["```{register-entry} x", ':colour: "red"', "```"]) is None
    assert written_entries(["```{register-entry} x", ':type: "person"', "``` "]) is None
    assert written_entries(["```{register-entry} x", ':type: "person"', "  ```", "```"]) is None
    assert directives.written_entries(["```{register-entry} x", ':type: "person"', "```"]) is not None
