"""Tests of rhetoric.data.metrics with hand-computed values, properties, and the real PTC labels."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rhetoric.data.datasets import DatasetFormatError, LabelledSpan, load_ptc
from rhetoric.data import metrics
from rhetoric.data.metrics import (
    ReliabilityBin,
    assert_no_group_overlap,
    bootstrap_ci,
    brier_score,
    expected_calibration_error,
    grouped_splits,
    merge_spans,
    read_ptc,
    reliability_table,
    sentence_scores,
    si_scores,
    write_ptc,
)

REPO_ROOT = Path(__file__).resolve().parents[1]


def _real_data_home() -> Path | None:
    env = os.environ.get("RHETORIC_DATA")
    for candidate in ([Path(env)] if env else []) + [REPO_ROOT.parent / "shared" / "data"]:
        if (candidate / "ptc-semeval2020").is_dir():
            return candidate
    return None


def scores(predicted, gold):
    return tuple(round(value, 10) for value in si_scores(predicted, gold).values())


# --------------------------------------------------------------------------------------------------
# span identification
# --------------------------------------------------------------------------------------------------


def test_merge_spans_merges_overlap_but_not_touching():
    assert merge_spans([(10, 20), (0, 5), (15, 30), (5, 8), (12, 14)]) == [(0, 5), (5, 8), (10, 30)]
    assert merge_spans([LabelledSpan(3, 6, "Doubt"), (4, 9, "Slogans")]) == [(3, 9)]
    with pytest.raises(ValueError, match="empty span"):
        merge_spans([(4, 4)])


def test_si_single_partial_overlap():
    # |s ∩ t| = 5, |s| = 10, |t| = 10
    assert scores({"a": [(5, 15)]}, {"a": [(0, 10)]}) == (0.5, 0.5, 0.5)


def test_si_several_articles_by_hand():
    gold = {"a": [(0, 10), (20, 30)], "b": [(0, 4)]}
    predicted = {"a": [(0, 5)], "b": [(2, 6), (10, 12)], "c": [(0, 1)]}
    # P = (5/5 + 2/4 + 0 + 0) / 4 = 0.375 ; R = (5/10 + 0 + 2/4) / 3 = 1/3
    precision, recall, f1 = 0.375, 1 / 3, 2 * 0.375 * (1 / 3) / (0.375 + 1 / 3)
    assert si_scores(predicted, gold) == pytest.approx({"precision": precision, "recall": recall, "f1": f1})


def test_si_one_prediction_covering_two_gold_spans():
    # s = [0, 30) meets t1 = [0, 10) and t2 = [20, 30): P = (10 + 10) / 30, R = (10/10 + 10/10) / 2
    assert si_scores({"a": [(0, 30)]}, {"a": [(0, 10), (20, 30)]}) == pytest.approx(
        {"precision": 2 / 3, "recall": 1.0, "f1": 0.8}
    )


def test_si_overlapping_predictions_are_merged_before_scoring():
    # Merged prediction [0, 15): P = 15/15, R = 15/20.  Unmerged it would be P = 1 and R = 20/20.
    assert scores({"a": [(0, 10), (5, 15)]}, {"a": [(0, 20)]}) == (1.0, 0.75, round(2 * 0.75 / 1.75, 10))


def test_si_overlapping_gold_is_merged_too():
    # Gold [0, 10) + [5, 15) (two techniques on one fragment) is one span [0, 15).
    gold = {"a": [LabelledSpan(0, 10, "Loaded_Language"), LabelledSpan(5, 15, "Name_Calling,Labeling")]}
    assert scores({"a": [(0, 15)]}, gold) == (1.0, 1.0, 1.0)


def test_si_spans_only_meet_within_their_article():
    assert scores({"a": [(0, 10)]}, {"b": [(0, 10)]}) == (0.0, 0.0, 0.0)


def test_si_edge_cases():
    assert scores({}, {"a": [(0, 10)]}) == (0.0, 0.0, 0.0)  # no prediction: precision is 0
    assert scores({"a": []}, {"a": [(0, 10)]}) == (0.0, 0.0, 0.0)
    assert scores({"a": [(0, 10)]}, {}) == (0.0, 0.0, 0.0)  # no gold: recall is 0
    assert scores({}, {}) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        si_scores({"a": [(5, 2)]}, {"a": [(0, 10)]})


spans_strategy = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1])), max_size=6
)
articles_strategy = st.dictionaries(st.sampled_from("abc"), spans_strategy, max_size=3)


@settings(max_examples=150, deadline=None)
@given(articles_strategy, articles_strategy)
def test_si_properties(predicted, gold):
    result = si_scores(predicted, gold)
    assert all(0.0 <= value <= 1.0 + 1e-12 for value in result.values())
    # Precision of (S, T) is recall of (T, S).
    swapped = si_scores(gold, predicted)
    assert result["precision"] == pytest.approx(swapped["recall"])
    if any(gold.values()):
        assert si_scores(gold, gold) == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0})


# --------------------------------------------------------------------------------------------------
# sentence scores
# --------------------------------------------------------------------------------------------------


def test_sentence_scores_positive_class():
    # TP = 2, FP = 1, FN = 1
    assert sentence_scores([1, 0, 1, 1, 0], [1, 1, 0, 1, 0]) == pytest.approx(
        {"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3}
    )
    # TP = 1, FP = 0, FN = 2
    assert sentence_scores([1, 1, 1, 0], [1, 0, 0, 0]) == pytest.approx(
        {"precision": 1, "recall": 1 / 3, "f1": 0.5}
    )
    assert sentence_scores([1, 0], [0, 0]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


# --------------------------------------------------------------------------------------------------
# grouped splits
# --------------------------------------------------------------------------------------------------


GROUPS = [f"art{i // 7}" for i in range(7 * 23)] + ["tiny"]


def test_grouped_splits_keep_groups_together_and_cover_everything():
    splits = grouped_splits(GROUPS, n_splits=5, seed=0)
    assert len(splits) == 5
    assert_no_group_overlap(splits, GROUPS)
    tested = np.concatenate([test for _, test in splits])
    assert sorted(tested) == list(range(len(GROUPS)))
    for train, test in splits:
        assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == len(GROUPS)
    sizes = [len(test) for _, test in splits]
    assert max(sizes) - min(sizes) <= 7  # balanced to within one group


def test_grouped_splits_seeded():
    def folds(seed):
        return [tuple(test) for _, test in grouped_splits(GROUPS, 5, seed)]

    assert folds(0) == folds(0)
    assert folds(0) != folds(1)


def test_grouped_splits_stratified():
    y = [int(g in {"art1", "art2", "art3", "art4", "art5"}) for g in GROUPS]
    splits = grouped_splits(GROUPS, n_splits=5, seed=3, y=y)
    assert_no_group_overlap(splits, GROUPS)
    assert all(sum(y[i] for i in test) > 0 for _, test in splits)  # each fold has positives


def test_grouped_splits_errors():
    with pytest.raises(ValueError, match="3 groups"):
        grouped_splits(["a", "b", "c", "a"], n_splits=5)
    with pytest.raises(ValueError, match="at least 2"):
        grouped_splits(["a", "b"], n_splits=1)


def test_assert_no_group_overlap_detects_leak():
    groups = ["a", "a", "b", "b"]
    assert_no_group_overlap([([0, 1], [2, 3])], groups)
    with pytest.raises(AssertionError, match=r"fold 1: 1 group\(s\) in both train and test, e.g. b"):
        assert_no_group_overlap([([0, 1], [2, 3]), ([0, 1, 2], [3])], groups)


# --------------------------------------------------------------------------------------------------
# calibration
# --------------------------------------------------------------------------------------------------


def test_brier_score_by_hand():
    assert brier_score([1, 0], [0.8, 0.3]) == pytest.approx((0.2**2 + 0.3**2) / 2)
    assert brier_score([1, 0, 1], [1.0, 0.0, 1.0]) == 0.0
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        brier_score([1], [1.2])
    with pytest.raises(ValueError, match="only 0 and 1"):
        brier_score([2], [0.5])
    with pytest.raises(ValueError, match="items"):
        brier_score([1, 0], [0.5])


def test_reliability_table_by_hand():
    table = reliability_table([0, 1, 1, 0], [0.05, 0.15, 0.95, 1.0], n_bins=10)
    assert len(table) == 10 and table[0] == ReliabilityBin(0.0, 0.1, 1, 0.05, 0.0)
    assert (
        table[1].count == 1
        and table[1].mean_predicted == pytest.approx(0.15)
        and table[1].fraction_positive == 1
    )
    last = table[-1]
    assert (last.count, last.fraction_positive) == (2, 0.5) and last.mean_predicted == pytest.approx(0.975)
    assert table[5].count == 0 and math.isnan(table[5].mean_predicted)
    # ECE = (1 * 0.05 + 1 * 0.85 + 2 * 0.475) / 4
    assert expected_calibration_error([0, 1, 1, 0], [0.05, 0.15, 0.95, 1.0]) == pytest.approx(0.4625)


def test_calibration_agrees_with_scikit_learn():
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    rng = np.random.default_rng(0)
    p = rng.uniform(size=500)
    y = (rng.uniform(size=500) < p ** 1.5).astype(int)
    assert brier_score(y, p) == pytest.approx(brier_score_loss(y, p))
    table = reliability_table(y, p, n_bins=10)
    fraction, mean = calibration_curve(y, p, n_bins=10)  # no probability here lies on a bin edge
    filled = [row for row in table if row.count]
    assert np.allclose([r.fraction_positive for r in filled], fraction)
    assert np.allclose([r.mean_predicted for r in filled], mean)


def test_reliability_bins_are_half_open():
    """[lower, upper): 0.5 is in the 0.5-0.6 bin (calibration_curve would put it in 0.4-0.5)."""
    table = reliability_table([1, 0], [0.5, 0.0], n_bins=10)
    assert table[5].count == 1 and table[4].count == 0 and table[0].count == 1


# --------------------------------------------------------------------------------------------------
# bootstrap intervals
# --------------------------------------------------------------------------------------------------


def test_bootstrap_ci_is_scipy_paired_percentile():
    from scipy.stats import bootstrap

    x = np.random.default_rng(1).exponential(size=150)
    ours = bootstrap_ci(np.mean, x, n_resamples=500, random_state=7)
    theirs = bootstrap((x,), np.mean, n_resamples=500, paired=True, method="percentile",
                       rng=np.random.default_rng(7)).confidence_interval
    assert ours == (float(theirs.low), float(theirs.high))
    assert ours == bootstrap_ci(np.mean, x, n_resamples=500, random_state=7)  # seeded
    assert ours != bootstrap_ci(np.mean, x, n_resamples=500, random_state=8)


def test_bootstrap_ci_width_matches_the_normal_approximation():
    x = np.random.default_rng(2).normal(size=2000)
    low, high = bootstrap_ci(np.mean, x, n_resamples=2000)
    expected = 2 * 1.96 * x.std(ddof=1) / math.sqrt(x.size)
    assert low < x.mean() < high and (high - low) == pytest.approx(expected, rel=0.15)
    narrow = bootstrap_ci(np.mean, x, n_resamples=2000, confidence=0.5)
    assert narrow[1] - narrow[0] < (high - low) / 2


def test_bootstrap_ci_keeps_units_together():
    """Paired: every array is indexed by the same draw, so a ratio of a unit's own numbers stays 1."""
    rng = np.random.default_rng(3)
    hits = rng.integers(1, 20, size=60)
    assert bootstrap_ci(lambda a, b: a.sum() / b.sum(), hits, hits) == (1.0, 1.0)
    items = hits + rng.integers(0, 20, size=60)
    low, high = bootstrap_ci(lambda a, b: a.sum() / b.sum(), hits, items)
    assert low < hits.sum() / items.sum() < high


def test_bootstrap_ci_rows_of_a_matrix_are_units():
    """A (documents, counts) matrix resamples whole rows: the same draws as its columns passed apart."""
    counts = np.random.default_rng(5).integers(0, 10, size=(80, 2))
    as_rows = bootstrap_ci(lambda m: m[:, 0].sum() / (m.sum() + 1), counts)
    as_columns = bootstrap_ci(lambda a, b: a.sum() / (a.sum() + b.sum() + 1), counts[:, 0], counts[:, 1])
    assert as_rows == pytest.approx(as_columns)


def test_bootstrap_ci_resamples_documents_of_spans():
    """Units may be any objects: here each document's predicted and gold spans, scored with si_scores."""
    rng = np.random.default_rng(4)
    gold, predicted = [], []
    for _ in range(40):
        start = int(rng.integers(0, 50))
        gold.append([(start, start + 10)])
        shift = int(rng.integers(-8, 9))
        predicted.append([(start + shift, start + shift + 10)] if rng.uniform() < 0.8 else [])
    gold[0] = [(0, 5), (7, 9)]  # ragged: documents differ in their number of spans

    def f1(pred, true):
        return si_scores(dict(enumerate(pred)), dict(enumerate(true)))["f1"]

    point = f1(predicted, gold)
    low, high = bootstrap_ci(f1, predicted, gold, n_resamples=300)
    assert 0 <= low < point < high <= 1


def test_bootstrap_ci_edge_cases():
    assert bootstrap_ci(np.mean, [0.3]) == (0.3, 0.3)  # one unit: nothing to resample
    with pytest.raises(ValueError, match="no units"):
        bootstrap_ci(np.mean, [])
    with pytest.raises(ValueError, match="aligned by unit"):
        bootstrap_ci(lambda a, b: 0.0, [1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="at least one array"):
        bootstrap_ci(np.mean)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_ci(np.mean, [1, 2], confidence=95)


def test_metrics_module_keeps_its_public_names():
    before = {"ReliabilityBin", "assert_no_group_overlap", "attribution_scores", "brier_score",
              "expected_calibration_error", "grouped_splits", "hedge_scores", "merge_spans", "read_ptc",
              "reliability_table", "sentence_scores", "si_scores", "write_ptc"}
    assert before | {"bootstrap_ci", "prf"} <= set(metrics.__all__)
    assert all(callable(getattr(metrics, name)) for name in metrics.__all__ if name != "SpanLike")


# --------------------------------------------------------------------------------------------------
# PTC interchange format
# --------------------------------------------------------------------------------------------------


def test_write_read_ptc_round_trip(tmp_path):
    tc = {"111": [LabelledSpan(3, 9, "Doubt"), (12, 20, "Name_Calling,Labeling")], "222": []}
    write_ptc(tmp_path / "tc.txt", tc)
    assert (tmp_path / "tc.txt").read_text() == "111\tDoubt\t3\t9\n111\tName_Calling,Labeling\t12\t20\n"
    assert read_ptc(tmp_path / "tc.txt") == {
        "111": [LabelledSpan(3, 9, "Doubt"), LabelledSpan(12, 20, "Name_Calling,Labeling")]
    }
    write_ptc(tmp_path / "si.txt", {"7": [(0, 4)], "8": [LabelledSpan(1, 2)]})
    assert (tmp_path / "si.txt").read_text() == "7\t0\t4\n8\t1\t2\n"
    assert read_ptc(tmp_path / "si.txt") == {"7": [LabelledSpan(0, 4)], "8": [LabelledSpan(1, 2)]}


def test_write_ptc_refuses_mixed_formats(tmp_path):
    with pytest.raises(ValueError, match="mix"):
        write_ptc(tmp_path / "x.txt", {"1": [(0, 4), (5, 9, "Doubt")]})


def test_read_ptc_errors_and_directory(tmp_path):
    path = tmp_path / "bad.labels"
    path.write_text("1\tDoubt\t0\t4\n1\tDoubt\tfour\t8\n")
    with pytest.raises(DatasetFormatError) as error:
        read_ptc(path)
    assert str(error.value).startswith(f"{path}:2: ")
    path.write_text("1\tDoubt\t0\t4\n")
    (tmp_path / "b.labels").write_text("2\t5\t9\n")
    assert read_ptc(tmp_path) == {"2": [LabelledSpan(5, 9)], "1": [LabelledSpan(0, 4, "Doubt")]}
    with pytest.raises(FileNotFoundError):
        read_ptc(tmp_path / "missing.txt")


# --------------------------------------------------------------------------------------------------
# real data: the SI gold is the merged TC gold
# --------------------------------------------------------------------------------------------------

DATA_HOME = _real_data_home()


@pytest.mark.shared_data
@pytest.mark.skipif(
    DATA_HOME is None,
    reason="development corpora not found: set RHETORIC_DATA or place them at ../shared/data",
)
@pytest.mark.parametrize(
    ("subset", "folder", "n_si_spans"),
    [
        ("train", "train-labels-task1-span-identification", 4439),
        ("dev", "dev-labels-task1-span-identification", 782),
    ],
)
def test_real_si_gold_equals_merged_tc_gold(subset, folder, n_si_spans):
    corpus = load_ptc(subset, data_home=DATA_HOME)
    si_gold = read_ptc(DATA_HOME / "ptc-semeval2020" / folder)
    assert sum(len(spans) for spans in si_gold.values()) == n_si_spans
    assert si_scores(corpus.spans_by_article(), si_gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    groups = corpus.groups()
    assert_no_group_overlap(grouped_splits(groups, n_splits=5, seed=0, y=corpus.labels), groups)
