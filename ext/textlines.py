"""Decode the text lines converter-written pages carry (the page format's only text channel).

``| <text>`` is a line taken verbatim, ``|`` an empty line, and ``\\ <escaped>`` a line written as
the body of a JSON string (used for control, format and separator characters, tabs and trailing
spaces). Anything else is a malformed page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable


class MalformedLine(ValueError):
    """A content line that is neither ``| text`` nor ``\\ escaped``."""


def decode_line(line: str) -> str:
    if line == "|":
        return ""
    if line.startswith("| "):
        return line[2:]
    if line.startswith("\\ "):
        try:
            return json.loads('"' + line[2:] + '"')
        except json.JSONDecodeError as err:
            raise MalformedLine(f"bad escaped text line: {err}") from None
    raise MalformedLine(f"expected a text line starting with '| ' or '\\ ', got {line[:40]!r}")


def decode_text(lines: Iterable[str]) -> str:
    return "\n".join(decode_line(line) for line in lines)
