"""Which spellings are the same name: case, accents, possessives, "the", quotes and dotted acronyms.

`display` cleans a surface for showing ("the U.S.’s" → "U.S."); `key` folds it for comparing
("Apurímac" = "Apurimac", "U.S." = "US", "NakedCapitalism.com" keeps its dot-free letters).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).parent / "data"
_QUOTES = "\"“”„«»‘’'`"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_SENTENCE_END = ".!?:;"


def _load(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


NOT_ENTITIES = _load("not_entities.tsv")


@functools.lru_cache(maxsize=1 << 16)
def display(surface: str) -> str:
    """The surface as a name: one line, single spaces, no quotes, no leading "the", no possessive."""
    name = " ".join(unicodedata.normalize("NFC", surface).split()).strip(_QUOTES + " ,;:")
    name = re.sub(r"^(?:the|The)\s+", "", name)
    return _POSSESSIVE.sub("", name).strip(_QUOTES + " ")


@functools.lru_cache(maxsize=1 << 16)
def key(surface: str) -> str:
    """A comparison key: accent-free, case-free, dots and punctuation gone, single spaces."""
    name = display(surface)
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"(?<=\b\w)\.", "", folded)  # U.S. → us
    folded = re.sub(r"[^\w\s&-]", "", folded.replace("’", "'"))
    return " ".join(folded.replace("-", " ").split())


def is_acronym(surface: str) -> bool:
    letters = surface.replace(".", "")
    return 2 <= len(letters) <= 10 and letters.isalpha() and letters.isupper()


CONNECTORS = {"of", "for", "and", "the", "on", "in", "at", "to", "de", "del", "la", "&"}


def initials(name: str) -> str:
    """"Central Intelligence Agency" → "CIA" (connectors skipped)."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in CONNECTORS).upper()


def is_sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence or a line (where every word is capitalised)."""
    i = start - 1
    while i >= 0 and (text[i] in " \t" + _QUOTES + "([•*-–—" or text[i] == "\u00a0"):
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END
