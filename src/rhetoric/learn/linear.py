"""A hashed linear head: ``k`` outputs over ``2**bits`` hashed columns + dense columns + intercept.

Scoring is numpy only (:meth:`LinearHead.decision` for per-unit n-gram rows,
:meth:`LinearHead.window_decision` for per-token window columns); the sparse training matrices
(:func:`ngram_matrix`, :func:`window_matrix`) and :func:`fit_logistic` import scipy/scikit-learn
when called. Any head can reuse it; :meth:`LinearHead.to_arrays` / :meth:`LinearHead.from_arrays`
store it sparsely (support rows as int32, weights as float16) in a model file.

Weights are rounded to float16-representable values when the head is built, so saving and
loading give back exactly the weights that were scored with.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rhetoric.learn.features import HashedRows

__all__ = ["LinearHead", "fit_logistic", "ngram_matrix", "unique_counts", "window_matrix"]


def unique_counts(key: np.ndarray, first: bool = False) -> tuple[np.ndarray, ...]:
    """``np.unique(key, return_counts=True)`` (with ``first``: ``return_index=True`` too, the
    index of each key's first occurrence), the same arrays without numpy's Python-level wrappers,
    which cost more than the sort on the few entries of a short text.

    Returns ``(keys, counts)`` or ``(keys, first_index, counts)``; ``key`` is not modified."""
    if first:
        perm = key.argsort(kind="stable")
        aux = key[perm]
    else:
        aux = key.copy()
        aux.sort()
    new = np.empty(len(aux), dtype=bool)
    new[:1] = True
    np.not_equal(aux[1:], aux[:-1], out=new[1:])
    at = new.nonzero()[0]
    edges = np.empty(len(at) + 1, dtype=np.intp)
    edges[:-1] = at
    edges[-1] = len(aux)
    counts = edges[1:] - edges[:-1]
    return (aux[at], perm[at], counts) if first else (aux[at], counts)


def f16(a: np.ndarray) -> np.ndarray:
    """Round to float16-representable values (kept as float32) so that save/load is exact."""
    return np.asarray(a, dtype=np.float16).astype(np.float32)


class LinearHead:
    """Weights ``coef_hash`` (2**bits, k), ``coef_dense`` (n_dense, k) and ``intercept`` (k,).

    Immutable after construction (the arrays are made read-only), so one head can be shared by
    threads without locks. ``coef_dense64`` is ``coef_dense`` as float64, the type scoring
    multiplies in, converted once here rather than on every call.
    """

    __slots__ = ("bits", "coef_dense", "coef_dense64", "coef_hash", "intercept", "vector")

    def __init__(self, coef_hash: np.ndarray, coef_dense: np.ndarray, intercept: Any) -> None:
        coef_hash = np.asarray(coef_hash, dtype=np.float32)
        if coef_hash.ndim == 1:                       # one output: keep a contiguous vector too
            vector = np.ascontiguousarray(coef_hash)
            coef_hash = vector[:, None]
        else:
            coef_hash = np.ascontiguousarray(coef_hash)
            vector = coef_hash[:, 0].copy() if coef_hash.shape[1] == 1 else None
        H = coef_hash.shape[0]
        if H & (H - 1):
            raise ValueError(f"hashed weight rows {H} is not a power of two")
        k = coef_hash.shape[1]
        coef_dense = np.asarray(coef_dense, dtype=np.float32)
        coef_dense = coef_dense.reshape(-1, 1) if coef_dense.ndim == 1 else coef_dense
        intercept = np.asarray(intercept, dtype=np.float64).reshape(-1)
        if coef_dense.shape[1] != k or intercept.shape != (k,):
            raise ValueError("dense coefficients or intercepts do not match the number of outputs")
        self.bits = H.bit_length() - 1
        self.coef_hash = coef_hash
        self.vector = vector
        self.coef_dense = coef_dense
        self.coef_dense64 = coef_dense.astype(np.float64)
        self.intercept = intercept
        for a in (coef_hash, coef_dense, self.coef_dense64, intercept, vector):
            if a is not None:
                a.flags.writeable = False

    @property
    def n_outputs(self) -> int:
        return int(self.coef_hash.shape[1])

    @property
    def n_dense(self) -> int:
        return int(self.coef_dense.shape[0])

    def __getstate__(self) -> dict[str, Any]:
        return {"coef_hash": self.coef_hash if self.vector is None else self.vector,
                "coef_dense": self.coef_dense, "intercept": self.intercept}

    def __setstate__(self, state: dict[str, Any]) -> None:
        LinearHead.__init__(self, state["coef_hash"], state["coef_dense"], state["intercept"])  # type: ignore[misc]

    # -- scoring ---------------------------------------------------------------------------------
    def decision(self, g: HashedRows, dense: np.ndarray) -> np.ndarray:
        """(n_units, k) decision values: ``sum(w[col] * inv_norm) + dense @ coef_dense + intercept``."""
        if g.bits != self.bits:
            raise ValueError(f"features hashed into 2**{g.bits} columns, head has 2**{self.bits}")
        n, k = g.n, self.n_outputs
        G = np.take(self.coef_hash, g.cols, axis=0)                           # (m, k); take: a faster gather
        idx = (g.rows[:, None] * k + np.arange(k)).ravel()
        S = np.bincount(idx, weights=G.ravel().astype(np.float64), minlength=n * k)
        S = S.astype(np.float64, copy=False).reshape(n, k)     # bincount of nothing is int64
        S *= g.inv_norm[:, None]
        S += dense @ self.coef_dense64 + self.intercept
        return S

    def window_decision(self, cols: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """(m,) decision values of a one-output head over ``c`` window columns per token (value
        ``1/sqrt(c)`` each) and dense columns ``dense`` (m, n_dense)."""
        if self.vector is None:
            raise ValueError("window_decision needs a head with one output")
        z = np.take(self.vector, cols).sum(1, dtype=np.float64) / math.sqrt(cols.shape[1])
        d = self.coef_dense64[:, 0]
        extra = dense[:, 0] * d[0]
        for j in range(1, len(d)):                  # column by column: the same rounding as before
            extra = extra + dense[:, j] * d[j]
        z += extra + self.intercept[0]
        return z

    # -- storage ---------------------------------------------------------------------------------
    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """``<prefix>_hash_index`` (int32 rows with a non-zero weight), ``<prefix>_hash_coef``
        (float16), ``<prefix>_dense_coef`` (float32); one-output heads store vectors."""
        W = self.coef_hash if self.vector is None else self.vector
        nz = np.any(W != 0, axis=1) if W.ndim == 2 else W != 0
        support = np.flatnonzero(nz).astype(np.int32)
        dense = self.coef_dense if self.vector is None else self.coef_dense[:, 0]
        return {f"{prefix}_hash_index": support, f"{prefix}_hash_coef": W[support].astype(np.float16),
                f"{prefix}_dense_coef": np.ascontiguousarray(dense, dtype=np.float32)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str, bits: int, intercept: Any) -> LinearHead:
        idx = np.asarray(arrays[f"{prefix}_hash_index"]).astype(np.int64)
        coef = np.asarray(arrays[f"{prefix}_hash_coef"]).astype(np.float32)
        dense = np.asarray(arrays[f"{prefix}_dense_coef"]).astype(np.float32)
        H = 1 << int(bits)
        if idx.ndim != 1 or len(idx) != len(coef) or (idx.size and (idx.min() < 0 or idx.max() >= H)):
            raise ValueError(f"{prefix} feature index out of range or inconsistent")
        W = np.zeros((H,) + coef.shape[1:], dtype=np.float32)
        W[idx] = coef
        return cls(W, dense, intercept)


# -- training (scipy / scikit-learn, imported on use) -------------------------------------------------


def ngram_matrix(g: HashedRows, dense: np.ndarray) -> Any:
    """CSR matrix (n_units, 2**bits + n_dense) of hashed n-gram entries and dense columns."""
    import scipy.sparse as sp
    H = sp.csr_matrix((g.inv_norm[g.rows], (g.rows, g.cols)), shape=(g.n, 1 << g.bits))
    H.sum_duplicates()
    return sp.hstack([H, sp.csr_matrix(dense)], format="csr")


def window_matrix(cols: np.ndarray, bits: int, dense: np.ndarray) -> Any:
    """CSR matrix (m, 2**bits + n_dense): value ``1/sqrt(c)`` at each of a token's ``c`` columns."""
    import scipy.sparse as sp
    m, k = cols.shape
    H = sp.csr_matrix((np.full(m * k, 1.0 / math.sqrt(k)), cols.ravel(), np.arange(0, m * k + 1, k)),
                      shape=(m, 1 << bits))
    H.sum_duplicates()
    return sp.hstack([H, sp.csr_matrix(dense)], format="csr")


def fit_logistic(X: Any, y: np.ndarray, *, C: float, class_weight: Any = None, seed: int = 0,
                 max_iter: int = 3000) -> Any:
    """liblinear L2 logistic regression (fitted ``sklearn.linear_model.LogisticRegression``)."""
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, solver="liblinear", class_weight=class_weight, max_iter=max_iter,
                              random_state=seed).fit(X, y)


def head_from_logistic(models: list[Any], bits: int, vector: bool = False) -> LinearHead:
    """A LinearHead whose outputs are fitted logistic regressions over ``2**bits`` + dense columns."""
    H = 1 << bits
    if vector:
        (m,) = models
        return LinearHead(f16(m.coef_[0][:H]), m.coef_[0][H:], [float(m.intercept_[0])])
    return LinearHead(f16(np.stack([m.coef_[0][:H] for m in models], 1)),
                      np.stack([m.coef_[0][H:] for m in models], 1),
                      [float(m.intercept_[0]) for m in models])
