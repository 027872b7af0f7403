"""One Scorer shared by many threads gives exactly the reports of sequential scoring.

The interpreter is made to switch threads every microsecond (``sys.setswitchinterval(1e-6)``), so
any state shared between calls (a module-level cache, a buffer on the Scorer or on a head) that is
read and written without care shows up as a differing report or an exception.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from conftest import SEEDS

import rhetoric

HOSTILE = ["\ud800 officials said", "İstanbul ß ﬁ said the sacred mission.", "a\r\nb\rc\x00d", "<b>x</b>" * 40,
           "x" * 5000 + " one source said.", "\u202eheroic people\u202c \u200b undoubtedly", ""]


def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        paragraphs = [p for p in article.split("\n") if p.strip()]
        texts += [article] + paragraphs + [" ".join(paragraphs[i:i + 3]) for i in range(0, len(paragraphs), 3)]
    return texts + HOSTILE


@pytest.fixture
def fast_switching():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def test_shared_default_scorer_matches_sequential_scoring():
    scorer = rhetoric.Scorer()   # the default model as shipped when the test runs
    texts = _texts() * 2
    sequential = [scorer.score(t).to_dict() for t in texts]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            threaded = list(pool.map(lambda t: scorer.score(t).to_dict(), texts))
    finally:
        sys.setswitchinterval(old)
    assert sys.getswitchinterval() == old
    differ = [i for i, (a, b) in enumerate(zip(sequential, threaded)) if a != b]
    assert not differ, f"{len(differ)} of {len(texts)} reports differ from sequential scoring, first: text {differ[0]}"


def test_threads_building_scorers_and_lexicons_concurrently(fast_switching):
    """Cached lexicon loading and head reading from many threads at once give equal scorers."""
    text = (SEEDS / "000_812b28cb18a5bb42.txt").read_text(encoding="utf-8")
    expected = rhetoric.Scorer(model=None).score(text).to_dict()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: rhetoric.Scorer(model=None).score(text).to_dict(), range(16)))
    assert all(r == expected for r in results)


def test_state_media_columns_keep_no_shared_cache(fast_switching):
    """``statemedia.features.columns`` keeps nothing between calls (a shared dict raced when one thread
    cleared it while another read it), and threads get the same columns as a sequential run."""
    from rhetoric.statemedia import features
    assert not any(isinstance(v, dict) for k, v in vars(features).items() if k.startswith("_") and k.isupper())
    names_per_thread = [[f"w{t}:{i % 97}" for i in range(400)] for t in range(6)]
    expected = [features.columns(names, 12).tolist() for names in names_per_thread]
    assert expected[0][:97] != expected[1][:97]
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(100):
            got = list(pool.map(lambda names: features.columns(names, 12).tolist(), names_per_thread))
            assert got == expected


def test_token_hashes_are_per_call(fast_switching):
    from rhetoric.learn.hashing import token_hashes
    docs = [[f"t{d}w{i % 50}" for i in range(300)] for d in range(8)]

    def run(words: list[str]) -> np.ndarray:
        text = " ".join(words)
        starts, pos = [], 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        ends = [s + len(w) for s, w in zip(starts, words)]
        th = token_hashes(text, words, starts, ends)
        return np.concatenate([th.h, th.suf, th.shp])

    expected = [run(d) for d in docs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            for got, want in zip(pool.map(run, docs), expected):
                np.testing.assert_array_equal(got, want)


def test_the_attribution_word_memo_is_one_per_thread():
    """The only memo a Scorer fills while scoring is per thread: threads share nothing that changes."""
    import pickle

    from rhetoric.sourcing.dimension import SourcingDimension

    dim = SourcingDimension()
    mine = dim.words()
    assert dim.words() is mine
    seen = []
    t = threading.Thread(target=lambda: seen.append(dim.words()))
    t.start()
    t.join()
    assert seen and seen[0] is not mine
    assert pickle.loads(pickle.dumps(dim)).words() is not mine


def test_threads_reading_one_report_first_time_see_the_same(fast_switching):
    """A report's objects and columns are made on first use; threads reading it at once agree."""
    import pickle

    from rhetoric.report.types import compact_state, from_compact_state

    scorer = rhetoric.Scorer(model=None)
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    expected = scorer.score(text).to_json()
    for _ in range(5):
        sent = from_compact_state(pickle.loads(pickle.dumps(compact_state(scorer.score(text)))), text)
        with ThreadPoolExecutor(8) as pool:
            outs = list(pool.map(lambda k: sent.to_json() if k % 2 else pickle.loads(pickle.dumps(sent)).to_json(),
                                 range(16)))
        assert set(outs) == {expected}
