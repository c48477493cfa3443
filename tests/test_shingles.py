"""The n-gram index proposes the earlier posts worth aligning (`converters.shingles.ShingleIndex`)."""

from __future__ import annotations

from converters.quotes import MIN_SHARED, SURE_SHARED
from converters.shingles import DEFAULT_COMMON, ShingleIndex

STOCK = list(range(1000, 1004))  # n-grams of stock phrases: every post has them


def _index(docs: int, max_df: int = 64) -> ShingleIndex:
    index = ShingleIndex(max_df=max_df)
    for doc in range(docs):
        index.add(doc, STOCK + [doc * 100 + k for k in range(20)])
    return index


def _proposed(index: ShingleIndex, grams: list[int]) -> list[int]:
    return index.candidates(grams, MIN_SHARED, SURE_SHARED, lambda doc: True)


def test_stock_phrases_alone_propose_nothing_however_large_the_corpus():
    assert _proposed(_index(DEFAULT_COMMON), STOCK + [9_999]) == []  # far below max_df: already a stock phrase
    assert _proposed(_index(4, max_df=4), STOCK + [9_999]) == []  # postings full


def test_stock_phrases_of_a_small_corpus_still_propose():
    assert _proposed(_index(2), STOCK + [9_999]) == [0, 1]  # two posts sharing four n-grams may be reuse


def test_a_rarer_n_gram_or_a_quote_long_enough_proposes():
    assert _proposed(_index(DEFAULT_COMMON), STOCK + [200]) == [2]  # doc 2's own n-gram
    many = ShingleIndex(max_df=2)
    shared = list(range(SURE_SHARED))  # an exact quote of MIN_WORDS words
    for doc in range(3):
        many.add(doc, shared)  # a passage quoted three times: its n-grams are all common
    assert _proposed(many, shared) == [0, 1]  # the first two still hold it
    assert _proposed(many, shared[:-1]) == []
