"""Within-article ``Repetition``: a phrase of four or more content words said again later.

PTC's Repetition technique is the same slogan or claim repeated across an article; no sentence
model can see it, because it is a property of the article, not of one sentence. Here a phrase is a
run of word tokens whose content words (lower-case words not in :data:`FUNCTION_WORDS`) number at least
``min_content`` (default 4: with 3, article-grouped CV on the training data gave SI F1 0.340
against 0.349 without the rule, with 4 it gave 0.347); every occurrence after the first of a maximal repeated phrase becomes a span
(category ``technique``, label ``Repetition``, rule :data:`REPETITION_RULE`). Boilerplate
sentences are never read (a footer printed twice is not rhetoric), and the first occurrence is left
unmarked because it is an ordinary statement until it is repeated.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from rhetoric.learn.features import laid_out_tokens

__all__ = ["FUNCTION_WORDS", "REPETITION_RULE", "repetition_spans"]

REPETITION_RULE = "propaganda:repetition"

FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet if then than that this these those there here of in on at to for from by "
    "with without about into onto over under after before as is are was were be been being am do does did "
    "have has had having i me my we us our you your he him his she her it its they them their who whom whose "
    "which what when where why how not no all any some such can could will would shall should may might must "
    "also just only very more most much many up down out off again s t 's n't said says say".split())


def repetition_spans(analysis: Any, skip: Collection[int] = (), min_content: int = 4,
                     max_tokens: int = 12) -> list[Any]:
    """``Repetition`` spans: later occurrences of word n-grams (up to ``max_tokens`` words) holding
    at least ``min_content`` content words, merged into maximal runs, within one sentence each."""
    seg, text = analysis.seg, analysis.text
    n_sent = len(seg.sentence_tokens)
    if n_sent - len({k for k in skip if 0 <= k < n_sent}) < 2:
        return []                         # a phrase needs two sentences to be said again
    from rhetoric.report.types import Span
    words = seg.words
    lead = max(1, min_content)
    pos, bounds = _word_positions(seg, skip)
    hashes = analysis.word_hashes()
    chosen = _shared_lead_starts(hashes, pos, bounds, lead)
    # names ("President Donald Trump") repeat in any news story: capitalised words are not content
    starts_at = seg.starts

    def is_content(t: int) -> bool:
        w = words[t]
        return w not in FUNCTION_WORDS and w.isalpha() and not text[starts_at[t]].isupper()

    # a phrase begins and ends on a content word
    pos_list = pos.tolist()
    chosen = [c for c in chosen if is_content(pos_list[c])]
    first_seen: dict[tuple[str, ...], tuple[int, int]] = {}
    marked: list[tuple[int, int, int]] = []           # (sentence, first word index, last word index)
    for k, starts in _by_sentence(chosen, bounds):
        ws = pos[bounds[k]:bounds[k + 1]].tolist()
        lw = [words[t] for t in ws]
        # content flags of the words a phrase from these starts can reach (0 before the first)
        content = [False] * starts[0] + list(map(is_content, ws[starts[0]:starts[-1] + max_tokens]))
        for a in starts:
            n_content = 0
            for b in range(a, min(len(content), a + max_tokens)):
                n_content += content[b]
                if n_content < min_content or not content[b]:
                    continue
                key = tuple(lw[a:b + 1])
                seen = first_seen.get(key)
                if seen is None:
                    first_seen[key] = (k, a)
                elif seen[0] != k:               # a later sentence says it again
                    marked.append((k, a, b))
    out = []
    for k, a, b in _merge(marked):
        ws = pos[bounds[k]:bounds[k + 1]]
        s, e = int(seg.starts[ws[a]]), int(seg.ends[ws[b]])
        out.append(Span(s, e, text[s:e], "technique", "Repetition", 1.0, REPETITION_RULE,
                        f"phrase of >= {min_content} content words said earlier in the text", k))
    return out


def _word_positions(seg: Any, skip: Collection[int]) -> tuple[np.ndarray, np.ndarray]:
    """Token indices of the words of every sentence not in ``skip``, in text order, and where each
    sentence's words begin in them (sentence ``k``: ``pos[bounds[k]:bounds[k + 1]]``); punctuation
    breaks nothing, since phrases are compared on words."""
    n_sent = len(seg.sentence_tokens)
    if not n_sent:
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    ranges = np.array(seg.sentence_tokens, dtype=np.int64).reshape(-1, 2)
    if skip:
        dropped = np.fromiter((k for k in skip if 0 <= k < n_sent), np.int64)
        ranges[dropped, 1] = ranges[dropped, 0]
    lengths = ranges[:, 1] - ranges[:, 0]
    tok = laid_out_tokens(ranges)
    sent = np.repeat(np.arange(n_sent, dtype=np.int64), lengths)
    is_word = np.fromiter(seg.is_word, bool, len(seg.is_word))
    keep = is_word[tok]
    pos, sent = tok[keep], sent[keep]
    bounds = np.searchsorted(sent, np.arange(n_sent + 1), "left")
    return pos, bounds


def _shared_lead_starts(word_hashes: np.ndarray, pos: np.ndarray, bounds: np.ndarray,
                        lead: int) -> list[int]:
    """Word positions (indices into ``pos``, ascending) of the starts whose first ``lead`` words
    also begin a start in another sentence, compared by hash (a collision only adds a start; every
    occurrence of a shared lead is kept, so phrases are still seen in text order)."""
    if len(pos) < lead:
        return []
    sent = np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), np.diff(bounds))
    hashes = word_hashes[pos]
    n = len(pos) - lead + 1
    gram = hashes[:n].copy()
    for i in range(1, lead):
        gram *= np.uint64(0x9E3779B97F4A7C15)
        gram ^= hashes[i:i + n]
    valid = np.flatnonzero(sent[:n] == sent[lead - 1:])
    gram, gsent = gram[valid], sent[valid]
    if not len(valid):
        return []
    # a lead is shared when its occurrences lie in two sentences: sorted stably by lead, each group
    # keeps text order, so its sentences ascend and it is shared when its first and last differ
    order = np.argsort(gram, kind="stable")
    g, gs = gram[order], gsent[order]
    new_gram = np.ones(len(g), bool)
    new_gram[1:] = g[1:] != g[:-1]
    heads = np.flatnonzero(new_gram)
    shared = gs[heads] != gs[np.append(heads[1:], len(g)) - 1]
    group = np.cumsum(new_gram) - 1
    return np.sort(valid[order[shared[group]]]).tolist()


def _by_sentence(chosen: list[int], bounds: np.ndarray) -> list[tuple[int, list[int]]]:
    """``[(sentence, word indices within it)]`` of word positions ``chosen`` (ascending)."""
    out: list[tuple[int, list[int]]] = []
    if not chosen:
        return out
    sents = (np.searchsorted(bounds, chosen, "right") - 1).tolist()
    offsets = bounds.tolist()
    for c, k in zip(chosen, sents):
        if out and out[-1][0] == k:
            out[-1][1].append(c - offsets[k])
        else:
            out.append((k, [c - offsets[k]]))
    return out


def _merge(marked: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for k, a, b in sorted(marked):
        if out and out[-1][0] == k and a <= out[-1][2]:
            out[-1] = (k, out[-1][1], max(out[-1][2], b))
        else:
            out.append((k, a, b))
    return out
