"""Compare outlets: every document as a point, and each outlet's mean with a bootstrap 95% interval.

Per-document scores are skewed and outlets differ in size, so a bar of means alone hides both
the spread and how uncertain each mean is; the points show the first, the interval the second.
The percentile bootstrap (``scipy.stats.bootstrap``) makes no normality assumption and works
for any statistic.
Needs ``rhetoric-lens[plot]`` (matplotlib).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["bootstrap_ci", "plot_outlets"]

DEFAULT_SCORES = ("state_media", "anonymous_sourcing", "hedging")


def bootstrap_ci(values: Any, n_boot: int = 1000, seed: int = 0, stat: Callable[[np.ndarray], float] = np.mean,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile-bootstrap interval ``(low, high)`` for ``stat(values)`` over documents; NaNs are dropped.

    The one-array case of :func:`rhetoric.data.metrics.bootstrap_ci` (``scipy.stats.bootstrap``).
    Seeded, so a figure redrawn from the same data is identical. No values gives ``(nan, nan)``;
    one value gives a zero-width interval (there is nothing to resample).
    """
    from rhetoric.data.bootstrap import bootstrap_ci as paired_bootstrap_ci
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (float("nan"), float("nan"))
    return paired_bootstrap_ci(stat, x, n_resamples=n_boot, confidence=level, random_state=seed)


def _matplotlib() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("rhetoric.plot needs matplotlib: pip install 'rhetoric-lens[plot]'") from exc
    return Figure


def plot_outlets(frame: pd.DataFrame, outlet_col: str, score_cols: Sequence[str] = DEFAULT_SCORES,
                 n_boot: int = 1000, seed: int = 0, ax: Axes | Sequence[Axes] | None = None) -> Figure:
    """One panel per score column: outlets along x, documents as jittered points, mean ± bootstrap 95% CI.

    ``frame`` is typically :func:`rhetoric.frame.score_frame` output. Outlets are sorted by name so
    panels line up. Without ``ax`` a new Figure is made outside pyplot (so a notebook shows it once,
    and loops do not pile up open figures); pass one Axes per score column to draw into your own.
    """
    Figure = _matplotlib()
    score_cols = [score_cols] if isinstance(score_cols, str) else list(score_cols)
    missing = [c for c in [outlet_col, *score_cols] if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the frame (columns: {list(frame.columns)})")
    if ax is None:
        fig = Figure(figsize=(4.0 * len(score_cols), 4.0), layout="constrained")
        axes = list(np.atleast_1d(fig.subplots(1, len(score_cols), squeeze=False)[0]))
    else:
        axes = list(np.atleast_1d(np.asarray(ax, dtype=object)))
        if len(axes) != len(score_cols):
            raise ValueError(f"got {len(axes)} Axes for {len(score_cols)} score columns")
        fig = axes[0].figure
    outlets = sorted(frame[outlet_col].dropna().unique(), key=str)
    groups = {o: frame.loc[frame[outlet_col] == o] for o in outlets}
    rng = np.random.default_rng(seed)
    for a, col in zip(axes, score_cols):
        label: str | None = "mean, 95% CI"
        for i, outlet in enumerate(outlets):
            y = groups[outlet][col].to_numpy(dtype=float)
            y = y[~np.isnan(y)]
            alpha = float(np.clip(30.0 / max(len(y), 1), 0.08, 0.6))  # big outlets must not turn solid
            a.scatter(i + rng.uniform(-0.25, 0.25, len(y)), y, s=9, alpha=alpha, color="0.45", linewidths=0)
            if len(y):
                low, high = bootstrap_ci(y, n_boot=n_boot, seed=seed)
                mean = float(np.mean(y))
                a.errorbar([i + 0.33], [mean], yerr=[[mean - low], [high - mean]], fmt="o", color="C3",
                           capsize=4, markersize=6, label=label)
                label = None
        a.set_xticks(range(len(outlets)), [f"{o}\n(n={len(groups[o])})" for o in outlets])
        a.set_title(col)
        a.set_xlim(-0.6, len(outlets) - 0.4)
        a.grid(axis="y", alpha=0.3)
        if _is_unit(frame[col]):
            a.set_ylim(-0.04, 1.04)  # the same 0–1 scale in every panel, so panels compare by eye
    axes[0].set_ylabel("score (0–1)" if all(_is_unit(frame[c]) for c in score_cols) else "value")
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(loc="upper right", fontsize="small")
    return fig


def _is_unit(values: pd.Series) -> bool:
    v = values.dropna()
    return bool(len(v) == 0 or (v.min() >= 0.0 and v.max() <= 1.0))
