"""The register's name-recognition stage against spaCy's raw NER, in words per second, on the same text.

``python -m bench.ner [CAPTURE ...] [--words N]`` reads captures (default: the real sample thread
where it is present, else the bundled examples), repeats their posts up to ``--words`` words, and
times, in one process:

* **raw**: spaCy's NER alone (en_core_web_sm, NER-only pipeline, ``nlp.pipe``), `bench.raw_ner`;
* **recognise**: our recognition stage (the same NER plus span repairs, the place gazetteer, forum
  members' names and patterns), `converters.entities.recognise`;
* **resolve**: resolution of the whole corpus (grouping, merging, typing, propagation, quotes).

`measure` returns the figures as a dict (what ``make bench`` reports); the CLI prints them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import raw_ner  # noqa: E402
from converters import formats  # noqa: E402
from converters.entities.annotate import recognise  # noqa: E402
from converters.entities.recognise import nlp  # noqa: E402
from converters.entities.register import Register  # noqa: E402
from converters.entities.resolve import Resolver  # noqa: E402
from converters.model import Thread  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "000_93126ad562984980.txt"
EXAMPLES = sorted((ROOT / "examples" / "harbour-town").glob("*.txt"))


def load(paths: list[Path], words: int) -> list[Thread]:
    """The captures as threads, repeated (as distinct threads) until they hold ``words`` words."""
    base = [formats.parse(str(p), p.read_bytes(), None) for p in paths]
    threads: list[Thread] = []
    total, copy = 0, 0
    while total < words:
        for thread in base:
            clone = Thread.from_json({**thread.to_json(), "forum": "Bench", "url": f"bench://{copy}/{thread.title}"})
            for i, post in enumerate(clone.posts):
                post.anchor = f"p-{copy}-{len(threads)}-{i}"
            threads.append(clone)
            total += sum(len(p.text.split()) for p in clone.posts)
        copy += 1
    return threads


def measure(threads: list[Thread], rounds: int = 2) -> dict[str, float | int | str]:
    """Words per second of each stage; raw and ours alternate ``rounds`` times and the best round counts
    (the machine's other load only ever slows a round down)."""
    from converters.entities.gazetteer import gazetteer

    words = sum(len(b.text.split()) for t in threads for p in t.posts for b in p.blocks)
    texts = [b.text for t in threads for p in t.posts for b in p.blocks]
    nlp()("warm up")  # load the model and the gazetteer outside the timings
    gazetteer()
    raw, recognised, resolved, how, entities = 0.0, float("inf"), float("inf"), "", {}
    for _ in range(rounds):
        rate, how = raw_ner.words_per_second(texts, max_words=words)
        raw = max(raw, rate or 0.0)
        start = time.perf_counter()
        recognise(threads, threads)
        recognised = min(recognised, time.perf_counter() - start)
        start = time.perf_counter()
        entities = Resolver(threads, Register()).run()
        resolved = min(resolved, time.perf_counter() - start)
    return {
        "words": words, "raw_ner_words_per_s": round(raw), "raw_ner": how,
        "recognise_words_per_s": round(words / recognised), "resolve_words_per_s": round(words / resolved),
        "stage_words_per_s": round(words / (recognised + resolved)), "entities": len(entities),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ner", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="captured threads (default: the sample, else the examples)")
    parser.add_argument("--words", type=int, default=30_000, help="words to time (default 30,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    paths = args.paths or ([SAMPLE] if SAMPLE.exists() else EXAMPLES)
    figures = measure(load(paths, args.words))
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{figures['words']} words ({', '.join(p.name for p in paths)})")
    print(f"  spaCy raw NER           {figures['raw_ner_words_per_s']:>8} words/s   ({figures['raw_ner']})")
    print(f"  our recognition         {figures['recognise_words_per_s']:>8} words/s")
    print(f"  our resolution          {figures['resolve_words_per_s']:>8} words/s")
    print(f"  NER stage (both)        {figures['stage_words_per_s']:>8} words/s   ({figures['entities']} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
