"""One feature pass per document, shared by every trained head (numpy only).

The pipeline builds ``features = DocumentFeatures(analysis)`` once per document (from the
:class:`~rhetoric.analysis.Analysis` it already has) and hands the same object to every head:
the propaganda sentence and span heads, and the sourcing, hedging and state-media heads. A head
never re-tokenises or re-hashes; it asks this object for the columns it needs, and the object
computes each kind of column once and keeps it for the next head.

API (all arrays are numpy, read-only where cached; "units" are the sentences unless ``ranges`` --
character ranges ``[(start, end), ...]`` sorted by start -- are given)::

    f = DocumentFeatures(analysis)
    f.text, f.seg, f.analysis           # the inputs
    f.hashes.h / .suf / .shp            # uint64 word, suffix and shape hash of every token
    f.token_starts, f.token_ends        # int64 offsets of every token
    f.is_word                           # bool, False for punctuation tokens
    f.hashes.ids, f.hashes.vocab        # distinct-word id of every token, the distinct words
    f.hashes.cap                        # bool, the token's original text starts upper case

    u = f.units(ranges=None)            # Units: the compact token layout of the units
    u.n, u.ranges                       # number of units, their character ranges
    u.tok, u.row, u.pos                 # per laid-out token: token index, unit index, position in unit
    u.lengths, u.first                  # tokens per unit, index of each unit's first laid-out token

    g = f.ngram_rows(bits, ngram_range=(1, 2), ranges=None)   # HashedRows, for sentence heads
    g.rows, g.cols                      # one entry per n-gram: unit index, hashed column in 2**bits
    g.inv_norm                          # 1/sqrt(n-grams of the unit): the value of each entry
    g.src, g.kind                       # laid-out token index of the n-gram's first token; 0 uni, 1 bi

    f.token_columns(bits, ranges=None)  # (m, 14) int64 hashed window columns per laid-out token
    f.surface_rows(ranges=None)         # (n, 15) dense surface columns, names SURFACE_NAMES
    f.evidence_rows(ranges=None)        # (n, 49) lexicon/attribution/surface counts
                                        #   (rhetoric.learn.evidence.feature_names)

Hashing is fixed and documented in :mod:`rhetoric.learn.hashing`; n-gram column of a unigram:
``mix64(h, 1) & (2**bits - 1)``, of a bigram (both tokens in one unit): ``pair64(h1, h2, 2) & mask``.
The token window columns (salts 11-24) are listed in :meth:`DocumentFeatures.token_columns`.
A head that needs a sparse training matrix uses :mod:`rhetoric.learn.linear`.

A DocumentFeatures belongs to one document and one call; its caches are plain per-instance dicts,
so nothing is shared between threads scoring different documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rhetoric.learn.hashing import (
    PAD,
    SHAPE_XX,
    TokenHashes,
    as_int_array,
    mix64,
    mix64_columns,
    pair64,
    pair_key,
    text_hash,
    token_hashes,
)

__all__ = ["N_TOKEN_COLUMNS", "POSITION_COLUMNS", "SURFACE_NAMES", "DocumentFeatures", "HashedRows", "Units",
           "as_int_array", "document_hashes", "laid_out_tokens"]

SURFACE_NAMES = ("log_tokens", "log_chars", "first_sentence", "relative_position", "first_five",
                 "quotes", "has_quote", "exclamations", "questions", "capitalised_share", "all_caps_words",
                 "digit_share", "commas", "log_document_sentences", "bias")
POSITION_COLUMNS = (2, 3, 4, 13)   # the surface columns that depend on the unit's place in the document
N_TOKEN_COLUMNS = 14
SALT_UNIGRAM, SALT_BIGRAM = 1, 2
_WINDOW_SALTS = tuple(range(11, 11 + N_TOKEN_COLUMNS))

_H_QUOTE = np.uint64(text_hash('"'))
_H_EXCL, _H_QUEST, _H_COMMA = (np.uint64(text_hash(c)) for c in "!?,")
_SHAPE_CAP = np.array([text_hash("S:" + s) for s in ("X", "XX", "Xx")], dtype=np.uint64)
_SHAPE_DIGIT = np.array([text_hash("S:" + s) for s in ("D", "a1")], dtype=np.uint64)
_SHAPE_XX = np.uint64(SHAPE_XX)


def document_hashes(analysis: Any, hashes: TokenHashes | None = None, with_shape: bool = True) -> TokenHashes:
    """``hashes`` (the shared pass's, ``DocumentFeatures.hashes``) when given, and with shapes when
    they are asked for; else the token hashes of ``analysis``: what a head scoring without the shared
    pass (training, a head called alone) computes."""
    if hashes is not None and (hashes.cap is not None or not with_shape):
        return hashes
    seg = analysis.seg
    return token_hashes(analysis.text, seg.words, seg.starts, seg.ends, with_shape=with_shape,
                        normalized=analysis.normalized)


def laid_out_tokens(tok_ranges: Any) -> np.ndarray:
    """The token index of each position when the token ranges ``[i, j)`` are laid out one after
    another (int64): the gather index from a unit-by-unit layout back to the document's tokens."""
    tr = np.asarray(tok_ranges, dtype=np.int64).reshape(-1, 2)
    lens = tr[:, 1] - tr[:, 0]
    return np.arange(int(lens.sum())) + np.repeat(tr[:, 0] - (np.cumsum(lens) - lens), lens)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Units:
    """The tokens of the units laid out one after another (``tok``: token index, ``row``: unit)."""

    ranges: list[tuple[int, int]]
    tok_ranges: np.ndarray      # (n, 2) token index range [i, j) of each unit
    tok: np.ndarray
    row: np.ndarray
    pos: np.ndarray             # position of the token in its unit
    lengths: np.ndarray         # tokens per unit
    first: np.ndarray           # laid-out index of each unit's first token

    @property
    def n(self) -> int:
        return len(self.ranges)


@dataclass(frozen=True, eq=False)
class HashedRows:
    """Hashed n-gram entries of the units: value of entry i is ``inv_norm[rows[i]]`` at ``cols[i]``."""

    n: int
    bits: int
    rows: np.ndarray
    cols: np.ndarray
    src: np.ndarray
    kind: np.ndarray
    inv_norm: np.ndarray


class DocumentFeatures:
    """Token hashes of one analysed document, and the columns every head derives from them."""

    def __init__(self, analysis: Any) -> None:
        self.analysis = analysis
        self.text: str = analysis.text
        self.seg = seg = analysis.seg
        self.token_starts = _frozen(as_int_array(seg.starts))
        self.token_ends = _frozen(as_int_array(seg.ends))
        self.hashes: TokenHashes = document_hashes(analysis)
        for a in (self.hashes.h, self.hashes.suf, self.hashes.shp, self.hashes.ids, self.hashes.vocab_h,
                  self.hashes.cap):
            _frozen(a)
        self._cache: dict[tuple[Any, ...], Any] = {}

    @property
    def matches(self) -> Any:
        return self.analysis.matches

    @property
    def is_word(self) -> np.ndarray:
        key = ("is_word",)
        if key not in self._cache:
            w = self.seg.is_word
            self._cache[key] = _frozen(np.fromiter(w, dtype=bool, count=len(w)))
        return self._cache[key]

    @staticmethod
    def _key(ranges: Any) -> Any:
        return None if ranges is None else tuple((int(s), int(e)) for s, e in ranges)

    # -- layout --------------------------------------------------------------------------------
    def units(self, ranges: Any = None) -> Units:
        """The compact token layout of the sentences (or of ``ranges``)."""
        key = ("units", self._key(ranges))
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        seg = self.seg
        if ranges is None:
            ranges = seg.sentences
            tok_ranges = np.asarray(seg.sentence_tokens, dtype=np.int64).reshape(-1, 2)
        else:
            b = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
            tok_ranges = np.stack([np.searchsorted(self.token_starts, b[:, 0], "left"),
                                   np.searchsorted(self.token_starts, b[:, 1], "left")], 1)
        rng = [(int(s), int(e)) for s, e in ranges]
        n = len(rng)
        lens = (tok_ranges[:, 1] - tok_ranges[:, 0]) if n else np.zeros(0, np.int64)
        row = np.repeat(np.arange(n), lens)
        first = np.cumsum(lens) - lens
        offs = np.arange(len(row)) - np.repeat(first, lens)
        tok = np.repeat(tok_ranges[:, 0] if n else np.zeros(0, np.int64), lens) + offs
        u = Units(rng, _frozen(tok_ranges), _frozen(tok), _frozen(row), _frozen(offs), _frozen(lens), _frozen(first))
        self._cache[key] = u
        return u

    # -- sentence heads ------------------------------------------------------------------------
    def ngram_rows(self, bits: int, ngram_range: tuple[int, int] = (1, 2), ranges: Any = None) -> HashedRows:
        """Hashed uni-/bigram entries of each unit; bigrams never cross a unit boundary."""
        key = ("ngrams", int(bits), tuple(ngram_range), self._key(ranges))
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        u = self.units(ranges)
        h = self.hashes.h[u.tok]
        mask = np.uint64((1 << bits) - 1)
        lo, hi = ngram_range
        cols, rows, src, kind = [], [], [], []
        if lo <= 1 <= hi:
            cols.append(mix64(h, SALT_UNIGRAM) & mask)
            rows.append(u.row)
            src.append(np.arange(len(h)))
            kind.append(np.zeros(len(h), np.int8))
        if lo <= 2 <= hi and len(h) > 1:
            same = u.row[1:] == u.row[:-1]
            cols.append(pair64(h[:-1][same], h[1:][same], SALT_BIGRAM) & mask)
            rows.append(u.row[:-1][same])
            src.append(np.flatnonzero(same))
            kind.append(np.ones(int(same.sum()), np.int8))
        c = np.concatenate(cols).astype(np.int64) if cols else np.zeros(0, np.int64)
        r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        cnt = np.bincount(r, minlength=u.n).astype(np.float64)
        g = HashedRows(u.n, int(bits), _frozen(r), _frozen(c),
                       _frozen(np.concatenate(src) if src else np.zeros(0, np.int64)),
                       _frozen(np.concatenate(kind) if kind else np.zeros(0, np.int8)),
                       _frozen(1.0 / np.sqrt(np.maximum(cnt, 1.0))))
        self._cache[key] = g
        return g

    def surface_rows(self, ranges: Any = None) -> np.ndarray:
        """(n, 15) dense surface columns of each unit (:data:`SURFACE_NAMES`), position included."""
        key = ("surface", self._key(ranges))
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        u = self.units(ranges)
        n, row = u.n, u.row
        h, shp = self.hashes.h[u.tok], self.hashes.shp[u.tok]

        def count(m: np.ndarray) -> np.ndarray:
            return np.bincount(row[m], minlength=n).astype(np.float64)

        ntok = u.lengths.astype(np.float64)
        nchar = np.array([e - s for s, e in u.ranges], dtype=np.float64)
        nq = count(h == _H_QUOTE)
        cap = count((shp == _SHAPE_CAP[0]) | (shp == _SHAPE_CAP[1]) | (shp == _SHAPE_CAP[2]))  # np.isin's values
        dig = count((shp == _SHAPE_DIGIT[0]) | (shp == _SHAPE_DIGIT[1]))
        D = np.zeros((n, len(SURFACE_NAMES)), dtype=np.float64)
        if n:
            idx = np.arange(n)
            ntok1 = np.maximum(ntok, 1.0)
            D[:, 0] = np.log1p(ntok)
            D[:, 1] = np.log1p(nchar) / 3.0
            D[:, 2] = idx == 0
            D[:, 3] = idx / n
            D[:, 4] = idx < 5
            D[:, 5] = np.minimum(nq, 6) / 2.0
            D[:, 6] = nq > 0
            D[:, 7] = np.minimum(count(h == _H_EXCL), 3)
            D[:, 8] = np.minimum(count(h == _H_QUEST), 3)
            D[:, 9] = cap / ntok1
            D[:, 10] = np.minimum(count(shp == _SHAPE_XX), 5) / 2.0
            D[:, 11] = dig / ntok1 * 2.0
            D[:, 12] = np.minimum(count(h == _H_COMMA), 6) / 2.0
            D[:, 13] = np.log1p(n) / 3.0
            D[:, 14] = 1.0
        self._cache[key] = _frozen(D)
        return D

    def evidence_rows(self, ranges: Any = None) -> np.ndarray:
        """(n, 49) raw lexicon, attribution and surface counts (:mod:`rhetoric.learn.evidence`)."""
        key = ("evidence", self._key(ranges))
        if key not in self._cache:
            from rhetoric.learn.evidence import sentence_feature_rows
            u = self.units(ranges)
            rows = sentence_feature_rows(self.text, self.seg, self.analysis.matches or [], u.ranges, features=self)
            self._cache[key] = _frozen(rows)
        return self._cache[key]  # type: ignore[no-any-return]

    # -- token taggers -------------------------------------------------------------------------
    def token_columns(self, bits: int, ranges: Any = None) -> np.ndarray:
        """(m, 14) hashed window columns of every laid-out token; the window never leaves its unit.

        Columns (salt): word (11), word -1 (12), +1 (13), -2 (14), +2 (15), pair (-1, 0) (16),
        pair (0, +1) (17), shape (18), shape pair (-1, 0) (19), suffix (20), position in unit capped
        at 5 (21), relative position quartile (22), inside quotes (23), unit length bucket (24).
        """
        key = ("window", int(bits), self._key(ranges))
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        u = self.units(ranges)
        m, row = len(u.row), u.row
        h, shp, suf = self.hashes.h[u.tok], self.hashes.shp[u.tok], self.hashes.suf[u.tok]
        mask = np.uint64((1 << bits) - 1)

        def shift(a: np.ndarray, k: int) -> np.ndarray:
            out = np.full(m, PAD, dtype=np.uint64)
            if k > 0 and m > k:
                ok = row[k:] == row[:-k]
                out[:-k][ok] = a[k:][ok]
            elif k < 0 and m > -k:
                k = -k
                ok = row[k:] == row[:-k]
                out[k:][ok] = a[:-k][ok]
            return out

        if not m:
            out = np.zeros((0, N_TOKEN_COLUMNS), np.int64)
        else:
            hm1, hp1, hm2, hp2, sm1 = shift(h, -1), shift(h, 1), shift(h, -2), shift(h, 2), shift(shp, -1)
            pos = u.pos
            slen = u.lengths[row]
            isq = (h == _H_QUOTE).astype(np.int64)
            cq = np.cumsum(isq) - isq
            inq = (((cq - cq[u.first[row]]) % 2) == 1).astype(np.uint64)
            posb = np.minimum(pos, 5).astype(np.uint64)
            relb = ((pos * 4) // np.maximum(slen, 1)).astype(np.uint64)
            lenb = np.digitize(slen, [5, 10, 15, 20, 30, 40, 60]).astype(np.uint64)
            values = [h, hm1, hp1, hm2, hp2, pair_key(hm1, h), pair_key(h, hp1), shp, pair_key(sm1, shp), suf,
                      posb, relb, inq, lenb]         # mix64(value, salt 11 + column): one pass for all
            out = (mix64_columns(values, _WINDOW_SALTS) & mask).astype(np.int64)
        self._cache[key] = _frozen(out)
        return out
