"""Feature hashing of the engine's tokens, numpy only (no scikit-learn, no vocabulary).

Every model stage reads the tokens of :class:`~rhetoric.text.segment.Segmentation` (``seg.words``, the
normalised lower-case token strings, and ``seg.starts``/``seg.ends``); there is no second
tokeniser. The hashes are fixed and documented so that a saved model can be re-implemented:

* token hash   ``h   = crc32(word.encode("utf-8"))`` of the normalised word;
* suffix hash  ``suf = crc32(("X:" + word[-3:]).encode("utf-8"))``;
* shape hash   ``shp = crc32(("S:" + shape(surface)).encode("utf-8"))`` of the original token text
  (``shape``: ``D`` digits, ``XX``/``X`` upper case, ``Xx`` capitalised, ``x`` lower, ``a1``
  alphanumeric mix, ``p<c>`` one punctuation character, ``P`` longer punctuation);
* feature index ``mix64(h, salt) & (2**bits - 1)``, where ``mix64`` is the splitmix64 finaliser of
  ``h * 0x9E3779B97F4A7C15 + salt`` (uint64 wrap-around), and a pair of tokens is
  ``mix64((a * 0xC2B2AE3D27D4EB4F) ^ b, salt)``.

Hashes are cached per distinct string for the life of the process.
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


def text_hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


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


class _WordTable(dict):  # type: ignore[type-arg]
    """word -> row index into ``arr`` (token hash, suffix hash); filled on first sight."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[int, int]] = []
        self.arr = np.zeros((0, 2), dtype=np.uint64)

    def __missing__(self, w: str) -> int:
        self.rows.append((zlib.crc32(w.encode("utf-8")), zlib.crc32(("X:" + w[-3:]).encode("utf-8"))))
        i = self[w] = len(self.rows) - 1
        return i

    def table(self) -> np.ndarray:
        if len(self.arr) != len(self.rows):
            new = np.array(self.rows[len(self.arr):], dtype=np.uint64).reshape(-1, 2)
            self.arr = np.concatenate([self.arr, new])
        return self.arr


class _ShapeTable(dict):  # type: ignore[type-arg]
    def __missing__(self, t: str) -> int:
        v = self[t] = zlib.crc32(("S:" + shape(t)).encode("utf-8"))
        return v


_WORDS = _WordTable()
_SHAPES = _ShapeTable()
_CACHE_LIMIT = 2_000_000
SHAPE_XX = zlib.crc32(b"S:XX")


class TokenHashes:
    """Hashes of a run of tokens: ``h`` (word), ``suf`` (suffix), ``shp`` (shape), uint64 arrays."""

    __slots__ = ("h", "shp", "suf")

    def __init__(self, h: np.ndarray, suf: np.ndarray, shp: np.ndarray) -> None:
        self.h, self.suf, self.shp = h, suf, shp


def token_hashes(text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                 with_shape: bool = True) -> TokenHashes:
    """Hashes of the tokens ``words[i]`` whose original text is ``text[starts[i]:ends[i]]``."""
    if len(_WORDS) > _CACHE_LIMIT:  # a long-lived process scoring open-ended text: bound the cache
        _WORDS.clear(); _WORDS.rows.clear(); _WORDS.arr = np.zeros((0, 2), dtype=np.uint64)
    if len(_SHAPES) > _CACHE_LIMIT:
        _SHAPES.clear()
    n = len(words)
    ids = np.fromiter(map(_WORDS.__getitem__, words), dtype=np.int64, count=n)
    t = _WORDS.table()[ids] if n else np.zeros((0, 2), dtype=np.uint64)
    if with_shape and n:
        shp = np.fromiter((_SHAPES[text[s:e]] for s, e in zip(starts, ends)), dtype=np.uint64, count=n)
    else:
        shp = np.zeros(n, dtype=np.uint64)
    return TokenHashes(np.ascontiguousarray(t[:, 0]), np.ascontiguousarray(t[:, 1]), shp)
