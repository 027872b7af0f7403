"""The propaganda dimension: technique phrases from the lexicons, and the trained sentence and span heads.

With a head, every sentence gets ``propaganda`` (calibrated probability) and ``is_propaganda``
(the call at the head's stored operating threshold, chosen by article-grouped CV), and the report
names that threshold in ``Report.meta["thresholds"]["propaganda"]``, so a reader who sees 0.35
knows whether it is a positive call. Site furniture (:func:`rhetoric.text.boilerplate.boilerplate_sentences`)
gets no probability, no call and no model span. ``Repetition`` spans
(:mod:`rhetoric.propaganda.repetition`) need no head.
"""

from __future__ import annotations

from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score, span_weight, word_weighted_mean
from rhetoric.propaganda.repetition import repetition_spans
from rhetoric.sourcing.voice import author_score
from rhetoric.text.boilerplate import boilerplate_sentences

__all__ = ["PropagandaDimension"]


class PropagandaDimension:
    """Propaganda techniques. ``head``: the trained propaganda model (``None``: lexicon evidence only)."""

    def __init__(self, head: Any = None) -> None:
        self.head = head

    def apply(self, analysis: Analysis, features: Any = None, sourcing: Evidence | None = None,
              hedging: Evidence | None = None, statemedia: Evidence | None = None) -> Evidence:
        """``hedging`` and ``statemedia``: those dimensions' evidence, read by a head trained with
        ``context_features`` (when any of the three is missing, the head computes all three itself)."""
        seg = analysis.seg
        spans = lexicon_spans(analysis.text, analysis.matches, seg, ("technique",))
        density, score = density_and_score("propaganda_techniques", span_weight(spans, "technique"), seg.n_words)
        quoted = sourcing.quoted if sourcing is not None else ()
        a_density, a_score = author_score(spans, quoted, "technique", "propaganda_techniques", seg.n_words)
        scores = {"propaganda_techniques": score, "propaganda_techniques_author": a_score}
        fields: dict[str, Any] = {}
        meta: dict[str, Any] = {}
        if self.head is not None:
            threshold = float(self.head.threshold)
            meta["thresholds"] = {"propaganda": round(threshold, 4)}
        skipped = boilerplate_sentences(analysis) if seg.sentences else set()
        spans.extend(repetition_spans(analysis, skipped))
        if self.head is not None and seg.sentences:
            given = (sourcing, hedging, statemedia)
            result = self.head.score_document(analysis, features, skip=skipped,
                                              evidence=given if all(e is not None for e in given) else None)
            spans.extend(result.spans)
            probs = [None if k in skipped else float(p) for k, p in enumerate(result.sentence_proba)]
            scores["propaganda"] = word_weighted_mean(
                (p, n) for p, n in zip(probs, seg.sentence_word_counts()) if p is not None)
            fields["propaganda"] = probs
            fields["is_propaganda"] = [None if p is None else p >= threshold for p in probs]
            fields["explanation"] = [() if k in skipped else x for k, x in enumerate(result.explanations)]
        elif self.head is not None:
            scores["propaganda"] = 0.0
        return Evidence(spans=tuple(spans), scores=scores, densities={"propaganda_techniques": density,
                                                                 "propaganda_techniques_author": a_density},
                        sentence_fields=fields, meta=meta)
