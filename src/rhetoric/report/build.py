"""Assemble a :class:`~rhetoric.report.types.Report` from the evidence the dimensions returned."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.evidence import Evidence
from rhetoric.report.attribution_columns import AttributionView
from rhetoric.report.columns import SentenceView, SpanView
from rhetoric.report.scores import DIMENSIONS
from rhetoric.report.types import Attribution, Report, Sentence, Span
from rhetoric.text.segment import Segmentation

__all__ = ["build_report"]


def build_report(text: str, seg: Segmentation, evidence: Sequence[Evidence], *, lexicon_sha256: str,
                 model: str | None, version: str) -> Report:
    """Merge the dimensions' evidence: spans sorted by offset, scores in a fixed order, one Sentence each."""
    spans: list[Span] = [s for e in evidence for s in e.spans]
    spans.sort(key=lambda s: (s.start, s.end, s.category, s.label, s.rule))
    attributions: list[Attribution] = [a for e in evidence for a in e.attributions]
    merged_scores: dict[str, float] = {}
    merged_densities: dict[str, float] = {}
    fields: dict[str, Sequence[Any]] = {}
    sourcing: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for e in evidence:
        merged_scores.update(e.scores)
        merged_densities.update(e.densities)
        fields.update(e.sentence_fields)
        sourcing.update(e.sourcing)
        thresholds = {**meta.get("thresholds", {}), **e.meta.get("thresholds", {})}
        meta.update(e.meta)
        if thresholds:  # each dimension names its own operating thresholds
            meta["thresholds"] = thresholds
    order = [*DIMENSIONS, *(k for k in merged_scores if k not in DIMENSIONS)]
    scores = {k: merged_scores[k] for k in order if k in merged_scores}
    densities = {k: merged_densities[k] for k in [*DIMENSIONS, *merged_densities] if k in merged_densities}
    return Report(
        text=text,
        n_words=seg.n_words,
        scores=scores,
        densities=densities,
        sourcing=sourcing,
        spans=SpanView.from_objects(text, spans),
        sentences=_sentences(text, seg, spans, attributions, fields),
        attributions=AttributionView.from_objects(text, attributions),
        lexicon_sha256=lexicon_sha256,
        model=model,
        version=version,
        # JSON-native (lists, not tuples), so that Report.from_json(r.to_json()) == r
        meta=json.loads(json.dumps(meta)) if meta else meta,
    )


def _sentences(text: str, seg: Segmentation, spans: list[Span], attributions: list[Attribution],
               fields: dict[str, Sequence[Any]]) -> SentenceView:
    """The sentences of the report, one :class:`Sentence` each."""
    n = len(seg.sentences)
    counts: list[dict[str, float]] = [{} for _ in range(n)]
    for s in spans:
        if 0 <= s.sentence < n and not s.rule.startswith("attribution:"):
            c = counts[s.sentence]
            c[s.category] = c.get(s.category, 0.0) + s.weight
    for a in attributions:
        if 0 <= a.sentence < n:
            key = f"{a.kind}_source"
            counts[a.sentence][key] = counts[a.sentence].get(key, 0.0) + 1.0
    bounds = np.asarray(seg.sentences, dtype=np.int64).reshape(n, 2)
    values: dict[str, Any] = {
        "index": range(n), "start": bounds[:, 0].tolist(), "end": bounds[:, 1].tolist(),
        "n_words": seg.sentence_word_counts(), "counts": counts, "propaganda": [None] * n, "explanation": [()] * n,
        "is_propaganda": [None] * n, "is_hedged": [None] * n, "state_media": [None] * n,
        "boilerplate": [False] * n}
    values.update((k, v) for k, v in fields.items() if len(v) == n)
    values["text"] = [text[a:b] for a, b in zip(values["start"], values["end"])]
    # objects, as a short text's report keeps them (the view encodes columns when needed)
    rows = list(map(Sentence, *[values[f] for f in SentenceView._names]))
    return SentenceView.from_objects(text, rows)  # type: ignore[return-value]
