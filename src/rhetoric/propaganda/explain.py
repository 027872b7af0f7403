"""Explanations of the propaganda sentence head: the features that pushed each sentence up.

For each unit, the ``explain_top`` largest positive contributions to the propaganda logit
(weight x feature value), named after the sentence's own tokens (``ngram:vile traitors``), the
dense surface columns (``dense:exclamations``) or the engine evidence columns (``lex:...``,
``surface:...``); the other dimensions' evidence columns read ``dense:ctx:...``. The bias column
is never listed. Contributions are logit units, rounded to 4 decimals, in decreasing order.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np

from rhetoric.learn.features import SURFACE_NAMES, DocumentFeatures, HashedRows
from rhetoric.learn.linear import unique_counts

__all__ = ["explain_names", "explain_sentences"]

_BIAS = SURFACE_NAMES.index("bias")


def explain_names(dense_names: Sequence[str]) -> tuple[str, ...]:
    """The names explanations give the dense columns (``dense:<name>``, the evidence columns as they are)."""
    return tuple(nm if nm.startswith(("lex:", "surface:")) else f"dense:{nm}" for nm in dense_names)


def explain_sentences(head: Any, features: DocumentFeatures, g: HashedRows, dense: np.ndarray,
                      ranges: Any = None) -> list[tuple[tuple[str, float], ...]]:
    """``[((name, contribution), ...) per unit]`` for the propaganda output of ``head.sentence_``."""
    lin = head.sentence_
    W, Wd = lin.coef_hash, lin.coef_dense64
    u = features.units(ranges)
    n, top = g.n, head.explain_top
    # hashed: aggregate duplicate (row, col) entries, keep the first n-gram as the name; only
    # columns with a positive weight can contribute positively, so only those are aggregated
    pos = (W[g.cols, 0] > 0).nonzero()[0]
    _, first, cnt = unique_counts(g.rows[pos] * (1 << g.bits) + g.cols[pos], first=True)
    first = pos[first]
    rows = g.rows[first]
    contrib = W[g.cols[first], 0].astype(np.float64) * cnt * g.inv_norm[rows]
    dense_c = dense * Wd[:, 0]                                       # (n, n_dense)
    dense_c[:, _BIAS] = 0.0
    # candidates: hashed entries + dense cells, sorted by (row, -contribution)
    dr, dc = (dense_c > 0).nonzero()
    all_rows = np.concatenate([rows, dr])
    all_c = np.concatenate([contrib, dense_c[dr, dc]])
    all_ref = np.concatenate([first, -1 - dc])
    keep = all_c > 0
    all_rows, all_c, all_ref = all_rows[keep], all_c[keep], all_ref[keep]
    order = np.lexsort((-all_c, all_rows))
    all_rows, all_c, all_ref = all_rows[order], all_c[order], all_ref[order]
    start = np.searchsorted(all_rows, np.arange(n), "left")
    rank = np.arange(len(all_rows)) - start[all_rows] if len(all_rows) else np.zeros(0, np.int64)
    sel = (rank < top).nonzero()[0]
    words = features.seg.words
    names = getattr(head, "explain_names_", None) or explain_names(head.dense_names_)
    refs = all_ref[sel]
    # the n-gram entries' tokens, gathered at once (the second token only names a bigram)
    hashed = refs[refs >= 0]
    t = g.src[hashed]
    ngrams = iter([f"ngram:{words[a]}" if k == 0 else f"ngram:{words[a]} {words[b]}"
                   for a, b, k in zip(u.tok[t].tolist(), u.tok[np.minimum(t + 1, len(u.tok) - 1)].tolist(),
                                      g.kind[hashed].tolist())])
    labels = [next(ngrams) if r >= 0 else names[-1 - r] for r in refs.tolist()]
    pairs = list(zip(labels, map(round, all_c[sel].tolist(), repeat(4))))
    if n == 1:
        return [tuple(pairs)]
    bounds = np.searchsorted(all_rows[sel], np.arange(n + 1), "left").tolist()   # rows are sorted
    return [tuple(pairs[i:j]) for i, j in zip(bounds, bounds[1:])]
