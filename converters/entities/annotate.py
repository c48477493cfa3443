"""The register stage of an import: recognise names in new threads, then resolve the whole corpus.

Recognition (spaCy) is the expensive part, so it runs only on the threads an import brings in (or
on every thread with ``python -m converters entities --recognise``); the candidates it finds are
kept in each thread model (`converters.model.Mention`). Resolution reads the candidates of the
whole corpus every time, so a new thread can settle what an older one left open.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from tqdm import tqdm

from ..cluster import Mapper, serial_map
from ..model import Block, Mention, Thread, leaves
from ..textcache import WordCounts
from .cues import CueMemo, keep_nothing
from .gazetteer import gazetteer
from .recognise import Recogniser, nlp
from .register import REGISTER_FILE, Entity, Register
from .resolve import DERIVED, Resolver, word_counts, written_name


def _to_read(thread: Thread, anchors: set[str]) -> list[Block]:
    """Blocks that carry words of their own: text, articles, and quotes whose source is not in the corpus."""
    return [b for p in thread.posts for b in leaves(p)
            if b.kind in ("text", "article") or (b.kind == "quote" and (b.source or "") not in anchors)]


def load_models() -> None:
    """Load what recognising names needs (spaCy's model, the gazetteer), ahead of the work (`Mapper.expect`)."""
    nlp()
    gazetteer()


@functools.lru_cache(maxsize=8)
def _recogniser(forum: str, members: frozenset[str]) -> Recogniser:
    """One per forum (and process): building one loads the gazetteer and the members' names."""
    return Recogniser(members)


def _recognise_texts(job: tuple[str, list[str]], members: dict[str, frozenset[str]]) -> list[list[Mention]]:
    """The mentions in one thread's texts (``job`` is its forum and texts); runs wherever the mapper sends it."""
    forum, texts = job
    return _recogniser(forum, members[forum]).recognise(texts)


def recognise(threads: Iterable[Thread], corpus_threads: list[Thread], progress: bool = False,
              mapper: Mapper = serial_map) -> None:
    """Find candidate mentions in ``threads``; forum members are the authors ``corpus_threads`` know.

    Each thread is recognised on its own, through ``mapper`` (`converters.cluster`), and the
    mentions are set here, so the result does not depend on where the work ran.
    """
    members: dict[str, set[str]] = defaultdict(set)
    for thread in corpus_threads:
        members[thread.forum].update(p.author for p in thread.posts)
    anchors = {p.anchor for t in corpus_threads for p in t.posts}
    threads = list(threads)
    to_read = [_to_read(thread, anchors) for thread in threads]
    keys: dict[tuple[int, int, int], str] = {}  # a name found again keeps its entry's key (`resolve._kept_keys`)
    for thread in threads:
        for post in thread.posts:
            for block in (b for whole in post.blocks for b in (whole, *whole.blocks)):
                keys.update(((id(block), m.start, m.end), m.key) for m in block.mentions if m.key)
                block.mentions = []
    jobs = [(thread.forum, [b.text for b in blocks]) for thread, blocks in zip(threads, to_read)]
    work = functools.partial(_recognise_texts, members={f: frozenset(m) for f, m in members.items()})
    found = mapper(work, tqdm(jobs, desc="names", unit="thread", disable=not progress or not jobs))
    for blocks, mentions in zip(to_read, found):
        for block, block_mentions in zip(blocks, mentions):
            for m in block_mentions:
                m.key = keys.get((id(block), m.start, m.end))
            block.mentions = block_mentions


def resolve(threads: list[Thread], corpus: Path, counts: Callable[[Thread], WordCounts] = word_counts,
            cues: CueMemo = keep_nothing) -> dict[str, Entity]:
    """Resolve every mention of the corpus against its register; returns the entries by key."""
    return Resolver(threads, Register.load(corpus / REGISTER_FILE), counts=counts, cues=cues).run()


Listed = tuple[Entity, tuple[str, ...]]  # an entry as a thread's page lists it: with the aliases it shows


def entities_of(thread: Thread, entities: dict[str, Entity]) -> list[Listed]:
    """The entries ``thread`` mentions, in key order, as its page lists them: each with the aliases written in
    this thread and the curated register's, not every alias of the corpus.

    The site's register joins the aliases of every page (`ext.register.domain`), so it shows the same; but a
    thread that brings a new spelling of a name found on a thousand pages writes its own page only, not
    those thousand again (which the site would then read again).
    """
    written: dict[str, set[str]] = defaultdict(set)  # every entry the thread names: the names it writes
    for post in thread.posts:
        for block in leaves(post):
            for m in (m for m in block.mentions if m.key):
                names = written[m.key]
                if m.label not in DERIVED:  # a derived mention writes a name found elsewhere, already listed there
                    names.add(written_name(block, m))
    return [(entity, tuple(a for a in entity.aliases if a in written[key] or a in entity.curated_aliases))
            for key in sorted(written) if (entity := entities.get(key)) is not None]


def annotate_corpus(threads: list[Thread], corpus: Path, fresh: Iterable[Thread] = (),
                    progress: bool = False, mapper: Mapper = serial_map,
                    counts: Callable[[Thread], WordCounts] = word_counts,
                    cues: CueMemo = keep_nothing) -> dict[str, Entity]:
    """Recognise names in the ``fresh`` threads, then resolve all ``threads`` (the whole corpus)."""
    gazetteer()  # resolution reads it in this process: loaded here, it loads while the helper loads spaCy
    recognise(fresh, threads, progress, mapper)
    return resolve(threads, corpus, counts, cues)
