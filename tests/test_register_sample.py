"""The register of the real sample thread against the expected index we wrote by reading it.

``tests/fixtures/sample_register.yaml`` lists every person, place and organisation the thread names
(its header states the annotation guidelines). A register entry matches an expected entity when
they have the same type and share a name (case- and accent-insensitive); precision and recall are
counted over entries, and no expected entity may be matched by two entries (a duplicate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from converters.entities.annotate import resolve
from converters.entities.normalise import key
from converters.entities.register import Entity
from converters.importer import Catalog, import_captures

EXPECTED = ROOT / "tests" / "fixtures" / "sample_register.yaml"
TYPES = {"people": "person", "places": "place", "organisations": "organisation"}
PRECISION, RECALL = 0.94, 0.95


@dataclass
class Score:
    entries: int
    expected: int
    matched: dict[int, list[str]] = field(default_factory=dict)
    unmatched: list[Entity] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return (self.entries - len(self.unmatched)) / self.entries

    @property
    def recall(self) -> float:
        return len(self.matched) / self.expected

    @property
    def duplicates(self) -> dict[int, list[str]]:
        return {i: names for i, names in self.matched.items() if len(names) > 1}


def score(entities: dict[str, Entity], expected: list[tuple[str, dict]]) -> Score:
    names = {(kind, key(n)): i for i, (kind, e) in enumerate(expected) for n in [e["name"], *e.get("aliases", [])]}
    result = Score(len(entities), len(expected))
    for entity in entities.values():
        found = {names.get((entity.type, key(n))) for n in [entity.name, *entity.aliases]} - {None}
        for i in found:
            result.matched.setdefault(i, []).append(entity.name)
        if not found:
            result.unmatched.append(entity)
    return result


@pytest.fixture(scope="module")
def sample_register(tmp_path_factory) -> tuple[dict[str, Entity], list[tuple[str, dict]]]:
    from conftest import SAMPLE

    if not SAMPLE.exists():
        pytest.skip(f"real sample thread not available at {SAMPLE} (it is kept in ../shared, outside the repo)")
    corpus = tmp_path_factory.mktemp("register") / "corpus"
    import_captures([str(SAMPLE)], corpus, forum="Time Bomb 2000", retrieved="2023-06-01")
    threads = [thread for _, thread in Catalog.load(corpus).threads.values()]
    data = yaml.safe_load(EXPECTED.read_text("utf-8"))
    expected = [(TYPES[group], entry) for group in TYPES for entry in data[group]]
    return resolve(threads, Path(corpus)), expected


def test_register_of_the_sample_matches_the_expected_index(sample_register):
    entities, expected = sample_register
    result = score(entities, expected)
    missed = [e["name"] for i, (_, e) in enumerate(expected) if i not in result.matched]
    print(f"\nregister of the sample: {result.entries} entries, {result.expected} expected; "
          f"precision {result.precision:.3f}, recall {result.recall:.3f}, duplicates {len(result.duplicates)}")
    print("  not expected:", ", ".join(f"{e.name} ({e.type})" for e in result.unmatched))
    print("  missed:", ", ".join(missed))
    assert not result.duplicates, f"several entries for one entity: {result.duplicates}"
    assert result.precision >= PRECISION and result.recall >= RECALL


def test_scoring_counts_wrong_types_and_duplicates():
    expected = [("person", {"name": "Pedro Castillo", "aliases": ["Castillo"]}), ("place", {"name": "Peru"})]
    entities = {"a": Entity("a", "Pedro Castillo", "person"), "b": Entity("b", "Castillo", "person"),
                "c": Entity("c", "Peru", "organisation")}
    result = score(entities, expected)
    assert result.duplicates == {0: ["Pedro Castillo", "Castillo"]}
    assert result.recall == 0.5 and [e.name for e in result.unmatched] == ["Peru"]
