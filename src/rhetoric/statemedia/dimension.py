"""The state-media dimension: ideological set phrases and the register of state media, and its score."""

from __future__ import annotations

from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score, span_weight

__all__ = ["StateMediaDimension"]


class StateMediaDimension:
    """State-media language. ``head``: the trained state-media head, if any."""

    def __init__(self, head: Any = None) -> None:
        self.head = head

    def apply(self, analysis: Analysis, features: Any = None, sourcing: Evidence | None = None) -> Evidence:
        seg = analysis.seg
        spans = lexicon_spans(analysis.text, analysis.matches, seg, ("state_media",))
        density, score = density_and_score("state_media", span_weight(spans, "state_media"), seg.n_words)
        return Evidence(spans=tuple(spans), scores={"state_media": score}, densities={"state_media": density})
