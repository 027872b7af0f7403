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

Nothing is cached between calls: there is no module-level mutable state, so threads can hash
concurrently.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

__all__ = ["PAD", "TokenHashes", "mix64", "pair64", "shape", "text_hash", "token_hashes"]

P1 = np.uint64(0x9E3779B97F4A7C15)
P2 = np.uint64(0xC2B2AE3D27D4EB4F)
PAD = np.uint64(0x5A5A5A5A)   # the "no token" hash beyond a sentence edge
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix64(a: np.ndarray | int, salt: int) -> np.ndarray:
    """splitmix64 finaliser of ``a * P1 + salt`` (uint64, wrap-around)."""
    with np.errstate(over="ignore"):
        z = np.asarray(a, dtype=np.uint64) * P1 + np.uint64(salt)
        z ^= z >> np.uint64(30)
        z *= _M1
        z ^= z >> np.uint64(27)
        z *= _M2
        z ^= z >> np.uint64(31)
    return z


def pair64(a: np.ndarray, b: np.ndarray, salt: int) -> np.ndarray:
    """Hash of an ordered pair of token hashes."""
    with np.errstate(over="ignore"):
        return mix64((np.asarray(a, dtype=np.uint64) * P2) ^ np.asarray(b, dtype=np.uint64), salt)


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def text_hash(s: str) -> int:
    return zlib.crc32(_utf8(s))


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


class TokenHashes:
    """Hashes of a run of tokens: ``h`` (word), ``suf`` (suffix), ``shp`` (shape), uint64 arrays."""

    __slots__ = ("h", "shp", "suf")

    def __init__(self, h: np.ndarray, suf: np.ndarray, shp: np.ndarray) -> None:
        self.h, self.suf, self.shp = h, suf, shp


def token_hashes(text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                 with_shape: bool = True) -> TokenHashes:
    """Hashes of the tokens ``words[i]`` whose original text is ``text[starts[i]:ends[i]]``.

    Each distinct word and surface string is hashed once per call; the look-up tables live only
    for the call, so threads scoring different documents share nothing.
    """
    n = len(words)
    if not n:
        z = np.zeros(0, dtype=np.uint64)
        return TokenHashes(z, z.copy(), z.copy())
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(w, len(index)) for w in words), dtype=np.int64, count=n)
    crc = zlib.crc32
    h = np.fromiter((crc(_utf8(w)) for w in index), dtype=np.uint64, count=len(index))
    suf = np.fromiter((crc(_utf8("X:" + w[-3:])) for w in index), dtype=np.uint64, count=len(index))
    if with_shape:
        shapes = _Shapes()
        shp = np.fromiter((shapes[text[s:e]] for s, e in zip(starts, ends)), dtype=np.uint64, count=n)
    else:
        shp = np.zeros(n, dtype=np.uint64)
    return TokenHashes(h[ids], suf[ids], shp)


class _Shapes(dict):  # type: ignore[type-arg]
    """surface string -> shape hash, filled on first sight; one instance per call."""

    def __missing__(self, t: str) -> int:
        v = self[t] = zlib.crc32(_utf8("S:" + shape(t)))
        return v
