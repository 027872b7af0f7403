"""The state-media head as a scikit-learn estimator: ``fit`` with grouped out-of-fold calibration.

:class:`StateMediaEstimator` adds ``fit`` to :class:`~rhetoric.statemedia.head.StateMediaHead`
(which scores with numpy alone and is what the model file reads back). See the head's docstring
for the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from rhetoric.statemedia.features import hash_rows
from rhetoric.statemedia.head import StateMediaHead

__all__ = ["StateMediaEstimator"]


def _weighted_logistic(X: Any, y: np.ndarray, w: np.ndarray, C: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, solver="liblinear", max_iter=2000).fit(X, y, sample_weight=w)


def _balanced_threshold(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> float:
    """The cut with the best weighted TPR - FPR (Youden's J): the blocks are weighted, so headlines,
    far more numerous, do not set the threshold for articles alone."""
    from sklearn.metrics import roc_curve
    fpr, tpr, cuts = roc_curve(y, p, sample_weight=w)
    k = int(np.argmax(tpr - fpr))
    return float(min(cuts[k], 1.0))


class StateMediaEstimator(ClassifierMixin, BaseEstimator, StateMediaHead):
    """Sentence classifier "written in the register of state media", with a document call.

    ``X`` is a sequence of sentence feature counters (:func:`~rhetoric.statemedia.features.
    document_sentence_features`); ``fit`` also takes ``groups`` (document id per sentence),
    ``sample_weight`` and ``lexicon`` (``log1p`` of the document's state-media lexicon density, per
    sentence) for the document calibration.
    """

    def __init__(self, bits: int = 18, C: float = 1.0, n_splits: int = 3, mask_names: bool = True) -> None:
        StateMediaHead.__init__(self, bits=bits, C=C, n_splits=n_splits, mask_names=mask_names)

    get_params = BaseEstimator.get_params
    set_params = BaseEstimator.set_params

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    # -- training ---------------------------------------------------------------------------
    def fit(self, X: Sequence[Counter[str]], y: Sequence[int], sample_weight: Any = None, groups: Any = None,
            lexicon: Any = None) -> StateMediaHead:
        from sklearn.model_selection import GroupKFold
        y = np.asarray(y, dtype=int)
        n = len(y)
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        w = w * (n / w.sum())
        groups = np.arange(n) if groups is None else np.asarray(groups)
        lexicon = np.zeros(n) if lexicon is None else np.asarray(lexicon, dtype=np.float64)
        M = hash_rows(X, self.bits)
        oof = np.zeros(n)
        for tr, te in GroupKFold(n_splits=self.n_splits).split(M, y, groups):
            oof[te] = _weighted_logistic(M[tr], y[tr], w[tr], self.C).decision_function(M[te])
        cal = _weighted_logistic(oof.reshape(-1, 1), y, w, 1e4)
        self.sentence_a_, self.sentence_c_ = float(cal.coef_[0, 0]), float(cal.intercept_[0])
        D, dy, dw = self._document_table(oof, y, w, groups, lexicon)
        doc = _weighted_logistic(D, dy, dw, 1e4)
        self.document_w_ = [float(v) for v in doc.coef_[0]]
        self.document_b_ = float(doc.intercept_[0])
        self.threshold_ = _balanced_threshold(dy, doc.predict_proba(D)[:, 1], dw)
        model = _weighted_logistic(M, y, w, self.C)
        coef = model.coef_[0]
        self.support_ = np.flatnonzero(np.abs(coef) > 1e-4).astype(np.int64)
        self.weights_ = coef[self.support_].astype(np.float16)
        self.intercept_ = float(model.intercept_[0])
        self.classes_ = np.array([0, 1])
        self.oof_documents_ = (dy, doc.predict_proba(D)[:, 1])
        self._dense()
        return self

    @staticmethod
    def _document_table(z: np.ndarray, y: np.ndarray, w: np.ndarray, groups: np.ndarray, lexicon: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        _, inverse = np.unique(groups, return_inverse=True)
        k = inverse.max() + 1
        count = np.bincount(inverse, minlength=k)
        mean_z = np.bincount(inverse, weights=z, minlength=k) / count
        lex = np.bincount(inverse, weights=lexicon, minlength=k) / count
        dy = (np.bincount(inverse, weights=y, minlength=k) / count > 0.5).astype(int)
        dw = np.bincount(inverse, weights=w, minlength=k)
        return np.column_stack([mean_z, lex]), dy, dw * (k / dw.sum())

