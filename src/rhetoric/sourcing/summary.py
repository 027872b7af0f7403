"""The document-level sourcing numbers: attributions per kind and the shares of unnamed sources.

Kept apart from the attribution rules so that every way of finding attributions (rules, a trained
tagger) reports the same counts, computed in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from rhetoric.report.types import ATTRIBUTION_KINDS, Attribution

__all__ = ["sourcing_summary"]


def sourcing_summary(attributions: Sequence[Attribution], n_words: int) -> dict[str, float]:
    """Counts per kind, the anonymous share and anonymous sources per 1,000 words."""
    counts = dict.fromkeys(ATTRIBUTION_KINDS, 0)
    for a in attributions:
        counts[a.kind] += 1
    total = len(attributions)
    per_1k = 1000.0 / n_words if n_words else 0.0
    return {
        "n_attributions": float(total),
        **{f"n_{k}": float(v) for k, v in counts.items()},
        "anonymous_share": counts["anonymous"] / total if total else 0.0,
        "unnamed_share": (counts["anonymous"] + counts["vague"]) / total if total else 0.0,
        "anonymous_per_1k_words": counts["anonymous"] * per_1k,
    }
