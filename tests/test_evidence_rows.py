"""The engine's evidence rows (rhetoric.learn.evidence): the vectorised counts against a plain per-token loop."""

from __future__ import annotations

import bisect
import itertools
import math
import random

import numpy as np
import pytest

from rhetoric.analysis import Analyzer
from rhetoric.learn.evidence import N_FEATURES, feature_names, sentence_feature_rows
from rhetoric.learn.features import DocumentFeatures

TEXTS = [
    "We said THE U.S. will win. You and YOUR people, us! 3rd time? \u201cNo,\u201d she said 'never'.",
    "ǅungla ǅX ĲSSEL \u00c9COLE \u00e9cole \uff21\uff22\uff23 \uff13x \u00b2x \u0661\u0662 İstanbul straße OURSELVES yourself",
    "Officials said on Monday that the \"sacred mission\" may have succeeded!!! Critics argue it was late.\n\nOK.",
    "a\u00a0b \ud83d\ude00 said the minister.\r\n\r\n" * 3,
    "((((" * 20 + ' "' * 10,
    "",
]


def _reference(text, seg, matches, ranges=None):
    """The rows as a loop over the matches and the tokens (the definition the vectorised code keeps)."""
    from rhetoric.learn import evidence as ev
    spans = ranges if ranges is not None else seg.sentences
    rows = np.zeros((len(spans), N_FEATURES))
    starts = [s for s, _ in spans]
    for m in matches:
        e = m.entry
        if e.category == "ignore":
            continue
        r = bisect.bisect_right(starts, m.start) - 1
        if r < 0 or m.start >= spans[r][1]:
            continue
        rows[r, ev._INDEX[(e.category, e.label)]] += e.weight
        rows[r, ev._TOTAL_INDEX[e.category]] += e.weight
    for r, (s, e_) in enumerate(spans):
        i, j = bisect.bisect_left(seg.starts, s), bisect.bisect_left(seg.starts, e_)
        words, n_words = seg.words[i:j], sum(seg.is_word[i:j])
        caps = allcaps = numbers = we = you = 0
        for k in range(i, j):
            if not seg.is_word[k]:
                continue
            w, first = seg.words[k], text[seg.starts[k]]
            if first.isupper():
                caps += 1
                allcaps += len(w) > 1 and text[seg.starts[k]:seg.ends[k]].isupper()
            numbers += first.isdigit()
            we += w in ev._WE
            you += w in ev._YOU
        base = ev._SURFACE_START
        rows[r, base:base + 9] = [math.log1p(n_words), min(sum(w in ('"', "'") for w in words), 4),
                                  words.count("!"), words.count("?"), allcaps, we, you, numbers,
                                  caps / n_words if n_words else 0.0]
    return rows


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize("few", [0, 10**9])
@pytest.mark.parametrize("text", TEXTS)
def test_rows_equal_the_per_token_loop_with_and_without_the_shared_pass(analyzer, text, few, monkeypatch):
    """Also with the vectorised tests on a short text (``few=0``) and the loop on a long one."""
    from rhetoric.learn import evidence as ev
    monkeypatch.setattr(ev, "_FEW_TOKENS", few)
    monkeypatch.setattr(ev, "_FEW_MATCHES", few)
    a = analyzer.analyze(text)
    rng = random.Random(len(text))
    cuts = sorted(rng.sample(range(len(text) + 1), min(9, len(text) + 1)))
    for ranges in (None, [(0, len(text))], list(itertools.pairwise(cuts))):
        want = _reference(a.text, a.seg, a.matches, ranges)
        alone = sentence_feature_rows(a.text, a.seg, a.matches, ranges)
        shared = sentence_feature_rows(a.text, a.seg, a.matches, ranges, features=DocumentFeatures(a))
        assert alone.tobytes() == want.tobytes() and shared.tobytes() == want.tobytes()


def test_surface_counts_of_one_sentence(analyzer):
    text = 'WE and you, YOU: "Stop!" Is it 3 or 4? \u00c9T\u00c9 \u00c9t\u00e9'
    a = analyzer.analyze(text)
    row = dict(zip(feature_names(), sentence_feature_rows(a.text, a.seg, a.matches, [(0, len(text))])[0]))
    assert row["surface:we_our_us"] == 1 and row["surface:you_your"] == 2
    assert row["surface:exclamations"] == 1 and row["surface:questions"] == 1 and row["surface:quotes"] == 2
    assert row["surface:numbers"] == 2
    assert row["surface:all_caps_words"] == 3     # WE, YOU, ÉTÉ (one-letter "I"/"A" would not count)


def test_all_caps_test_agrees_with_str_isupper_on_every_code_point():
    """A token opening with an upper-case letter is all capitals unless a character breaks it
    (``"A" + c`` not upper case); checked for "X" followed by each code point."""
    from rhetoric.learn.evidence import _all_caps
    cps = np.arange(0x110000, dtype=np.uint32)
    codes = np.stack([np.full(len(cps), ord("X"), dtype=np.uint32), cps], axis=1).reshape(-1)
    starts = np.arange(0, len(codes), 2)
    got = _all_caps(codes, starts, starts + 2)
    want = np.fromiter((("X" + chr(c)).isupper() for c in range(0x110000)), dtype=bool, count=len(cps))
    assert np.array_equal(got, want)


def test_unique_counts_is_np_unique():
    """The wrapper-free ``np.unique`` of the scoring paths: the same arrays and dtypes, input untouched."""
    from rhetoric.learn.linear import unique_counts
    rng = np.random.default_rng(3)
    for n in (0, 1, 2, 7, 300):
        for high in (2, 50, 1 << 40):
            key = rng.integers(0, high, n)
            before = key.copy()
            for got, want in ((unique_counts(key), np.unique(key, return_counts=True)),
                              (unique_counts(key, first=True), np.unique(key, return_index=True, return_counts=True))):
                assert [(a.dtype, a.tolist()) for a in got] == [(b.dtype, b.tolist()) for b in want]
            assert key.tolist() == before.tolist()
