"""Each post's n-gram keys, kept between imports in ``<corpus>/.cache/grams.pickle``.

Tracing the quotes of a new thread needs every earlier post in the n-gram index; reading and
tokenising the whole corpus again was the largest part of adding one thread to a 10,000-post
corpus. A post's keys depend only on its words, so they are kept per thread with a digest of the
thread's texts (`texts_digest`): a thread whose texts changed is read again, and so is everything
when the cache is missing, unreadable or of another version. Deleting the cache changes nothing
but time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from array import array
from collections.abc import Sequence
from pathlib import Path

from .model import Block, Thread

VERSION = 1
FOLDER = ".cache"
NAME = "grams.pickle"


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


class GramCache:
    """Thread key -> (digest of its texts, each post's n-gram keys as bytes)."""

    def __init__(self, path: Path, threads: dict[str, tuple[bytes, list[bytes]]] | None = None) -> None:
        self.path = path
        self.threads = threads or {}
        self.changed = False

    @classmethod
    def load(cls, corpus: Path) -> GramCache:
        path = corpus / FOLDER / NAME
        try:
            with path.open("rb") as handle:
                version, threads = pickle.load(handle)
        except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.UnpicklingError):
            return cls(path)
        return cls(path, threads if version == VERSION and isinstance(threads, dict) else None)

    def get(self, thread: Thread) -> list[array] | None:
        """The thread's posts' keys, if they were kept for these very texts."""
        kept = self.threads.get(thread.key)
        if kept is None or kept[0] != texts_digest(thread) or len(kept[1]) != len(thread.posts):
            return None
        out = []
        for raw in kept[1]:
            grams = array("q")
            grams.frombytes(raw)
            out.append(grams)
        return out

    def put(self, thread: Thread, grams: Sequence[Sequence[int]]) -> None:
        kept = (texts_digest(thread), [array("q", g).tobytes() for g in grams])
        if self.threads.get(thread.key) != kept:
            self.threads[thread.key] = kept
            self.changed = True

    def keep_only(self, keys: set[str]) -> None:
        """Forget threads no longer in the corpus."""
        for key in set(self.threads) - keys:
            del self.threads[key]
            self.changed = True

    def save(self) -> None:
        """Write the cache (whole, through a temporary file) if anything in it changed."""
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{NAME}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((VERSION, self.threads), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.changed = False
