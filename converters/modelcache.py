"""The corpus's thread models as an import last read them, kept in ``<corpus>/.cache/models.pickle``.

Every import reads the model of every thread in the corpus (``<thread>.thread.json``): anchors,
quote tracing and the register need them all. Building the objects from JSON, checking each block
as it goes, was most of that reading (0.8 s at 10,000 posts; from a pickle, 0.3 s). So the pickle
of each model read from JSON is kept with a digest of the file's bytes, and used instead while the
file is byte for byte the same. The cache is stamped with the code of `converters.model`: a changed
model never reads an old pickle. What is kept is always the model read from the file's JSON: as an
import read it, before changing it, or, for the files an import writes, read back from the text
written (`remember`). Deleting the cache changes nothing but time.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

from . import model
from .model import Thread
from .textcache import FOLDER, read_stamped, write_stamped

NAME = "models.pickle"


def _stamp() -> str:
    return hashlib.blake2b(Path(model.__file__).read_bytes(), digest_size=16).hexdigest()


class ModelCache:
    """Sidecar path (relative to the corpus) -> (digest of its bytes, the pickled model read from them)."""

    def __init__(self, corpus: Path, models: dict[str, tuple[bytes, bytes]] | None = None) -> None:
        self.corpus = corpus
        self.path = corpus / FOLDER / NAME
        self.models = models or {}
        self.seen: set[str] = set()
        self.changed = False

    @classmethod
    def load(cls, corpus: Path) -> ModelCache:
        models = read_stamped(corpus / FOLDER / NAME, _stamp())
        return cls(corpus, models if isinstance(models, dict) else None)

    def read(self, sidecar: Path) -> Thread:
        """The model in ``sidecar``; raises ``ValueError``/``KeyError``/``TypeError`` on a bad one, as
        `Thread.from_json` does."""
        data = sidecar.read_bytes()
        name = sidecar.relative_to(self.corpus).as_posix()
        digest = hashlib.blake2b(data, digest_size=16).digest()
        self.seen.add(name)
        kept = self.models.get(name)
        if kept is not None and kept[0] == digest:
            thread: Thread = pickle.loads(kept[1])
            return thread
        return self._parsed(name, digest, data.decode("utf-8"))

    def remember(self, sidecar: Path, text: str) -> None:
        """``text`` was just written to ``sidecar``: keep the model read from it, so the next import need not."""
        name = sidecar.relative_to(self.corpus).as_posix()
        self.seen.add(name)
        self._parsed(name, hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(), text)

    def _parsed(self, name: str, digest: bytes, text: str) -> Thread:
        """The model in ``text`` (the file ``name``, whose bytes have ``digest``), read from JSON and kept."""
        thread = Thread.from_json(json.loads(text))
        self.models[name] = (digest, pickle.dumps(thread, protocol=pickle.HIGHEST_PROTOCOL))
        self.changed = True
        return thread

    def save(self) -> None:
        """Write the cache (through a temporary file), without the sidecars not read this time, if it changed."""
        gone = set(self.models) - self.seen
        for name in gone:
            del self.models[name]
        if self.changed or gone:
            write_stamped(self.path, _stamp(), self.models)
