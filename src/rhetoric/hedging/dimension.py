"""The hedging dimension: hedges and boosters in context, and the hedging / boosting scores."""

from __future__ import annotations

from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score, span_weight

__all__ = ["HedgingDimension"]


class HedgingDimension:
    """Hedges ("reportedly", "may") and boosters ("undoubtedly"). ``head``: the trained hedge head, if any."""

    def __init__(self, head: Any = None) -> None:
        self.head = head

    def apply(self, analysis: Analysis, features: Any = None, sourcing: Evidence | None = None) -> Evidence:
        seg = analysis.seg
        spans = lexicon_spans(analysis.text, analysis.matches, seg, ("hedge", "booster"))
        densities, scores = {}, {}
        for key, category in (("hedging", "hedge"), ("boosting", "booster")):
            densities[key], scores[key] = density_and_score(key, span_weight(spans, category), seg.n_words)
        return Evidence(spans=tuple(spans), scores=scores, densities=densities)
