"""The engine's per-sentence evidence as numeric rows, without scikit-learn.

:func:`sentence_feature_rows` counts, per sentence (or per character range), the lexicon weight of
each category and label, the attribution cues, and a few surface cues. Heads read them through
:meth:`rhetoric.learn.features.DocumentFeatures.evidence_rows` (the propaganda head can use them as
dense columns), and :class:`rhetoric.learn.transformers.LexiconFeatures` wraps them as a
scikit-learn transformer. This module imports only numpy and the engine, so scoring with a model never
imports scikit-learn.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

import numpy as np

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


def sentence_feature_rows(text: str, seg: Segmentation, matches: Sequence[Match],
                          ranges: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
    """One feature row per sentence of ``seg`` (or per character range in ``ranges``)."""
    spans = ranges if ranges is not None else seg.sentences
    rows = np.zeros((len(spans), N_FEATURES), dtype=np.float64)
    if not spans:
        return rows
    starts = [s for s, _ in spans]
    for m in matches:
        e = m.entry
        if e.category == "ignore":
            continue
        r = bisect.bisect_right(starts, m.start) - 1
        if r < 0 or m.start >= spans[r][1]:
            continue
        rows[r, _INDEX[(e.category, e.label)]] += e.weight
        rows[r, _TOTAL_INDEX[e.category]] += e.weight
    for r, (s, e_) in enumerate(spans):
        i = bisect.bisect_left(seg.starts, s)
        j = bisect.bisect_left(seg.starts, e_)
        words = seg.words[i:j]
        flags = seg.is_word[i:j]
        n_words = sum(flags)
        caps = allcaps = numbers = we = you = 0
        for k in range(i, j):
            if not seg.is_word[k]:
                continue
            w = seg.words[k]
            first = text[seg.starts[k]]
            if first.isupper():
                caps += 1
                if len(w) > 1 and text[seg.starts[k]:seg.ends[k]].isupper():
                    allcaps += 1
            if first.isdigit():
                numbers += 1
            if w in _WE:
                we += 1
            elif w in _YOU:
                you += 1
        quotes = sum(1 for w in words if w in ('"', "'"))
        base = _SURFACE_START
        rows[r, base + 0] = math.log1p(n_words)
        rows[r, base + 1] = min(quotes, 4)
        rows[r, base + 2] = words.count("!")
        rows[r, base + 3] = words.count("?")
        rows[r, base + 4] = allcaps
        rows[r, base + 5] = we
        rows[r, base + 6] = you
        rows[r, base + 7] = numbers
        rows[r, base + 8] = caps / n_words if n_words else 0.0
    return rows
