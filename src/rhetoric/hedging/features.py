"""Per-token hashed features for the hedge-cue tagger, computed once per document, numpy only.

Why these: a hedge cue is mostly decided by the word itself and its immediate neighbours ("may be"
vs "may vary", "if" vs "even if", "considered a"), so each token gets its word, suffix and shape,
the words at -2..+2, the bigrams around it, its place in the sentence, and the lexicon matches that
cover it or its neighbours (category and label, so the hand-curated hedge lexicon and the sense
filters become features rather than the decision). Every column is one hashed index in
``[0, 2**bits)``; the templates are salted so that "may" at -1 and "may" at 0 differ.

The hashes come from :mod:`rhetoric.learn.hashing` (crc32 + splitmix64), i.e. the same token
hashes as the shared feature pass; a token is the engine's own (:class:`Segmentation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.learn.features import as_int_array, document_hashes, laid_out_tokens
from rhetoric.learn.hashing import PAD, TokenHashes, mix64, mix64_columns, pair_key, text_hash

__all__ = ["N_CORE", "TokenFeatures", "label_hash", "match_arrays", "token_features"]

_START = np.uint64(text_hash("<s>"))
_END = np.uint64(text_hash("</s>"))
N_CORE = 14
_LEX_SALT, _LEX_PREV_SALT, _LEX_NEXT_SALT = 101, 102, 103
_SALTS = (_LEX_SALT, _LEX_SALT + 50, _LEX_NEXT_SALT, _LEX_PREV_SALT)
_LEX_CATEGORIES = ("hedge", "booster", "attribution", "technique", "state_media")
_CORE_SALTS = tuple(range(1, N_CORE + 1))


@dataclass(frozen=True)
class TokenFeatures:
    """``core`` (n_tokens, N_CORE) hashed indices; ``lex_rows``/``lex_cols``: extra (token, index) pairs."""

    core: np.ndarray
    lex_rows: np.ndarray
    lex_cols: np.ndarray

    @property
    def n_tokens(self) -> int:
        return int(self.core.shape[0])


def _shifted(h: np.ndarray, sent_id: np.ndarray, k: int, pad: np.uint64) -> np.ndarray:
    """``h`` shifted by ``k`` positions within each sentence, ``pad`` past its edge."""
    n = len(h)
    out = np.full(n, pad, dtype=np.uint64)
    if n == 0 or abs(k) >= n:
        return out
    if k > 0:
        same = sent_id[k:] == sent_id[:-k]
        out[:-k] = np.where(same, h[k:], pad)
    else:
        j = -k
        same = sent_id[:-j] == sent_id[j:]
        out[j:] = np.where(same, h[:-j], pad)
    return out


def token_features(analysis: Analysis, bits: int, hashes: TokenHashes | None = None) -> TokenFeatures:
    """Hashed feature indices of every token of the document.

    ``hashes``: the shared pass's token hashes (``DocumentFeatures.hashes``), computed here if None.
    """
    seg = analysis.seg
    n = len(seg.words)
    mask = np.uint64((1 << bits) - 1)
    th = document_hashes(analysis, hashes)
    tr = np.asarray(seg.sentence_tokens, dtype=np.int64).reshape(-1, 2)
    lens = tr[:, 1] - tr[:, 0]
    sent_id = np.zeros(n, dtype=np.int64)
    sent_id[laid_out_tokens(tr)] = \
        np.repeat(np.arange(len(tr)), lens)
    first = np.zeros(n, dtype=bool)
    first[tr[lens > 0, 0]] = True
    h, suf, shp = th.h, th.suf, th.shp
    m1, p1 = _shifted(h, sent_id, -1, _START), _shifted(h, sent_id, 1, _END)
    m2, p2 = _shifted(h, sent_id, -2, _START), _shifted(h, sent_id, 2, _END)
    shp_p1 = _shifted(shp, sent_id, 1, _END)
    # column j is mix64(value, salt j + 1); a pair column mixes pair_key (see pair64)
    values = [h, m1, p1, m2, p2, suf, shp, pair_key(m1, h), pair_key(h, p1), pair_key(h, shp_p1),
              pair_key(h, first.astype(np.uint64)), pair_key(h, p2), pair_key(m2, m1),
              np.full(n, PAD, dtype=np.uint64)]
    core = (mix64_columns(values, _CORE_SALTS) & mask).astype(np.int64) if n else \
        np.zeros((0, N_CORE), dtype=np.int64)
    # lexicon matches: (token, key) pairs per salt in match order, hashed in one call per salt
    m_start, m_end, keys = match_arrays(analysis.matches, _LEX_CATEGORIES)
    ends = as_int_array(seg.ends)
    a = np.searchsorted(ends, m_start + 1, side="left")      # seg.token_at(start)
    b = np.searchsorted(ends, m_end, side="left")            # seg.token_at(end - 1)
    span = np.maximum(np.minimum(b, n - 1) - a + 1, 0)
    match = np.repeat(np.arange(len(a)), span)
    tok = np.arange(len(match)) - np.repeat(np.cumsum(span) - span, span) + a[match]
    head = tok == a[match]
    nxt = np.flatnonzero(a > 0)
    prv = np.flatnonzero(b + 1 < n)
    prv = prv[ends[b[prv]] <= m_end[prv]]
    parts = ((_LEX_SALT, tok[head], keys[match[head]]), (_LEX_SALT + 50, tok[~head], keys[match[~head]]),
             (_LEX_NEXT_SALT, a[nxt] - 1, keys[nxt]), (_LEX_PREV_SALT, b[prv] + 1, keys[prv]))
    rows = [r.astype(np.int64) for _, r, _ in parts]
    cols = [(mix64(k, salt) & mask).astype(np.int64) for salt, _, k in parts]
    return TokenFeatures(core, np.concatenate(rows), np.concatenate(cols))


def match_arrays(matches: Sequence[Any], categories: Sequence[str] | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(start, end, label_hash)`` arrays of the matches (of ``categories`` only, when given)."""
    sel = [m for m in matches if categories is None or m.entry.category in categories]
    labels = [(m.entry.category, m.entry.label) for m in sel]
    table = {k: label_hash(*k) for k in set(labels)}
    keys = [table[k] for k in labels]
    return (np.fromiter((m.start for m in sel), dtype=np.int64, count=len(sel)),
            np.fromiter((m.end for m in sel), dtype=np.int64, count=len(sel)),
            np.asarray(keys, dtype=np.uint64).reshape(-1))


def label_hash(category: str, label: str) -> int:
    """Hash of a lexicon label as a feature (a crc32: cheap enough that no cache is kept)."""
    return text_hash(f"{category}:{label}")
