"""The trained hedging head: cue tagger, sentence head, model-file round trip, and the dimension with it."""

from __future__ import annotations

import numpy as np
import pytest

from rhetoric.analysis import Analyzer
from rhetoric.hedging.dimension import TAGGER_RULE, HedgingDimension
from rhetoric.hedging.estimator import HedgeCueTaggerEstimator, HedgingHeadEstimator
from rhetoric.hedging.head import HedgingHead, best_f1_threshold

CERTAIN = ["The bridge opened in {}.", "The council met on Monday in {}.", "Its population was {} in 2010.",
           "The club was founded in {}."]
HEDGED = ["The bridge may open in {}.", "The council might meet again in {}.", "It is possible that it closed in {}.",
          "If the vote passes, it will open in {}."]


def _corpus():
    analyzer = Analyzer()
    docs, cues, labels = [], [], []
    for year in range(1990, 2010):
        lines = [t.format(year) for t in CERTAIN + HEDGED]
        text = "\n".join(lines)
        spans, offset = [], 0
        for line in lines:
            for word, kind in (("may", "probable"), ("might", "probable"), ("possible", "probable"), ("If", "condition")):
                k = line.find(word + " ")
                if k >= 0:
                    spans.append((offset + k, offset + k + len(word), kind))
            offset += len(line) + 1
        docs.append(analyzer.analyze(text))
        cues.append(spans)
        labels.append([0] * len(CERTAIN) + [1] * len(HEDGED))
    return analyzer, docs, cues, labels


@pytest.fixture(scope="module")
def fitted():
    analyzer, docs, cues, labels = _corpus()
    tagger = HedgeCueTaggerEstimator(bits=16, C=5.0, threshold=0.5).fit(docs, cues)
    head = HedgingHeadEstimator(tagger=tagger, bits=14, n_splits=3).fit(docs, labels)
    return analyzer, tagger, head


def test_tagger_finds_the_cues_it_was_taught(fitted):
    analyzer, tagger, _ = fitted
    a = analyzer.analyze("The tunnel may open in 2011.")
    spans = tagger.cue_spans(a)
    assert [(a.text[s.start:s.end], s.type) for s in spans] == [("may", "probable")]
    assert tagger.cue_spans(analyzer.analyze("The tunnel opened in 2011.")) == []


def test_tagger_and_head_round_trip_through_parts(fitted):
    analyzer, tagger, head = fitted
    meta, arrays = head.to_parts()
    assert all(isinstance(v, np.ndarray) and v.dtype != object for v in arrays.values())
    back = HedgingHead.from_parts(meta, arrays)
    a = analyzer.analyze("The tunnel may open in 2011. It opened in 2012.")
    assert np.allclose(back.tagger.token_proba(a), tagger.token_proba(a), atol=1e-6)
    p = tagger.token_proba(a)
    assert np.allclose(back.sentence_proba(a, p), head.sentence_proba(a, p), atol=1e-6)
    assert back.threshold_ == head.threshold_


def test_head_round_trips_through_the_model_file(fitted, tmp_path):
    from rhetoric.learn.modelfile import load_bundle, save_bundle
    _, _, head = fitted
    path = save_bundle(tmp_path / "m.rhetoric-model", {"hedging": head})
    back = load_bundle(path).get("hedging")
    assert isinstance(back, HedgingHead) and back.threshold_ == head.threshold_


def test_dimension_with_the_head_marks_hedged_sentences(fitted):
    analyzer, _, head = fitted
    a = analyzer.analyze("The bridge may open in 2011. The bridge opened in 2012.")
    e = HedgingDimension(head).apply(a)
    assert e.sentence_fields["is_hedged"] == [True, False]
    tagged = [s for s in e.spans if s.rule == TAGGER_RULE]
    assert [s.text for s in tagged] == ["may"] and tagged[0].label == "epistemic"
    assert tagged[0].scope is not None
    assert e.meta["hedging_threshold"] == head.threshold_


def test_dimension_without_a_head_leaves_is_hedged_unset():
    a = Analyzer().analyze("The tunnel may open in 2011.")
    assert "is_hedged" not in HedgingDimension(None).apply(a).sentence_fields


def test_month_may_is_dropped_from_tagger_output(fitted):
    analyzer, _, head = fitted
    a = analyzer.analyze("The tunnel opened in May 2011 and Theresa May came.")
    assert not [s for s in HedgingDimension(head).apply(a).spans if s.category == "hedge" and "May" in s.text]


def test_estimators_follow_the_sklearn_parameter_contract(fitted):
    from sklearn.base import clone
    _, tagger, head = fitted
    assert clone(tagger).get_params() == tagger.get_params()
    assert clone(head).get_params()["bits"] == 14
    assert not hasattr(clone(tagger), "support_")


def test_scoring_path_does_not_import_sklearn():
    import subprocess
    import sys
    code = ("import sys; import rhetoric.hedging.dimension, rhetoric.hedging.head; "
            "print(sorted(m for m in sys.modules if m.startswith('sklearn')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_best_f1_threshold():
    y = np.array([0, 0, 1, 1, 0])
    p = np.array([0.1, 0.2, 0.8, 0.7, 0.6])
    assert best_f1_threshold(y, p) == pytest.approx(0.7)


def _shipped_head():
    from rhetoric.learn.modelfile import load_bundle
    try:
        return load_bundle().get("hedging")
    except Exception:  # noqa: BLE001 -- no shipped file in this checkout
        return None


@pytest.mark.parametrize("text, expected", [
    ("Elections are due in May 2025.", []),
    ("Theresa May met the envoy on Tuesday.", []),
    ("The commander reportedly fled to the border.", ["reportedly"]),
])
def test_shipped_head_on_news_sentences(text, expected):
    head = _shipped_head()
    if head is None:
        pytest.skip("the shipped model has no 'hedging' head")
    a = Analyzer().analyze(text)
    assert [s.text for s in HedgingDimension(head).apply(a).spans if s.category == "hedge"] == expected


def test_shipped_head_is_hedged_calls():
    head = _shipped_head()
    if head is None:
        pytest.skip("the shipped model has no 'hedging' head")
    # CoNLL-2010 Wikipedia labels (the head's training signal) count weasels far more than a bare "may"
    a = Analyzer().analyze("Some critics argue the film was a failure. The bridge opened in 1990.")
    assert HedgingDimension(head).apply(a).sentence_fields["is_hedged"] == [True, False]


@pytest.mark.parametrize("few_hits", [-1, 32, 10**9])
def test_cue_runs_stay_inside_sentences_and_match_a_token_loop(monkeypatch, few_hits):
    """Runs of adjacent cue tokens, found with array operations (many hits) or by bisection (few), are
    the runs a token-by-token scan finds."""
    from rhetoric.hedging import tagger as tagger_module
    from rhetoric.hedging.tagger import _hit_runs
    monkeypatch.setattr(tagger_module, "_FEW_HITS", few_hits)
    rng = np.random.default_rng(5)
    for _ in range(60):
        n = int(rng.integers(0, 40))
        cuts = sorted(int(x) for x in rng.integers(0, n + 1, size=int(rng.integers(0, 8))))
        ranges = [(a, b) for a, b in zip([0, *cuts], [*cuts, n]) if rng.random() < 0.8]   # gaps between some
        hit = rng.random(n) < 0.4
        expected = []
        for i, j in ranges:
            k = i
            while k < j:
                if not hit[k]:
                    k += 1
                    continue
                e = k
                while e + 1 < j and hit[e + 1]:
                    e += 1
                expected.append((k, e))
                k = e + 1
        assert _hit_runs(hit, ranges) == expected


def _token_proba_column_by_column(tagger, feats):
    """The tagger's probabilities with the 14 core columns added one after another (the definition)."""
    w, table = tagger._lookup()
    z = np.tile(tagger.bias_, (feats.n_tokens, 1))
    idx = np.take(table, feats.core)
    core = np.take(w, idx[:, 0], axis=0)
    for k in range(1, idx.shape[1]):
        core += np.take(w, idx[:, k], axis=0)
    z += core
    if len(feats.lex_rows):
        np.add.at(z, feats.lex_rows, np.take(w, np.take(table, feats.lex_cols), axis=0))
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("chunk", [8192, 3])
def test_token_proba_equals_the_column_by_column_sums(monkeypatch, chunk):
    """Bit for bit, also when the tokens are gathered in several chunks (a long block)."""
    from rhetoric.hedging import tagger as tagger_module
    from rhetoric.hedging.features import token_features
    from rhetoric.learn.modelfile import load_bundle
    monkeypatch.setattr(tagger_module, "_CHUNK", chunk)
    tagger = load_bundle()["hedging"].tagger
    a = Analyzer().analyze("The results may suggest, it is said, that the drug could possibly work.\n"
                           "If so, researchers believe it might be approved; \u201cperhaps\u201d not.")
    feats = token_features(a, tagger.bits)
    got = tagger.token_proba(a, feats)
    assert got.dtype == np.float32 and got.flags.c_contiguous
    assert got.tobytes() == _token_proba_column_by_column(tagger, feats).tobytes()
    assert tagger.token_proba(Analyzer().analyze("")).shape == (0, 5)


def test_lexicon_columns_are_the_same_listed_in_python_or_with_numpy(monkeypatch):
    """A short text's few matches are listed in a loop, a long text's with numpy: the same pairs (and
    the same sentence rows)."""
    from rhetoric.hedging import features as features_module
    from rhetoric.hedging import sentence as sentence_module
    from rhetoric.hedging.features import token_features
    from rhetoric.hedging.sentence import sentence_rows
    analyzer = Analyzer()
    texts = ["It may have been said that it could, reportedly, be about 30.",
             "Officials said the plan is said to have possibly failed, critics argue. " * 6, "", "x"]
    for text in texts:
        a = analyzer.analyze(text)
        got, rows = [], []
        for few in (0, 10**9):
            monkeypatch.setattr(features_module, "_FEW_MATCHES", few)
            monkeypatch.setattr(sentence_module, "_FEW_MATCHES", few)
            got.append(token_features(a, 18))
            rows.append(sentence_rows(a, np.full((len(a.seg.words), 5), 0.2, dtype=np.float32), [0], 18))
        assert [(v.dtype, v.tobytes()) for v in rows[0][:3]] == [(v.dtype, v.tobytes()) for v in rows[1][:3]]
        (x, y) = got
        assert x.core.tobytes() == y.core.tobytes() and x.core.dtype == y.core.dtype == np.int64
        for u, v in ((x.lex_rows, y.lex_rows), (x.lex_cols, y.lex_cols)):
            assert u.dtype == v.dtype == np.int64 and u.tolist() == v.tolist()
