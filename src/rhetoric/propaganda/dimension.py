"""The propaganda dimension: technique phrases from the lexicons, and the trained sentence and span heads."""

from __future__ import annotations

from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score, span_weight

__all__ = ["PropagandaDimension"]


class PropagandaDimension:
    """Propaganda techniques. ``head``: the trained propaganda model (``None``: lexicon evidence only)."""

    def __init__(self, head: Any = None) -> None:
        self.head = head

    def apply(self, analysis: Analysis, features: Any = None, sourcing: Evidence | None = None) -> Evidence:
        seg = analysis.seg
        spans = lexicon_spans(analysis.text, analysis.matches, seg, ("technique",))
        density, score = density_and_score("propaganda_techniques", span_weight(spans, "technique"), seg.n_words)
        scores = {"propaganda_techniques": score}
        fields: dict[str, Any] = {}
        meta: dict[str, Any] = {}
        if self.head is not None and seg.sentences:
            result = self.head.score_document(analysis.text, seg, analysis.matches)
            spans.extend(result.spans)
            scores["propaganda"] = result.document
            fields["propaganda"] = [float(p) for p in result.sentence_proba]
            fields["explanation"] = result.explanations
        elif self.head is not None:
            scores["propaganda"] = 0.0
        return Evidence(spans=tuple(spans), scores=scores, densities={"propaganda_techniques": density},
                        sentence_fields=fields, meta=meta)
