"""The trained hedge-cue tagger: a per-token logistic regression over hashed window features.

Why a token classifier and not a CRF: Szeged cues are one to three words and almost never adjacent
to another cue, so the label of a token depends on its window far more than on the label of the
previous token; a linear model over the window (see :mod:`rhetoric.hedging.features`) reaches the
CRF's cue F1 in our development runs and predicts with a gather and a sum, numpy only.

Classes: ``O`` (no cue) and the four Szeged cue types. A token is a cue when ``1 - P(O)`` reaches
``threshold_`` (chosen by document-grouped CV on the training folds); adjacent cue tokens form one
span, labelled with the type of highest summed probability. Types map to the project's hedge
labels (:data:`TYPE_LABELS`); a lexicon label ("reporting", "unverified") wins where the span
overlaps a hedge entry.

``fit(X, y)``: ``X`` a list of :class:`~rhetoric.analysis.Analysis`, ``y`` for each a list of
``(start, end, type)`` gold cues. Weights are kept on their hash support only, as float16.
Scoring needs numpy only (importing ``sklearn.base`` costs more than a whole ``score`` call);
the scikit-learn estimator is :class:`rhetoric.hedging.estimator.HedgeCueTaggerEstimator`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.hedging.features import TokenFeatures, token_features

__all__ = ["HedgeCueTagger", "CueSpan", "CUE_TYPES", "TYPE_LABELS"]

CUE_TYPES = ("O", "probable", "doxastic", "condition", "investigation")
_CHUNK = 8192      # tokens per gather in token_proba: (14, 8192, 5) float32 is 2.3 MB
TYPE_LABELS = {"probable": "epistemic", "doxastic": "doxastic", "condition": "conditional",
               "investigation": "investigation"}


@dataclass(frozen=True)
class CueSpan:
    """A predicted cue: token range [first, last], character offsets, Szeged type and probability."""

    first: int
    last: int
    start: int
    end: int
    type: str
    prob: float


def gold_token_labels(analysis: Analysis, cues: Sequence[tuple[int, int, str]]) -> np.ndarray:
    """Class index per token: the type of the gold cue the token overlaps, else 0 (``O``)."""
    seg = analysis.seg
    y = np.zeros(len(seg.words), dtype=np.int64)
    for start, end, kind in cues:
        a, b = seg.token_at(start), seg.token_at(end - 1)
        for t in range(a, min(b + 1, len(y))):
            if seg.starts[t] < end and start < seg.ends[t]:
                y[t] = CUE_TYPES.index(kind)
    return y


_FEW_HITS = 32     # up to this many hit tokens, runs are read in Python (bisect on the sentences)


def _hit_runs(hit: np.ndarray, sentence_tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(first, last)`` of every run of adjacent hit tokens inside one sentence, in token order."""
    idx = hit.nonzero()[0]
    if len(idx) <= _FEW_HITS:   # a short text, or few cues: the same runs without a numpy pass per token
        runs: list[tuple[int, int]] = []
        prev = -2
        for t in idx.tolist():
            r = bisect_right(sentence_tokens, t, key=itemgetter(0)) - 1
            if r < 0 or t >= sentence_tokens[r][1]:
                continue                      # outside every sentence
            if prev == t - 1 and sentence_tokens[r][0] < t:
                runs[-1] = (runs[-1][0], t)   # continues the run of the previous token, same sentence
            else:
                runs.append((t, t))
            prev = t
        return runs
    n = len(hit)
    tr = np.asarray(sentence_tokens, dtype=np.int64).reshape(-1, 2)
    lens = tr[:, 1] - tr[:, 0]
    inside = np.zeros(n + 1, dtype=np.int64)      # +1 at a sentence start, -1 at its end
    np.add.at(inside, tr[lens > 0, 0], 1)
    np.add.at(inside, tr[lens > 0, 1], -1)
    h = hit & (np.cumsum(inside[:n]) > 0)
    first = np.zeros(n, dtype=bool)
    first[tr[lens > 0, 0]] = True
    starts = np.flatnonzero(h & (first | ~np.concatenate([[False], h[:-1]])))
    if not len(starts):
        return []
    stops = np.append(np.flatnonzero(~h | first), n)
    last = stops[np.searchsorted(stops, starts, side="right")] - 1
    return list(zip(starts.tolist(), last.tolist()))


class HedgeCueTagger:
    """Hedge-cue tagger. Hyper-parameters: ``bits`` (hash width), ``C`` (inverse L2), ``threshold``."""

    def __init__(self, bits: int = 20, C: float = 1.0, threshold: float = 0.5, max_iter: int = 300) -> None:
        self.bits = bits
        self.C = C
        self.threshold = threshold
        self.max_iter = max_iter

    # -- training -------------------------------------------------------------------------
    def _matrix(self, feats: Sequence[TokenFeatures]) -> Any:
        from scipy.sparse import csr_matrix
        rows, cols, offset = [], [], 0
        for f in feats:
            n = f.n_tokens
            rows.append(np.repeat(np.arange(offset, offset + n), f.core.shape[1])); cols.append(f.core.ravel())
            rows.append(f.lex_rows + offset); cols.append(f.lex_cols)
            offset += n
        r, c = np.concatenate(rows), np.concatenate(cols)
        m = csr_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(offset, 1 << self.bits))
        m.sum_duplicates()
        m.data[:] = 1.0
        return m

    def fit(self, X: Sequence[Analysis], y: Sequence[Sequence[tuple[int, int, str]]]) -> HedgeCueTagger:
        from sklearn.linear_model import LogisticRegression
        feats = [token_features(a, self.bits) for a in X]
        target = np.concatenate([gold_token_labels(a, cues) for a, cues in zip(X, y)])
        lr = LogisticRegression(C=self.C, max_iter=self.max_iter, solver="lbfgs")
        lr.fit(self._matrix(feats), target)
        coef = np.zeros((len(CUE_TYPES), lr.coef_.shape[1]))
        for row, cls in enumerate(lr.classes_):
            coef[int(cls)] = lr.coef_[row]
        bias = np.zeros(len(CUE_TYPES)); bias[lr.classes_.astype(int)] = lr.intercept_
        bias[np.setdiff1d(np.arange(len(CUE_TYPES)), lr.classes_.astype(int))] = -30.0
        keep = np.flatnonzero(np.abs(coef).max(axis=0) > 1e-3)
        self.__dict__.pop("_lookup_cache", None)
        self.support_ = keep.astype(np.int64)
        self.weights_ = coef[:, keep].T.astype(np.float16)
        self.bias_ = bias.astype(np.float32)
        self.classes_ = np.array(CUE_TYPES)
        self.threshold_ = float(self.threshold)
        return self

    # -- prediction -----------------------------------------------------------------------
    def token_proba(self, analysis: Analysis, feats: TokenFeatures | None = None) -> np.ndarray:
        """(n_tokens, 5) class probabilities of every token.

        The core columns are gathered at once as ``(14, m, 5)`` (in chunks of :data:`_CHUNK` tokens,
        so a long block never holds a large temporary) and summed over the first axis, which numpy
        does one column after another: the same float32 sums as adding the 14 gathered columns in
        turn. The softmax works column by column (a reduction over a 5-wide axis costs more than
        the five element-wise passes), with the same sums in the same order.
        """
        f = feats if feats is not None else token_features(analysis, self.bits)
        n = f.n_tokens
        w, table = self._lookup()
        if not n:
            return np.zeros((0, len(CUE_TYPES)), dtype=np.float32)
        z = np.empty((n, len(CUE_TYPES)), dtype=np.float32)
        for c in range(0, n, _CHUNK):
            part = f.core[c:c + _CHUNK]
            np.add(np.take(w, np.take(table, part.T), axis=0).sum(axis=0), self.bias_, out=z[c:c + len(part)])
        if len(f.lex_rows):
            np.add.at(z, f.lex_rows, np.take(w, np.take(table, f.lex_cols), axis=0))
        cols = [z[:, k] for k in range(z.shape[1])]
        top = cols[0]
        for col in cols[1:]:
            top = np.maximum(top, col)
        z -= top[:, None]
        np.exp(z, out=z)
        total = cols[0] + cols[1]
        for col in cols[2:]:
            total += col
        z /= total[:, None]
        return z

    def _lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """float32 weights with a zero last row, and column -> weight row (the zero row when unseen)."""
        cached = self.__dict__.get("_lookup_cache")
        if cached is None or cached[0].shape[0] != len(self.support_) + 1:
            w = np.vstack([self.weights_.astype(np.float32), np.zeros((1, len(CUE_TYPES)), dtype=np.float32)])
            table = np.full(1 << self.bits, len(self.support_), dtype=np.int32)
            table[self.support_] = np.arange(len(self.support_), dtype=np.int32)
            cached = self.__dict__["_lookup_cache"] = (w, table)
        return cached

    def cue_spans(self, analysis: Analysis, proba: np.ndarray | None = None,
                  threshold: float | None = None) -> list[CueSpan]:
        """Adjacent cue tokens (``1 - P(O) >= threshold``) within a sentence, as spans."""
        p = self.token_proba(analysis) if proba is None else proba
        t = self.threshold_ if threshold is None else threshold
        seg = analysis.seg
        cue = 1.0 - p[:, 0]
        out: list[CueSpan] = []
        for k, e in _hit_runs(cue >= t, seg.sentence_tokens):
            kind = CUE_TYPES[1 + int(p[k:e + 1, 1:].sum(axis=0).argmax())]
            out.append(CueSpan(k, e, seg.starts[k], seg.ends[e], kind, float(cue[k:e + 1].max())))
        return out

    def predict(self, X: Sequence[Analysis]) -> list[list[CueSpan]]:
        return [self.cue_spans(a) for a in X]

    def predict_proba(self, X: Sequence[Analysis]) -> list[np.ndarray]:
        return [self.token_proba(a) for a in X]

    # -- model file -----------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        meta = {"bits": self.bits, "C": self.C, "threshold": self.threshold, "max_iter": self.max_iter,
                "threshold_": self.threshold_, "classes": list(CUE_TYPES)}
        return meta, {"support": self.support_.astype(np.int32), "weights": self.weights_, "bias": self.bias_}

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> HedgeCueTagger:
        if tuple(meta.get("classes", ())) != CUE_TYPES:
            raise ValueError(f"hedge tagger classes {meta.get('classes')} differ from {CUE_TYPES}")
        self = cls(bits=int(meta["bits"]), C=float(meta["C"]), threshold=float(meta["threshold"]),
                   max_iter=int(meta["max_iter"]))
        self.support_ = np.asarray(arrays["support"], dtype=np.int64)
        self.weights_ = np.asarray(arrays["weights"], dtype=np.float16)
        self.bias_ = np.asarray(arrays["bias"], dtype=np.float32)
        self.classes_ = np.array(CUE_TYPES)
        self.threshold_ = float(meta["threshold_"])
        return self
