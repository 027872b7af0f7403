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
from types import MappingProxyType
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.learn.features import as_int_array, document_hashes, laid_out_tokens
from rhetoric.learn.hashing import P2, PAD, TokenHashes, mix64_into, text_hash
from rhetoric.lexicon.lexicons import LABELS

__all__ = ["N_CORE", "TokenFeatures", "label_hash", "label_keys", "match_arrays", "token_features"]

_START = np.uint64(text_hash("<s>"))
_END = np.uint64(text_hash("</s>"))
N_CORE = 14
_LEX_SALT, _LEX_PREV_SALT, _LEX_NEXT_SALT = 101, 102, 103
_SALTS = (_LEX_SALT, _LEX_SALT + 50, _LEX_NEXT_SALT, _LEX_PREV_SALT)
_LEX_CATEGORIES = ("hedge", "booster", "attribution", "technique", "state_media")
_CORE_SALTS = tuple(range(1, N_CORE + 1))
_CORE_SALT_ARRAY = np.asarray(_CORE_SALTS, dtype=np.uint64)
_LEX_SALT_ARRAY = np.asarray(_SALTS, dtype=np.uint64)
_CORE_SALT_ARRAY.flags.writeable = _LEX_SALT_ARRAY.flags.writeable = False


@dataclass(frozen=True)
class TokenFeatures:
    """``core`` (n_tokens, N_CORE) hashed indices; ``lex_rows``/``lex_cols``: extra (token, index) pairs."""

    core: np.ndarray
    lex_rows: np.ndarray
    lex_cols: np.ndarray

    @property
    def n_tokens(self) -> int:
        return int(self.core.shape[0])


def _shift_into(out: np.ndarray, a: np.ndarray, k: int, same: np.ndarray | None, pad: np.uint64) -> None:
    """``out[i] = a[i + k]`` where token ``i + k`` is in the sentence of token ``i``, else ``pad``
    (``same[i]``: tokens ``i`` and ``i + |k|`` share a sentence; ``None``: all tokens do)."""
    out[:] = pad
    dst, src = (out[:-k], a[k:]) if k > 0 else (out[-k:], a[:k])
    if same is None:
        dst[...] = src
    else:
        np.copyto(dst, src, where=same)


def _core_columns(th: TokenHashes, sentence_tokens: Sequence[tuple[int, int]], n: int,
                  mask: np.uint64) -> np.ndarray:
    """The ``(n, N_CORE)`` hashed core columns, written column by column into one array and mixed
    in one pass (the integers of ``mix64_columns`` over the list of columns)."""
    if not n:
        return np.zeros((0, N_CORE), dtype=np.int64)
    tr = np.asarray(sentence_tokens, dtype=np.int64).reshape(-1, 2)
    lens = tr[:, 1] - tr[:, 0]
    first = np.zeros(n, dtype=np.uint64)
    first[tr[lens > 0, 0]] = 1
    same1 = same2 = None          # with one sentence, every token counts as in it (sentence id 0)
    if len(tr) > 1:
        sent_id = np.zeros(n, dtype=np.int64)    # tokens outside every sentence: id 0, as before
        sent_id[laid_out_tokens(tr)] = np.repeat(np.arange(len(tr)), lens)
        same1, same2 = sent_id[1:] == sent_id[:-1], sent_id[2:] == sent_id[:-2]
    h, suf, shp = th.h, th.suf, th.shp
    z = np.empty((n, N_CORE), dtype=np.uint64)
    m1, p1, m2, p2 = z[:, 1], z[:, 2], z[:, 3], z[:, 4]
    z[:, 0] = h
    _shift_into(m1, h, -1, same1, _START)
    _shift_into(p1, h, 1, same1, _END)
    _shift_into(m2, h, -2, same2, _START)
    _shift_into(p2, h, 2, same2, _END)
    z[:, 5] = suf
    z[:, 6] = shp
    # pair columns: pair_key(a, b) = (a * P2) ^ b
    h_p2 = h * P2
    np.multiply(m1, P2, out=z[:, 7])
    z[:, 7] ^= h
    np.bitwise_xor(h_p2, p1, out=z[:, 8])
    _shift_into(z[:, 9], shp, 1, same1, _END)
    z[:, 9] ^= h_p2
    np.bitwise_xor(h_p2, first, out=z[:, 10])
    np.bitwise_xor(h_p2, p2, out=z[:, 11])
    np.multiply(m2, P2, out=z[:, 12])
    z[:, 12] ^= m1
    z[:, 13] = PAD
    mix64_into(z, _CORE_SALT_ARRAY, out=z)     # column j: mix64(value, salt j + 1)
    z &= mask
    return z.view(np.int64)


_FEW_MATCHES = 16     # up to this many matches the (token, key) pairs are listed in Python


def _lexicon_columns(matches: Sequence[Any], seg: Any, n: int, mask: np.uint64
                     ) -> tuple[np.ndarray, np.ndarray]:
    """``(token, index)`` pairs of the lexicon matches, per salt in match order (head token, other
    covered tokens, the token before, the token after), hashed in one ``mix64`` pass.

    A match covers tokens ``a = token_at(start)`` to ``b = token_at(end - 1)``; the token before it
    is ``a - 1``, the one after ``b + 1`` when token ``b`` ends within the match. A short text's few
    matches are listed in Python (bisect), a long text's with numpy: the same pairs."""
    sel = [m for m in matches if m.entry.category in _LEX_CATEGORIES]
    if not sel:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(sel) <= _FEW_MATCHES:
        heads, tails, before, after = [], [], [], []
        hk, tk, bk, ak = [], [], [], []
        for m, key in zip(sel, label_keys(sel)):
            a, b = seg.token_at(m.start), seg.token_at(m.end - 1)
            last = min(b, n - 1)
            if last >= a:
                heads.append(a)
                hk.append(key)
                tails.extend(range(a + 1, last + 1))
                tk.extend([key] * (last - a))
            if a > 0:
                before.append(a - 1)
                bk.append(key)
            if b + 1 < n and seg.ends[b] <= m.end:
                after.append(b + 1)
                ak.append(key)
        rows = np.array(heads + tails + before + after, dtype=np.int64)
        k = np.array(hk + tk + bk + ak, dtype=np.uint64)
        sizes = [len(heads), len(tails), len(before), len(after)]
    else:
        ends = as_int_array(seg.ends)
        m_start = np.fromiter((m.start for m in sel), dtype=np.int64, count=len(sel))
        m_end = np.fromiter((m.end for m in sel), dtype=np.int64, count=len(sel))
        keys = np.array(label_keys(sel), dtype=np.uint64)
        a = np.searchsorted(ends, m_start + 1, side="left")      # seg.token_at(start)
        b = np.searchsorted(ends, m_end, side="left")            # seg.token_at(end - 1)
        span = np.maximum(np.minimum(b, n - 1) - a + 1, 0)
        match = np.repeat(np.arange(len(a)), span)
        tok = np.arange(len(match)) - np.repeat(np.cumsum(span) - span, span) + a[match]
        head = tok == a[match]
        tail = ~head
        nxt = (a > 0).nonzero()[0]
        prv = (b + 1 < n).nonzero()[0]
        prv = prv[ends[b[prv]] <= m_end[prv]]
        rows = np.concatenate([tok[head], tok[tail], a[nxt] - 1, b[prv] + 1])
        k = np.concatenate([keys[match[head]], keys[match[tail]], keys[nxt], keys[prv]])
        n_tail = int(tail.sum())
        sizes = [len(tok) - n_tail, n_tail, len(nxt), len(prv)]
    mix64_into(k, np.repeat(_LEX_SALT_ARRAY, sizes), out=k)
    k &= mask
    return rows, k.view(np.int64)


def token_features(analysis: Analysis, bits: int, hashes: TokenHashes | None = None) -> TokenFeatures:
    """Hashed feature indices of every token of the document.

    ``hashes``: the shared pass's token hashes (``DocumentFeatures.hashes``), computed here if None.
    """
    seg = analysis.seg
    n = len(seg.words)
    mask = np.uint64((1 << bits) - 1)
    core = _core_columns(document_hashes(analysis, hashes), seg.sentence_tokens, n, mask)
    rows, cols = _lexicon_columns(analysis.matches, seg, n, mask)
    return TokenFeatures(core, rows, cols)


def match_arrays(matches: Sequence[Any], categories: Sequence[str] | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(start, end, label_hash)`` arrays of the matches (of ``categories`` only, when given)."""
    sel = list(matches) if categories is None else [m for m in matches if m.entry.category in categories]
    return (np.fromiter((m.start for m in sel), dtype=np.int64, count=len(sel)),
            np.fromiter((m.end for m in sel), dtype=np.int64, count=len(sel)),
            np.array(label_keys(sel), dtype=np.uint64).reshape(-1))


def label_keys(matches: Sequence[Any]) -> list[int]:
    """:func:`label_hash` of each match's label: the shipped labels' from a table built at import."""
    keys = []
    for m in matches:
        e = m.entry
        key = _KNOWN_LABELS.get((e.category, e.label))
        keys.append(label_hash(e.category, e.label) if key is None else key)
    return keys


def label_hash(category: str, label: str) -> int:
    """Hash of a lexicon label as a feature (a crc32; the shipped labels' are in a read-only table)."""
    return text_hash(f"{category}:{label}")


_KNOWN_LABELS = MappingProxyType({(c, lab): label_hash(c, lab) for c, labels in LABELS.items() for lab in labels})
