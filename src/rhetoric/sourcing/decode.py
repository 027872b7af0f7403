"""Decoding of the attribution CRF (numpy only): the best label path, and the BIO runs read off it.

Why a module of its own: the tagger's features (:mod:`rhetoric.sourcing.features`) change with the
model, the decoding does not; both are exact (the path is the argmax crfsuite would return).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, pairwise
from typing import Any

import numpy as np

from rhetoric.learn.features import laid_out_tokens

__all__ = ["LABELS", "ROLES", "document_runs", "spans_from_tags", "tag_runs", "tiles", "token_ranges", "viterbi"]

LABELS = ("O", "B-cue", "I-cue", "B-source", "I-source", "B-content", "I-content")
ROLES = ("cue", "source", "content")
_ONE_SENTENCE_MAX = 2048      # tokens: a longer sentence is decoded by the batched loop (1-byte back pointers)
_FEW_TOKENS = 256             # tokens: up to this, document_runs reads the tags in Python
_FEW_SENTENCES = 32           # sentences: up to this, tiles() checks their token ranges in Python


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Best label path of each sentence; ``emissions`` is ``(n_tokens, L)`` in sentence order.

    All sentences advance together, longest first, so step ``t`` works on the prefix of the
    sentences longer than ``t``; the emissions are gathered once in that time-major order (rows
    ``at[t]:at[t + 1]`` are step ``t``), and so are the back pointers. A sentence's final scores
    are kept (in the emissions' dtype) when its last token is reached, and backtracking starts
    there. Ties go to the lowest label, as ``argmax`` breaks them. One sentence (a headline, a
    tweet), or a few of which the longest holds half the tokens, is decoded sentence by sentence
    with the same arithmetic instead (:func:`_one_sentence`): the same paths, without the set-up.
    """
    n, n_labels = emissions.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if len(lengths) <= 4 and n <= _ONE_SENTENCE_MAX and 2 * max(lengths) >= n:
        # one sentence, or a few of which the longest holds half the tokens: a batched step costs
        # about twice a step of one sentence, so each alone is cheaper (and decodes the same)
        paths, o = [], 0
        for length in lengths:
            if length:
                paths.append(_one_sentence(emissions[o:o + length], transitions))
                o += length
        return paths[0] if len(paths) == 1 else np.concatenate(paths)
    k = len(lengths)
    tm, act, at_ = _time_major(np.asarray(lengths, dtype=np.int64), n)
    m = len(at_) - 1
    em = emissions.take(tm, axis=0)
    back = np.empty((n, n_labels), dtype=np.int8)          # labels fit a byte: 7 bytes a token
    score = em[:act[0]]
    final = np.empty_like(score)
    trans = np.ascontiguousarray(transitions.T)[None, :, :]   # [., to, from]: reduce over the last axis
    cell = np.arange(k * n_labels).reshape(k, n_labels) * n_labels   # flat offset of (sentence, to, 0)
    for t in range(1, m):
        a, was, lo = act[t], act[t - 1], at_[t]
        if a < was:
            final[a:was] = score[a:was]           # these sentences ended at t - 1
        cand = score[:a, None, :] + trans
        b = cand.argmax(axis=2)
        back[lo:lo + a] = b
        score = cand.take(cell[:a] + b)          # the max, read at the argmax (one flat gather)
        score += em[lo:lo + a]
    final[:act[m - 1]] = score[:act[m - 1]]
    cur = final.argmax(axis=1)
    path = np.empty(n, dtype=np.int64)
    flat = back.reshape(-1)
    row_at = np.arange(n) * n_labels        # flat offset of each time-major row of ``back``
    for t in range(m - 1, -1, -1):
        a, lo = act[t], at_[t]
        c = cur[:a]
        path[lo:lo + a] = c
        if t:
            cur[:a] = flat.take(row_at[lo:lo + a] + c)
    out = np.empty(n, dtype=np.int64)
    out[tm] = path
    return out


def _time_major(lengths: np.ndarray, n: int) -> tuple[np.ndarray, list[int], list[int]]:
    """The time-major layout of :func:`viterbi`: ``tm`` (the token at each row), ``act`` (sentences
    longer than step ``t``, for ``t`` up to the longest) and ``at`` (the first row of each step, and
    the end)."""
    order = np.argsort(-lengths, kind="stable")
    ls = lengths[order]
    start = (np.cumsum(lengths) - lengths)[order]
    m = int(ls[0])
    active = np.searchsorted(-ls, -np.arange(m + 1), side="left")        # sentences longer than t
    at = np.concatenate([[0], np.cumsum(active[:m])])
    # token of (step t, sentence s) sits at row at[t] + s of the time-major layout
    s_of = np.repeat(np.arange(len(ls)), ls)
    t_of = np.arange(n) - np.repeat(np.cumsum(ls) - ls, ls)
    tm = np.empty(n, dtype=np.int64)
    tm[at[t_of] + s_of] = start[s_of] + t_of
    return tm, active.tolist(), at.tolist()


def _one_sentence(em: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """:func:`viterbi` of one sentence: the same additions, argmaxes and final cast to the
    emissions' dtype, so the same path, without the batching's set-up (a headline or a tweet is
    one sentence, and the set-up cost several times the decoding)."""
    n, n_labels = em.shape
    trans = np.ascontiguousarray(transitions.T)      # [to, from]: reduce over the last axis
    cell = np.arange(n_labels) * n_labels
    back = np.empty((n, n_labels), dtype=np.intp)
    # the emissions added after the first step, in the scores' dtype once (not cast at every step)
    later = em.astype(np.result_type(em.dtype, trans.dtype), copy=False)
    score = em[0]
    for t in range(1, n):
        cand = score + trans
        b = cand.argmax(axis=1, out=back[t])
        score = cand.take(cell + b)
        score += later[t]
    if n > 1:
        score = score.astype(em.dtype)               # the final scores are compared in that dtype
    cur = int(score.argmax())
    rows = back.tolist()
    path = [0] * n
    for t in range(n - 1, 0, -1):
        path[t] = cur
        cur = rows[t][cur]
    path[0] = cur
    return np.array(path, dtype=np.int64)


def token_ranges(sentence_tokens: Sequence[tuple[int, int]]) -> np.ndarray:
    """``seg.sentence_tokens`` as an ``(n, 2)`` int64 array (``fromiter`` over the flattened pairs is
    a few times faster than ``asarray`` of a list of tuples)."""
    return np.fromiter(chain.from_iterable(sentence_tokens), dtype=np.int64,
                       count=2 * len(sentence_tokens)).reshape(-1, 2)


def document_runs(tags: np.ndarray, sentence_tokens: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """:func:`spans_from_tags` of every sentence at once: ``(role, first_token, end_token)`` in token
    order, ``tags`` the labels of the tokens of ``sentence_tokens`` laid out one sentence after another.
    A short document is read in Python (the same runs, without a dozen NumPy calls on a few tokens)."""
    if len(tags) <= _FEW_TOKENS:
        tags = tags.tolist() if isinstance(tags, np.ndarray) else list(tags)
        out: list[tuple[str, int, int]] = []
        k = 0
        for i, j in sentence_tokens:
            if j > i:
                out.extend((role, i + a, i + b) for role, a, b in spans_from_tags(tags[k:k + j - i]))
                k += j - i
        return out
    tr = token_ranges(sentence_tokens)
    lens = tr[:, 1] - tr[:, 0]
    m = int(lens.sum())
    if not m:
        return []
    tok = laid_out_tokens(tr)
    tags = np.asarray(tags, dtype=np.int64)
    role = (tags + 1) // 2                       # 0 O, 1 cue, 2 source, 3 content
    begin = (tags % 2 == 1)
    first = np.zeros(m, dtype=bool)
    first[(np.cumsum(lens) - lens)[lens > 0]] = True
    prev = np.concatenate([[0], role[:-1]])
    opens = (role > 0) & (begin | first | (prev != role))
    starts = np.flatnonzero(opens)
    if not len(starts):
        return []
    # a run ends at the next O, the next start or the end of its sentence
    stops = np.append(np.flatnonzero((role == 0) | first | opens), m)
    ends = stops[np.searchsorted(stops, starts, side="right")]
    g_start = tok[starts]
    g_end = tok[ends - 1] + 1
    names = [ROLES[r - 1] for r in role[starts].tolist()]
    return list(zip(names, g_start.tolist(), g_end.tolist()))


def tiles(sentence_tokens: Sequence[tuple[int, int]], n: int) -> bool:
    """Do the sentences' token ranges cover tokens ``0 .. n`` in order, with no token between them?
    (checked in Python for a few sentences, where NumPy's set-up would cost more)"""
    st = sentence_tokens
    if not len(st):
        return False
    if len(st) <= _FEW_SENTENCES:
        return st[0][0] == 0 and st[-1][1] == n and all(a[1] == b[0] for a, b in pairwise(st))
    tr = token_ranges(st)
    return bool(tr[0, 0] == 0 and tr[-1, 1] == n and (tr[1:, 0] == tr[:-1, 1]).all())


def tag_runs(head: Any, X: np.ndarray, sentence_tokens: Sequence[tuple[int, int]]
             ) -> list[tuple[str, int, int]]:
    """Tag the tokens of the sentences (``X``: :func:`token_features` of the whole document) and read
    off the runs (global token indices, in token order)."""
    if not len(sentence_tokens):
        return []
    if not tiles(sentence_tokens, len(X)):          # tokens between sentences
        X = X[laid_out_tokens(sentence_tokens)]
    return document_runs(head.tag(X, [j - i for i, j in sentence_tokens]), sentence_tokens)


def spans_from_tags(tags: Sequence[int]) -> list[tuple[str, int, int]]:
    """``(role, first_token, end_token)`` runs of a BIO tag sequence (an I without a B starts a run).

    Label ``t`` of :data:`LABELS` has role ``(t + 1) // 2`` (0: O) and is a B when odd."""
    out: list[tuple[str, int, int]] = []
    role, start = 0, 0
    for i, t in enumerate(tags):
        r = (t + 1) // 2
        if r != role or (r and t % 2):          # O after a run, another role, or a B
            if role:
                out.append((ROLES[role - 1], start, i))
            role, start = r, i
    if role:
        out.append((ROLES[role - 1], start, len(tags)))
    return out
