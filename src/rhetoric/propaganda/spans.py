"""Technique spans from the propaganda token tagger: token probabilities, decoding, Span objects.

The tagger is a one-output :class:`~rhetoric.learn.linear.LinearHead` over the 14 hashed window
columns of each token (:meth:`~rhetoric.learn.features.DocumentFeatures.token_columns`) plus two
dense columns, the sentence's propaganda decision value and a bias. Tokens with probability above
``span_threshold`` form spans, bridging gaps of up to ``span_bridge`` tokens within one sentence,
at least ``span_min_tokens`` long, at most ``span_max_tokens``; edges fit words and whole
quotations; a span takes its sentence's most probable technique where that head is confident.
Offsets are token boundaries of the original text, so ``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from rhetoric.learn.calibration import sigmoid
from rhetoric.learn.features import DocumentFeatures
from rhetoric.learn.linear import LinearHead, window_matrix

__all__ = ["decode", "fit_edges", "quote_pairs", "range_labels", "run_edges", "split_long", "tagged_runs",
           "tagger_matrix", "technique_spans", "token_labels", "token_proba", "SPAN_RULE"]

SPAN_RULE = "model:span-tagger"


def _tagger_dense(features: DocumentFeatures, ranges: Any, decision: np.ndarray) -> np.ndarray:
    row = features.units(ranges).row
    out = np.empty((len(row), 2))
    out[:, 0] = decision[row]
    out[:, 1] = 1.0
    return out


def token_proba(tagger: LinearHead, features: DocumentFeatures, ranges: Any, decision: np.ndarray) -> np.ndarray:
    """In-span probability of every laid-out token, given the units' sentence decision values."""
    cols = features.token_columns(tagger.bits, ranges)
    return sigmoid(tagger.window_decision(cols, _tagger_dense(features, ranges, decision)))


def decode(row: np.ndarray, pos: np.ndarray, bridge: int, min_tokens: int) -> list[tuple[int, int]]:
    """Runs of positive tokens (laid-out indices, inclusive) within one unit, bridging small gaps."""
    idx = np.flatnonzero(pos)
    if not len(idx):
        return []
    brk = (np.diff(idx) - 1 > bridge) | (row[idx[1:]] != row[idx[:-1]])
    starts = np.r_[idx[0], idx[1:][brk]]
    ends = np.r_[idx[:-1][brk], idx[-1]]
    keep = ends - starts + 1 >= min_tokens
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def technique_spans(head: Any, features: DocumentFeatures, ranges: Any, decision: np.ndarray,
                    P: np.ndarray, skip: Collection[int] = ()) -> list[Any]:
    """:class:`~rhetoric.report.types.Span` objects of the tagged runs (rule ``model:span-tagger``).

    Runs are cut to at most ``span_max_tokens`` tokens (at their least probable token), trimmed to
    words and to whole quotations (:func:`fit_edges`); a span takes the most probable technique of
    its sentence only where that technique's head reaches its own threshold, else the label
    ``propaganda``. Units in ``skip`` (boilerplate sentences) get no span.

    The label of every unit is found at once (numpy), the edges by :func:`run_edges`.
    """
    from rhetoric.report.types import Span
    u = features.units(ranges)
    if not len(u.row):
        return []
    p = token_proba(head.tagger_, features, ranges, decision)
    runs = tagged_runs(u.row, p, head.span_threshold, head.span_bridge, head.span_min_tokens,
                       int(getattr(head, "span_max_tokens", 0) or 0))
    if not runs:
        return []
    seg, text = features.seg, features.text
    labels = _unit_labels(head, P)
    pattern = f"token p>{head.span_threshold:g}"
    out = []
    for k, s, e in run_edges(features, u, runs, skip):
        a, b = runs[k]
        out.append(Span(s, e, text[s:e], "technique", labels[int(u.row[a])],
                        round(float(p[a:b + 1].sum()) / (b - a + 1), 4), SPAN_RULE, pattern, seg.sentence_of(s)))
    return out


def tagged_runs(row: np.ndarray, p: np.ndarray, threshold: float, bridge: int, min_tokens: int,
                max_tokens: int) -> list[tuple[int, int]]:
    """The laid-out token runs ``[a, b]`` (inclusive) the tagger marks: tokens over ``threshold``,
    gaps up to ``bridge`` tokens bridged, at least ``min_tokens`` long (:func:`decode`), cut to at most
    ``max_tokens`` (:func:`split_long`; 0: not cut)."""
    runs = decode(row, p > threshold, bridge, min_tokens)
    if max_tokens > 0:
        runs = [r for a, b in runs for r in split_long(p, a, b, max_tokens)]
    return runs


def run_edges(features: DocumentFeatures, u: Any, runs: Sequence[tuple[int, int]],
              skip: Collection[int] = ()) -> list[tuple[int, int, int]]:
    """``(k, start, end)``: the character edges of run ``k`` of ``runs`` (over the layout ``u``),
    trimmed to its first and last word and to whole quotations (as :func:`fit_edges`); runs in a unit
    of ``skip``, or without a word, have none.

    The word edges of all runs are found at once (numpy); the loop only moves edges that meet a
    quotation mark."""
    if not runs:
        return []
    seg = features.seg
    first, last = _word_edges(features.is_word[u.tok], np.asarray(runs, dtype=np.int64).reshape(-1, 2))
    has_word = (first >= 0).tolist()
    starts = features.token_starts[u.tok[np.maximum(first, 0)]].tolist()
    ends = features.token_ends[u.tok[np.maximum(last, 0)]].tolist()
    rows = u.row[[a for a, _ in runs]].tolist()
    pairs = quote_pairs(features.text)
    near = _PairIndex(pairs)
    out = []
    for k, (a, b) in enumerate(runs):
        if rows[k] in skip or not has_word[k]:
            continue
        edges = _quote_edges(seg, pairs, starts[k], ends[k], lambda a=a, b=b: _words(seg, u.tok[a:b + 1]),
                             _MAX_EXTEND, near)
        if edges is not None:
            out.append((k, *edges))
    return out


def _unit_labels(head: Any, P: np.ndarray) -> list[str]:
    """Per unit: its most probable technique where that head reaches its threshold, else ``propaganda``."""
    techniques = head.heads_[1:]
    if not techniques:
        return ["propaganda"] * len(P)
    h = np.argmax(P[:, 1:], axis=1)
    confident = P[np.arange(len(P)), 1 + h] >= np.asarray(head.threshold_)[1 + h]
    names = ["propaganda", *techniques]
    return [names[x] for x in np.where(confident, 1 + h, 0).tolist()]


def _word_edges(word: np.ndarray, runs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Laid-out index of the first and last word of each run ``[a, b]`` (inclusive); -1 if it has none."""
    cw = np.zeros(len(word) + 1, dtype=np.int64)
    np.cumsum(word, out=cw[1:])
    a, b = runs[:, 0], runs[:, 1]
    none = cw[b + 1] == cw[a]
    first = np.searchsorted(cw, cw[a] + 1, "left") - 1
    last = np.searchsorted(cw, cw[b + 1], "left") - 1
    first[none] = -1
    last[none] = -1
    return first, last


def _words(seg: Any, toks: np.ndarray) -> list[int]:
    return [int(t) for t in toks if seg.is_word[int(t)]]


def split_long(p: np.ndarray, a: int, b: int, max_tokens: int) -> list[tuple[int, int]]:
    """Cut run ``[a, b]`` (inclusive) at its least probable inner token (the first, on ties) until no
    piece exceeds ``max_tokens``; the pieces in text order.

    Iterative, with a range-minimum table for long runs: a run can be a whole block of one-character
    tokens (``"((((..."``), which cutting one token off at a time would make quadratic, and recursion
    would overflow the stack.
    """
    if max_tokens <= 0 or b - a + 1 <= max_tokens:
        return [(a, b)]
    first_min = _RangeArgmin(p, a, b) if b - a + 1 > 256 else None
    out: list[tuple[int, int]] = []
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if y - x + 1 <= max(max_tokens, 2):  # a 2-token run has no inner token to cut at
            out.append((x, y))
            continue
        cut = first_min(x + 1, y - 1) if first_min is not None else x + 1 + int(np.argmin(p[x + 1:y]))
        todo.append((cut + 1, y))
        todo.append((x, cut - 1))
    return out


class _RangeArgmin:
    """Index of the first minimum of ``p[l..r]`` (inclusive, within ``[a, b]``) in O(1): a sparse table."""

    def __init__(self, p: np.ndarray, a: int, b: int) -> None:
        self.p, self.a = p, a
        idx = np.arange(a, b + 1)
        self.levels = [idx]
        width = 1
        while 2 * width <= len(idx):
            prev = self.levels[-1]
            left, right = prev[:-width], prev[width:]
            self.levels.append(np.where(p[left] <= p[right], left, right))
            width *= 2

    def __call__(self, l: int, r: int) -> int:
        k = (r - l + 1).bit_length() - 1
        level = self.levels[k]
        c1, c2 = int(level[l - self.a]), int(level[r - (1 << k) + 1 - self.a])
        v1, v2 = self.p[c1], self.p[c2]
        return c1 if v1 < v2 or (v1 == v2 and c1 < c2) else c2


_OPEN, _CLOSE = "\u201c", "\u201d"
_MAX_EXTEND = 80  # characters a span edge may move to take in a whole quotation
_MARKS = re.compile('["\u201c\u201d\n]')


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of the double quotation marks that pair up, line by line.

    Curly marks pair as opening/closing; straight marks pair in order of appearance. An unpaired
    mark (an odd one out, a quotation running over a line) pairs with nothing. Only the marks and
    the line breaks are visited (a regular expression finds them), not every character.
    """
    out: list[tuple[int, int]] = []
    straight: int | None = None
    curly: int | None = None
    for m in _MARKS.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":
            straight = curly = None
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                out.append((straight, i))
                straight = None
        elif ch == _OPEN:
            curly = i
        elif curly is not None:
            out.append((curly, i))
            curly = None
    out.sort()
    return out


class _PairIndex:
    """Quotation pairs sorted by start, with the longest pair: a pair that can reach offset ``x``
    starts at or after ``x - longest``."""

    def __init__(self, pairs: Sequence[tuple[int, int]]) -> None:
        self.starts = [qa for qa, _ in pairs]
        self.longest = max((qb - qa for qa, qb in pairs), default=0)

    def first_near(self, x: int) -> int:
        return bisect_left(self.starts, x - self.longest)


def fit_edges(seg: Any, text: str, pairs: Sequence[tuple[int, int]], toks: np.ndarray,
              max_extend: int = _MAX_EXTEND, *, index: _PairIndex | None = None) -> tuple[int, int] | None:
    """Character edges of a run of tokens: trimmed to its first and last word, and never holding one
    half of a quotation pair (extended to the whole quotation when it ends within ``max_extend``
    characters, else cut back to the words outside it). ``None`` if no word remains.

    ``index`` (a :class:`_PairIndex` of ``pairs``, built once per document) limits the loop to the
    pairs near the run, instead of every quotation of the document for every run."""
    words = _words(seg, toks)
    if not words:
        return None
    return _quote_edges(seg, pairs, int(seg.starts[words[0]]), int(seg.ends[words[-1]]), lambda: words,
                        max_extend, index)


def _quote_edges(seg: Any, pairs: Sequence[tuple[int, int]], s: int, e: int, words_of: Callable[[], list[int]],
                 max_extend: int, index: _PairIndex | None) -> tuple[int, int] | None:
    """:func:`fit_edges` from the run's word edges ``[s, e)``; ``words_of()`` gives the run's word
    tokens, asked for only when an edge is cut back to the words outside a quotation."""
    if not pairs:
        return (s, e) if s < e else None
    first = index.first_near(s - max_extend) if index is not None else 0
    for qa, qb in pairs[first:]:
        if index is not None and qa >= e + max_extend:
            break
        if qa >= e or qb < s:
            continue
        has_open, has_close = s <= qa < e, s <= qb < e
        if has_open and not has_close:
            if qb + 1 - e <= max_extend:
                e = qb + 1
            else:
                inside = [w for w in words_of() if seg.ends[w] <= qa]
                if not inside:
                    return None
                e = int(seg.ends[inside[-1]])
        elif has_close and not has_open:
            if s - qa <= max_extend:
                s = qa
            else:
                after = [w for w in words_of() if seg.starts[w] > qb]
                if not after:
                    return None
                s = int(seg.starts[after[0]])
    return (s, e) if s < e else None


# -- training -------------------------------------------------------------------------------------


def range_labels(ranges: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """1 for each range that shares a character with any span."""
    if not spans:
        return np.zeros(len(ranges), dtype=int)
    sp_ = np.asarray(sorted(spans), dtype=np.int64)
    out = np.zeros(len(ranges), dtype=int)
    for i, (s, e) in enumerate(ranges):
        out[i] = int(np.any((sp_[:, 0] < e) & (sp_[:, 1] > s)))
    return out


def token_labels(features: DocumentFeatures, ranges: Any, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """1 for each laid-out token inside a gold span."""
    tok = features.units(ranges).tok
    st, en = features.token_starts[tok], features.token_ends[tok]
    y = np.zeros(len(st), dtype=np.int8)
    for s, e in spans:  # tokens sorted by offset within the layout
        a = np.searchsorted(en, s, side="right")
        b = np.searchsorted(st, e, side="left")
        y[a:b] = 1
    return y


def tagger_matrix(features: DocumentFeatures, ranges: Any, bits: int, decision: np.ndarray) -> Any:
    """Sparse training rows of the tagger (window columns + decision value + bias)."""
    return window_matrix(features.token_columns(bits, ranges), bits, _tagger_dense(features, ranges, decision))
