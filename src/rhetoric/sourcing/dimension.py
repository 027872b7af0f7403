"""The sourcing dimension: attributions, their source spans, and the anonymous / vague sourcing scores.

With the trained ``"attribution"`` head (:class:`~rhetoric.sourcing.tagger.AttributionTagger`) the
attributions are read off its cue / source / content tags, with the rules' output as features;
without it (``head=None``) the rules alone find them. Either way every attribution gets a
``source_id`` and ``report.sourcing`` counts attributions and distinct sources per kind.
"""

from __future__ import annotations

import threading
from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.report.scores import density_and_score
from rhetoric.sourcing.counts import assign_source_ids, distinct_counts
from rhetoric.sourcing.rules import attribution_context, find_attributions
from rhetoric.sourcing.summary import sourcing_summary
from rhetoric.sourcing.voice import quoted_ranges
from rhetoric.sourcing.words import WordFacts

__all__ = ["SourcingDimension"]

_SCORED_KINDS = {"anonymous": "anonymous_sourcing", "vague": "vague_sourcing"}


class SourcingDimension:
    """Who is cited. ``head`` is the trained attribution head (``None``: rules only)."""

    def __init__(self, head: Any = None) -> None:
        self.head = head
        # the tagger's per-word facts are remembered (words.py), one memo per thread: threads
        # sharing this Scorer share no mutable state
        self._local = threading.local()

    def words(self) -> WordFacts:
        """This thread's memo of per-word facts."""
        words = getattr(self._local, "words", None)
        if words is None:
            words = self._local.words = WordFacts()
        return words

    def __reduce__(self) -> tuple[Any, ...]:  # a memo is not part of the dimension
        return SourcingDimension, (self.head,)

    def apply(self, analysis: Analysis, features: Any = None) -> Evidence:
        text, seg = analysis.text, analysis.seg
        ctx = attribution_context(text, seg, analysis.matches)
        rules, extra = find_attributions(text, seg, analysis.matches, ctx)
        lexical = lexicon_spans(text, analysis.matches, seg, ("attribution",))
        if self.head is not None:
            from rhetoric.sourcing.relations import tagged_attributions
            attributions = tagged_attributions(analysis, self.head, rules, features, self.words(), ctx)
            # the tagger's cues replace the lexicon's cue words; source-type phrases stay as evidence
            spans = [s for s in lexical if s.label != "cue"]
            spans.extend(a.cue for a in attributions)
        else:
            attributions = rules
            # A cue word the attribution rules rejected ("the reported liberation") is not evidence.
            cited = {(a.cue.start, a.cue.end) for a in attributions}
            spans = [s for s in lexical if not (s.label == "cue" and (s.start, s.end) not in cited)]
        attributions = assign_source_ids(attributions)
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
                        sourcing=summary(attributions, seg.n_words, densities),
                        quoted=tuple(quoted_ranges(analysis.normalized, attributions)))


def summary(attributions: Any, n_words: int, densities: dict[str, float]) -> dict[str, Any]:
    """``sourcing_summary`` with integer counts, distinct-source counts, and the anonymous density
    of the score table (per 1,000 words, over ``n_words + N0``) so the two never disagree."""
    out: dict[str, Any] = {k: (int(v) if k.startswith("n_") else v)
                           for k, v in sourcing_summary(list(attributions), n_words).items()}
    out.update(distinct_counts(attributions))
    out["anonymous_per_1k_words"] = densities["anonymous_sourcing"]
    return out
