"""Explanations of the propaganda sentence head: the features that pushed each sentence up.

For each unit, the ``explain_top`` largest positive contributions to the propaganda logit
(weight x feature value), named after the sentence's own tokens (``ngram:vile traitors``), the
dense surface columns (``dense:exclamations``) or the engine evidence columns (``lex:...``,
``surface:...``). The bias column is never listed. Contributions are logit units, rounded to 4
decimals, in decreasing order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rhetoric.learn.features import SURFACE_NAMES, DocumentFeatures, HashedRows

__all__ = ["explain_sentences"]

_BIAS = SURFACE_NAMES.index("bias")


def explain_sentences(head: Any, features: DocumentFeatures, g: HashedRows, dense: np.ndarray,
                      ranges: Any = None) -> list[tuple[tuple[str, float], ...]]:
    """``[((name, contribution), ...) per unit]`` for the propaganda output of ``head.sentence_``."""
    lin = head.sentence_
    W, Wd = lin.coef_hash, lin.coef_dense.astype(np.float64)
    u = features.units(ranges)
    n, top = g.n, head.explain_top
    # hashed: aggregate duplicate (row, col) entries, keep the first n-gram as the name
    key = g.rows * (1 << g.bits) + g.cols
    _uk, first, cnt = np.unique(key, return_index=True, return_counts=True)
    rows = g.rows[first]
    contrib = W[g.cols[first], 0].astype(np.float64) * cnt * g.inv_norm[rows]
    dense_c = dense * Wd[:, 0]                                       # (n, n_dense)
    dense_c[:, _BIAS] = 0.0
    # candidates: hashed entries + dense cells, sorted by (row, -contribution)
    dr, dc = np.nonzero(dense_c > 0)
    all_rows = np.concatenate([rows, dr])
    all_c = np.concatenate([contrib, dense_c[dr, dc]])
    all_ref = np.concatenate([first, -1 - dc])
    keep = all_c > 0
    all_rows, all_c, all_ref = all_rows[keep], all_c[keep], all_ref[keep]
    order = np.lexsort((-all_c, all_rows))
    all_rows, all_c, all_ref = all_rows[order], all_c[order], all_ref[order]
    start = np.searchsorted(all_rows, np.arange(n), "left")
    rank = np.arange(len(all_rows)) - start[all_rows] if len(all_rows) else np.zeros(0, np.int64)
    sel = np.flatnonzero(rank < top)
    out: list[list[tuple[str, float]]] = [[] for _ in range(n)]
    words = features.seg.words
    names = head.dense_names_
    for i in sel.tolist():
        ref = int(all_ref[i])
        if ref >= 0:
            t = int(g.src[ref])
            tok = int(u.tok[t])
            name = words[tok] if g.kind[ref] == 0 else f"{words[tok]} {words[int(u.tok[t + 1])]}"
            name = f"ngram:{name}"
        else:
            nm = names[-1 - ref]
            name = nm if nm.startswith(("lex:", "surface:")) else f"dense:{nm}"
        out[int(all_rows[i])].append((name, round(float(all_c[i]), 4)))
    return [tuple(x) for x in out]
