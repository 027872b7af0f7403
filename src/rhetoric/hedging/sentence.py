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
from rhetoric.hedging.features import label_keys, match_arrays
from rhetoric.learn.features import document_hashes, laid_out_tokens
from rhetoric.learn.hashing import P2, TokenHashes, mix64_into
from rhetoric.learn.linear import unique_counts

__all__ = ["DENSE", "sentence_rows"]

DENSE = ("cue_max", "cue_logit", "cue_tokens", "probable", "doxastic", "condition", "investigation",
         "weasels", "log_words", "bias")
_UNI, _BI, _LEX = 21, 22, 23
_FEW_MATCHES = 16     # up to this many matches, their units are found by bisection
_SALTS = np.array([_UNI, _BI, _LEX], dtype=np.uint64)
_DENSE_COLUMNS = np.arange(len(DENSE), dtype=np.int64)
_SALTS.flags.writeable = _DENSE_COLUMNS.flags.writeable = False


def sentence_rows(analysis: Analysis, proba: np.ndarray, weasel_offsets: Sequence[int],
                  bits: int, hashes: TokenHashes | None = None,
                  units: Sequence[tuple[int, int]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``(rows, cols, values, n_units)`` of the document's sentence feature matrix.

    ``hashes``: the shared pass's token hashes (``DocumentFeatures.hashes``), computed here if None;
    ``units``: token ranges ``[(i, j)]`` to describe (default: the sentences; training on CoNLL rows
    passes one range per labelled row, which the segmenter may have split).

    Entries come row by row: the row's hashed columns in ascending order, then its dense columns
    (the order :meth:`~rhetoric.hedging.head.HedgingHead.sentence_proba` adds them in). All hashed
    entries are mixed in one ``mix64`` pass, and the fixed costs of a short text are kept to a few
    numpy calls.
    """
    seg = analysis.seg
    th = document_hashes(analysis, hashes, with_shape=False)
    units = seg.sentence_tokens if units is None else list(units)
    n_sent, n = len(units), len(seg.words)
    if not n_sent:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), 0
    tr = np.asarray(units, dtype=np.int64).reshape(-1, 2)
    lengths = tr[:, 1] - tr[:, 0]
    token_starts, end = seg.starts, len(analysis.text)
    starts = [token_starts[i] if i < n else end for i, _ in units]
    # hashed entries: unigrams, bigrams inside a unit, lexicon labels of the matches starting in it
    if n_sent == 1 and units[0] == (0, n):        # one unit of every token (a headline, a tweet)
        inside = pair = None
        tu_inside = np.zeros(n, dtype=np.int64)
        tu_pair = tu_inside[:max(n - 1, 0)]
        h_inside, h_left, h_right = th.h, th.h[:-1], th.h[1:]
    else:
        tok_unit = np.full(n + 1, -1, dtype=np.int64)
        tok_unit[laid_out_tokens(tr)] = np.arange(n_sent).repeat(lengths)
        tu = tok_unit[:n]
        inside = (tu >= 0).nonzero()[0]
        pair = inside[(inside + 1 < n) & (tok_unit[inside + 1] == tu[inside])]
        tu_inside, tu_pair = tu[inside], tu[pair]
        h_inside, h_left, h_right = th.h[inside], th.h[pair], th.h[pair + 1]
    matches = analysis.matches
    if len(matches) <= _FEW_MATCHES:      # a few matches: their units by bisection
        found = [(k, key) for k, key in zip((bisect_right(starts, m.start) - 1 for m in matches), label_keys(matches))
                 if k >= 0 and units[k][1] > units[k][0]]
        lex_rows = np.array([k for k, _ in found], dtype=np.int64)
        lex_keys = np.array([key for _, key in found], dtype=np.uint64)
    else:
        m_start, _, m_keys = match_arrays(matches)
        k = np.searchsorted(np.asarray(starts, dtype=np.int64), m_start, side="right") - 1
        ok = (k >= 0) & (k < n_sent)
        ok[ok] = lengths[k[ok]] > 0
        lex_rows, lex_keys = k[ok], m_keys[ok]
    n_uni, n_bi = len(h_inside), len(h_left)
    rows = np.concatenate([tu_inside, tu_pair, lex_rows])
    values = np.empty(len(rows), dtype=np.uint64)
    values[:n_uni] = h_inside
    np.multiply(h_left, P2, out=values[n_uni:n_uni + n_bi])        # pair_key(left, right)
    values[n_uni:n_uni + n_bi] ^= h_right
    values[n_uni + n_bi:] = lex_keys
    mix64_into(values, np.repeat(_SALTS, [n_uni, n_bi, len(lex_keys)]), out=values)
    values &= np.uint64((1 << bits) - 1)
    per_row = np.bincount(rows, minlength=n_sent)
    key = rows << bits
    key += values.view(np.int64)
    key, counts = unique_counts(key)
    h_rows, h_cols = key >> bits, key & ((1 << bits) - 1)
    h_vals = counts / np.sqrt(np.maximum(per_row[h_rows], 1))
    # dense columns
    dense = np.zeros((n_sent, len(DENSE)))
    for off in weasel_offsets:
        k = bisect_right(starts, off) - 1
        if 0 <= k < n_sent:
            dense[k, 7] += 1
    full = (lengths > 0).nonzero()[0]
    if len(full):  # per-unit max / count over [i, j): reduceat on (i, j) pairs, every second result
        edges = tr[full].reshape(-1)
        pp = np.zeros((len(proba) + 1, 5))         # 1 - P(O), then the four cue types; a zero row after
        pp[:-1, 0] = 1.0 - proba[:, 0]
        pp[:-1, 1:] = proba[:, 1:5]
        peak = np.maximum.reduceat(pp, edges, axis=0)[::2]
        dense[full, 0] = peak[:, 0]
        dense[full, 2] = np.add.reduceat((pp[:, 0] >= 0.5).astype(float), edges)[::2]
        dense[full, 3:7] = peak[:, 1:]
    top = dense[:, 0]
    dense[:, 1] = np.log((top + 1e-4) / (1.0 - top + 1e-4))
    dense[:, 8] = np.log1p(lengths)
    dense[:, 9] = 1.0
    d_rows = np.arange(n_sent).repeat(len(DENSE))
    d_cols = np.empty((n_sent, len(DENSE)), dtype=np.int64)
    d_cols[:] = _DENSE_COLUMNS + (1 << bits)
    return (np.concatenate([h_rows, d_rows]), np.concatenate([h_cols, d_cols.reshape(-1)]),
            np.concatenate([h_vals, dense.reshape(-1)]), n_sent)
