"""The documented token hashes, computed per distinct string: the same values as the plain formulas."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from rhetoric.analysis import Analyzer
from rhetoric.learn import hashing as H

ALPHABET = ["a", "Z", "é", "É", "\ud800", "\U0001F600", " ", "ß", "ǅ", "ϒ", "1", "²", "_", "!", '"', "-"]


def _strings(rng: np.random.Generator, k: int, longest: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET, size=int(rng.integers(0, longest)))) for _ in range(k)]


def test_crc32_of_a_concatenation_from_the_parts():
    rng = np.random.default_rng(0)
    a, b = _strings(rng, 300, 20), _strings(rng, 300, 150)   # past the 64-byte step of the tables
    got = H.crc32_concat(H.text_hashes(a), H.text_hashes(b), H.utf8_lengths(b))
    assert got.tolist() == [H.text_hash(x + y) for x, y in zip(a, b)]
    assert H.text_hashes(a).tolist() == [zlib.crc32(x.encode("utf-8", "surrogatepass")) for x in a]


def test_shape_hashes_are_the_shapes_hashed():
    rng = np.random.default_rng(1)
    strings = [s for s in _strings(rng, 400, 4) if s] + ["A", "AB", "Ab", "ab", "1", "1a", "!", "!!", "ǅ", "ǅa", "ϒ"]
    assert H.shape_hashes(strings).tolist() == [H.text_hash("S:" + H.shape(s)) for s in strings]


@pytest.mark.parametrize("text", [
    "The Minister SAID on Monday: \u201cWe’ll see.\u201d U.S. officials, 12 of them, disagreed!\n\nİstanbul ǅx ϒ.",
    "a\u00a0b \ud83d\ude00 said the minister.\r\n" * 3,
    "((((" * 20,
    "",
])
def test_token_hashes_per_distinct_string_are_the_per_token_formulas(text):
    a = Analyzer().analyze(text)
    seg = a.seg
    for normalized in (a.normalized, None):
        th = H.token_hashes(text, seg.words, seg.starts, seg.ends, normalized=normalized)
        surfaces = [text[s:e] for s, e in zip(seg.starts, seg.ends)]
        assert th.h.tolist() == [H.text_hash(w) for w in seg.words]
        assert th.suf.tolist() == [H.text_hash("X:" + w[-3:]) for w in seg.words]
        assert th.shp.tolist() == [H.text_hash("S:" + H.shape(t)) for t in surfaces]
        assert th.cap.tolist() == [t[0].isupper() for t in surfaces]
        assert [th.vocab[i] for i in th.ids] == list(seg.words) and len(set(th.vocab)) == len(th.vocab)
        assert th.is_word('"').tolist() == [w == '"' for w in seg.words]


def test_mix64_columns_is_mix64_per_column():
    rng = np.random.default_rng(2)
    cols = [rng.integers(0, 2 ** 63, size=50).astype(np.uint64) for _ in range(5)]
    out = H.mix64_columns(cols, [3, 1, 4, 1, 5])
    assert all((out[:, j] == H.mix64(c, s)).all() for j, (c, s) in enumerate(zip(cols, [3, 1, 4, 1, 5])))
    assert (H.mix64(H.pair_key(cols[0], cols[1]), 9) == H.pair64(cols[0], cols[1], 9)).all()
