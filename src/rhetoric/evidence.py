"""What a dimension hands to the report: its spans, attributions, scores and per-sentence fields.

Each dimension package (``rhetoric.sourcing``, ``rhetoric.hedging``, ``rhetoric.statemedia``,
``rhetoric.propaganda``) has one ``Dimension`` class whose ``apply`` reads the shared
:class:`~rhetoric.analysis.Analysis` (and, with a model, the one
:class:`~rhetoric.learn.features.DocumentFeatures` pass) plus the evidence of the dimensions
before it, and returns an :class:`Evidence`. The pipeline runs them in order and
:func:`rhetoric.report.build.build_report` merges what they return; no dimension imports the
pipeline or another dimension's internals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rhetoric.lexicon.matcher import Match
from rhetoric.report.types import Attribution, Span
from rhetoric.text.segment import Segmentation

__all__ = ["Evidence", "lexicon_spans"]


@dataclass(frozen=True)
class Evidence:
    """One dimension's contribution to a report.

    ``scores`` and ``densities`` are keyed by score name (``"hedging"``, ``"state_media"``, ...);
    ``sentence_fields`` maps a :class:`~rhetoric.report.types.Sentence` field name
    (``"propaganda"``, ``"is_hedged"``, ...) to one value per sentence; ``sourcing`` is the
    attribution summary and ``quoted`` the :class:`~rhetoric.sourcing.voice.QuotedRange` list
    (sourcing dimension only; later dimensions read them to tell the author's voice from quoted
    voices); ``meta`` goes to ``Report.meta`` (thresholds, model names).
    """

    spans: tuple[Span, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    densities: dict[str, float] = field(default_factory=dict)
    sourcing: dict[str, Any] = field(default_factory=dict)
    sentence_fields: dict[str, Sequence[Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    quoted: tuple[Any, ...] = ()


def lexicon_spans(text: str, matches: Sequence[Match], seg: Segmentation, categories: Sequence[str]) -> list[Span]:
    """Spans for the lexicon matches of the given categories, each naming its lexicon line."""
    wanted = frozenset(categories)
    out = []
    for m in matches:
        e = m.entry
        if e.category in wanted:
            out.append(Span(m.start, m.end, text[m.start:m.end], e.category, e.label, e.weight, e.rule, e.pattern,
                            seg.sentence_of(m.start)))
    return out
