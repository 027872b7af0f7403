"""Decoding of the attribution CRF (numpy only): the best label path, and the BIO runs read off it.

Why a module of its own: the tagger's features (:mod:`rhetoric.sourcing.features`) change with the
model, the decoding does not; both are exact (the path is the argmax crfsuite would return).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from rhetoric.learn.features import laid_out_tokens

__all__ = ["LABELS", "ROLES", "document_runs", "spans_from_tags", "tag_runs", "token_ranges", "viterbi"]

LABELS = ("O", "B-cue", "I-cue", "B-source", "I-source", "B-content", "I-content")
ROLES = ("cue", "source", "content")


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Best label path of each sentence; ``emissions`` is ``(n_tokens, L)`` in sentence order.

    All sentences advance together, longest first, so step ``t`` works on the prefix of the
    sentences longer than ``t``; the emissions are gathered once in that time-major order (rows
    ``at[t]:at[t + 1]`` are step ``t``), and so are the back pointers. A sentence's final scores
    are kept (in the emissions' dtype) when its last token is reached, and backtracking starts
    there. Ties go to the lowest label, as ``argmax`` breaks them.
    """
    n, n_labels = emissions.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
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
    em = emissions[tm]
    back = np.empty((n, n_labels), dtype=np.int8)          # labels fit a byte: 7 bytes a token
    act, at_ = active.tolist(), at.tolist()
    score = em[:act[0]]
    final = np.empty_like(score)
    trans = np.ascontiguousarray(transitions.T)[None, :, :]   # [., to, from]: reduce over the last axis
    cell = (np.arange(len(ls)) * n_labels)[:, None] * n_labels + np.arange(n_labels)[None, :] * n_labels
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


def token_ranges(sentence_tokens: Sequence[tuple[int, int]]) -> np.ndarray:
    """``seg.sentence_tokens`` as an ``(n, 2)`` int64 array (``fromiter`` over the flattened pairs is
    a few times faster than ``asarray`` of a list of tuples)."""
    return np.fromiter(chain.from_iterable(sentence_tokens), dtype=np.int64,
                       count=2 * len(sentence_tokens)).reshape(-1, 2)


def document_runs(tags: np.ndarray, sentence_tokens: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """:func:`spans_from_tags` of every sentence at once: ``(role, first_token, end_token)`` in token
    order, ``tags`` the labels of the tokens of ``sentence_tokens`` laid out one sentence after another."""
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


def tag_runs(head: Any, X: np.ndarray, sentence_tokens: Sequence[tuple[int, int]]
             ) -> list[tuple[str, int, int]]:
    """Tag the tokens of the sentences (``X``: :func:`token_features` of the whole document) and read
    off the runs (global token indices, in token order)."""
    tr = token_ranges(sentence_tokens)
    if not len(tr):
        return []
    lens = tr[:, 1] - tr[:, 0]
    if tr[0, 0] != 0 or tr[-1, 1] != len(X) or (tr[1:, 0] != tr[:-1, 1]).any():   # tokens between sentences
        X = X[laid_out_tokens(tr)]
    return document_runs(head.tag(X, lens), sentence_tokens)


def spans_from_tags(tags: Sequence[int]) -> list[tuple[str, int, int]]:
    """``(role, first_token, end_token)`` runs of a BIO tag sequence (an I without a B starts a run)."""
    out: list[tuple[str, int, int]] = []
    cur: list[Any] | None = None
    for i, t in enumerate(tags):
        label = LABELS[t]
        if label == "O":
            if cur:
                out.append((cur[0], cur[1], i))
            cur = None
            continue
        bio, role = label.split("-")
        if bio == "B" or cur is None or cur[0] != role:
            if cur:
                out.append((cur[0], cur[1], i))
            cur = [role, i]
    if cur:
        out.append((cur[0], cur[1], len(tags)))
    return out
