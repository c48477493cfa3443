"""What an import derives from each thread's texts, kept between imports in ``<corpus>/.cache/texts.pickle``.

Adding one thread to a 10,000-post corpus still compares it with every earlier post (quote
tracing needs them all in its n-gram index) and still resolves names over the whole corpus
(which counts how every word is written). Reading and tokenising the whole corpus again for that
was most of the import's time. Both depend only on a thread's texts, so they are kept per thread
with a digest of those texts (`texts_digest`): each post's n-gram keys (`converters.quotes`), the
thread's word counts (`converters.entities.resolve.word_counts`) and what the words around each
name candidate say (`converters.entities.cues.thread_cues`, also stamped with the candidates and
the rules that read them). A thread whose texts changed is
read again, and so is everything when the cache is missing, unreadable or of another version.
Deleting the cache changes nothing but time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from array import array
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import Block, Thread

VERSION = 1
FOLDER = ".cache"
NAME = "texts.pickle"
WordCounts = tuple[Counter[str], Counter[str]]


def texts_digest(thread: Thread) -> bytes:
    """A digest of every block's kind and text, nested blocks included: all that a post's words come from."""
    digest = hashlib.blake2b(digest_size=16)

    def add(blocks: list[Block]) -> None:
        for block in blocks:
            digest.update(f"\x1e{block.kind}\x1f{len(block.text)}\x1f".encode())
            digest.update(block.text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x1d")
            add(block.blocks)

    for post in thread.posts:
        digest.update(b"\x1c")
        add(post.blocks)
    return digest.digest()


def read_stamped(path: Path, stamp: Any) -> Any:
    """What `write_stamped` kept at ``path`` with ``stamp``; None if it is missing, unreadable or of another stamp."""
    try:
        with path.open("rb") as handle:
            kept, value = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
        return None
    return value if kept == stamp else None


def write_stamped(path: Path, stamp: Any, value: Any) -> None:
    """Pickle ``value`` with ``stamp`` (a version) to ``path``, through a temporary file: a reader never sees
    half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((stamp, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class TextCache:
    """Thread key -> (digest of its texts, what was derived from them: ``grams``, ``words``, and stamped values
    such as the name-resolution cues)."""

    def __init__(self, path: Path, threads: dict[str, tuple[bytes, dict[str, Any]]] | None = None) -> None:
        self.path = path
        self.threads = threads or {}
        self.changed = False
        self._settled: dict[int, tuple[Thread, bytes]] = {}

    def settle(self, threads: list[Thread]) -> None:
        """These threads' texts will not change again in this run: digest each once, not at every look-up
        (an import asks up to five times a thread; at 10,000 posts that was a fifth of a second)."""
        for thread in threads:
            self._settled[id(thread)] = (thread, texts_digest(thread))  # the thread is held: its id is not reused

    def _digest(self, thread: Thread) -> bytes:
        settled = self._settled.get(id(thread))
        return settled[1] if settled is not None else texts_digest(thread)

    @classmethod
    def load(cls, corpus: Path) -> TextCache:
        path = corpus / FOLDER / NAME
        threads = read_stamped(path, VERSION)
        return cls(path, threads if isinstance(threads, dict) else None)

    def _kept(self, thread: Thread, what: str) -> Any:
        kept = self.threads.get(thread.key)
        return kept[1].get(what) if kept is not None and kept[0] == self._digest(thread) else None

    def _put(self, thread: Thread, what: str, value: Any) -> None:
        digest = self._digest(thread)
        kept = self.threads.get(thread.key)
        derived = dict(kept[1]) if kept is not None and kept[0] == digest else {}
        if derived.get(what) != value:
            derived[what] = value
            self.threads[thread.key] = (digest, derived)
            self.changed = True

    def grams(self, thread: Thread) -> list[array] | None:
        """Each post's n-gram keys, if they were kept for these very texts."""
        kept = self._kept(thread, "grams")
        if kept is None or len(kept) != len(thread.posts):
            return None
        out = []
        for raw in kept:
            grams = array("q")
            grams.frombytes(raw)
            out.append(grams)
        return out

    def put_grams(self, thread: Thread, grams: Sequence[Sequence[int]]) -> None:
        self._put(thread, "grams", [array("q", g).tobytes() for g in grams])

    def words(self, thread: Thread) -> WordCounts | None:
        """The thread's word counts, if they were kept for these very texts."""
        return self._kept(thread, "words")

    def put_words(self, thread: Thread, counts: WordCounts) -> None:
        self._put(thread, "words", counts)

    def stamped(self, thread: Thread, what: str, stamp: Any) -> Any:
        """What was kept as ``what`` for these very texts and this ``stamp`` (what else it depends on)."""
        kept = self._kept(thread, what)
        return kept[1] if kept is not None and kept[0] == stamp else None

    def put_stamped(self, thread: Thread, what: str, stamp: Any, value: Any) -> None:
        self._put(thread, what, (stamp, value))

    def keep_only(self, keys: set[str]) -> None:
        """Forget threads no longer in the corpus."""
        for key in set(self.threads) - keys:
            del self.threads[key]
            self.changed = True

    def save(self) -> None:
        """Write the cache (whole, through a temporary file) if anything in it changed."""
        if not self.changed:
            return
        write_stamped(self.path, VERSION, self.threads)
        self.changed = False
