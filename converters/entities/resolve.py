"""From candidate mentions across the corpus to one register entry per real entity.

Resolution runs over the whole corpus every time (it is cheap next to recognition), so what one
thread says helps read another. Its steps:

1. **Reject** what is never an entity: the curated "not an entity" list, chat slang and page
   furniture (``data/not_entities.tsv``), words of forum user titles and removed chrome, and single
   words the corpus mostly writes in lowercase ("Lithium" vs "lithium").
2. **Group** spellings of one name (`normalise.key`); gazetteer places by their place id ("US",
   "U.S.", "USA", "the United States"), the curated register by its aliases, forum members by
   their name; organisations without a place qualifier ("US Southern Command" = "Southern Command").
3. **Merge** names of one entity: a name and its parenthesised alias ("Shining Path (Sendero
   Luminoso)"), two names it is "called … or …", an acronym and its expansion ("CIA" = "Central Intelligence Agency"), a surname or
   first name and the one full name it abbreviates, in the same thread first, else in the corpus.
4. **Type** each entry by the weight of all its evidence: NER labels, the gazetteer, and what the
   words around each mention say (`converters.entities.cues`: titles, "agree with X", "X terrorist
   group", lists of places, place words).
5. **Name** each entry (register, then gazetteer, then the longest frequent form) and give it a
   stable key (the one its mentions carried when the corpus was last written, else its name's);
   find its other occurrences the model missed (one name, one sense per corpus).
6. **Quotes** inherit the mentions of the post they quote, instead of being read again.

The curated register always wins: its entries keep their name, type, aliases and ids.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ahocorasick

from ..model import Block, Mention, Post, Thread, leaves, slugify
from ..textcache import WordCounts
from .cues import CueMemo, Cues, keep_nothing, thread_cues
from .gazetteer import Gazetteer, Place, gazetteer
from .normalise import NOT_ENTITIES, display, initials, is_acronym, is_sentence_start, key
from .recognise import ORG_WORDS
from .register import Entity, Register, alias_order

TYPES = ("person", "place", "organisation")
LABEL_VOTES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}
NONE_LABELS = {"WORK_OF_ART", "LAW", "EVENT", "PRODUCT"}
DERIVED = {"PROPAGATED", "QUOTED"}
MEMBER_WEIGHT = 10.0
RESERVED_KEYS = {"index", "people", "places", "organisations", "members", "genindex", "search"}
ALIAS_GAP = re.compile(r"^(?:\s+[a-z]+){0,2}\s*\(\s*(?P<aka>aka\s+|a\.k\.a\.\s+|also known as\s+)?$")
OR_GAP = re.compile(r"^[\"”’']?,?\s+or\s+(?:the\s+|as\s+)?[\"“‘']?$")
CALLED = re.compile(r"\b(?:called|named|dubbed|known as|styled)(?:\s+[a-z]+){0,3}\s+[\"“‘']?$")
DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ean|ese|ish)")
WORD = re.compile(r"[^\W\d_][\w’'-]*")


@dataclass
class Occurrence:
    """One candidate mention in its block, with what resolution learns about it."""

    thread: Thread
    post: Post
    block: Block
    mention: Mention
    surface: str
    where: tuple[int, int, int] = (0, 0, 0)  # post, leaf block and mention index in its thread (`Cues`)
    place: Place | None = None
    cluster: str = ""
    before: str | None = None  # the register key it resolved to when the corpus was last written


@dataclass
class Cluster:
    """The occurrences that name one entity, and the evidence for each type."""

    id: str
    occurrences: list[Occurrence] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)
    curated: Entity | None = None
    place: Place | None = None
    member: tuple[str, str] | None = None


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the curated, gazetteer or member id names the merged cluster
            keep, drop = (ra, rb) if _rank(ra) <= _rank(rb) else (rb, ra)
            self.parent[drop] = keep


def _rank(cluster_id: str) -> int:
    return {"reg": 0, "member": 1, "geo": 2}.get(cluster_id.split(":", 1)[0], 3)


def _quote_source(block: Block) -> str | None:
    return block.source if block.kind == "quote" and block.source else None


def word_counts(thread: Thread) -> WordCounts:
    """How often each word of the thread's own texts (text and article blocks) is written in lowercase,
    and capitalised where a sentence does not start (the word folded), for `Resolver._rejected`."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for post in thread.posts:
        for block in leaves(post):
            if block.kind in ("text", "article"):
                _count_words(block.text, lower, upper)
    return lower, upper


def written_name(block: Block, mention: Mention) -> str:
    """The name a mention writes, as resolution reads it: what it groups, and what an entry lists as an alias."""
    return display(mention.name or block.text[mention.start:mention.end])


def _count_words(text: str, lower: Counter[str], upper: Counter[str]) -> None:
    for m in WORD.finditer(text):
        word = m.group()
        if word.islower():
            lower[word] += 1
        elif word[0].isupper() and not is_sentence_start(text, m.start()):
            upper[word.casefold()] += 1


class Resolver:
    """Resolve every mention of ``threads`` against ``register``; `run` returns the entries by key.

    ``counts`` gives a thread's `word_counts`, ``cues`` its `thread_cues` (an import passes the ones it
    kept, `converters.textcache`).
    """

    def __init__(self, threads: list[Thread], register: Register, gaz: Gazetteer | None = None,
                 counts: Callable[[Thread], WordCounts] = word_counts, cues: CueMemo = keep_nothing) -> None:
        self.threads = threads
        self.register = register
        self.gaz = gaz or gazetteer()
        self.posts = {p.anchor: p for t in threads for p in t.posts if p.anchor}
        self.members: dict[str, dict[str, str]] = defaultdict(dict)  # forum → casefolded name → name
        self.furniture: set[str] = set()
        self.lower: Counter[str] = Counter()
        self.upper: Counter[str] = Counter()
        self.cue_memo = cues
        self._cues: dict[int, Cues] = {}
        self._ids = {id(t): t.id for t in threads}  # a thread's id is a hash: asked for tens of thousands of times
        self._verdicts: dict[tuple[str, str], tuple[Place | None, bool]] = {}  # per surface and label (`_verdict`)
        candidates: list[str] = []
        for thread in threads:
            for line in thread.chrome:
                self.furniture.update(w.casefold() for w in WORD.findall(line.text))
            lower, upper = counts(thread)
            self.lower.update(lower)
            self.upper.update(upper)
            for post in thread.posts:
                self.members[thread.forum][post.author.casefold()] = post.author
                self.furniture.update(w.casefold() for w in WORD.findall(post.user_title))
                for block in self._read_blocks(post):
                    if block.kind == "quote":  # of a post not in the corpus: its words count too
                        _count_words(block.text, self.lower, self.upper)
                    candidates.extend(block.text[m.start:m.end].casefold() for m in block.mentions)
        self.candidates = Counter(candidates)

    # -- the corpus's own evidence -------------------------------------------------------------

    def _read_blocks(self, post: Post) -> Iterable[Block]:
        """Blocks whose words count: the post's own text, articles, quotes of unknown source."""
        for block in leaves(post):
            if block.kind in ("text", "article") or (block.kind == "quote" and _quote_source(block) not in self.posts):
                yield block

    def _verdict(self, surface: str, label: str) -> tuple[Place | None, bool]:
        """The place a candidate names and whether it is rejected: what its surface and label alone decide,
        so each distinct pair is judged once (a corpus repeats the same names tens of thousands of times)."""
        verdict = self._verdicts.get((surface, label))
        if verdict is None:
            place = self._place(surface, label)
            verdict = self._verdicts[(surface, label)] = (place, self._rejected(surface, label, place))
        return verdict

    def _rejected(self, surface: str, label: str, place: Place | None) -> bool:
        folded = surface.casefold()
        if self.register.is_not_entity(surface) or folded in NOT_ENTITIES or key(surface) in NOT_ENTITIES:
            return True
        if label in NONE_LABELS or place is not None or label == "MEMBER":
            return False
        if surface.islower():
            return True
        words = surface.split()
        if len(words) == 1:
            if folded in self.furniture and not self.register.lookup(surface):
                return True
            # "rare Earth metals" where the corpus says "rare earth"; "Lithium" where it says "lithium"
            lower = self.lower[folded] + self.lower[folded + "s"] + self.lower[folded.removesuffix("s")] * (
                folded.endswith("s") and len(folded) > 3)
            if lower and lower >= min(self.upper[folded], self.candidates[folded]):
                return True
        return False

    # -- steps ---------------------------------------------------------------------------------

    def run(self) -> dict[str, Entity]:
        occurrences = self._collect()
        union = _Union()
        self._group(occurrences, union)
        self._merge(occurrences, union)
        entities = self._entities(self._clusters(occurrences, union))
        self._propagate(entities)
        self._inherit_quotes()
        return entities

    def _collect(self) -> list[Occurrence]:
        out = []
        for thread in self.threads:
            for p, post in enumerate(thread.posts):
                before: dict[int, str | None] = {}
                for block in leaves(post):
                    block.mentions = [m for m in block.mentions if m.label not in DERIVED]
                    for m in block.mentions:
                        before[id(m)] = m.key
                        m.key = m.type = None
                read = {id(block) for block in self._read_blocks(post)}
                for b, block in enumerate(leaves(post)):
                    if id(block) not in read:
                        continue
                    for i, m in enumerate(block.mentions):
                        surface = written_name(block, m)
                        if not surface:
                            continue
                        place, rejected = self._verdict(surface, m.label)
                        if not rejected:
                            out.append(Occurrence(thread, post, block, m, surface, (p, b, i), place,
                                                  before=before[id(m)]))
        return out

    def _place(self, surface: str, label: str) -> Place | None:
        if label in {"MEMBER"} | NONE_LABELS:
            return None
        place = self.gaz.lookup(surface)
        if place is None and surface[:1].islower():
            place = self.gaz.lookup(surface.title())  # "china" tagged GPE
        return place

    def _group(self, occurrences: list[Occurrence], union: _Union) -> None:
        bare: set[str] = {key(o.surface) for o in occurrences}
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        for occ in occurrences:
            labels[key(occ.surface)][LABEL_VOTES.get(occ.mention.label, "")] += 1
        for occ in occurrences:
            curated = self.register.lookup(occ.surface)
            member = self.members[occ.thread.forum].get(occ.surface.casefold())
            if curated is not None:
                occ.cluster = f"reg:{curated.key}"
            elif occ.mention.label == "MEMBER" or (member and occ.mention.label == "PERSON"):
                occ.cluster = f"member:{occ.thread.forum}\x1f{member or occ.surface}"
            elif occ.mention.label == "PERSON" and (author := self._author_named(occ)):
                occ.cluster = f"member:{occ.thread.forum}\x1f{author}"  # "Thanks Ada" → the poster Ada Penhallow
            elif occ.place is not None and occ.mention.label not in NONE_LABELS and not (
                    occ.place.weight < 2 and _more_person(labels[key(occ.surface)])):
                occ.cluster = f"geo:{occ.place.id}"  # (a small town named like a person, "Lopez", stays a name)
            else:
                # a first name is no qualifier, though "Brian" or "Chidi" ends like a demonym
                k = key(occ.surface) if occ.mention.label == "PERSON" else self._unqualified(occ.surface, bare)
                single = len(occ.surface.split()) == 1 and not is_acronym(occ.surface)
                # a lone surname or first name is read in its own thread first
                occ.cluster = f"name:{k}@{self._ids[id(occ.thread)]}" if single else f"name:{k}"
            union.find(occ.cluster)

    def _author_named(self, occ: Occurrence) -> str | None:
        """The one author of the thread whose name (of two words or more) starts with this lone first name."""
        if len(occ.surface.split()) != 1:
            return None
        found = {p.author for p in occ.thread.posts
                 if len(p.author.split()) > 1 and key(p.author.split()[0]) == key(occ.surface)}
        return found.pop() if len(found) == 1 else None

    def _unqualified(self, surface: str, bare: set[str]) -> str:
        """"US Southern Command" and "the Peruvian Congress" group with "Southern Command", "Congress"."""
        words = surface.split()
        for k in (1, 2):
            if len(words) <= k:
                break
            head, rest = " ".join(words[:k]), " ".join(words[k:])
            qualifier = self.gaz.lookup(head) or re.fullmatch(r"[A-Z][a-z]+(?:an|ian|ese|ish|i)", head)
            if qualifier and key(rest) in bare and rest[:1].isupper() and ORG_WORDS & set(words[k:]) | {
                    w for w in words[k:] if w[:1].isupper()}:
                return key(rest)
        return key(surface)

    def _merge(self, occurrences: list[Occurrence], union: _Union) -> None:
        by_block: dict[int, list[Occurrence]] = defaultdict(list)
        for occ in occurrences:
            by_block[id(occ.block)].append(occ)
        for group in by_block.values():
            group.sort(key=lambda o: o.mention.start)
            for a, b in zip(group, group[1:]):
                gap = a.block.text[a.mention.end:b.mention.start]
                m = ALIAS_GAP.match(gap)
                if m and self._aliases(a, b, bool(m.group("aka"))):
                    union.union(a.cluster, b.cluster)
                elif OR_GAP.match(gap) and CALLED.search(a.block.text[max(0, a.mention.start - 40):a.mention.start]):
                    union.union(a.cluster, b.cluster)  # 'called the "Nazi International" or the "Fascist International"'

        self._merge_acronyms(occurrences, union)
        self._merge_short_names(occurrences, union)

    def _aliases(self, a: Occurrence, b: Occurrence, aka: bool) -> bool:
        """Whether "A (B)" gives A another name (not "Lima (Peru)", not "Henrik Kruger (The Great Heroin Coup)")."""
        if a.place is not None or b.place is not None:
            return False
        if aka or is_acronym(b.surface):
            return True
        return a.mention.label != "PERSON" and b.mention.label not in NONE_LABELS

    def _merge_acronyms(self, occurrences: list[Occurrence], union: _Union) -> None:
        expansions: dict[str, set[str]] = defaultdict(set)
        for occ in occurrences:
            if len(occ.surface.split()) >= 2 and occ.place is None:
                expansions[initials(occ.surface)].add(union.find(occ.cluster))
        for occ in occurrences:
            letters = occ.surface.replace(".", "")
            if is_acronym(occ.surface) and occ.place is None and len(expansions.get(letters, ())) == 1:
                union.union(occ.cluster, next(iter(expansions[letters])))

    def _merge_short_names(self, occurrences: list[Occurrence], union: _Union) -> None:
        """"Castillo" → "Pedro Castillo", "Joseph" → "Joseph P. Farrell", "the Agency" → "Environment Agency".

        A lone name joins the one full name (a person's, else an organisation's) it shortens: in its
        own thread if that thread has exactly one, else in the corpus if it has exactly one.
        """
        full: dict[tuple[str, str], set[str]] = defaultdict(set)
        local: dict[tuple[str, int, str], set[str]] = defaultdict(set)  # (…, id of the thread, …)
        for occ in occurrences:
            words = occ.surface.split()
            kind = {"PERSON": "person", "MEMBER": "person", "ORG": "org"}.get(occ.mention.label, "")
            if len(words) < 2 or not kind or occ.place is not None:
                continue
            root = union.find(occ.cluster)
            ends = [("last", words[-1])] + ([("first", words[0])] if kind == "person" else [])
            for end, word in ends:
                full[(f"{kind}-{end}", key(word))].add(root)
                local[(f"{kind}-{end}", id(occ.thread), key(word))].add(root)
        for occ in occurrences:
            if not occ.cluster.startswith("name:") or "@" not in occ.cluster:
                continue
            k = key(occ.surface)
            target = None
            person_like = occ.mention.label in ("PERSON", "NORP", "MEMBER", "ALIAS")
            ends = ("person-last", "person-first", "org-last") if person_like else ("org-last",)
            for end in ends if occ.mention.label not in ("GPE", "LOC", "FAC", "GAZ") else ():
                here = local.get((end, id(occ.thread), k), set())
                if len(here) == 1:
                    target = next(iter(here))
                    break
                if here:
                    break  # two people of that name in this thread: leave it alone
            if target is None and person_like and len(full.get(("person-last", k), ())) == 1:
                target = next(iter(full[("person-last", k)]))
            union.union(target or f"name:{k}", occ.cluster)  # else: the same lone name across threads

    def _clusters(self, occurrences: list[Occurrence], union: _Union) -> dict[str, Cluster]:
        clusters: dict[str, Cluster] = {}
        for occ in occurrences:
            root = union.find(occ.cluster)
            cluster = clusters.setdefault(root, Cluster(root))
            cluster.occurrences.append(occ)
            if occ.cluster.startswith("reg:"):
                cluster.curated = self.register.entries[occ.cluster[4:]]
            if occ.place is not None and occ.cluster.startswith("geo:") and cluster.place is None:
                cluster.place = occ.place
            if occ.cluster.startswith("member:"):
                forum, name = occ.cluster[7:].split("\x1f", 1)
                cluster.member = (forum, name)
            self._vote(cluster, occ)
        return clusters

    # -- evidence ------------------------------------------------------------------------------

    def _vote(self, cluster: Cluster, occ: Occurrence) -> None:
        label = occ.mention.label
        votes = cluster.votes
        if label == "MEMBER" or occ.cluster.startswith("member:"):
            votes["person"] += MEMBER_WEIGHT
        elif label in LABEL_VOTES and not (label == "PERSON" and is_acronym(occ.surface)) and not (
                label in ("GPE", "LOC") and occ.place is None and DEMONYM.fullmatch(occ.surface)):
            votes[LABEL_VOTES[label]] += 1  # (a lone "Victorian" tagged as a place is an adjective)
        elif label in NONE_LABELS:
            votes["none"] += 1
        if occ.place is not None:
            votes["place"] += occ.place.weight
        for kind, weight in self._thread_cues(occ.thread).get(occ.where, ()):
            votes[kind] += weight

    def _thread_cues(self, thread: Thread) -> Cues:
        if id(thread) not in self._cues:
            self._cues[id(thread)] = self.cue_memo(thread, functools.partial(thread_cues, thread, self.gaz))
        return self._cues[id(thread)]

    # -- entries -------------------------------------------------------------------------------

    def _entities(self, clusters: dict[str, Cluster]) -> dict[str, Entity]:
        ordered = sorted(clusters.values(), key=lambda c: (_rank(c.id), -len(c.occurrences), c.id))
        made = [(cluster, entity) for cluster in ordered if (entity := self._entity(cluster)) is not None]
        curated = {entity.key for cluster, entity in made if cluster.curated is not None}
        kept = _kept_keys(made, RESERVED_KEYS | curated)
        entities: dict[str, Entity] = {}
        used = set(RESERVED_KEYS) | set(kept.values())
        for cluster, entity in made:
            if cluster.id in kept:
                entity.key = kept[cluster.id]
            elif entity.key in used:  # (every key given is in ``used``)
                entity.key = _free_key(f"{entity.key}-{entity.type}", used)
            entities[entity.key] = entity
            used.add(entity.key)
            for occ in cluster.occurrences:
                occ.mention.key, occ.mention.type = entity.key, entity.type
        return entities

    def _entity(self, cluster: Cluster) -> Entity | None:
        if cluster.curated is not None:
            entity = cluster.curated.copy()
            entity.curated_aliases = list(entity.aliases)
        elif all(o.mention.label in {"NORP"} | NONE_LABELS for o in cluster.occurrences):
            return None  # "Mexican", "Western": words about a people, never a name on their own
        else:
            kind = _winner(cluster.votes)
            if kind is None:
                return None
            name = self._name(cluster, kind)
            entity = Entity(key=slugify(name, fallback="e"), name=name, type=kind)
            if cluster.place is not None and kind == "place":
                entity.authority = dict(cluster.place.authority)
        if cluster.member is not None and entity.type == "person":
            entity.members = [cluster.member]
        surfaces = {o.surface for o in cluster.occurrences}
        entity.aliases = sorted((surfaces | set(entity.aliases)) - {entity.name}, key=alias_order)
        entity.mentions = len(cluster.occurrences)
        return entity

    def _name(self, cluster: Cluster, kind: str) -> str:
        if cluster.member is not None and kind == "person":
            return cluster.member[1]
        if cluster.place is not None and kind == "place":
            return cluster.place.name
        counts = Counter(o.surface for o in cluster.occurrences if o.mention.label not in NONE_LABELS)
        if not counts:
            counts = Counter(o.surface for o in cluster.occurrences)
        if kind == "person":
            longest = max(len(s.split()) for s in counts)
            return max((s for s in counts if len(s.split()) == longest), key=lambda s: (counts[s], len(s), s))
        non_acronyms = [s for s in counts if not is_acronym(s)] or list(counts)
        return max(non_acronyms, key=lambda s: (counts[s], len(s), s))

    # -- one sense per corpus ------------------------------------------------------------------

    def _propagate(self, entities: dict[str, Entity]) -> None:
        """Mark the occurrences of each entry's names that recognition missed."""
        automaton = ahocorasick.Automaton()
        names: dict[str, Entity] = {}
        for entity in entities.values():
            for name in {entity.name, *entity.aliases}:
                if (len(name) >= 4 or is_acronym(name)) and not self._lowercase_word(name):
                    if name in names and (names[name] is None or names[name].key != entity.key):
                        names[name] = None  # type: ignore[assignment]  # ambiguous: never propagated
                    else:
                        names[name] = entity
        for name, entity in names.items():
            if entity is not None:
                automaton.add_word(name, (len(name), entity))
        if not len(automaton):
            return
        automaton.make_automaton()
        for thread in self.threads:
            for post in thread.posts:
                for block in self._read_blocks(post):
                    self._propagate_block(block, automaton)

    def _lowercase_word(self, name: str) -> bool:
        return len(name.split()) == 1 and self.lower[name.casefold()] > 0

    def _propagate_block(self, block: Block, automaton: ahocorasick.Automaton) -> None:
        text = block.text
        taken = bytearray(len(text))  # characters inside a kept mention
        for m in block.mentions:
            if m.key or m.label != "GAZ":
                taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        added = []
        for end, (length, entity) in automaton.iter(text):
            start, stop = end - length + 1, end + 1
            before = text[start - 1] if start else " "
            after = text[stop] if stop < len(text) else " "
            if before.isalnum() or after.isalnum() or before in "-/@_." or after in "-@_":
                continue
            if len(text[start:stop].split()) == 1 and is_sentence_start(text, start) and (
                    entity.type != "place" or "geonames" not in entity.authority and "iso3166" not in entity.authority):
                continue
            if any(taken[start:stop]):
                continue
            added.append(Mention(start, stop, "PROPAGATED", key=entity.key, type=entity.type))
            taken[start:stop] = b"\x01" * (stop - start)
        if added:
            block.mentions = sorted(block.mentions + added, key=lambda m: m.start)

    # -- quotes --------------------------------------------------------------------------------

    def _inherit_quotes(self) -> None:
        for thread in self.threads:
            for post in thread.posts:
                for block in leaves(post):
                    source = self.posts.get(_quote_source(block) or "")
                    if source is not None:
                        block.mentions = inherit(block.text, source)


def inherit(text: str, source: Post) -> list[Mention]:
    """The mentions of ``source`` carried onto ``text``, a quote of it (exact copy, else by name)."""
    for block in leaves(source):
        keyed = [m for m in block.mentions if m.key]
        at = block.text.find(text) if text else -1
        if at != -1:
            return [Mention(m.start - at, m.end - at, "QUOTED", key=m.key, type=m.type)
                    for m in keyed if at <= m.start and m.end <= at + len(text)]
    names = {}
    for block in leaves(source):
        for m in block.mentions:
            if m.key:
                names[block.text[m.start:m.end]] = m
    out: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        for start, end in _whole_words(text, name):
            if not any(o.start < end and start < o.end for o in out):
                out.append(Mention(start, end, "QUOTED", key=names[name].key, type=names[name].type))
    return sorted(out, key=lambda m: m.start)


def _whole_words(text: str, name: str) -> Iterable[tuple[int, int]]:
    """Where ``name`` stands in ``text`` with no word character glued to it (regex ``(?<!\\w)name(?!\\w)``,
    without compiling a pattern per name: a corpus has tens of thousands)."""
    start = text.find(name) if name else -1
    while start != -1:
        end = start + len(name)
        if not (start and _word_char(text[start - 1]) or end < len(text) and _word_char(text[end])):
            yield start, end
            start = text.find(name, end)
        else:
            start = text.find(name, start + 1)


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _more_person(labels: Counter[str]) -> bool:
    return labels["person"] > labels["place"]


def _winner(votes: Counter[str]) -> str | None:
    best = max(TYPES, key=lambda t: (votes[t], -TYPES.index(t)))
    if votes[best] < 1 or votes[best] <= votes["none"]:
        return None
    return best


def _kept_keys(made: list[tuple[Cluster, Entity]], taken: set[str]) -> dict[str, str]:
    """The key each entry keeps from the corpus as last written (by cluster id), so that an import
    moves no entry's page when only its most frequent spelling changes.

    A key its mentions carried goes to the entry it is the name's key of, else to the entry with most
    of those mentions (a split entry keeps it on one side only); an entry that gathers mentions of
    several keys keeps its own name's, else the one most of them carried. Curated keys are never given.
    """
    claims: dict[str, list[tuple[bool, int, int, str]]] = defaultdict(list)
    for order, (cluster, entity) in enumerate(made):
        if cluster.curated is not None:
            continue
        carried = Counter(o.before for o in cluster.occurrences if o.before and o.before not in taken)
        for key, count in carried.items():
            claims[key].append((key != entity.key, -count, order, cluster.id))
    won: dict[str, list[tuple[bool, int, str]]] = defaultdict(list)
    for key, claimants in claims.items():
        other_name, count, _, cluster_id = min(claimants)
        won[cluster_id].append((other_name, count, key))
    return {cluster_id: min(keys)[2] for cluster_id, keys in won.items()}


def _free_key(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"
