"""The n-gram index proposes the earlier posts worth aligning (`converters.shingles.ShingleIndex`)."""

from __future__ import annotations

from converters.shingles import SURE_SHARED, ShingleIndex

STOCK = list(range(1000, 1004))  # n-grams of stock phrases: every post has them


def _index(max_df: int = 4) -> ShingleIndex:
    index = ShingleIndex(max_df=max_df)
    for doc in range(max_df):  # the stock phrases' postings are full
        index.add(doc, STOCK + [doc * 100 + k for k in range(20)])
    return index


def test_stock_phrases_alone_propose_nothing():
    index = _index()
    assert index.candidates(STOCK + [9_999], 3, lambda doc: True) == []


def test_a_rarer_n_gram_or_a_long_shared_run_proposes():
    index = _index()
    assert index.candidates(STOCK + [200], 3, lambda doc: True) == [2]  # doc 2's own n-gram
    many = ShingleIndex(max_df=2)
    shared = list(range(SURE_SHARED))
    for doc in range(3):
        many.add(doc, shared)  # a passage pasted three times: its n-grams are all common
    assert many.candidates(shared, 3, lambda doc: True) == [0, 1]  # the first two still hold it
    assert many.candidates(shared[:-1], 3, lambda doc: True) == []
