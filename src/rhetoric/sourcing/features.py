"""The attribution tagger's token features: 28 hashed columns per token, built with whole-row NumPy calls.

Each column is a hash of one fact about a token or its neighbours within its sentence (word,
crude stem, suffix, shape, word bigrams, the attribution lexicon's label, the role the attribution
*rules* gave the token, whether it is inside a quotation, its place in the sentence); column ``k``
is ``mix64(fact, 0x1000 + k) & (2**BITS - 1)``. The trained head's weights are keyed by these
values, so the columns, their order and their hashes are part of the model file's format.

Why the layout: a document's features are built as the rows of one ``(28, n_tokens)`` array, so
that a neighbour's column is one slice copy with pads written at the sentence edges, the sentence
flags are read per sentence and repeated, and the hashing is one pass over everything. A short
document then costs a fixed few dozen NumPy calls instead of several per column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.learn.features import document_hashes
from rhetoric.learn.hashing import P2, TokenHashes, mix64_into, text_hash
from rhetoric.report.types import Attribution
from rhetoric.sourcing.decode import token_ranges
from rhetoric.sourcing.words import WordFacts

__all__ = ["BITS", "N_COLUMNS", "quote_state", "token_features"]

BITS = 20
N_COLUMNS = 28
_MASK = np.uint64((1 << BITS) - 1)
_SALTS = np.arange(0x1000, 0x1000 + N_COLUMNS, dtype=np.uint64)
_PAD = np.uint64(0x5A5A5A5A)              # the "no token" value beyond a sentence edge
# pads of the rows of ``base`` in token_features (word, shape, stem, lexicon, role, speech, quote)
_PADS = np.array([_PAD, _PAD, _PAD, _PAD, _PAD + np.uint64(1), 0, 3], dtype=np.uint64)[:, None]
_PAIR_ROWS = [10, 11, 22, 25]
_PAIR_SALTS = np.arange(1, 5, dtype=np.uint64)[:, None]
_KIND_CODES = {"named": 2, "anonymous": 3, "vague": 4, "state_media": 5}
_LEX_CUE_B = np.uint64(text_hash("LB:cue"))


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
    seg_lo, seg_hi = _segments(analysis)
    lens = seg_hi - seg_lo
    lo, hi = np.repeat(seg_lo, lens), np.repeat(seg_hi, lens)
    pos = np.arange(n)
    first, last = pos == lo, pos == hi - 1          # a token outside every sentence is both
    st, spk = (words if words is not None else WordFacts()).of(th)
    if lexical is None:
        lexical = [m for m in analysis.matches if m.entry.category == "attribution"]
    lex = _lexicon_codes(seg, lexical)
    if quote is None:
        quote = quote_state(analysis, th)
    # the columns read at the previous and the next token, one row each (pads beyond the sentence)
    base = np.stack([th.h, th.shp, st, lex, _role_codes(seg, rule_attributions), spk, quote])
    prev, nxt = np.empty_like(base), np.empty_like(base)
    prev[:, 1:], nxt[:, :-1] = base[:, :-1], base[:, 1:]
    prev[:, first], nxt[:, last] = _PADS, _PADS
    h, shp, role = base[0], base[1], base[4]
    place = first.astype(np.uint64)
    place[last & ~first] = 2
    # does the token's sentence hold a quote mark / a lexicon cue? (counted per sentence, then repeated)
    cum = np.zeros((2, n + 1), dtype=np.int64)
    np.cumsum(np.stack([quote == 2, lex == _LEX_CUE_B]), axis=1, out=cum[:, 1:])
    sent_quote, sent_cue = np.repeat((cum[:, seg_hi] > cum[:, seg_lo]).astype(np.uint64), lens, axis=1)
    m = np.empty((N_COLUMNS, n), dtype=np.uint64)
    m[0] = 0                                        # bias
    m[1], m[2], m[3] = h, prev[0], nxt[0]
    m[4, 2:], m[5, :-2] = h[:-2], h[2:]
    m[4, pos - 2 < lo], m[5, pos + 2 >= hi] = _PAD, _PAD
    m[6], m[7], m[8], m[9] = th.suf, shp, prev[1], nxt[1]
    m[12], m[13], m[14] = st, prev[2], nxt[2]
    m[15], m[16], m[17] = lex, prev[3], nxt[3]
    m[18], m[19], m[20] = role, prev[4], nxt[4]
    m[21] = quote * np.uint64(4) + place
    m[23] = th.cap.astype(np.uint64) * np.uint64(16) + quote * np.uint64(3) + place
    m[24] = prev[5] * np.uint64(4) + spk * np.uint64(2) + nxt[5]
    m[26] = quote * np.uint64(16) + prev[6] * np.uint64(4) + nxt[6]
    m[27] = sent_quote * np.uint64(4) + sent_cue * np.uint64(2) + spk
    # the word-pair columns: pair64(a, b, salt) = mix64(a * P2 ^ b, salt), for the four at once
    pairs = np.empty((4, n), dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.multiply(np.stack([prev[0], h, quote, prev[2]]), P2, out=pairs)
    pairs ^= np.stack([h, nxt[0], st, st])
    m[_PAIR_ROWS] = mix64_into(pairs, _PAIR_SALTS)
    return _mix_rows(m).view(np.int64).T


def _segments(analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """Token ranges ``[lo, hi)`` that tile the tokens in order: the sentences, and every token outside
    all sentences as a range of its own."""
    seg = analysis.seg
    n = len(seg.words)
    tr = token_ranges(seg.sentence_tokens)
    if len(tr) and tr[0, 0] == 0 and tr[-1, 1] == n and (tr[1:, 0] == tr[:-1, 1]).all():
        return tr[:, 0], tr[:, 1]
    covered = np.zeros(n + 1, dtype=np.int64)      # sentences' token ranges are disjoint and in order
    np.add.at(covered, tr[:, 0], 1)
    np.add.at(covered, tr[:, 1], -1)
    alone = np.flatnonzero(np.cumsum(covered[:n]) == 0)
    lo = np.concatenate([tr[:, 0], alone])
    hi = np.concatenate([tr[:, 1], alone + 1])
    order = np.lexsort((hi, lo))
    return lo[order], hi[order]


def _span_tokens(seg: Any, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """``seg.token_at(start)`` and ``seg.token_at(end - 1) + 1`` of character spans, for all at once."""
    tok_ends = np.frombuffer(seg.ends, dtype=np.int32 if seg.ends.typecode == "i" else np.int64)
    first = np.searchsorted(tok_ends, np.asarray(starts, dtype=np.int64) + 1)
    return first.tolist(), (np.searchsorted(tok_ends, np.asarray(ends, dtype=np.int64)) + 1).tolist()


def _role_codes(seg: Any, attributions: Sequence[Attribution]) -> np.ndarray:
    """What the attribution rules said about each token: 0 none, 1 cue, 2+k source of kind k
    (spans written in order, so a later one wins where two overlap)."""
    codes = np.zeros(len(seg.words), dtype=np.uint64)
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
    return codes


def _lexicon_codes(seg: Any, lexical: Sequence[Any]) -> np.ndarray:
    """The attribution lexicon's label on each token (B/I), as a small hash (matches in the given order)."""
    codes = np.zeros(len(seg.words), dtype=np.uint64)
    if not lexical:
        return codes
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
    return codes


def quote_state(analysis: Analysis, hashes: TokenHashes | None = None) -> np.ndarray:
    """0 outside a quotation, 1 inside, 2 the quote mark itself.

    Quotes pair within a line of ``analysis.normalized``; normalisation maps line breaks to spaces,
    so that text is one line and quotes pair over the whole text (the trained head learnt so).
    """
    seg = analysis.seg
    n = len(seg.words)
    is_q = hashes.is_word('"') if hashes is not None and hashes.ids is not None else \
        np.fromiter(map('"'.__eq__, seg.words), dtype=bool, count=n)
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
