"""The JSON thread format as the README documents it: its example imports, quotes and links resolve."""

from __future__ import annotations

import json
import re

from conftest import ROOT
from converters.importer import import_captures


def test_the_readme_example_imports(tmp_path):
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### The JSON thread format") :]
    example = re.search(r"```json\n(.*?)\n```", section, re.S)[1]
    capture = tmp_path / "scraped.json"
    capture.write_text(example, "utf-8")
    corpus = tmp_path / "corpus"
    import_captures([str(capture)], corpus)
    (sidecar,) = corpus.rglob("*.thread.json")
    first, second = json.loads(sidecar.read_text("utf-8"))["posts"]
    (link,) = first["blocks"][0]["links"]
    assert first["blocks"][0]["text"][link["start"] : link["end"]] == "the operator's page"
    assert second["blocks"][0]["source"] == first["anchor"]  # the quote names the post by its forum id
    assert [p["n"] for p in (first, second)] == [1, 2]
