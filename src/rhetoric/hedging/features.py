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

from dataclasses import dataclass

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.learn.hashing import PAD, TokenHashes, mix64, pair64, text_hash, token_hashes

__all__ = ["TokenFeatures", "token_features", "N_CORE"]

_START = np.uint64(text_hash("<s>"))
_END = np.uint64(text_hash("</s>"))
N_CORE = 14
_LEX_SALT, _LEX_PREV_SALT, _LEX_NEXT_SALT = 101, 102, 103
_SALTS = (_LEX_SALT, _LEX_SALT + 50, _LEX_NEXT_SALT, _LEX_PREV_SALT)
_LEX_CATEGORIES = ("hedge", "booster", "attribution", "technique", "state_media")


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
    th = hashes if hashes is not None else token_hashes(analysis.text, seg.words, seg.starts, seg.ends)
    sent_id = np.zeros(n, dtype=np.int64)
    first = np.zeros(n, dtype=bool)
    for k, (i, j) in enumerate(seg.sentence_tokens):
        sent_id[i:j] = k
        if j > i:
            first[i] = True
    h, suf, shp = th.h, th.suf, th.shp
    m1, p1 = _shifted(h, sent_id, -1, _START), _shifted(h, sent_id, 1, _END)
    m2, p2 = _shifted(h, sent_id, -2, _START), _shifted(h, sent_id, 2, _END)
    shp_p1 = _shifted(shp, sent_id, 1, _END)
    cols = [
        mix64(h, 1), mix64(m1, 2), mix64(p1, 3), mix64(m2, 4), mix64(p2, 5), mix64(suf, 6), mix64(shp, 7),
        pair64(m1, h, 8), pair64(h, p1, 9), pair64(h, shp_p1, 10), pair64(h, first.astype(np.uint64), 11),
        pair64(h, p2, 12), pair64(m2, m1, 13), mix64(np.full(n, PAD, dtype=np.uint64), 14),
    ]
    core = (np.stack(cols, axis=1) & mask).astype(np.int64) if n else np.zeros((0, N_CORE), dtype=np.int64)
    # lexicon matches: (token, key) pairs per salt, hashed in one call per salt
    pairs: dict[int, tuple[list[int], list[int]]] = {s: ([], []) for s in _SALTS}
    ends = seg.ends
    for m in analysis.matches:
        cat = m.entry.category
        if cat not in _LEX_CATEGORIES:
            continue
        a = seg.token_at(m.start)
        b = seg.token_at(m.end - 1)
        key = label_hash(cat, m.entry.label)
        for t in range(a, min(b, n - 1) + 1):
            r, k = pairs[_LEX_SALT + (0 if t == a else 50)]
            r.append(t); k.append(key)
        if a > 0:
            pairs[_LEX_NEXT_SALT][0].append(a - 1); pairs[_LEX_NEXT_SALT][1].append(key)
        if b + 1 < n and ends[b] <= m.end:
            pairs[_LEX_PREV_SALT][0].append(b + 1); pairs[_LEX_PREV_SALT][1].append(key)
    rows = [np.asarray(r, dtype=np.int64) for r, _ in pairs.values()]
    cols = [(mix64(np.asarray(k, dtype=np.uint64), salt) & mask).astype(np.int64) for salt, (_, k) in pairs.items()]
    return TokenFeatures(core, np.concatenate(rows), np.concatenate(cols))


def label_hash(category: str, label: str) -> int:
    """Hash of a lexicon label as a feature (a crc32: cheap enough that no cache is kept)."""
    return text_hash(f"{category}:{label}")
