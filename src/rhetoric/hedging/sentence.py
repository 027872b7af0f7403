"""Sentence features of the hedging head: the cue tagger's output, weasels, the lexicon and n-grams.

Why: the CoNLL-2010 "uncertain" class is wider than the Szeged cues (weasels, vague-quantifier
subjects, "one of the most", "often"), so the sentence call is learnt from CoNLL labels with the
cue tagger's probabilities as its strongest features, plus hashed word uni-/bigrams (the wider
class is mostly lexical) and the counts of lexicon matches and weasel spans in the sentence.

Columns: ``2**bits`` hashed columns (n-grams and lexicon labels, each row scaled by
``1/sqrt(n)``) followed by the dense columns of :data:`DENSE`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.hedging.features import match_arrays
from rhetoric.learn.features import as_int_array, document_hashes, laid_out_tokens
from rhetoric.learn.hashing import TokenHashes, mix64, pair64

__all__ = ["DENSE", "sentence_rows"]

DENSE = ("cue_max", "cue_logit", "cue_tokens", "probable", "doxastic", "condition", "investigation",
         "weasels", "log_words", "bias")
_UNI, _BI, _LEX = 21, 22, 23


def sentence_rows(analysis: Analysis, proba: np.ndarray, weasel_offsets: Sequence[int],
                  bits: int, hashes: TokenHashes | None = None,
                  units: Sequence[tuple[int, int]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``(rows, cols, values, n_units)`` of the document's sentence feature matrix.

    ``hashes``: the shared pass's token hashes (``DocumentFeatures.hashes``), computed here if None;
    ``units``: token ranges ``[(i, j)]`` to describe (default: the sentences; training on CoNLL rows
    passes one range per labelled row, which the segmenter may have split).
    """
    seg = analysis.seg
    bits_mask = (1 << bits) - 1
    mask = np.uint64(bits_mask)
    th = document_hashes(analysis, hashes, with_shape=False)
    units = seg.sentence_tokens if units is None else list(units)
    n_sent, n = len(units), len(seg.words)
    if not n_sent:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), 0
    tr = np.asarray(units, dtype=np.int64).reshape(-1, 2)
    lengths = tr[:, 1] - tr[:, 0]
    tok_unit = np.full(n + 1, -1, dtype=np.int64)
    laid = laid_out_tokens(tr)
    tok_unit[laid] = np.repeat(np.arange(n_sent), lengths)
    token_starts = np.append(as_int_array(seg.starts), len(analysis.text))
    starts = token_starts[np.minimum(tr[:, 0], n)].tolist()
    # hashed entries: unigrams, bigrams inside a unit, lexicon labels of the matches starting in it
    tu = tok_unit[:n]
    inside = np.flatnonzero(tu >= 0)
    pair = inside[(inside + 1 < n) & (tok_unit[inside + 1] == tu[inside])]
    m_start, _, m_keys = match_arrays(analysis.matches)
    k = np.searchsorted(np.asarray(starts, dtype=np.int64), m_start, side="right") - 1
    ok = (k >= 0) & (k < n_sent)
    ok[ok] = lengths[k[ok]] > 0
    lex_rows, lex_keys = k[ok], m_keys[ok]
    h = th.h
    rows = np.concatenate([tu[inside], tu[pair], lex_rows])
    cols = np.concatenate([mix64(h[inside], _UNI) & mask, pair64(h[pair], h[pair + 1], _BI) & mask,
                           mix64(lex_keys, _LEX) & mask]).astype(np.int64)
    per_row = np.bincount(rows, minlength=n_sent)
    key, counts = np.unique(rows * (1 << bits) + cols, return_counts=True)
    h_rows, h_cols = key >> bits, key & bits_mask
    h_vals = counts / np.sqrt(np.maximum(per_row[h_rows], 1))
    # dense columns
    weasels = np.zeros(n_sent)
    for off in weasel_offsets:
        k = bisect_right(starts, off) - 1
        if 0 <= k < n_sent:
            weasels[k] += 1
    dense = np.zeros((n_sent, len(DENSE)))
    full = np.flatnonzero(lengths > 0)
    if len(full):  # per-unit max / count over [i, j): reduceat on (i, j) pairs, every second result
        edges = tr[full].reshape(-1)
        cue = np.append(1.0 - proba[:, 0], 0.0)
        pp = np.vstack([proba[:, 1:5], np.zeros((1, 4))])
        dense[full, 0] = np.maximum.reduceat(cue, edges)[::2]
        dense[full, 2] = np.add.reduceat((cue >= 0.5).astype(float), edges)[::2]
        dense[full, 3:7] = np.maximum.reduceat(pp, edges, axis=0)[::2]
    top = dense[:, 0]
    dense[:, 1] = np.log((top + 1e-4) / (1.0 - top + 1e-4))
    dense[:, 7] = weasels
    dense[:, 8] = np.log1p(lengths)
    dense[:, 9] = 1.0
    base = 1 << bits
    d_rows = np.repeat(np.arange(n_sent), len(DENSE))
    d_cols = np.tile(base + np.arange(len(DENSE)), n_sent)
    return (np.concatenate([h_rows, d_rows]), np.concatenate([h_cols, d_cols]),
            np.concatenate([h_vals, dense.ravel()]), n_sent)



