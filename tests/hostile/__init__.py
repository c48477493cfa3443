"""The hostile-input corpus: payloads kept as data (``payloads/*.jsonl``), read here.

Each ``.jsonl`` file is one category; each line a JSON string (JSON so that NUL, control characters
and lone surrogates can be written down), ``#`` lines are comments. ``@CANARY@`` stands for the path
of a canary file outside the site's source folder: its content must never reach the built site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PAYLOADS = Path(__file__).parent / "payloads"
CANARY = "@CANARY@"
# The hostile builds render citations in one style: the styles share their escaping, and citeproc is
# most of a build's time.
ONE_CITATION_STYLE = {"forum_citation_styles": {"APA 7": "apa"}}


@dataclass(frozen=True)
class Payload:
    category: str
    number: int
    text: str

    @property
    def id(self) -> str:
        return f"{self.category}-{self.number:03d}"

    def filled(self, canary: Path) -> str:
        return self.text.replace(CANARY, str(canary))


def payloads() -> list[Payload]:
    """Every payload of every category, in file and line order."""
    found: list[Payload] = []
    for path in sorted(PAYLOADS.glob("*.jsonl")):
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]
        found.extend(Payload(path.stem, i, json.loads(line)) for i, line in enumerate(lines, 1))
    return found
