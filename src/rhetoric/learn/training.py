"""Training loops shared by the heads (imports scikit-learn via :mod:`rhetoric.data.metrics`).

:func:`fit_calibrated` is what every calibrated head does: fit on all rows, and get honest
probabilities from an inner cross-validation grouped by article (no article in two folds), whose
out-of-fold decision values give the Platt sigmoid and the F1-best threshold
(:mod:`rhetoric.learn.calibration`). The out-of-fold values are returned too, because a second
stage (the propaganda span tagger) must be trained on decision values its sentences did not
shape.

Propaganda-specific training (corpora, cross-validation, evaluation) is in
:mod:`rhetoric.propaganda.training`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from rhetoric.learn.calibration import apply_platt, best_threshold, platt

__all__ = ["CalibratedFit", "fit_calibrated", "out_of_fold"]


@dataclass(frozen=True)
class CalibratedFit:
    """A fitted estimator, its Platt ``(a, c)``, threshold and the out-of-fold decision values."""

    estimator: Any
    platt: tuple[float, float]
    threshold: float
    oof: np.ndarray


def out_of_fold(X: Any, y: np.ndarray, groups: np.ndarray, fit: Callable[[Any, np.ndarray], Any],
                folds: int, seed: int) -> np.ndarray | None:
    """Decision values of each row from a model fitted without its group (``None``: < 2 groups).

    A training fold holding one class only gives its test rows the neutral value 0.
    """
    from rhetoric.data.metrics import grouped_splits

    k = min(folds, len(np.unique(groups)))
    if k < 2:
        return None
    oof = np.zeros(len(y))
    for a, b in grouped_splits(groups, k, seed):
        if len(np.unique(y[a])) < 2:
            oof[b] = 0.0
            continue
        oof[b] = fit(X[a], y[a]).decision_function(X[b])
    return oof


def fit_calibrated(X: Any, y: np.ndarray, groups: np.ndarray, fit: Callable[[Any, np.ndarray], Any],
                   folds: int, seed: int) -> CalibratedFit:
    """``fit(X, y)`` on all rows, calibrated and thresholded on grouped out-of-fold values.

    With fewer than two groups the in-sample decision values stand in (optimistic, but the only
    values there are).
    """
    y = np.asarray(y, dtype=int)
    oof = out_of_fold(X, y, groups, fit, folds, seed)
    est = fit(X, y)
    if oof is None:
        oof = est.decision_function(X)
    a, c = platt(oof, y)
    return CalibratedFit(est, (a, c), best_threshold(y, apply_platt(oof, a, c)), np.asarray(oof))
