"""What the words around a name candidate say it is: the context part of the evidence `resolve` weighs.

A title before it ("President X"), what people do ("agree with X", "X's post"), an organisation
word after or before it ("X terrorist group", "the website X"), an expanded acronym, place words
in it ("… River Valleys"), a list of places or people it is part of, a locative ("in X"). Each cue
is read from the candidate's own block, so a thread's cues (`thread_cues`) depend on its texts and
candidates alone (and on these rules): an import keeps them per thread (`converters.textcache`,
stamped with `candidates_digest` and `version`) instead of running every pattern over the whole
corpus again. Cues are read from a thread as `Resolver` holds it: the mentions recognition left,
before resolution derives more.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from ..model import Block, Thread, leaves
from .gazetteer import Gazetteer, fingerprint
from .normalise import display, initials
from .recognise import LOCATIVE, ORG_NOUNS, ORG_WORDS, TITLES

CUE_WEIGHT = 3.0
CONTEXT_WEIGHT = 2.0
PLACE_WORDS = {"River", "Rivers", "Valley", "Valleys", "Mountains", "Mountain", "Mount", "Lake", "Sea", "Ocean",
               "Gulf", "Bay", "Island", "Islands", "Forest", "Desert", "Coast", "Peninsula", "Canyon", "Province",
               "County", "Region", "Park", "Street", "Square", "Triangle", "Basin", "Plains", "Highlands", "Strait",
               "Road", "Lane", "Avenue", "Hill", "Hills", "Bridge", "Cottages", "Parade", "Quay", "Harbour", "Harbor",
               "Way", "Drive", "Terrace", "Crescent", "Row", "Green", "Moor", "Moors", "Wood", "Woods", "Beach",
               "Cove", "Point", "Port", "Village", "Castle", "Station", "Airport", "Creek", "Falls", "Glacier",
               "Mill", "Mills", "Farm", "Estate"}
PERSON_BEFORE = re.compile(r"(?:\b(?:agree|agreed|agrees|disagree|disagreed)\s+with|\baccording to|\bthanks|"
                           r"\bthank you|\byou and|\bme and|\brespect|\b(?:president|minister|ambassador|general|"
                           r"senator|secretary|governor|adviser|advisor|analyst|journalist|researcher|author|"
                           r"reporter|spokesman|spokeswoman|leader|dictator|chairman|ceo|founder|writer)"
                           r"(?:\s+of\s+[A-Z]\w+)?)[,:]?\s+$", re.IGNORECASE)
PERSON_AFTER = re.compile(r"^(?:\s+(?:said|says|wrote|writes|posted|posts|thinks|argued|argues|tweeted|replied|"
                          r"speaks|believes|knows|claimed|claims|agrees|noted|explained|and I)\b|['’]s\s+(?:post|"
                          r"posts|opinion|comment|comments|reply|view|views|words|thread|point|take|article|blog))")
ORG_AFTER_CUE = re.compile(rf"^\s+(?:\([^()\n]{{1,20}}\)\s+)?(?:[a-z]+\s+)?(?:{ORG_NOUNS})\b")
ORG_BEFORE_CUE = re.compile(rf"\b(?:(?:{ORG_NOUNS}|news site|news website)|[Aa]uthored by [^,\n]{{3,60}}? via"
                            r"(?: the)?)\s+$")
EXPANSION = re.compile(r"^s?\s*\(([a-z][a-z\s-]{3,80})\)")
LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)$")
SPACE_AFTER_WORD = re.compile(r"\S\s+$")
ALL_DOTTED = re.compile(r"(?:[A-Z]\.){3,}")  # "F.B.I.", with fullmatch


Cues = dict[tuple[int, int, int], tuple[tuple[str, float], ...]]
CueMemo = Callable[[Thread, Callable[[], Cues]], Cues]


def keep_nothing(thread: Thread, compute: Callable[[], Cues]) -> Cues:
    """The `CueMemo` of a resolution whose cues are not kept: made every time."""
    return compute()


@functools.cache
def version() -> str:
    """What `thread_cues` gives depends on besides a thread's texts and candidates: these rules and the gazetteer."""
    digest = hashlib.blake2b(fingerprint().encode(), digest_size=12)
    for module in ("cues.py", "recognise.py", "normalise.py"):  # these rules, the patterns and names they use
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()


def candidates_digest(thread: Thread) -> bytes:
    """A digest of every candidate mention recognition left in the thread (where, what, which label)."""
    digest = hashlib.blake2b(digest_size=16)
    for p, post in enumerate(thread.posts):
        for b, block in enumerate(leaves(post)):
            for i, m in enumerate(block.mentions):
                digest.update(f"{p},{b},{i},{m.start},{m.end},{m.label},{m.name}\x1e".encode("utf-8", "surrogatepass"))
    return digest.digest()


def thread_cues(thread: Thread, gaz: Gazetteer) -> Cues:
    """What the words around each candidate say it is (a title before it, "agree with", "… terrorist group",
    a list of places, place words in it), by its `Occurrence.where`; nothing for most candidates.

    It depends on the thread's texts and candidates alone, so an import keeps it between imports
    (`converters.textcache`) instead of running every pattern over the whole corpus again.
    """
    out: Cues = {}
    for p, post in enumerate(thread.posts):
        for b, block in enumerate(leaves(post)):
            for i, mention in enumerate(block.mentions):
                if found := _context_cues(block, i, gaz):
                    out[(p, b, i)] = found
    return out


def _context_cues(block: Block, i: int, gaz: Gazetteer) -> tuple[tuple[str, float], ...]:
    mention, text = block.mentions[i], block.text
    label, start, end = mention.label, mention.start, mention.end
    surface = display(mention.name or text[start:end])
    found: list[tuple[str, float]] = []
    before, after = text[max(0, start - 60):start], text[end:end + 80]
    words = set(surface.split())
    if TITLES.search(before[-25:] + " ") and SPACE_AFTER_WORD.search(before) and _ends_with_title(before):
        found.append(("person", CUE_WEIGHT))
    if PERSON_BEFORE.search(before) or PERSON_AFTER.match(after):
        found.append(("person", CONTEXT_WEIGHT))
    if ORG_AFTER_CUE.match(after) or ORG_BEFORE_CUE.search(before):
        found.append(("organisation", CUE_WEIGHT))
    if len(words) > 1 and ORG_WORDS & words:
        found.append(("organisation", CUE_WEIGHT))
    if ALL_DOTTED.fullmatch(surface):
        found.append(("organisation", 1))
    if (m := EXPANSION.match(after)) and initials(m.group(1).title()) == surface.upper():
        head = m.group(1).split()[-1].title()
        if head in ORG_WORDS or head in {"Center", "Centre"}:
            found.append(("organisation", CUE_WEIGHT))
    if PLACE_WORDS & words:
        found.append(("place", CUE_WEIGHT))
    if label in ("GPE", "LOC", "GAZ", "PERSON") and _in_list(block, i, gaz, place=True):
        found.append(("place", CONTEXT_WEIGHT))  # "Junín, Huancavelica, Pucusana" (tagged as people)
    elif label in ("ORG", "PERSON") and _in_list(block, i, gaz, place=False):
        found.append(("person", CONTEXT_WEIGHT))  # "Vijay Prashad and José Carlos Llerena Robles"
    elif LOCATIVE.search(before) and label not in ("PERSON", "ORG"):
        found.append(("place", 0.5))
    return tuple(found)


def _in_list(block: Block, i: int, gaz: Gazetteer, place: bool) -> bool:
    """An item of a list next to a place (``place``), else next to a person's name."""
    text, mentions, mention = block.text, block.mentions, block.mentions[i]
    for other in mentions[max(0, i - 1):i] + mentions[i + 1:i + 2]:  # its neighbours in the text
        gap = text[other.end:mention.start] if other.end <= mention.start else text[mention.end:other.start]
        if not LIST_GAP.match(gap):
            continue
        if place and (other.label in ("GPE", "LOC", "GAZ") or gaz.lookup(
                display(other.name or text[other.start:other.end]))):
            return True
        if not place and " and " in gap and other.label == "PERSON" and len(text[other.start:other.end].split()) > 1:
            return True
    return False


def _ends_with_title(before: str) -> bool:
    words = before.split()
    return bool(words) and bool(TITLES.match(words[-1] + " "))
