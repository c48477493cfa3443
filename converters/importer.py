"""Import captures into the corpus: parse, keep anchors, render, and write all-or-nothing.

The corpus keeps, beside each page ``<forum>/<thread>.md``, the thread model it was rendered from
(``<thread>.thread.json``). A later capture of the same thread (same forum + URL, or forum + title)
is reconciled against it so that anchors never change. Every file of an import is first written
to a temporary file; only when all of them are ready are they moved into place, so a failed import
leaves the corpus exactly as it was.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import formats
from .anchors import reconcile
from .cluster import Mapper, serial_map
from .entities.annotate import annotate_corpus, entities_of, load_models
from .entities.cues import Cues, candidates_digest
from .entities.cues import version as cues_version
from .entities.register import Entity
from .entities.resolve import word_counts
from .errors import ConversionError
from .model import Thread, leaves, slugify
from .modelcache import ModelCache
from .myst_writer import Made, render, with_register, written_by_this_writer
from .pages import group_pages
from .references import References
from .quotes import QuoteTracer, post_grams
from .textcache import TextCache, WordCounts

SIDECAR = ".thread.json"
log = logging.getLogger(__name__)


@dataclass
class Catalog:
    """The threads already in the corpus, by thread key, and every anchor they use."""

    root: Path
    threads: dict[str, tuple[Path, Thread]] = field(default_factory=dict)
    models: ModelCache | None = None  # the models as read, for the next import

    @classmethod
    def load(cls, root: Path) -> Catalog:
        catalog = cls(root)
        models = ModelCache.load(root)
        for sidecar in sorted(root.rglob(f"*{SIDECAR}")):
            try:
                thread = models.read(sidecar)
            except (ValueError, KeyError, TypeError) as err:
                raise ConversionError(str(sidecar), None, f"corrupt thread model in the corpus: {err}") from None
            page = sidecar.with_name(sidecar.name[: -len(SIDECAR)] + ".md")
            catalog.threads[thread.key] = (page, thread)
        catalog.models = models  # kept by a successful import (`_keep`)
        for _, thread in catalog.threads.values():  # corpora from before threads kept their import order
            thread.sequence = thread.sequence if thread.sequence is not None else catalog.next_sequence()
        return catalog

    def next_sequence(self) -> int:
        return 1 + max((t.sequence or 0 for _, t in self.threads.values()), default=0)

    def anchors_except(self, key: str) -> set[str]:
        return {p.anchor for k, (_, t) in self.threads.items() if k != key for p in t.posts}

    def page_for(self, thread: Thread) -> Path:
        """The thread's page: where it already is, else a new readable path that no other thread uses."""
        if thread.key in self.threads:
            return self.threads[thread.key][0]
        used = {page for page, _ in self.threads.values()}
        folder = self.root / slugify(thread.forum, fallback="forum")
        page = folder / f"{slugify(thread.title, fallback='thread')}.md"
        return page if page not in used and not page.exists() else folder / f"{page.stem}-{thread.id}.md"


@dataclass
class Outcome:
    page: Path
    posts: int
    tombstones: int
    changed: bool


def _capture(path: str, forum: str | None, url: str | None, retrieved: str | None, fmt: str | None) -> Thread:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ConversionError(path, None, f"cannot read the file: {err.strerror}") from None
    thread = formats.parse(path, data, fmt)
    thread.forum = forum or thread.forum
    thread.url = url or thread.url
    thread.retrieved = retrieved or thread.retrieved
    if not thread.forum:
        raise ConversionError(path, None, "the capture does not name its forum; pass --forum NAME")
    return thread


def _check_unique_anchors(path: str, thread: Thread, taken: set[str]) -> None:
    """Anchors a capture brings along (the JSON format may carry them) must not take another post's."""
    seen: set[str] = set()
    for post in thread.posts:
        if post.anchor in taken or post.anchor in seen:
            raise ConversionError(path, None, f"post anchor {post.anchor!r} is already used by another post; "
                                  "expected unique anchors (leave them empty to have them assigned)")
        seen.add(post.anchor)


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file or none: stage all to temporary files, then rename each into place.

    If anything fails (staging, or one of the renames), every file already moved is put back from
    its backup, new files and folders are removed, and the error is raised: the corpus is as it was.
    """
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    moved: list[tuple[Path, Path | None]] = []  # (target, backup of its old content, None if it is new)
    try:
        for target, text in files.items():
            made.extend(d for d in (target.parent, *target.parent.parents) if not d.exists())
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(tmp), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        for tmp, target in staged:
            moved.append((target, _backup(target)))
            os.replace(tmp, target)
    except BaseException:
        _roll_back(staged, moved, made)
        raise
    for _, backup in moved:
        if backup is not None:
            backup.unlink()


def _backup(target: Path) -> Path | None:
    if not target.exists():
        return None
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(target, name)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _roll_back(staged: list[tuple[Path, Path]], moved: list[tuple[Path, Path | None]], made: list[Path]) -> None:
    for target, backup in reversed(moved):
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            os.replace(backup, target)
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)
    for folder in sorted(set(made), key=lambda d: len(d.parts), reverse=True):
        folder.rmdir()


def _page_files(page: Path, thread: Thread, entities: dict[str, Entity] | None = None) -> dict[Path, str]:
    """A thread's page and, beside it, the thread model it was rendered from."""
    sidecar = json.dumps(thread.to_json(), ensure_ascii=False, indent=1) + "\n"
    return {page: render(thread, entities_of(thread, entities or {})), page.with_name(page.stem + SIDECAR): sidecar}


def _start_from_known_mentions(thread: Thread, previous: Thread | None) -> None:
    """A later capture's blocks start with the mentions their earlier capture had where their text is the
    same, so that the names found again there keep their register keys (`annotate.recognise`): a thread
    captured again must not move the register pages of the names it had."""
    if previous is None:
        return
    known = {post.anchor: post for post in previous.posts if post.anchor}
    for post in thread.posts:
        before = known.get(post.anchor)
        if before is None or before is post:
            continue
        for block, old in zip(leaves(post), leaves(before)):
            if block.text == old.text:
                block.mentions = list(old.mentions)


def _names(thread: Thread) -> bytes:
    """A digest of the mentions of every block of a thread: all that name resolution sets in a thread model.

    An import changes a thread it does not bring in two ways only: `References.resolve` points its
    quotes and links at posts that arrived (and says so), and name resolution sets its mentions.
    """
    digest = hashlib.blake2b(digest_size=16)
    for post in thread.posts:
        for block in leaves(post):
            digest.update(repr([(m.start, m.end, m.label, m.key, m.type, m.name) for m in block.mentions]).encode(
                "utf-8", "surrogatepass"))
    return digest.digest()


def _unchanged_page_files(page: Path, thread: Thread, entities: dict[str, Entity],
                          made: Made) -> dict[Path, str] | None:
    """A thread the import did not change: its page if the register block made anew differs (else
    nothing), or ``None`` when the page must be rendered in full.

    Its model (the sidecar) is as loaded, so only which register entries it shows (and how they read)
    can differ: rendering every post again, at every import, grew with the whole corpus.
    """
    try:
        text = page.read_text("utf-8")
    except OSError:
        return None
    if not written_by_this_writer(text):
        return None
    new = with_register(text, entities_of(thread, entities), made)
    return {page: new} if new != text else {}


def import_captures(paths: Iterable[str], corpus: Path, *, forum: str | None = None, url: str | None = None,
                    retrieved: str | None = None, fmt: str | None = None, progress: bool = False,
                    mapper: Mapper = serial_map) -> list[Outcome]:
    """Import ``paths`` into ``corpus``; raises `ConversionError` before writing anything if one is bad.

    ``mapper`` runs the per-thread stages (parsing, name recognition) in parallel (`converters.cluster`).
    """
    paths = list(paths)
    read = functools.partial(_capture, forum=forum, url=url, retrieved=retrieved, fmt=fmt)
    captures = mapper(read, tqdm(paths, desc="import", unit="file", disable=not progress))
    mapper.expect(load_models, len(captures))  # recognising their names comes last: its model loads meanwhile
    catalog = Catalog.load(corpus)
    loaded = {key: _names(thread) for key, (_, thread) in catalog.threads.items()}
    earlier = sorted((known for _, known in catalog.threads.values()), key=lambda t: t.sequence or 0)
    references = References(known for _, known in catalog.threads.values())
    outcomes: list[Outcome] = []
    files: dict[Path, str] = {}
    fresh: list[Thread] = []
    paths_of = {id(capture): path for capture, path in zip(captures, paths)}
    for thread in group_pages(captures):  # the pages of one thread, in any order, become one capture
        previous = catalog.threads.get(thread.key)
        taken = catalog.anchors_except(thread.key)
        reconcile(thread, previous[1] if previous else None, taken)
        _start_from_known_mentions(thread, previous[1] if previous else None)
        _check_unique_anchors(paths_of.get(id(thread), thread.source), thread, taken)
        references.add(thread)
        references.resolve(thread)  # quotes and links the markup names: before tracing, which must not redo them
        thread.sequence = previous[1].sequence if previous else catalog.next_sequence()
        fresh.append(thread)
        page = catalog.page_for(thread)
        catalog.threads[thread.key] = (page, thread)
        tombstones = sum(p.tombstone for p in thread.posts)
        outcomes.append(Outcome(page, len(thread.posts) - tombstones, tombstones, False))
    cache = TextCache.load(corpus)
    cache.settle(earlier)  # their texts are as loaded
    _trace(fresh, earlier, cache)
    cache.settle(fresh)  # traced: only their mentions change from here on
    repointed = {known.key for _, known in catalog.threads.values()  # posts named by threads imported before them
                 if references.resolve(known)}
    # The register: names in the new threads, resolved over the whole corpus (any page may change).
    entities = annotate_corpus([known for _, known in catalog.threads.values()], corpus, fresh, progress, mapper,
                               functools.partial(_word_counts, cache), functools.partial(_cues, cache))
    renewed = {thread.key for thread in fresh}
    made: Made = {}  # register entries rendered, for every page that lists them
    for page, known in catalog.threads.values():  # every changed page is rendered once, after all of the above
        same = known.key not in renewed | repointed and loaded.get(known.key) == _names(known)
        kept = _unchanged_page_files(page, known, entities, made) if same else None
        files.update(kept if kept is not None else _page_files(page, known, entities))
    changed = {p: t for p, t in files.items() if not p.exists() or p.read_text("utf-8") != t}
    write_atomically(changed)
    for path, text in changed.items():
        if path.name.endswith(SIDECAR) and catalog.models is not None:
            catalog.models.remember(path, text)
    for thread in fresh:
        cache.put_grams(thread, post_grams(thread))
    cache.keep_only(set(catalog.threads))
    for kept in (cache, catalog.models):
        _keep(kept)
    for outcome in outcomes:
        outcome.changed = outcome.page in changed
    return outcomes


def _keep(cache: TextCache | ModelCache | None) -> None:
    """Save what the import learnt for the next one; the corpus is written, so a failure only costs time."""
    if cache is None:
        return
    try:
        cache.save()
    except OSError as err:
        log.warning("could not keep the import's cache %s: %s", cache.path, err.strerror or err)


def _trace(fresh: list[Thread], earlier: list[Thread], cache: TextCache) -> None:
    """Trace the quotes of the ``fresh`` threads against the ``earlier`` ones (in import order: an
    often-quoted passage is indexed at its first post), whose n-gram keys come from ``cache`` where
    it has them; ``cache`` learns the keys of the others."""
    tracer = QuoteTracer()
    if sum(len(t.posts) for t in earlier) > sum(len(t.posts) for t in fresh):
        tracer.expect(fresh)  # worth reading the new threads' n-grams first: most of the index is not asked for
    for known in earlier:
        kept = cache.grams(known)
        found = tracer.add_thread(known, kept)
        if kept is None:
            cache.put_grams(known, found)
    for thread in fresh:
        tracer.trace(thread)


def _word_counts(cache: TextCache, thread: Thread) -> WordCounts:
    """The thread's word counts for name resolution, as kept in ``cache`` (which learns new ones)."""
    counts = cache.words(thread)
    if counts is None:
        counts = word_counts(thread)
        cache.put_words(thread, counts)
    return counts


def _cues(cache: TextCache, thread: Thread, compute: Callable[[], Cues]) -> Cues:
    """The thread's context cues for name resolution, as kept in ``cache`` for its texts and candidates."""
    stamp = (cues_version(), candidates_digest(thread))
    cues = cache.stamped(thread, "cues", stamp)
    if cues is None:
        cues = compute()
        cache.put_stamped(thread, "cues", stamp, cues)
    return cues
