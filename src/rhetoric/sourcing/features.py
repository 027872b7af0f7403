"""The attribution tagger's token features: 28 hashed columns per token, built with whole-row NumPy calls.

Each column is a hash of one fact about a token or its neighbours within its sentence (word,
crude stem, suffix, shape, word bigrams, the attribution lexicon's label, the role the attribution
*rules* gave the token, whether it is inside a quotation, its place in the sentence); column ``k``
is ``mix64(fact, 0x1000 + k) & (2**BITS - 1)``. The trained head's weights are keyed by these
values, so the columns, their order and their hashes are part of the model file's format.

Why the layout: a document's facts are the rows of one ``(_N_ROWS, n_tokens)`` table: the seven
per-token facts, the previous token's and the next token's (so the neighbours of all seven are two
slice copies, with pads written at the sentence edges), the facts one column each reads, and the
columns computed from the others (the five small-code columns are one gather, one multiply and
one grouped sum; the four word-pair columns one mix). One gather puts the 28 columns in order and
the hashing is one pass over them. A short document (a headline, a tweet) then costs a fixed few
dozen NumPy calls; the edges of its few sentences and the tokens of its few lexicon and rule spans
are found in Python, where NumPy's set-up on a handful of values would cost more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.learn.features import document_hashes
from rhetoric.learn.hashing import P2, TokenHashes, mix64_into, text_hash
from rhetoric.report.types import Attribution
from rhetoric.sourcing.decode import tiles, token_ranges
from rhetoric.sourcing.words import WordFacts

__all__ = ["BITS", "N_COLUMNS", "quote_state", "token_features"]

BITS = 20
N_COLUMNS = 28
_MASK = np.uint64((1 << BITS) - 1)
_SALTS = np.arange(0x1000, 0x1000 + N_COLUMNS, dtype=np.uint64)
_PAD = np.uint64(0x5A5A5A5A)              # the "no token" value beyond a sentence edge

# Rows of the fact table: the seven per-token facts, the previous token's (_PREV + fact) and the
# next token's (_NEXT + fact) with their pads beyond the sentence edge, then the facts read by one
# column each, and the columns computed from the others (_CODES + k, _PAIRS + k)
_WORD, _SHAPE, _STEM, _LEX, _ROLE, _SPEECH, _QUOTE = range(7)
_PREV, _NEXT = 7, 14
_SUF, _CAP, _PLACE, _SENT_QUOTE, _SENT_CUE, _TWO_BEFORE, _TWO_AFTER, _ZERO = range(21, 29)
_CODES, _PAIRS, _N_ROWS = 29, 34, 38
_PADS = np.array([_PAD, _PAD, _PAD, _PAD, _PAD + np.uint64(1), 0, 3], dtype=np.uint64)[:, None]
# The small-code columns, each a weighted sum of facts ((row, factor), ...); computed as one gather
# of the terms, one multiply by their factors and one sum per column.
_CODE_SUMS = (
    ((_QUOTE, 4), (_PLACE, 1)),                                        # column 21
    ((_CAP, 16), (_QUOTE, 3), (_PLACE, 1)),                            # column 23
    ((_PREV + _SPEECH, 4), (_SPEECH, 2), (_NEXT + _SPEECH, 1)),        # column 24
    ((_QUOTE, 16), (_PREV + _QUOTE, 4), (_NEXT + _QUOTE, 1)),          # column 26
    ((_SENT_QUOTE, 4), (_SENT_CUE, 2), (_SPEECH, 1)),                  # column 27
)
_CODE_TERMS = np.array([row for terms in _CODE_SUMS for row, _ in terms])
_CODE_FACTORS = np.array([k for terms in _CODE_SUMS for _, k in terms], dtype=np.uint64)[:, None]
_CODE_GROUPS = np.cumsum([0] + [len(terms) for terms in _CODE_SUMS[:-1]])
# The word-pair columns 10, 11, 22, 25: pair64(a, b, salt) = mix64(a * P2 ^ b, salt) of these
# (a, b) rows, salts 1-4
_PAIR_ROWS = ((_PREV + _WORD, _WORD), (_WORD, _NEXT + _WORD), (_QUOTE, _STEM), (_PREV + _STEM, _STEM))
_PAIR_A = np.array([a for a, _ in _PAIR_ROWS])
_PAIR_B = np.array([b for _, b in _PAIR_ROWS])
_PAIR_SALTS = np.arange(1, 5, dtype=np.uint64)[:, None]
# the table row of each of the 28 columns, in column order
_COLUMN_ROWS = np.array([
    _ZERO, _WORD, _PREV + _WORD, _NEXT + _WORD, _TWO_BEFORE, _TWO_AFTER, _SUF,       # 0-6
    _SHAPE, _PREV + _SHAPE, _NEXT + _SHAPE, _PAIRS, _PAIRS + 1,                      # 7-11
    _STEM, _PREV + _STEM, _NEXT + _STEM, _LEX, _PREV + _LEX, _NEXT + _LEX,           # 12-17
    _ROLE, _PREV + _ROLE, _NEXT + _ROLE, _CODES, _PAIRS + 2, _CODES + 1,             # 18-23
    _CODES + 2, _PAIRS + 3, _CODES + 3, _CODES + 4])                                  # 24-27
_KIND_CODES = {"named": 2, "anonymous": 3, "vague": 4, "state_media": 5}
_LEX_CUE_B = np.uint64(text_hash("LB:cue"))
_FEW = 32                                 # sentences or spans: up to this many, their edges are found in Python


def token_features(analysis: Analysis, rule_attributions: Sequence[Attribution] = (),
                   hashes: Any = None, words: WordFacts | None = None, lexical: Sequence[Any] | None = None,
                   quote: np.ndarray | None = None) -> np.ndarray:
    """``(n_tokens, N_COLUMNS)`` feature indices in ``[0, 2**BITS)``, one hashed fact per column
    (the transpose of a row-per-column array: ``X[:, k]`` is contiguous).

    ``hashes`` are the shared feature pass's token hashes (``DocumentFeatures.hashes``), when there is
    one; ``words`` the scorer's :class:`~rhetoric.sourcing.words.WordFacts` (default: a fresh one);
    ``lexical`` the attribution matches and ``quote`` the :func:`quote_state`, when the caller has them.
    """
    seg = analysis.seg
    n = len(seg.words)
    if n == 0:
        return np.zeros((0, N_COLUMNS), dtype=np.int64)
    th = document_hashes(analysis, hashes)
    f = np.empty((_N_ROWS, n), dtype=np.uint64)
    f[_WORD], f[_SHAPE], f[_SUF], f[_CAP], f[_ZERO] = th.h, th.shp, th.suf, th.cap, 0
    (words if words is not None else WordFacts()).of(th, out=(f[_STEM], f[_SPEECH]))
    if lexical is None:
        lexical = [m for m in analysis.matches if m.entry.category == "attribution"]
    _lexicon_codes(seg, lexical, f[_LEX])
    _role_codes(seg, rule_attributions, f[_ROLE])
    f[_QUOTE] = quote_state(analysis, th) if quote is None else quote
    lo, hi = _segments(analysis)
    first, last, near_first, near_last = _edges(lo, hi, n)
    facts = f[:21].reshape(3, 7, n)                 # this, the previous and the next token's facts
    facts[1, :, 1:], facts[2, :, :-1] = facts[0, :, :-1], facts[0, :, 1:]
    facts[1][:, first], facts[2][:, last] = _PADS, _PADS
    f[_TWO_BEFORE, 2:], f[_TWO_AFTER, :-2] = f[_WORD, :-2], f[_WORD, 2:]
    f[_TWO_BEFORE, near_first], f[_TWO_AFTER, near_last] = _PAD, _PAD
    place = f[_PLACE]
    place[:] = 0
    place[last] = 2
    place[first] = 1                                # a one-token sentence is a first
    _sentence_flags(f, lo, hi)
    terms = f.take(_CODE_TERMS, axis=0)
    terms *= _CODE_FACTORS
    np.add.reduceat(terms, _CODE_GROUPS, axis=0, out=f[_CODES:_CODES + 5])
    pairs = f.take(_PAIR_A, axis=0)
    pairs *= P2                                     # array arithmetic wraps around silently
    pairs ^= f.take(_PAIR_B, axis=0)
    mix64_into(pairs, _PAIR_SALTS, out=f[_PAIRS:_PAIRS + 4])
    return _mix_rows(f.take(_COLUMN_ROWS, axis=0)).view(np.int64).T


def _segments(analysis: Analysis) -> tuple[Any, Any]:
    """Token ranges ``[lo, hi)`` that tile the tokens in order: the sentences, and every token outside
    all sentences as a range of its own (lists for a few sentences that tile the tokens, else arrays)."""
    seg = analysis.seg
    n = len(seg.words)
    st = seg.sentence_tokens
    tiled = tiles(st, n)
    if tiled and len(st) <= _FEW:
        return [i for i, _ in st], [j for _, j in st]
    tr = token_ranges(st)
    if tiled:
        return tr[:, 0], tr[:, 1]
    covered = np.zeros(n + 1, dtype=np.int64)      # sentences' token ranges are disjoint and in order
    np.add.at(covered, tr[:, 0], 1)
    np.add.at(covered, tr[:, 1], -1)
    alone = np.flatnonzero(np.cumsum(covered[:n]) == 0)
    lo = np.concatenate([tr[:, 0], alone])
    hi = np.concatenate([tr[:, 1], alone + 1])
    order = np.lexsort((hi, lo))
    return lo[order], hi[order]


def _edges(lo: Any, hi: Any, n: int) -> tuple[Any, Any, Any, Any]:
    """Token indices (or slices) of the first and the last token of every non-empty range, and of
    the tokens fewer than two from its start / from its end."""
    if len(lo) == 1:                                # one range: all the tokens
        return slice(0, 1), slice(n - 1, n), slice(0, 2), slice(max(n - 2, 0), n)
    if isinstance(lo, list):
        spans = [(i, j) for i, j in zip(lo, hi) if j > i]
        first, last = [i for i, _ in spans], [j - 1 for _, j in spans]
        return (first, last, first + [i + 1 for i, j in spans if j - i > 1],
                last + [j - 2 for i, j in spans if j - i > 1])
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    two = hi - lo > 1
    return lo, hi - 1, np.concatenate([lo, lo[two] + 1]), np.concatenate([hi - 1, hi[two] - 2])


def _sentence_flags(f: np.ndarray, lo: Any, hi: Any) -> None:
    """Rows ``_SENT_QUOTE`` and ``_SENT_CUE``: does the token's range hold a quote mark / a lexicon
    cue? (one range: an ``any`` each; else counted per range, then repeated)."""
    if len(lo) == 1:
        f[_SENT_QUOTE], f[_SENT_CUE] = (f[_QUOTE] == 2).any(), (f[_LEX] == _LEX_CUE_B).any()
        return
    lo, hi = np.asarray(lo), np.asarray(hi)
    n = f.shape[1]
    cum = np.zeros((2, n + 1), dtype=np.int64)
    np.cumsum(np.stack([f[_QUOTE] == 2, f[_LEX] == _LEX_CUE_B]), axis=1, out=cum[:, 1:])
    f[_SENT_QUOTE:_SENT_CUE + 1] = np.repeat((cum[:, hi] > cum[:, lo]).astype(np.uint64), hi - lo, axis=1)


def _span_tokens(seg: Any, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """``seg.token_at(start)`` and ``seg.token_at(end - 1) + 1`` of character spans, for all at once
    (bisected in Python for a few spans)."""
    if len(starts) <= _FEW:
        return [seg.token_at(s) for s in starts], [seg.token_at(e - 1) + 1 for e in ends]
    tok_ends = np.frombuffer(seg.ends, dtype=np.int32 if seg.ends.typecode == "i" else np.int64)
    first = np.searchsorted(tok_ends, np.asarray(starts, dtype=np.int64) + 1)
    return first.tolist(), (np.searchsorted(tok_ends, np.asarray(ends, dtype=np.int64)) + 1).tolist()


def _role_codes(seg: Any, attributions: Sequence[Attribution], codes: np.ndarray) -> None:
    """What the attribution rules said about each token, into ``codes``: 0 none, 1 cue, 2+k source
    of kind k (spans written in order, so a later one wins where two overlap)."""
    codes[:] = 0
    spans, values = [], []
    for a in attributions:
        spans.append(a.cue)
        values.append(1)
        if a.source is not None:
            spans.append(a.source)
            values.append(_KIND_CODES.get(a.kind, 2))
    if spans:
        first, end = _span_tokens(seg, [sp.start for sp in spans], [sp.end for sp in spans])
        for i, j, code in zip(first, end, values):
            codes[i:j] = code


def _lexicon_codes(seg: Any, lexical: Sequence[Any], codes: np.ndarray) -> None:
    """The attribution lexicon's label on each token (B/I), as a small hash, into ``codes``
    (matches in the given order)."""
    codes[:] = 0
    if not lexical:
        return
    first, end = _span_tokens(seg, [m.start for m in lexical], [m.end for m in lexical])
    hashes: dict[str, tuple[int, int]] = {}
    for m, i, j in zip(lexical, first, end):
        label = m.entry.label
        b_i = hashes.get(label)
        if b_i is None:
            b_i = hashes[label] = (text_hash("LB:" + label), text_hash("LI:" + label))
        codes[i] = b_i[0]
        if j > i + 1:
            codes[i + 1:j] = b_i[1]


def quote_state(analysis: Analysis, hashes: TokenHashes | None = None) -> np.ndarray:
    """0 outside a quotation, 1 inside, 2 the quote mark itself.

    Quotes pair within a line of ``analysis.normalized``; normalisation maps line breaks to spaces,
    so that text is one line and quotes pair over the whole text (the trained head learnt so).
    """
    seg = analysis.seg
    n = len(seg.words)
    if hashes is not None and hashes.ids is not None:
        k = hashes.word_id('"')
        if k < 0:                                       # no quote mark: all outside
            return np.zeros(n, dtype=np.uint64)
        is_q = hashes.ids == k
    else:
        is_q = np.fromiter(map('"'.__eq__, seg.words), dtype=bool, count=n)
    count = np.cumsum(is_q)
    before = count - is_q                               # quotes seen before this token on its line
    if "\n" in analysis.normalized:
        starts = np.frombuffer(seg.starts, dtype=np.int32 if seg.starts.typecode == "i" else np.int64)
        codes = np.frombuffer(analysis.normalized.encode("utf-32-le"), dtype=np.uint32)
        line = np.searchsorted(np.flatnonzero(codes == 10), starts)
        first = np.searchsorted(line, line, side="left")
        before = before - np.where(first > 0, count[first - 1], 0)
    state = (before % 2).astype(np.uint64)
    state[is_q] = 2
    return state


def _mix_rows(m: np.ndarray) -> np.ndarray:
    """``mix64(m[k], 0x1000 + k) & mask`` for every row ``k`` (column ``k`` of the features), in place."""
    mix64_into(m, _SALTS[:, None], out=m)
    m &= _MASK
    return m
