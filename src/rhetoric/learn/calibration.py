"""Calibration and decision thresholds of a head, through scikit-learn (imported on use).

* :func:`platt` -- Platt scaling ``p = sigmoid(a * z + c)`` fitted on out-of-fold decision values
  ``z`` of a grouped inner CV (:func:`rhetoric.learn.training.out_of_fold`).
  ``sklearn.calibration.CalibratedClassifierCV`` cannot be used here: it refits its own
  estimator per fold from ``X`` and takes no pre-computed out-of-fold decision values, while the
  heads need the *grouped* OOF values (sentences of one article in one fold) that the same
  training run also feeds to the span tagger. So the sigmoid is a ``LogisticRegression`` on the
  OOF values, unpenalised (``C=inf``, lbfgs): on 2,000 noisy scores it gives the same ``(a, c)``
  as the former hand-written Newton loop to 1e-11.
* :func:`best_threshold` -- the F1-best probability cut from ``sklearn.metrics.precision_recall_curve``,
  placed midway between the chosen score and the next lower one (so a new sentence scoring like
  the last positive one is still positive); among cuts with equal F1 the highest wins.
  ``TunedThresholdClassifierCV`` does not fit for the same reason as above (it refits per fold).
* :func:`sigmoid`, :func:`apply_platt` -- numpy only, used at scoring time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["apply_platt", "best_threshold", "platt", "sigmoid"]


def sigmoid(z: Any) -> np.ndarray:
    # maximum/minimum: the values (and dtype) of np.clip(z, -500, 500), without its Python-level wrapper
    return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(z, -500), 500)))


def apply_platt(z: Any, a: Any, c: Any) -> np.ndarray:
    """Calibrated probability ``sigmoid(a * z + c)`` (broadcasts over heads)."""
    return sigmoid(a * z + c)


def platt(scores: Any, y: Any) -> tuple[float, float]:
    """``(a, c)`` of the unpenalised logistic regression of ``y`` (0/1) on the decision values."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    s = np.asarray(scores, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=int).ravel()
    if len(np.unique(y)) < 2:
        raise ValueError("Platt scaling needs both classes")
    with warnings.catch_warnings():
        # separable OOF values (tiny or synthetic training sets) have no finite optimum; the
        # steep sigmoid lbfgs stops at is what we want then
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-10, max_iter=1000).fit(s, y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def best_threshold(y: Any, p: Any) -> float:
    """F1-maximising probability threshold (predict positive when ``p >= threshold``)."""
    from sklearn.metrics import precision_recall_curve

    y = np.asarray(y, dtype=int).ravel()
    p = np.asarray(p, dtype=np.float64).ravel()
    prec, rec, thr = precision_recall_curve(y, p)
    prec, rec = prec[:-1], rec[:-1]
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-300), 0.0)
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    i = int(best[-1])                                   # thresholds ascend: the highest equal cut
    return float((thr[i] + thr[i - 1]) / 2) if i > 0 else float(thr[i])
