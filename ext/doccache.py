"""Values made from one document's domain data, kept in the doctree folder from one build to the next.

Corpus-wide files (the citation downloads, ``corpus.json``) are made of one part per thread page.
A part depends only on its page's domain data and the configuration, so while the page is not read
again (the same time of reading in ``env.all_docs``) and the configuration is the same
(`ext.pageshell.config_salt`), the part the last build made is still right: adding a thread makes
that thread's part, not the 20,000 posts' before it.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .pageshell import config_salt


class DocCache:
    """Document name -> (when it was read, a key naming what was made, the value made)."""

    def __init__(self, app: Sphinx, name: str) -> None:
        self.env = app.env
        self.file = Path(app.doctreedir) / f"{name}.pickle"
        self.salt = config_salt(app.builder)
        self.old: dict[str, tuple[Any, Any, Any]] = read_salted(self.file, self.salt)
        self.new: dict[str, tuple[Any, Any, Any]] = {}

    def get(self, docname: str, key: Any) -> Any | None:
        """What the last build made for ``docname`` under ``key``, if the document was not read since."""
        old = self.old.get(docname)
        if old is not None and old[:2] == (self.env.all_docs.get(docname), key):
            self.new[docname] = old
            return old[2]
        return None

    def put(self, docname: str, key: Any, value: Any) -> None:
        self.new[docname] = (self.env.all_docs.get(docname), key, value)

    def save(self) -> None:
        """Keep what this build used or made (documents no longer asked for are dropped)."""
        write_salted(self.file, self.salt, self.new)


def read_salted(file: Path, salt: str) -> dict[Any, Any]:
    """The values `write_salted` kept in ``file`` under ``salt``; empty if the file is missing, damaged or
    was written under another salt (another configuration or version)."""
    try:
        with file.open("rb") as handle:
            kept, values = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
        return {}
    return values if kept == salt and isinstance(values, dict) else {}


def write_salted(file: Path, salt: str, values: dict[Any, Any]) -> None:
    """Keep ``values`` in ``file`` under ``salt``: written whole or not at all (a temporary file, then renamed)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((salt, values), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
