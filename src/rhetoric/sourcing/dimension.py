"""The sourcing dimension: attributions, their source spans, and the anonymous / vague sourcing scores."""

from __future__ import annotations

from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score
from rhetoric.sourcing.attribution import find_attributions, sourcing_summary
from rhetoric.sourcing.voice import quoted_ranges

__all__ = ["SourcingDimension"]

_SCORED_KINDS = {"anonymous": "anonymous_sourcing", "vague": "vague_sourcing"}


class SourcingDimension:
    """Who is cited. ``head`` is the trained attribution head (``None``: rules only)."""

    def __init__(self, head: Any = None) -> None:
        self.head = head

    def apply(self, analysis: Analysis, features: Any = None) -> Evidence:
        text, seg = analysis.text, analysis.seg
        attributions, extra = find_attributions(text, seg, analysis.matches)
        # A cue word the attribution rules rejected ("the reported liberation") is not evidence.
        cited = {(a.cue.start, a.cue.end) for a in attributions}
        spans = [s for s in lexicon_spans(text, analysis.matches, seg, ("attribution",))
                 if not (s.label == "cue" and (s.start, s.end) not in cited)]
        spans.extend(extra)
        spans.extend(a.source for a in attributions if a.source is not None)
        weights = dict.fromkeys(_SCORED_KINDS.values(), 0.0)
        for a in attributions:
            key = _SCORED_KINDS.get(a.kind)
            if key:
                weights[key] += 1.0
        densities, scores = {}, {}
        for key, w in weights.items():
            densities[key], scores[key] = density_and_score(key, w, seg.n_words)
        return Evidence(spans=tuple(spans), attributions=tuple(attributions), scores=scores, densities=densities,
                        sourcing=sourcing_summary(attributions, seg.n_words),
                        quoted=tuple(quoted_ranges(analysis.normalized, attributions)))
