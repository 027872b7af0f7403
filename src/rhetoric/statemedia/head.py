"""The trained state-media head: a calibrated probability per sentence and per document.

Scoring is numpy only (importing scikit-learn costs more than a whole ``score`` call); the
estimator with ``fit`` is :class:`rhetoric.statemedia.estimator.StateMediaEstimator`.

A sentence is read through :mod:`rhetoric.statemedia.features` (register n-grams with names and
places masked, state-media lexicon labels, sourcing kinds); a hashed logistic regression gives its
decision value ``z``. Calibration and the document call come from out-of-fold values of a grouped
inner CV (all sentences of a document in one fold):

* sentence probability ``sigmoid(a * z + c)`` (Platt scaling, weighted as in training);
* document probability ``sigmoid(w0 * mean(z) + w1 * log1p(lexicon density) + b)``: the register
  of the whole text combined with the lexicon evidence, so the score is graded even where no
  set phrase occurs; the threshold is the F1-best cut on the out-of-fold document probabilities.

Training data are documents of different kinds (articles, headlines); every (kind, label) block
gets the same total weight and every document within it the same weight, so the head cannot win
by telling headlines from articles. ``scripts/train_state_media.py`` trains and evaluates it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.learn.calibration import sigmoid
from rhetoric.learn.linear import unique_counts
from rhetoric.statemedia.features import columns, entry_values, hash_rows

__all__ = ["KIND", "StateMediaHead"]

KIND = "state_media_register"


def _explains(name: str) -> bool:
    return name.startswith(("lex:", "attr:")) or any(map(str.isalpha, name.replace("<cap>", "").replace(
        "<num>", "").replace("<s>", "").replace("</s>", "")))


class StateMediaHead:
    """Sentence probabilities and the document call of a trained state-media head (numpy only).

    ``X`` is a sequence of sentence feature counters (:func:`~rhetoric.statemedia.features.
    document_sentence_features`); scoring uses :meth:`score_entries` on the flat features.
    """

    kind = KIND

    def __init__(self, bits: int = 18, C: float = 1.0, n_splits: int = 3, mask_names: bool = True) -> None:
        self.bits = bits
        self.C = C
        self.n_splits = n_splits
        self.mask_names = mask_names

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"bits": self.bits, "C": self.C, "n_splits": self.n_splits, "mask_names": self.mask_names}

    def set_params(self, **params: Any) -> StateMediaHead:
        for k, v in params.items():
            if k not in self.get_params():
                raise ValueError(f"unknown parameter {k!r}")
            setattr(self, k, v)
        return self

    def _dense(self) -> None:
        coef = np.zeros(1 << self.bits, dtype=np.float32)
        coef[self.support_] = self.weights_.astype(np.float32)
        self.coef_ = coef

    # -- scoring ----------------------------------------------------------------------------
    def decision_function(self, X: Sequence[Counter[str]]) -> np.ndarray:
        if not len(X):
            return np.zeros(0)
        return np.asarray(hash_rows(X, self.bits) @ self.coef_, dtype=np.float64) + self.intercept_

    def predict_proba(self, X: Sequence[Counter[str]]) -> np.ndarray:
        p = self.sentence_probability(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[Counter[str]]) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def sentence_probability(self, z: np.ndarray) -> np.ndarray:
        return sigmoid(self.sentence_a_ * np.asarray(z, dtype=np.float64) + self.sentence_c_)

    def document_probability(self, z: np.ndarray, lexicon: float) -> float:
        """Document probability from its sentences' decision values and ``log1p`` lexicon density."""
        mean_z = float(z.mean()) if len(z) else self.intercept_
        return float(sigmoid(self.document_w_[0] * mean_z + self.document_w_[1] * lexicon + self.document_b_))

    def score_document(self, rows: Sequence[Counter[str]], lexicon: float, k: int = 8
                       ) -> tuple[np.ndarray, float, list[tuple[str, float]]]:
        """Decision values, document probability and the ``k`` features that raise its log-odds most."""
        row = np.asarray([i for i, r in enumerate(rows) for _ in r.elements()], dtype=np.int64)
        names = [n for r in rows for n in r.elements()]
        return self.score_entries(len(rows), row, names, lexicon, k)

    def score_entries(self, n_rows: int, row: np.ndarray, names: Sequence[str], lexicon: float, k: int = 8
                      ) -> tuple[np.ndarray, float, list[tuple[str, float]]]:
        """:meth:`score_document` on the flat occurrences of :func:`~rhetoric.statemedia.features.
        document_entries` (the scoring path: no per-sentence counters)."""
        if not n_rows:
            return np.zeros(0), self.document_probability(np.zeros(0), lexicon), []
        col = columns(names, self.bits)
        r, c, value, _ = entry_values(row, col, self.bits, inverse=False)
        contrib = value * self.coef_[c]
        z = np.bincount(r, weights=contrib, minlength=n_rows) + self.intercept_
        # per feature: its entries' contributions, named by the first occurrence of its column
        cols, first, _ = unique_counts(col, first=True)
        per_col = np.bincount(np.searchsorted(cols, c), weights=contrib) * (self.document_w_[0] / n_rows)
        order = np.argsort(-per_col)[:4 * k]
        top: list[tuple[str, float]] = []
        for value, at in zip(per_col[order].tolist(), first[order].tolist()):
            if value <= 0 or len(top) == k:
                break
            name = names[at]
            if _explains(name):
                top.append((name, round(value, 4)))
        return z, self.document_probability(z, lexicon), top

    def contributions(self, rows: Sequence[Counter[str]], k: int = 8) -> list[tuple[str, float]]:
        """The ``k`` features that raise the document's log-odds most (name, contribution)."""
        return self.score_document(rows, 0.0, k)[2]

    # -- the model file ---------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        meta = {"kind": KIND, "bits": self.bits, "C": self.C, "n_splits": self.n_splits,
                "mask_names": self.mask_names, "intercept_": self.intercept_,
                "sentence_a_": self.sentence_a_, "sentence_c_": self.sentence_c_,
                "document_w_": list(self.document_w_), "document_b_": self.document_b_,
                "threshold_": self.threshold_}
        return meta, {"support": self.support_.astype(np.int32), "weights": self.weights_.astype(np.float16)}

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> StateMediaHead:
        self = cls(bits=int(meta["bits"]), C=float(meta["C"]), n_splits=int(meta["n_splits"]),
                   mask_names=bool(meta["mask_names"]))
        self.support_ = np.asarray(arrays["support"], dtype=np.int64)
        self.weights_ = np.asarray(arrays["weights"], dtype=np.float16)
        self.intercept_ = float(meta["intercept_"])
        self.sentence_a_, self.sentence_c_ = float(meta["sentence_a_"]), float(meta["sentence_c_"])
        self.document_w_ = [float(v) for v in meta["document_w_"]]
        self.document_b_ = float(meta["document_b_"])
        self.threshold_ = float(meta["threshold_"])
        self.classes_ = np.array([0, 1])
        self._dense()
        return self
