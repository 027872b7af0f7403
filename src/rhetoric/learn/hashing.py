"""Feature hashing of the engine's tokens, numpy only (no scikit-learn, no vocabulary).

Every model stage reads the tokens of :class:`~rhetoric.text.segment.Segmentation` (``seg.words``, the
normalised lower-case token strings, and ``seg.starts``/``seg.ends``); there is no second
tokeniser. The hashes are fixed and documented so that a saved model can be re-implemented:

* ``utf8(s) = s.encode("utf-8", "surrogatepass")``: plain UTF-8, except that a lone surrogate
  (legal in a Python ``str``, e.g. ``"\\ud800"``) becomes its three-byte form instead of an error;
* token hash   ``h   = crc32(utf8(word))`` of the normalised word;
* suffix hash  ``suf = crc32(utf8("X:" + word[-3:]))``;
* shape hash   ``shp = crc32(utf8("S:" + shape(surface)))`` of the original token text
  (``shape``: ``D`` digits, ``XX``/``X`` upper case, ``Xx`` capitalised, ``x`` lower, ``a1``
  alphanumeric mix, ``p<c>`` one punctuation character, ``P`` longer punctuation);
* feature index ``mix64(h, salt) & (2**bits - 1)``, where ``mix64`` is the splitmix64 finaliser of
  ``h * 0x9E3779B97F4A7C15 + salt`` (uint64 wrap-around), and a pair of tokens is
  ``mix64((a * 0xC2B2AE3D27D4EB4F) ^ b, salt)``.

Why per distinct string: a document repeats its words, so :func:`token_hashes` maps every token to
an id of its distinct word (and of its distinct surface string) with C-level dict look-ups and
hashes only the distinct strings; the per-token work is numpy gathers. The ids and the distinct
words are kept (:class:`TokenHashes`), so every head derives its per-word facts (stems, masks) once
per distinct word. :func:`crc32_concat` gives the crc32 of a concatenation from the crc32 of its
parts, vectorised, so that heads hashing word pairs as strings ("a b") need no string per pair.

Nothing is cached between calls: there is no module-level mutable state, so threads can hash
concurrently.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from itertools import repeat
from operator import getitem
from typing import Any

import numpy as np

__all__ = ["PAD", "TokenHashes", "as_int_array", "crc32_concat", "mix64", "mix64_columns", "mix64_into", "pair64", "pair_key",
           "shape", "shape_hashes", "text_hash", "text_hashes", "token_hashes", "utf8_lengths"]

P1 = np.uint64(0x9E3779B97F4A7C15)
P2 = np.uint64(0xC2B2AE3D27D4EB4F)
PAD = np.uint64(0x5A5A5A5A)   # the "no token" hash beyond a sentence edge
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _finalise(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place on a uint64 array of one dimension or more (array arithmetic
    wraps around silently; NumPy warns on scalar overflow only, so callers never pass a scalar), with
    one scratch array for the shifts."""
    tmp = np.empty_like(z)
    z ^= np.right_shift(z, np.uint64(30), out=tmp)
    z *= _M1
    z ^= np.right_shift(z, np.uint64(27), out=tmp)
    z *= _M2
    z ^= np.right_shift(z, np.uint64(31), out=tmp)
    return z


def mix64_into(a: np.ndarray, salts: np.ndarray | int, out: np.ndarray | None = None) -> np.ndarray:
    """``mix64(a, salts)`` elementwise on a uint64 array (``salts`` broadcast), written into ``out``
    (which may be ``a`` itself)."""
    z = np.multiply(a, P1, out=out)
    z += salts
    return _finalise(z)


def _u64(a: np.ndarray | int) -> np.ndarray:
    """``a`` as a uint64 array of at least one dimension (array arithmetic wraps around silently)."""
    return np.asarray(a, dtype=np.uint64).reshape(-1) if np.ndim(a) == 0 else np.asarray(a, dtype=np.uint64)


def mix64(a: np.ndarray | int, salt: int) -> np.ndarray:
    """splitmix64 finaliser of ``a * P1 + salt`` (uint64, wrap-around)."""
    if np.ndim(a) == 0:
        return _finalise(_u64(a) * P1 + np.uint64(salt))[0]
    return _finalise(np.asarray(a, dtype=np.uint64) * P1 + np.uint64(salt))


def pair64(a: np.ndarray, b: np.ndarray, salt: int) -> np.ndarray:
    """Hash of an ordered pair of token hashes."""
    return mix64(pair_key(a, b), salt)


def pair_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The value ``pair64`` mixes: ``pair64(a, b, salt) == mix64(pair_key(a, b), salt)``."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        return ((_u64(a) * P2) ^ _u64(b))[0]
    return (np.asarray(a, dtype=np.uint64) * P2) ^ np.asarray(b, dtype=np.uint64)


def mix64_columns(columns: Sequence[np.ndarray], salts: Sequence[int]) -> np.ndarray:
    """``(n, k)`` array whose column ``j`` is ``mix64(columns[j], salts[j])``: one pass over all columns
    instead of a call per column (the same integers)."""
    z = np.stack([np.asarray(c, dtype=np.uint64) for c in columns], axis=1)
    z *= P1
    z += np.asarray(salts, dtype=np.uint64)[None, :]
    return _finalise(z)


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def text_hash(s: str) -> int:
    return zlib.crc32(_utf8(s))


def text_hashes(strings: Sequence[str]) -> np.ndarray:
    """``text_hash`` of each string (uint64), the loop in C (``map``), not in Python."""
    encoded = map(str.encode, strings, repeat("utf-8"), repeat("surrogatepass"))
    return np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(strings))


def utf8_lengths(strings: Sequence[str]) -> np.ndarray:
    """Length in bytes of ``utf8(s)`` of each string (int64)."""
    encoded = map(str.encode, strings, repeat("utf-8"), repeat("surrogatepass"))
    return np.fromiter(map(len, encoded), dtype=np.int64, count=len(strings))


def shape(t: str) -> str:
    if t.isdigit():
        return "D"
    if t.isalpha():
        if t.isupper():
            return "XX" if len(t) > 1 else "X"
        if t[0].isupper():
            return "Xx"
        return "x"
    if t.isalnum():
        return "a1"
    return "p" + t if len(t) == 1 else "P"


SHAPE_XX = zlib.crc32(b"S:XX")
_SHAPE_TABLE = np.array([zlib.crc32(b"S:" + k.encode()) for k in ("D", "XX", "X", "Xx", "x", "a1", "P")],
                        dtype=np.uint64)
_SHAPE_TABLE.flags.writeable = False


def _flags(test: Any, strings: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(test, strings), dtype=bool, count=len(strings))


def shape_hashes(strings: Sequence[str]) -> np.ndarray:
    """``crc32(utf8("S:" + shape(t)))`` of each non-empty string: :func:`shape` as numpy selects over
    the ``str`` tests, run in C; only one-character punctuation (``p<c>``) is hashed one by one."""
    return _shapes_and_caps(strings)[0]


def _shapes_and_caps(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`shape_hashes` of the strings, and whether each starts with an upper-case letter (which
    the shapes test anyway)."""
    n = len(strings)
    if not n:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    digit, alpha, upper, alnum = (_flags(f, strings)
                                  for f in (str.isdigit, str.isalpha, str.isupper, str.isalnum))
    first_up = _flags(str.isupper, list(map(getitem, strings, repeat(0))))
    one = np.fromiter(map(len, strings), dtype=np.int64, count=n) == 1
    kind = np.where(digit, 0, np.where(alpha, np.where(upper, np.where(one, 2, 1), np.where(first_up, 3, 4)),
                                       np.where(alnum, 5, 6)))
    out = _SHAPE_TABLE[kind]
    punct = np.flatnonzero(~alnum & one)
    if len(punct):
        out[punct] = text_hashes(["S:p" + strings[k] for k in punct.tolist()])
    return out, first_up

# -- crc32 of a concatenation ------------------------------------------------------------------
# zlib's crc32 register after a zero byte is ``r -> T[r & 255] ^ (r >> 8)``, linear over GF(2), so
# ``crc32(A + B) = crc32(B) ^ Z^len(B)(crc32(A))`` with ``Z^n`` that step n times. ``_ZERO[n, j, v]``
# is ``Z^n(v << 8j)``: four table look-ups apply ``Z^n`` to a 32-bit value. A read-only constant.


def _zero_tables(longest: int) -> np.ndarray:
    t = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        t = np.where(t & 1, (t >> 1) ^ np.uint32(0xEDB88320), t >> 1)
    shifts = np.arange(4, dtype=np.uint32)[:, None] * 8
    cur = (np.arange(256, dtype=np.uint32)[None, :] << shifts).astype(np.uint32)
    out = np.empty((longest + 1, 4, 256), dtype=np.uint32)
    out[0] = cur
    for n in range(1, longest + 1):
        cur = t[cur & 255] ^ (cur >> 8)
        out[n] = cur
    return out


_ZERO_STEP = 64
_ZERO = _zero_tables(_ZERO_STEP).reshape(-1)
_ZERO.flags.writeable = False


def crc32_concat(crc_a: np.ndarray, crc_b: np.ndarray, len_b: np.ndarray) -> np.ndarray:
    """``crc32(A + B)`` (uint64) from ``crc32(A)``, ``crc32(B)`` and the byte length of ``B``, elementwise."""
    r = np.asarray(crc_a, dtype=np.uint64).astype(np.int64)
    rest = np.asarray(len_b, dtype=np.int64)
    while True:
        step = np.minimum(rest, _ZERO_STEP) * 1024
        r = (_ZERO[step + (r & 255)] ^ _ZERO[step + (256 + ((r >> 8) & 255))]
             ^ _ZERO[step + (512 + ((r >> 16) & 255))] ^ _ZERO[step + (768 + (r >> 24))]).astype(np.int64)
        rest = rest - _ZERO_STEP
        if not (rest > 0).any():
            break
        rest = np.maximum(rest, 0)
    return r.astype(np.uint64) ^ np.asarray(crc_b, dtype=np.uint64)


class TokenHashes:
    """Hashes of a run of tokens: ``h`` (word), ``suf`` (suffix), ``shp`` (shape), uint64 arrays.

    ``ids`` (int64) maps each token to its distinct word ``vocab[ids[i]]`` (first-seen order), and
    ``cap`` (bool, or None without shapes) says whether the token's original text starts with an
    upper-case letter; ``vocab_h`` is the word hash of each distinct word (``h == vocab_h[ids]``).
    """

    __slots__ = ("cap", "h", "ids", "shp", "suf", "vocab", "vocab_h")

    def __init__(self, h: np.ndarray, suf: np.ndarray, shp: np.ndarray, ids: np.ndarray | None = None,
                 vocab: list[str] | None = None, vocab_h: np.ndarray | None = None,
                 cap: np.ndarray | None = None) -> None:
        self.h, self.suf, self.shp = h, suf, shp
        self.ids, self.vocab, self.vocab_h, self.cap = ids, vocab, vocab_h, cap

    def word_id(self, word: str) -> int:
        """The id of ``word`` in ``vocab``, -1 when the document does not have it."""
        try:
            return self.vocab.index(word) if self.vocab is not None else -1
        except ValueError:
            return -1

    def is_word(self, word: str) -> np.ndarray:
        """Per token: is it ``word``? (compared as strings, through the ids)."""
        k = self.word_id(word)
        return self.ids == k if k >= 0 else np.zeros(len(self.h), dtype=bool)


def _distinct(items: list[Any]) -> tuple[list[Any], np.ndarray]:
    """The distinct items in first-seen order and the id of every item (dict look-ups in C)."""
    distinct = list(dict.fromkeys(items))
    index = dict(zip(distinct, range(len(distinct))))
    return distinct, np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))


def _differs(text: str, normalized: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per token: does its original text differ from its normalised text (``words[i]``)?"""
    a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    b = np.frombuffer(normalized.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    changed = np.zeros(len(a) + 1, dtype=np.int64)
    np.cumsum(a != b, out=changed[1:])
    return changed[ends] != changed[starts]


def token_hashes(text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                 with_shape: bool = True, normalized: str | None = None) -> TokenHashes:
    """Hashes of the tokens ``words[i]`` whose original text is ``text[starts[i]:ends[i]]``.

    Each distinct word and surface string is hashed once per call; the look-up tables live only
    for the call, so threads scoring different documents share nothing. ``normalized`` (the text
    the words were cut from, same length as ``text``) lets tokens whose surface equals their word
    take the word's shape, so only the others are sliced out of ``text``.
    """
    n = len(words)
    if not n:
        z = np.zeros(0, dtype=np.uint64)
        return TokenHashes(z, z.copy(), z.copy(), np.zeros(0, np.int64), [], z.copy(), np.zeros(0, bool))
    vocab, ids = _distinct(words if isinstance(words, list) else list(words))
    vocab_h = text_hashes(vocab)
    suf = text_hashes(list(map("X:".__add__, map(getitem, vocab, repeat(slice(-3, None))))))
    cap = None
    if not with_shape:
        shp = np.zeros(n, dtype=np.uint64)
    elif normalized is not None and len(normalized) == len(text):
        # tokens spelt as their word: the word's shape; the rest: the shape of their own text
        shp, cap = (x[ids] for x in _shapes_and_caps(vocab))
        st, en = as_int_array(starts), as_int_array(ends)
        other = np.flatnonzero(_differs(text, normalized, st, en))
        if len(other):
            cut = map(slice, st[other].tolist(), en[other].tolist())
            surfaces, sid = _distinct(list(map(text.__getitem__, cut)))
            shp[other], cap[other] = (x[sid] for x in _shapes_and_caps(surfaces))
    else:
        surfaces, sid = _distinct(list(map(text.__getitem__, map(slice, starts, ends))))
        shp, cap = (x[sid] for x in _shapes_and_caps(surfaces))
    return TokenHashes(vocab_h[ids], suf[ids], shp, ids, vocab, vocab_h, cap)


def as_int_array(a: Any) -> np.ndarray:
    """An ``array.array`` of offsets (``Segmentation.starts``) or a sequence as an int64 array."""
    if hasattr(a, "typecode"):
        return np.frombuffer(a, dtype=np.int32 if a.typecode == "i" else np.int64).astype(np.int64)
    return np.asarray(a, dtype=np.int64)
