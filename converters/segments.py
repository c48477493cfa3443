"""A post's plain text as lines and words, and how to cut it into own-text and quote blocks.

Tracing decides, line by line, whether a line is the member's own text or copied from somewhere
(an `Origin`). Cutting happens only at line ends, so every character stays in exactly one block:
the lines of one text block are re-joined with ``\\n``, and one quote that spans several text blocks
keeps the blank lines between them. What marks characters of a text (links, name mentions) travels
with the characters it covers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from typing import Any

from .model import Block
from .tokens import WORD, normalize_word

SPAN_FIELDS = ("links", "mentions")  # Block fields whose items mark characters start:end of its text


@dataclass(frozen=True)
class Origin:
    """Where words come from: a post (``source`` anchor, its author, the article it pasted, if any),
    or, for text whose source is not in the corpus, the ``missing`` id every quote of it shares."""

    source: str | None = None
    author: str | None = None
    article: str | None = None
    missing: str | None = None

    def quote(self, text: str, line: int | None, score: float | None, spans: dict[str, Any]) -> Block:
        meta = {"author": self.author} if self.author else {}
        return Block("quote", text, source=self.source, line=line, meta=meta, score=score,
                     article=self.article, missing_source=self.missing, **spans)


@dataclass(frozen=True)
class Label:
    """A quoted line: where it comes from and how well it matched (0-1)."""

    origin: Origin
    score: float


@dataclass
class Line:
    """One line of a text block: ``block`` index, line ``index`` in it, and its words ``first:end``."""

    block: int
    index: int
    start: int  # character offset in the block's text
    text: str
    first: int
    end: int


def _shifted(items: list[Any], shift: int) -> list[Any]:
    return [dataclasses.replace(item, start=item.start + shift, end=item.end + shift) for item in items]


def _spans_in(block: Block, start: int, end: int) -> dict[str, Any]:
    """The character marks of ``block`` inside ``start:end``, made relative to ``start``."""
    return {name: _shifted([s for s in getattr(block, name) if start <= s.start and s.end <= end], -start)
            for name in SPAN_FIELDS}


def piece(block: Block, lines: list[Line], label: Label | None = None) -> Block:
    """The consecutive ``lines`` of text ``block`` as a block of their own (a quote if ``label``)."""
    start, end = lines[0].start, lines[-1].start + len(lines[-1].text)
    text, spans = block.text[start:end], _spans_in(block, start, end)
    line = block.line + lines[0].index if block.line is not None else None
    if label is not None:
        return label.origin.quote(text, line, label.score, spans)
    return Block("text", text, line=line, **spans)


def joined(first: Block, second: Block) -> Block:
    """Two blocks of one quote, the blank line between them kept."""
    shift = len(first.text) + 2
    spans = {name: getattr(first, name) + _shifted(getattr(second, name), shift) for name in SPAN_FIELDS}
    return dataclasses.replace(first, text=f"{first.text}\n\n{second.text}", **spans)


class PostText:
    """The plain ``text`` blocks of a post (other blocks are left as they are), as lines and words.

    ``words=False`` splits lines only (for readers of line shapes, such as article headers).
    """

    def __init__(self, blocks: list[Block], words: bool = True) -> None:
        self.blocks = blocks
        self.lines: list[Line] = []
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []  # each word's characters within its line
        self.line_of: list[int] = []
        for k, block in enumerate(blocks):
            if block.kind != "text":
                continue
            offset = 0
            for index, text in enumerate(block.text.split("\n")):
                first = len(self.words)
                for match in WORD.finditer(text) if words else ():
                    self.words.append(normalize_word(match.group()))
                    self.spans.append(match.span())
                    self.line_of.append(len(self.lines))
                self.lines.append(Line(k, index, offset, text, first, len(self.words)))
                offset += len(text) + 1

    def starts_line(self, word: int) -> bool:
        return self.lines[self.line_of[word]].first == word

    def after(self, word: int) -> str:
        """What follows ``word`` on its line."""
        line = self.lines[self.line_of[word]]
        return line.text[self.spans[word][1] :]

    def tied_lines(self) -> list[tuple[int, int]]:
        """Runs of lines ``(first, last)`` that a link or mention crosses: they must stay in one block."""
        ties = []
        for k, block in enumerate(self.blocks):
            for mark in (m for name in SPAN_FIELDS for m in getattr(block, name)):
                inside = [i for i, line in enumerate(self.lines) if line.block == k
                          and line.start < mark.end and mark.start < line.start + len(line.text) + 1]
                if len(inside) > 1:
                    ties.append((inside[0], inside[-1]))
        return ties

    def rebuild(self, labels: list[Label | None]) -> list[Block]:
        """The post's blocks with each run of equally labelled lines cut out (``labels`` per line)."""
        out: list[Block] = []
        previous: tuple[int, Label | None] | None = None  # (block, label) of the last piece made
        cursor = 0
        for k, block in enumerate(self.blocks):
            if block.kind != "text":
                out.append(block)
                previous = None
                continue
            lines = []
            while cursor < len(self.lines) and self.lines[cursor].block == k:
                lines.append(cursor)
                cursor += 1
            run: list[int] = []
            for i in lines + [None]:  # type: ignore[list-item]
                if run and (i is None or labels[i] != labels[run[0]]):
                    label = labels[run[0]]
                    made = piece(block, [self.lines[j] for j in run], label=label)
                    continues = previous is not None and previous[0] == k - 1 and run[0] == lines[0]
                    if label is not None and continues and previous[1] == label and out[-1].kind == "quote":
                        out[-1] = joined(out[-1], made)
                    else:
                        out.append(made)
                    previous = (k, label) if run[-1] == lines[-1] else None
                    run = []
                if i is not None:
                    run.append(i)
        return out
