"""Words of a text, normalised for comparing copies, each with its place in the original text.

Text reuse is found on words, not characters, so that what copying and re-wrapping change does not
matter: case, accents, curly vs straight quotes and apostrophes, punctuation, bullets, whitespace and
line breaks are all ignored. Each token keeps its character span so a match can be mapped back to
the exact lines it covers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

WORD = re.compile(r"\w+(?:['’‘ʼ]\w+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


class Token(NamedTuple):
    """A normalised word and the span ``start:end`` it came from."""

    word: str
    start: int
    end: int


@lru_cache(maxsize=1 << 16)  # words repeat (Zipf): most are normalised once per run
def normalize_word(word: str) -> str:
    """Case-folded, accents removed, apostrophes straightened: what two copies of a word share."""
    folded = unicodedata.normalize("NFKD", word.translate(_APOSTROPHES).casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The words of ``text``; spans are shifted by ``offset``."""
    return [Token(normalize_word(m.group()), m.start() + offset, m.end() + offset) for m in WORD.finditer(text)]
