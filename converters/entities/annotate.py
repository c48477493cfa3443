"""The register stage of an import: recognise names in new threads, then resolve the whole corpus.

Recognition (spaCy) is the expensive part, so it runs only on the threads an import brings in (or
on every thread with ``python -m converters entities --recognise``); the candidates it finds are
kept in each thread model (`converters.model.Mention`). Resolution reads the candidates of the
whole corpus every time, so a new thread can settle what an older one left open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from ..model import Block, Thread
from .recognise import Recogniser
from .register import REGISTER_FILE, Entity, Register
from .resolve import Resolver, leaves


def _to_read(thread: Thread, anchors: set[str]) -> list[Block]:
    """Blocks that carry words of their own: text, articles, and quotes whose source is not in the corpus."""
    return [b for p in thread.posts for b in leaves(p)
            if b.kind in ("text", "article") or (b.kind == "quote" and (b.source or "") not in anchors)]


def recognise(threads: Iterable[Thread], corpus_threads: list[Thread], progress: bool = False) -> None:
    """Find candidate mentions in ``threads``; forum members are the authors ``corpus_threads`` know."""
    members: dict[str, set[str]] = defaultdict(set)
    for thread in corpus_threads:
        members[thread.forum].update(p.author for p in thread.posts)
    anchors = {p.anchor for t in corpus_threads for p in t.posts}
    recognisers: dict[str, Recogniser] = {}
    for thread in threads:
        recogniser = recognisers.setdefault(thread.forum, Recogniser(members[thread.forum]))
        blocks = _to_read(thread, anchors)
        for post in thread.posts:
            for block in post.blocks:
                block.mentions = []
                for part in block.blocks:
                    part.mentions = []
        for block, found in zip(blocks, recogniser.recognise([b.text for b in blocks])):
            block.mentions = found


def resolve(threads: list[Thread], corpus: Path) -> dict[str, Entity]:
    """Resolve every mention of the corpus against its register; returns the entries by key."""
    return Resolver(threads, Register.load(corpus / REGISTER_FILE)).run()


def entities_of(thread: Thread, entities: dict[str, Entity]) -> list[Entity]:
    """The entries ``thread`` mentions, in key order (what its page lists)."""
    keys = {m.key for p in thread.posts for b in leaves(p) for m in b.mentions if m.key}
    return [entities[k] for k in sorted(keys) if k in entities]


def annotate_corpus(threads: list[Thread], corpus: Path, fresh: Iterable[Thread] = (),
                    progress: bool = False) -> dict[str, Entity]:
    """Recognise names in the ``fresh`` threads, then resolve all ``threads`` (the whole corpus)."""
    fresh = list(fresh)
    recognise(tqdm(fresh, desc="names", unit="thread", disable=not progress or not fresh), threads)
    return resolve(threads, corpus)
