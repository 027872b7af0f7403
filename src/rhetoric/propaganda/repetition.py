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
    from rhetoric.report.types import Span
    seg, text = analysis.seg, analysis.text
    words, is_word = seg.words, seg.is_word
    # word positions per sentence (punctuation breaks nothing: phrases are compared on words)
    sent_words: list[list[int]] = []
    for k, (i, j) in enumerate(seg.sentence_tokens):
        sent_words.append([] if k in skip else [t for t in range(i, j) if is_word[t]])
    first_seen: dict[tuple[str, ...], tuple[int, int]] = {}
    marked: list[tuple[int, int, int]] = []           # (sentence, first word index, last word index)
    for k, ws in enumerate(sent_words):
        lw = [words[t] for t in ws]
        # names ("President Donald Trump") repeat in any news story: capitalised words are not content
        content = [w not in FUNCTION_WORDS and w.isalpha() and not text[seg.starts[t]].isupper()
                   for w, t in zip(lw, ws)]
        for a in range(len(ws)):
            if not content[a]:
                continue
            n_content = 0
            for b in range(a, min(len(ws), a + max_tokens)):
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
        ws = sent_words[k]
        s, e = int(seg.starts[ws[a]]), int(seg.ends[ws[b]])
        out.append(Span(s, e, text[s:e], "technique", "Repetition", 1.0, REPETITION_RULE,
                        f"phrase of >= {min_content} content words said earlier in the text", k))
    return out


def _merge(marked: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for k, a, b in sorted(marked):
        if out and out[-1][0] == k and a <= out[-1][2]:
            out[-1] = (k, out[-1][1], max(out[-1][2], b))
        else:
            out.append((k, a, b))
    return out
