"""The state-media dimension: ideological set phrases, the register of state media, and its score.

Without a head the score counts lexicon phrases (``rhetoric.report.scores``). With the trained
head (:class:`~rhetoric.statemedia.head.StateMediaHead`) every sentence gets a calibrated
probability (``Sentence.state_media``) and ``scores["state_media"]`` is the document probability,
which combines the register of all sentences with the lexicon evidence; ``Report.meta["state_media"]``
explains it (top features, top sentences, the lexicon-only score). ``state_media_author`` is the
same in the author's voice only: sentences that are at least half quotation or attributed content
are left out, and so are the lexicon phrases inside quotations.

Site furniture (:mod:`rhetoric.text.boilerplate`) is scored by nothing: its sentences get no
probability and ``boilerplate=True``, its phrases are not matched, and its ranges are returned as spans
of category ``boilerplate`` (label = reason, rule ``boilerplate:<reason>``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score, span_weight
from rhetoric.report.types import Span
from rhetoric.sourcing.voice import author_score
from rhetoric.statemedia.features import document_entries
from rhetoric.text.boilerplate import boilerplate_sentences, covered_fraction

__all__ = ["StateMediaDimension", "boilerplate_spans"]

_TOP_FEATURES = 8
_TOP_SENTENCES = 3


def boilerplate_spans(analysis: Analysis) -> list[Span]:
    """The boilerplate ranges as spans (weight 0: they are shown, never scored)."""
    text, seg = analysis.text, analysis.seg
    return [Span(a, b, text[a:b], "boilerplate", reason, 0.0, f"boilerplate:{reason}", reason, seg.sentence_of(a))
            for a, b, reason in analysis.boilerplate]


class StateMediaDimension:
    """State-media language. ``head``: the trained :class:`~rhetoric.statemedia.head.StateMediaHead`, if any."""

    def __init__(self, head: Any = None) -> None:
        self.head = head

    def apply(self, analysis: Analysis, features: Any = None, sourcing: Evidence | None = None) -> Evidence:
        seg = analysis.seg
        skipped = boilerplate_sentences(analysis)
        n_words = seg.n_words  # the documented density formula of every dimension (report.scores)
        spans = lexicon_spans(analysis.text, analysis.matches, seg, ("state_media",))
        weight = span_weight(spans, "state_media")
        density, score = density_and_score("state_media", weight, n_words)
        quoted = sourcing.quoted if sourcing is not None else ()
        a_density, a_score = author_score(spans, quoted, "state_media", "state_media", n_words)
        fields: dict[str, Any] = {"boilerplate": [k in skipped for k in range(len(seg.sentences))]}
        scores = {"state_media": score, "state_media_author": a_score}
        meta: dict[str, Any] = {}
        if self.head is not None and seg.sentences:
            scores, meta = self._head_scores(analysis, sourcing, skipped, fields, density, a_density, score, features)
        spans.extend(boilerplate_spans(analysis))
        return Evidence(spans=tuple(spans), scores=scores, sentence_fields=fields, meta=meta,
                        densities={"state_media": density, "state_media_author": a_density})

    def _head_scores(self, analysis: Analysis, sourcing: Evidence | None, skipped: set[int], fields: dict[str, Any],
                     density: float, a_density: float, lexicon_score: float,
                     features: Any = None) -> tuple[dict[str, float], dict[str, Any]]:
        head, seg = self.head, analysis.seg
        scored, row, names = document_entries(analysis, sourcing, mask_names=head.mask_names, skip_sentences=skipped,
                                              features=features)
        z, probability, top = head.score_entries(len(scored), row, names, math.log1p(density), _TOP_FEATURES)
        column: list[float | None] = [None] * len(seg.sentences)
        for k, v in zip(scored, head.sentence_probability(z).tolist()):
            column[k] = round(v, 4)
        fields["state_media"] = column
        # the author's voice: sentences at least half quoted or attributed content are left out
        # (the lexicon part already counts only the author's spans)
        quoted = sourcing.quoted if sourcing is not None else ()
        z_author = z
        if quoted:
            ranges = tuple((q.start, q.end, "") for q in quoted)
            text, sents = analysis.text, seg.sentences
            keep = [covered_fraction(text, ranges, *sents[k]) < 0.5 for k in scored]
            z_author = z[np.asarray(keep, dtype=bool)] if scored else z
        author_probability = head.document_probability(z_author, math.log1p(a_density))
        zs = z.tolist()
        order = sorted(range(len(scored)), key=lambda i: -zs[i])[:_TOP_SENTENCES]
        meta = {"state_media": {
            "probability": round(probability, 4),
            "author_probability": round(author_probability, 4),
            "threshold": head.threshold_,
            "is_state_media": probability >= head.threshold_,
            "lexicon_score": round(lexicon_score, 4),
            "top_features": top,
            "top_sentences": [scored[i] for i in order],
            "n_boilerplate_sentences": len(skipped),
        }}
        return {"state_media": probability, "state_media_author": author_probability}, meta

