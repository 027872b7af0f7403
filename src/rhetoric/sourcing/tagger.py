"""The trained attribution tagger: every token is tagged cue / source / content (BIO).

A linear-chain CRF over hashed token features (:mod:`rhetoric.sourcing.features`). The features are
fixed columns, each a hash of one fact about a token or its neighbours (word, crude stem, suffix,
shape, word bigrams, the attribution lexicon's label, the role the attribution *rules* gave the
token, whether it is inside a quotation, its place in the sentence), so the lexicons and the rules
are features of the model rather than its only detector, and stems and shapes carry what was
learnt to inflections and cue phrases never seen in training.

The CRF is trained with python-crfsuite (L-BFGS with L1+L2 penalties) and then exported: the
non-zero state weights as a sorted ``keys`` array with a ``float16`` weight row per key, plus the
7x7 transition matrix. Scoring needs numpy only: emission scores are a gather-and-sum over the
feature columns and the best path is a Viterbi pass batched over all sentences of a document,
which is the exact argmax crfsuite would return.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.sourcing.decode import LABELS, ROLES, document_runs, spans_from_tags, tag_runs, viterbi
from rhetoric.sourcing.features import BITS, N_COLUMNS, token_features

__all__ = ["BITS", "LABELS", "ROLES", "AttributionTagger", "document_runs", "spans_from_tags", "tag_runs",
           "token_features", "viterbi"]

_CHUNK = 4096                             # tokens per gather in AttributionTagger.emissions


class AttributionTagger:
    """Cue / source / content BIO tagger (the ``"attribution"`` head of the model file).

    Samples are documents: feature matrices from :func:`token_features`, BIO label arrays and
    sentence lengths. Not a scikit-learn subclass on purpose: scoring with the default model must
    not import scikit-learn (``get_params`` gives the hyper-parameters).

    ``fit(analyses, tags)`` trains with python-crfsuite (needed only for training); ``tag`` needs
    numpy only. Hyper-parameters: ``c1`` (L1), ``c2`` (L2), ``max_iterations``, ``prune`` (weight rows
    whose largest absolute weight is below it are dropped at export).
    """

    kind = "attribution-crf"

    def __init__(self, c1: float = 0.05, c2: float = 0.01, max_iterations: int = 100, prune: float = 0.01) -> None:
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.prune = prune

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations, "prune": self.prune}

    # -- training ---------------------------------------------------------------------------
    def fit(self, features: Sequence[np.ndarray], tags: Sequence[np.ndarray],
            lengths: Sequence[Sequence[int]]) -> AttributionTagger:
        """Train on documents given as feature matrices, tag arrays and sentence lengths."""
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("training the attribution tagger needs python-crfsuite: "
                              "pip install python-crfsuite") from exc
        trainer = pycrfsuite.Trainer(verbose=False)
        for X, y, lens in zip(features, tags, lengths):
            start = 0
            for n in lens:
                if n:
                    items = [[str(v) for v in row] for row in X[start:start + n]]
                    trainer.append(items, [LABELS[t] for t in y[start:start + n]])
                start += n
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.possible_transitions": True})
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "crf.model")
            trainer.train(path)
            tagger = pycrfsuite.Tagger()
            tagger.open(path)
            info = tagger.info()
            tagger.close()
        index = {label: k for k, label in enumerate(LABELS)}
        weights: dict[int, np.ndarray] = {}
        for (attr, label), w in info.state_features.items():
            row = weights.setdefault(int(attr), np.zeros(len(LABELS), dtype=np.float32))
            row[index[label]] = w
        # rows whose largest weight is below ``prune`` change no decision worth their bytes
        keys = np.array(sorted(k for k, w in weights.items() if np.abs(w).max() >= self.prune), dtype=np.int64)
        self.keys_ = keys.astype(np.uint32)
        self.weights_ = np.stack([weights[k] for k in keys]).astype(np.float16) if len(keys) else \
            np.zeros((0, len(LABELS)), dtype=np.float16)
        trans = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
        for (a, b), w in info.transitions.items():
            trans[index[a], index[b]] = w
        self.transitions_ = trans
        return self

    # -- scoring ----------------------------------------------------------------------------
    def _lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """A dense feature -> weight-row table (row 0: all zeros), built once per loaded head; the
        rows are padded to 8 floats (32 bytes), which NumPy gathers faster than rows of 7."""
        cached = self.__dict__.get("_dense")
        if cached is None:
            table = np.zeros(1 << BITS, dtype=np.int32)
            table[self.keys_.astype(np.int64)] = np.arange(1, len(self.keys_) + 1, dtype=np.int32)
            rows = np.zeros((len(self.keys_) + 1, 8), dtype=np.float32)
            rows[1:, :len(LABELS)] = self.weights_
            cached = self.__dict__["_dense"] = (table, rows)
        return cached

    def emissions(self, X: np.ndarray) -> np.ndarray:
        """``(n_tokens, labels)`` float32: the sum of the feature columns' weight rows, in column order.

        One gather of every column's rows (``(columns, tokens, 8)``, ``_CHUNK`` tokens at a time so the
        temporary stays small) and one sum over its first axis: NumPy reduces a non-innermost axis
        one slice after another, so the float32 sums are exactly those of adding column by column.
        """
        table, rows = self._lookup()
        out = np.empty((len(X), rows.shape[1]), dtype=np.float32)
        for c in range(0, len(X), _CHUNK):
            idx = np.take(table, X[c:c + _CHUNK].T)
            np.add.reduce(np.take(rows, idx, axis=0), axis=0, out=out[c:c + _CHUNK])
        return out[:, :len(LABELS)]

    def tag(self, X: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """The best BIO label index per token (tokens grouped by ``lengths``, in order)."""
        if len(X) == 0 or len(self.keys_) == 0:
            return np.zeros(len(X), dtype=np.int64)
        return viterbi(self.emissions(X), self.transitions_.astype(np.float64), lengths)

    # -- model file ---------------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        meta = {"kind": self.kind, "labels": list(LABELS), "bits": BITS, "columns": N_COLUMNS,
                "c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations, "prune": self.prune}
        return meta, {"keys": self.keys_, "weights": self.weights_, "transitions": self.transitions_}

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> AttributionTagger:
        if list(meta.get("labels", [])) != list(LABELS) or meta.get("bits") != BITS \
                or meta.get("columns") != N_COLUMNS:
            raise ValueError("attribution head was saved with other labels or features; retrain it")
        self = cls(meta.get("c1", 0.05), meta.get("c2", 0.01), meta.get("max_iterations", 100),
                   meta.get("prune", 0.01))
        self.keys_ = np.asarray(arrays["keys"], dtype=np.uint32)
        self.weights_ = np.asarray(arrays["weights"], dtype=np.float16)
        self.transitions_ = np.asarray(arrays["transitions"], dtype=np.float32)
        return self
