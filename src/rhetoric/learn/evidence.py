"""The engine's per-sentence evidence as numeric rows, without scikit-learn.

:func:`sentence_feature_rows` counts, per sentence (or per character range), the lexicon weight of
each category and label, the attribution cues, and a few surface cues. Heads read them through
:meth:`rhetoric.learn.features.DocumentFeatures.evidence_rows` (the propaganda head can use them as
dense columns), and :class:`rhetoric.learn.transformers.LexiconFeatures` wraps them as a
scikit-learn transformer. This module imports only numpy and the engine, so scoring with a model never
imports scikit-learn.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.learn.hashing import as_int_array, text_hash
from rhetoric.lexicon.lexicons import LABELS
from rhetoric.lexicon.matcher import Match
from rhetoric.text.segment import Segmentation

__all__ = ["N_FEATURES", "feature_names", "sentence_feature_rows"]

_LEXICAL = [(c, lab) for c in ("state_media", "technique", "attribution", "hedge", "booster") for lab in LABELS[c]]
_CATEGORY_TOTALS = ["state_media", "technique", "attribution", "hedge", "booster"]
_SURFACE = ["log_words", "quotes", "exclamations", "questions", "all_caps_words", "we_our_us", "you_your",
            "numbers", "capitalised_share"]
_WE = frozenset({"we", "our", "us", "ours", "ourselves"})
_YOU = frozenset({"you", "your", "yours", "yourself"})


def feature_names() -> list[str]:
    """Column names, in order: ``lex:<category>:<label>``, ``lex:<category>``, ``surface:<name>``."""
    return ([f"lex:{c}:{lab}" for c, lab in _LEXICAL] + [f"lex:{c}" for c in _CATEGORY_TOTALS]
            + [f"surface:{s}" for s in _SURFACE])


_INDEX = {(c, lab): i for i, (c, lab) in enumerate(_LEXICAL)}
_TOTAL_INDEX = {c: len(_LEXICAL) + i for i, c in enumerate(_CATEGORY_TOTALS)}
_SURFACE_START = len(_LEXICAL) + len(_CATEGORY_TOTALS)
N_FEATURES = _SURFACE_START + len(_SURFACE)


def _ascii_table(test: Any) -> np.ndarray:
    t = np.array([test(chr(c)) for c in range(128)], dtype=bool)
    t.flags.writeable = False
    return t


_ASCII_UPPER, _ASCII_DIGIT = _ascii_table(str.isupper), _ascii_table(str.isdigit)


def _codes(text: str) -> np.ndarray:
    """The code points of ``text`` (one per ``str`` index, lone surrogates included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _char_flags(codes: np.ndarray, tests: Sequence[Any], tables: Sequence[np.ndarray]) -> list[np.ndarray]:
    """``test(chr(c))`` of each code point for each test: a table for ASCII, the test once per
    distinct other code point."""
    ascii_ = codes < 128
    at = np.where(ascii_, codes, 0)
    out = [table[at] for table in tables]
    other = np.flatnonzero(~ascii_)
    if len(other):
        uniq, inverse = np.unique(codes[other], return_inverse=True)
        chars = list(map(chr, uniq.tolist()))
        for flags, test in zip(out, tests):
            flags[other] = np.fromiter(map(test, chars), dtype=bool, count=len(chars))[inverse]
    return out


def _breaks_caps(c: str) -> bool:
    return not ("A" + c).isupper()


def _all_caps(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``text[s:e].isupper()`` of tokens whose first character is upper case: true unless one of
    their characters is lower or title case, i.e. unless ``"A" + c`` is not upper case."""
    breaks = _char_flags(codes, [_breaks_caps], [_ASCII_BREAKS_CAPS])[0]
    cb = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(breaks, out=cb[1:])
    return cb[ends] == cb[starts]  # type: ignore[no-any-return]


_ASCII_BREAKS_CAPS = _ascii_table(_breaks_caps)


_CODES = {**{w: 1 for w in _WE}, **{w: 2 for w in _YOU}, '"': 3, "'": 3, "!": 4, "?": 5}
_CODE_HASHES = np.array(sorted(text_hash(w) for w in _CODES), dtype=np.uint64)
_CODE_HASHES.flags.writeable = False


def _word_codes(words: Sequence[str], features: Any) -> np.ndarray:
    """Per token: 1 for a word of ``_WE``, 2 of ``_YOU``, 3 a quotation mark, 4 ``!``, 5 ``?``, else 0.

    With the shared pass, its distinct words are screened by their hash (``vocab_h``) and only the
    few that match are compared as strings; without it, every distinct word is looked up."""
    hashes = getattr(features, "hashes", None)
    if hashes is not None and hashes.vocab is not None and len(hashes.ids) == len(words):
        vocab, ids = hashes.vocab, hashes.ids
        code = np.zeros(len(vocab), dtype=np.int8)
        at = np.minimum(np.searchsorted(_CODE_HASHES, hashes.vocab_h), len(_CODE_HASHES) - 1)
        for v in np.flatnonzero(_CODE_HASHES[at] == hashes.vocab_h).tolist():
            code[v] = _CODES.get(vocab[v], 0)
    else:
        vocab = list(dict.fromkeys(words))
        index = dict(zip(vocab, range(len(vocab))))
        ids = np.fromiter(map(index.__getitem__, words), dtype=np.int64, count=len(words))
        code = np.fromiter((_CODES.get(w, 0) for w in vocab), dtype=np.int8, count=len(vocab))
    return code[ids]  # type: ignore[no-any-return]


_FEW_TOKENS = 64    # up to this many tokens, the per-token flags are read in Python (no vectorised pass to set up)
_FEW_MATCHES = 64   # up to this many matches, their units are found by bisection
_COUNT_COLUMNS = [6, 7, 8, 2, 4, 5, 3]     # the counts of surface columns 1..7 (quotes capped at 4)


def _short_flags(text: str, seg: Segmentation) -> np.ndarray:
    """The ``(9, n)`` token flags of :func:`_token_flags` by a loop over the few tokens of a short
    text: the definitions the vectorised tests keep (first character upper case / a digit, all
    capitals as ``str.isupper`` of a word opening with a capital)."""
    words, is_word, starts, ends = seg.words, seg.is_word, seg.starts, seg.ends
    first = [text[s] for s in starts]
    code = [_CODES.get(w, 0) for w in words]
    upper = [w and c.isupper() for w, c in zip(is_word, first)]
    allcaps = [u and len(words[k]) > 1 and text[starts[k]:ends[k]].isupper() for k, u in enumerate(upper)]
    return np.array([is_word, upper, allcaps, [w and c.isdigit() for w, c in zip(is_word, first)],
                     [w and c == 1 for w, c in zip(is_word, code)], [w and c == 2 for w, c in zip(is_word, code)],
                     [c == 3 for c in code], [c == 4 for c in code], [c == 5 for c in code]], dtype=bool)


def _token_flags(text: str, seg: Segmentation, features: Any, starts: np.ndarray) -> np.ndarray:
    """``(9, n)`` bool, per token: a word, a word opening with a capital, all capitals, opening with a
    digit, a word of ``_WE``, of ``_YOU``, a quotation mark, ``!``, ``?``."""
    n = len(starts)
    if n <= _FEW_TOKENS:
        return _short_flags(text, seg)
    words = seg.words
    code = _word_codes(words, features)
    is_word = features.is_word if features is not None else np.fromiter(seg.is_word, dtype=bool, count=n)
    codes = _codes(text)
    flags = np.empty((9, n), dtype=bool)
    upper, digit = _char_flags(codes[starts], [str.isupper, str.isdigit], [_ASCII_UPPER, _ASCII_DIGIT])
    flags[0] = is_word
    np.bitwise_and(upper, is_word, out=flags[1])
    flags[2] = False
    cand = np.flatnonzero(flags[1])
    if len(cand):  # only words opening with a capital can be all capitals (and need two letters)
        ends = features.token_ends if features is not None else as_int_array(seg.ends)
        longer = np.fromiter(map(len, map(words.__getitem__, cand.tolist())), dtype=np.int64,
                             count=len(cand)) > 1
        flags[2, cand] = longer & _all_caps(codes, starts[cand], ends[cand])
    np.bitwise_and(is_word, digit, out=flags[3])
    np.equal(code, 1, out=flags[4])
    flags[4] &= is_word
    np.equal(code, 2, out=flags[5])
    flags[5] &= is_word
    np.equal(code, 3, out=flags[6])
    np.equal(code, 4, out=flags[7])
    np.equal(code, 5, out=flags[8])
    return flags


def sentence_feature_rows(text: str, seg: Segmentation, matches: Sequence[Match],
                          ranges: Sequence[tuple[int, int]] | None = None, *, features: Any = None) -> np.ndarray:
    """One feature row per sentence of ``seg`` (or per character range in ``ranges``).

    Vectorised over the tokens (a per-token Python loop cost more than the head that reads the
    rows): a word test runs once per listed word, a first-character test once per non-ASCII token,
    and each unit's counts are differences of cumulative counts. ``features``: the shared pass
    (:class:`~rhetoric.learn.features.DocumentFeatures` of the same analysis), whose distinct-word
    ids and ``is_word`` are reused. A short text (a headline, a tweet) reads its few tokens in a
    loop instead, which costs less than setting up the vectorised tests.
    """
    spans = ranges if ranges is not None else seg.sentences
    rows = np.zeros((len(spans), N_FEATURES), dtype=np.float64)
    if not spans:
        return rows
    b = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    _lexical_rows(rows, b, matches)
    starts = features.token_starts if features is not None else as_int_array(seg.starts)
    n = len(starts)
    i = np.searchsorted(starts, b[:, 0], "left")
    j = np.maximum(np.searchsorted(starts, b[:, 1], "left"), i)
    counts = np.zeros((9, n + 1), dtype=np.int64)
    if n:
        np.cumsum(_token_flags(text, seg, features, starts), axis=1, out=counts[:, 1:])
    c = (counts[:, j] - counts[:, i]).T
    n_words = c[:, 0]
    base = _SURFACE_START
    rows[:, base + 0] = list(map(math.log1p, n_words.tolist()))
    counted = c[:, _COUNT_COLUMNS]
    np.minimum(counted[:, 0], 4, out=counted[:, 0])
    rows[:, base + 1:base + 8] = counted           # quotes, !, ?, all caps, we, you, numbers
    rows[:, base + 8] = np.where(n_words > 0, c[:, 1] / np.maximum(n_words, 1), 0.0)
    return rows


def _lexical_rows(rows: np.ndarray, b: np.ndarray, matches: Sequence[Match]) -> None:
    """Add each match's weight to its unit's label and category columns, in match order (as a loop would)."""
    kept = [m for m in matches if m.entry.category != "ignore"]
    if not kept:
        return
    if len(kept) <= _FEW_MATCHES:      # a few matches: their units by bisection
        units = b.tolist()
        firsts = [s for s, _ in units]
        r_ok, entries = [], []
        for m in kept:
            r = bisect_right(firsts, m.start) - 1
            if r >= 0 and m.start < units[r][1]:
                r_ok.append(r)
                entries.append(m.entry)
        if not entries:
            return
        r_ok += r_ok
    else:
        m_start = np.fromiter((m.start for m in kept), dtype=np.int64, count=len(kept))
        r = np.searchsorted(b[:, 0], m_start, "right") - 1
        ok = r >= 0
        ok[ok] = m_start[ok] < b[r[ok], 1]
        sel = np.flatnonzero(ok).tolist()
        if not sel:
            return
        entries = [kept[k].entry for k in sel]
        r_ok = np.concatenate([r[sel], r[sel]])
    weights = [e.weight for e in entries]
    # one add.at for both: a label column and a category column never share a cell
    cols = [_INDEX[(e.category, e.label)] for e in entries] + [_TOTAL_INDEX[e.category] for e in entries]
    np.add.at(rows, (r_ok, cols), np.array(weights + weights, dtype=np.float64))
