"""Per-sentence columns from the other dimensions' evidence, for the propaganda sentence head.

Attribution and quotation structure matter for propaganda (a loaded phrase in a quotation is the
source's, an anonymous "experts say" is a technique of its own), and the sourcing, hedging and
state-media dimensions have already computed them when the propaganda dimension runs, so the head
can read them at no extra cost. :func:`context_rows` turns that :class:`~rhetoric.evidence.Evidence`
into one row per unit (sentence or character range), columns :data:`CONTEXT_NAMES`:

* sourcing: attribution cues, sources, and sources of each kind in the unit (``log1p`` counts), and the
  share of the unit's characters inside quotations or attributed content;
* hedging: hedge and booster spans in the unit (``log1p`` counts), and whether a sentence of the
  unit is called hedged (``is_hedged``);
* state media: the largest state-media sentence probability among the unit's sentences.

A head trained without these columns never asks for them (``context_features`` off), so old
model files score exactly as before. Missing evidence (``None``) gives zero columns. In reports the
pipeline hands the propaganda dimension the evidence it already has; training and ranged evaluation
(corpus lines instead of sentences) get it from :class:`EvidenceSource`, the shipped heads of the
three dimensions, so training sees the same columns as scoring.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["CONTEXT_NAMES", "N_CONTEXT", "EvidenceSource", "context_rows"]

_KINDS = ("named", "anonymous", "vague", "state_media")
CONTEXT_NAMES = ("ctx:attribution_cues", "ctx:sources", *(f"ctx:source_{k}" for k in _KINDS),
                 "ctx:quoted_share", "ctx:hedges", "ctx:boosters", "ctx:is_hedged", "ctx:state_media_p")
N_CONTEXT = len(CONTEXT_NAMES)
_COL = {n: i for i, n in enumerate(CONTEXT_NAMES)}


class _Locator:
    """Index of the unit holding a character offset (units sorted by start, not overlapping)."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = ranges
        self.starts = [s for s, _ in ranges]

    def unit(self, offset: int) -> int:
        r = bisect.bisect_right(self.starts, offset) - 1
        return r if r >= 0 and offset < self.ranges[r][1] else -1

    def overlapping(self, start: int, end: int) -> range:
        """Units sharing a character with ``[start, end)``."""
        lo = max(0, bisect.bisect_right(self.starts, start) - 1)
        hi = bisect.bisect_left(self.starts, end)
        return range(lo, hi)


def _quoted_share(rows: np.ndarray, loc: _Locator, quoted: Sequence[Any]) -> None:
    col = _COL["ctx:quoted_share"]
    for q in quoted:
        for r in loc.overlapping(q.start, q.end):
            s, e = loc.ranges[r]
            inside = min(e, q.end) - max(s, q.start)
            if inside > 0 and e > s:
                rows[r, col] += inside / (e - s)
    np.minimum(rows[:, col], 1.0, out=rows[:, col])


def _per_sentence(rows: np.ndarray, loc: _Locator, sentences: Sequence[tuple[int, int]], values: Sequence[Any],
                  col: int) -> None:
    """Largest per-sentence value among the sentences overlapping each unit (``None`` counts as 0)."""
    for (s, e), v in zip(sentences, values):
        if not v:
            continue
        for r in loc.overlapping(s, e):
            if loc.ranges[r][0] < e and s < loc.ranges[r][1]:
                rows[r, col] = max(rows[r, col], float(v))


def context_rows(ranges: Sequence[tuple[int, int]], sentences: Sequence[tuple[int, int]],
                 sourcing: Any = None, hedging: Any = None, statemedia: Any = None) -> np.ndarray:
    """(n_units, N_CONTEXT) columns of the units ``ranges`` (the sentences, or character ranges sorted
    by start), from the dimensions' evidence; ``sentences`` are the document's sentence ranges
    (for the per-sentence fields)."""
    rows = np.zeros((len(ranges), N_CONTEXT), dtype=np.float64)
    if not len(ranges):
        return rows
    loc = _Locator([(int(s), int(e)) for s, e in ranges])
    counts = np.zeros_like(rows)
    if sourcing is not None:
        for a in sourcing.attributions:
            r = loc.unit(a.cue.start)
            if r < 0:
                continue
            counts[r, _COL["ctx:attribution_cues"]] += 1
            if a.source is not None:
                counts[r, _COL["ctx:sources"]] += 1
            if a.kind in _KINDS:
                counts[r, _COL[f"ctx:source_{a.kind}"]] += 1
        _quoted_share(rows, loc, sourcing.quoted)
    if hedging is not None:
        for sp in hedging.spans:
            if sp.category in ("hedge", "booster"):
                r = loc.unit(sp.start)
                if r >= 0:
                    counts[r, _COL["ctx:hedges" if sp.category == "hedge" else "ctx:boosters"]] += 1
        _per_sentence(rows, loc, sentences, hedging.sentence_fields.get("is_hedged", ()), _COL["ctx:is_hedged"])
    if statemedia is not None:
        _per_sentence(rows, loc, sentences, statemedia.sentence_fields.get("state_media", ()),
                      _COL["ctx:state_media_p"])
    return rows + np.log1p(counts)


class EvidenceSource:
    """The sourcing, hedging and state-media dimensions with the shipped model file's heads, for
    computing the context evidence of documents outside the pipeline (training, ranged evaluation)."""

    def __init__(self, model: Any = None) -> None:
        from rhetoric.hedging.dimension import HedgingDimension
        from rhetoric.learn.modelfile import load_bundle
        from rhetoric.sourcing.dimension import SourcingDimension
        from rhetoric.statemedia.dimension import StateMediaDimension
        bundle = load_bundle(model)
        self.sourcing = SourcingDimension(bundle.get("attribution"))
        self.hedging = HedgingDimension(bundle.get("hedging"))
        self.statemedia = StateMediaDimension(bundle.get("state_media"))

    def evidence(self, features: Any) -> tuple[Any, Any, Any]:
        """``(sourcing, hedging, state_media)`` evidence of the document of ``features``, as in a report."""
        a = features.analysis
        src = self.sourcing.apply(a, features)
        return src, self.hedging.apply(a, features, src), self.statemedia.apply(a, features, src)
