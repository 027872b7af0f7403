"""Calibration of predicted probabilities: Brier score, reliability table, expected calibration error.

A model's probabilities are read as rates ("30 % of such sentences are propaganda"), so they are
checked against outcomes, not only ranked. The Brier score is scikit-learn's; the reliability table
keeps its own binning because its bins are half-open ``[lower, upper)``, whereas
``sklearn.calibration.calibration_curve`` puts a probability on an inner edge into the bin below,
and because it keeps empty bins so that tables of different models line up row by row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import brier_score_loss

__all__ = ["ReliabilityBin", "brier_score", "expected_calibration_error", "reliability_table"]


def _check_binary(y_true: Sequence[int], proba: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=float).ravel()
    p = np.asarray(proba, dtype=float).ravel()
    if y.shape != p.shape:
        raise ValueError(f"y_true has {y.size} items but proba has {p.size}")
    if y.size == 0:
        raise ValueError("no items to score")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must contain only 0 and 1")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("proba must be probabilities in [0, 1]")
    return y, p


def brier_score(y_true: Sequence[int], proba: Sequence[float]) -> float:
    """Mean squared difference between the predicted probability of class 1 and the 0/1 outcome."""
    y, p = _check_binary(y_true, proba)
    return float(brier_score_loss(y, p, pos_label=1))


@dataclass(frozen=True)
class ReliabilityBin:
    """One row of a reliability table: items whose probability falls in ``[lower, upper)``.

    ``mean_predicted`` and ``fraction_positive`` are NaN for an empty bin.  The last bin also
    holds probability 1.0.
    """

    lower: float
    upper: float
    count: int
    mean_predicted: float
    fraction_positive: float


def reliability_table(
    y_true: Sequence[int], proba: Sequence[float], n_bins: int = 10
) -> list[ReliabilityBin]:
    """Bin predictions into ``n_bins`` equal-width probability bins and compare with outcomes.

    A calibrated model has ``fraction_positive ≈ mean_predicted`` in every bin.  Empty bins are
    kept so that tables of different models line up; ``pandas.DataFrame(table)`` gives a frame.
    """
    if n_bins < 1:
        raise ValueError(f"n_bins must be positive, got {n_bins}")
    y, p = _check_binary(y_true, proba)
    bin_of = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = []
    for k in range(n_bins):
        members = bin_of == k
        count = int(members.sum())
        table.append(
            ReliabilityBin(
                lower=k / n_bins,
                upper=(k + 1) / n_bins,
                count=count,
                mean_predicted=float(p[members].mean()) if count else math.nan,
                fraction_positive=float(y[members].mean()) if count else math.nan,
            )
        )
    return table


def expected_calibration_error(y_true: Sequence[int], proba: Sequence[float], n_bins: int = 10) -> float:
    """Count-weighted mean of ``|fraction_positive - mean_predicted|`` over the reliability bins."""
    table = reliability_table(y_true, proba, n_bins)
    total = sum(row.count for row in table)
    return float(
        sum(row.count * abs(row.fraction_positive - row.mean_predicted) for row in table if row.count) / total
    )
