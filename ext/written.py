"""Directives exactly as the converter writes them, found and read without MyST.

MyST reads each directive by tokenizing its fence and parsing its options as YAML. A thread page
holds one directive per post, per text block and per register entry, and that parsing was a third
of the time spent reading a page. The converter writes them in one fixed form: a fence of three
backticks (five for a post), ``:name: "value"`` option lines, a blank line, then text lines
(`ext.textlines`) or the post's blocks.
`fences` splits a directive's body into its top-level fences, and `read_options` reads options
in that form; the directives read such fences directly and hand everything else (a page edited
by hand, an option with an escape YAML and JSON may read differently) to MyST, which also reports
the errors. ``None`` always means "not in the written form: let MyST read it".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

OPENING = re.compile(r"(`{3,})\{([a-z-]+)\}(?: (\S+))?")
# a flag, a whole number, or a quoted value whose escapes (if any) mean the same in JSON as in YAML;
# not \u, whose surrogate pairs JSON would join
OPTION = re.compile(r':([a-z-]+):(?: ("(?:[^"\\]|\\["\\/bfnrt])*"|-?[0-9]+))?')


@dataclass(frozen=True)
class Fence:
    """Lines ``start`` (the opening) to ``end`` (the closing, inclusive) of a directive's fence."""

    start: int
    end: int
    ticks: int
    name: str
    argument: str | None

    def written(self, name: str, ticks: int = 3) -> bool:
        """Whether this is a ``name`` directive fenced as the converter fences it (three backticks; a post five)."""
        return self.name == name and self.ticks == ticks


def fences(lines: Sequence[str]) -> list[Fence] | None:
    """The top-level fences of ``lines``, which must hold nothing else but empty lines.

    Inside a fence only a line of backticks alone, at least as many as open it, closes it; any other
    line that could close it in CommonMark (indented, or followed by spaces) makes this ``None``.
    """
    out: list[Fence] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i]:
            i += 1
            continue
        opening = OPENING.fullmatch(lines[i])
        if opening is None:
            return None
        ticks = len(opening[1])
        j = i + 1
        while j < n:
            line = lines[j]
            stripped = line.lstrip(" ")
            if stripped.startswith("`" * ticks) and len(line) - len(stripped) <= 3:
                if line.strip("`"):
                    return None
                break
            j += 1
        if j == n:
            return None
        out.append(Fence(i, j, ticks, opening[2], opening[3]))
        i = j + 1
    return out


def read_options(lines: Sequence[str], start: int, spec: dict[str, Callable[[Any], Any]]) -> tuple[dict[str, Any], int] | None:
    """The options from line ``start`` on, converted by ``spec``, and the line the body starts on (after the
    blank line that may follow them)."""
    options: dict[str, Any] = {}
    i = start
    while i < len(lines) and lines[i].startswith(":"):
        option = OPTION.fullmatch(lines[i])
        if option is None or option[1] not in spec or option[1] in options:
            return None
        try:
            value = json.loads(option[2]) if option[2] and option[2][0] == '"' else option[2]
            options[option[1]] = spec[option[1]](value)
        except ValueError:
            return None
        i += 1
    if i < len(lines) and not lines[i].strip():  # MyST drops the body's first line if blank
        i += 1
    return options, i
