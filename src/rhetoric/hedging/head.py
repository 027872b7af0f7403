"""The "hedging" head of the model file: the cue tagger plus the sentence classifier.

Why two parts: cue spans are learnt from the Szeged cue annotation (:mod:`rhetoric.hedging.tagger`),
the sentence call from the CoNLL-2010 sentence labels, which also count weasels and vague
generalisations Szeged does not mark (:mod:`rhetoric.hedging.sentence`). The sentence model is a
logistic regression whose probabilities are used as they are; ``threshold_`` is the F1-best
threshold on out-of-fold probabilities of a grouped CV (groups = Wikipedia article), chosen in
:meth:`HedgingHead.fit_sentences`. Numpy only at scoring time (``fit`` imports scikit-learn); the
scikit-learn estimator is :class:`rhetoric.hedging.estimator.HedgingHeadEstimator`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.hedging.sentence import DENSE, sentence_rows
from rhetoric.hedging.tagger import HedgeCueTagger

__all__ = ["HedgingHead", "KIND", "best_f1_threshold"]

KIND = "hedging"


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold with the best F1 of the positive class (ties: the highest threshold)."""
    order = np.argsort(-p)
    ys, ps = y[order], p[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys)
    f1 = 2 * tp / (tp + fp + ys.sum())
    k = int(np.argmax(f1))
    return float(ps[k])


class HedgingHead:
    """Hedge cues and the per-sentence hedged call. ``tagger``: a fitted :class:`HedgeCueTagger`."""

    kind = KIND

    def __init__(self, tagger: HedgeCueTagger | None = None, bits: int = 18, C: float = 1.0,
                 n_splits: int = 5) -> None:
        self.tagger = tagger
        self.bits = bits
        self.C = C
        self.n_splits = n_splits

    @property
    def n_columns(self) -> int:
        return (1 << self.bits) + len(DENSE)

    def matrix(self, items: Sequence[tuple[Analysis, np.ndarray, Sequence[int]]], whole: bool = False) -> Any:
        """Sentence rows of several documents stacked: (analysis, token proba, weasel offsets) each.

        ``whole``: one row per document (a labelled CoNLL row the segmenter may split), not per sentence.
        """
        from scipy.sparse import csr_matrix
        rows, cols, vals, offset = [], [], [], 0
        for analysis, proba, weasels in items:
            units = [(0, len(analysis.seg.words))] if whole else None
            r, c, v, n = sentence_rows(analysis, proba, weasels, self.bits, units=units)
            rows.append(r + offset); cols.append(c); vals.append(v)
            offset += n
        return csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(offset, self.n_columns))

    def _lr(self) -> Any:
        from sklearn.linear_model import LogisticRegression
        return LogisticRegression(C=self.C, solver="liblinear", max_iter=500)

    def fit_sentences(self, X: Any, y: np.ndarray, groups: np.ndarray) -> HedgingHead:
        """Fit on a sentence matrix (:meth:`matrix`), threshold from grouped out-of-fold probabilities."""
        from sklearn.model_selection import GroupKFold
        oof = np.zeros(len(y))
        for tr, te in GroupKFold(n_splits=self.n_splits).split(X, y, groups):
            oof[te] = self._lr().fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        lr = self._lr().fit(X, y)
        coef = lr.coef_[0]
        keep = np.flatnonzero(np.abs(coef) > 1e-4)
        keep = np.union1d(keep, np.arange(1 << self.bits, self.n_columns))
        self.__dict__.pop("_dense", None)
        self.support_ = keep.astype(np.int64)
        self.weights_ = coef[keep].astype(np.float16)
        self.intercept_ = float(lr.intercept_[0])
        self.threshold_ = best_f1_threshold(np.asarray(y), oof)
        self.oof_proba_ = oof
        self.classes_ = np.array([0, 1])
        return self

    def fit(self, X: Sequence[Analysis], y: Sequence[Sequence[int]]) -> HedgingHead:
        """Fit the sentence part with the fitted tagger's own output (no cross-fitting, no weasels)."""
        items = [(a, self.tagger.token_proba(a), ()) for a in X]
        labels = np.concatenate([np.asarray(v, dtype=np.int64) for v in y])
        groups = np.concatenate([np.full(len(v), k) for k, v in enumerate(y)])
        X_ = self.matrix(items)
        if X_.shape[0] != len(labels):
            raise ValueError(f"{X_.shape[0]} sentences but {len(labels)} labels")
        return self.fit_sentences(X_, labels, groups)

    def sentence_proba(self, analysis: Analysis, proba: np.ndarray, weasels: Sequence[int] = (),
                       hashes: Any = None) -> np.ndarray:
        """P(hedged) of every sentence of the document (``hashes``: the shared pass's token hashes)."""
        r, c, v, n = sentence_rows(analysis, proba, weasels, self.bits, hashes)
        w = np.take(self._lookup(), c)
        z = np.full(n, self.intercept_)
        np.add.at(z, r, w * v)
        return 1.0 / (1.0 + np.exp(-z))

    def _lookup(self) -> np.ndarray:
        """float64 weight of every column (zero off the support), built once per loaded head: one
        gather per entry instead of a binary search in the support."""
        cached = self.__dict__.get("_dense")
        if cached is None or cached[0] is not self.weights_:
            dense = np.zeros(self.n_columns, dtype=np.float64)
            dense[self.support_] = self.weights_.astype(np.float64)
            dense.flags.writeable = False
            cached = self.__dict__["_dense"] = (self.weights_, dense)
        return cached[1]

    def predict_proba(self, X: Sequence[Analysis]) -> list[np.ndarray]:
        return [self.sentence_proba(a, self.tagger.token_proba(a)) for a in X]

    def predict(self, X: Sequence[Analysis]) -> list[np.ndarray]:
        return [p >= self.threshold_ for p in self.predict_proba(X)]

    # -- model file -----------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        tmeta, tarrays = self.tagger.to_parts()
        meta = {"kind": KIND, "bits": self.bits, "C": self.C, "n_splits": self.n_splits,
                "intercept_": self.intercept_, "threshold_": self.threshold_, "dense": list(DENSE), "tagger": tmeta}
        arrays = {"support": self.support_.astype(np.int32), "weights": self.weights_}  # bits <= 31
        arrays.update({"tagger_" + k: v for k, v in tarrays.items()})
        return meta, arrays

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> HedgingHead:
        if list(meta.get("dense", ())) != list(DENSE):
            raise ValueError("hedging head: dense feature columns differ from this version's")
        tagger = HedgeCueTagger.from_parts(meta["tagger"], {k[7:]: v for k, v in arrays.items()
                                                             if k.startswith("tagger_")})
        self = cls(tagger=tagger, bits=int(meta["bits"]), C=float(meta["C"]), n_splits=int(meta["n_splits"]))
        self.support_ = np.asarray(arrays["support"], dtype=np.int64)
        self.weights_ = np.asarray(arrays["weights"], dtype=np.float16)
        self.intercept_ = float(meta["intercept_"])
        self.threshold_ = float(meta["threshold_"])
        self.classes_ = np.array([0, 1])
        return self
