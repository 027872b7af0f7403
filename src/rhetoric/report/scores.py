"""From evidence to numbers: densities per 1,000 words and bounded 0–1 scores.

For each dimension *d* the evidence weight ``W_d`` is summed over the text (span weights from the
lexicon; one per attribution for the sourcing dimensions). Then

    density_d = 1000 * W_d / (n_words + N0)          # evidence per 1,000 words
    score_d   = 1 - exp(-density_d / TAU_d)           # bounded in [0, 1)

``N0 = 50`` pseudo-words shrink the density of very short texts (a 5-word headline with one loaded
word is not "200 per 1,000 words" of evidence). Doubling a text by repeating it leaves the density,
and so the score, almost unchanged: scores neither grow with length alone nor saturate with it.
``TAU_d`` is the density at which the score reaches 1 - 1/e ≈ 0.63; the values below were set from
the densities seen in mainstream news (PolNeAR outlets, which should score low), RT articles (whose
90th percentile of state-media density is about 3 per 1,000 words) and a North Korean state-media
relay (about 30): see the README's "Scoring" section.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rhetoric.report.types import Span

__all__ = ["N0", "TAU", "DIMENSIONS", "bounded", "density_and_score", "span_weight", "word_weighted_mean"]

N0 = 50.0
TAU: dict[str, float] = {
    "state_media": 8.0,
    "propaganda_techniques": 20.0,
    "anonymous_sourcing": 3.0,
    "vague_sourcing": 8.0,
    "hedging": 12.0,
    "approximation": 6.0,
    "boosting": 8.0,
}
DIMENSIONS = tuple(TAU)
_BELOW_ONE = math.nextafter(1.0, 0.0)


def bounded(density: float, tau: float) -> float:
    """``1 - exp(-density / tau)``, kept below 1.0 (in floating point it rounds to 1.0 past density ≈ 37 tau)."""
    return min(1.0 - math.exp(-density / tau), _BELOW_ONE)


def density_and_score(dimension: str, weight: float, n_words: int) -> tuple[float, float]:
    """Density per 1,000 words and bounded score of one dimension's summed evidence weight."""
    density = 1000.0 * weight / (n_words + N0)
    return density, bounded(density, TAU[dimension])


def span_weight(spans: Iterable[Span], category: str, *, lexicon_only: bool = True) -> float:
    """Summed weight of the spans of one category (lexicon evidence only: models have their own scores)."""
    return sum(s.weight for s in spans if s.category == category and not (lexicon_only and s.rule.startswith("model:")))


def word_weighted_mean(values: Iterable[tuple[float | None, int]]) -> float:
    """Mean of ``(value, n_words)`` pairs weighted by ``max(1, n_words)``, skipping ``None`` values;
    0.0 when none is left. The propaganda score of a text is this over its sentences' probabilities:
    the expected share of its words that sit in propaganda sentences."""
    kept = [(v, max(1, n)) for v, n in values if v is not None]
    total = sum(n for _, n in kept)
    return sum(v * n for v, n in kept) / total if kept else 0.0
