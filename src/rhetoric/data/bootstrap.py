"""Bootstrap confidence intervals for any metric, resampling whole units (documents, articles).

A score computed over many documents varies with which documents happened to be sampled; the
bootstrap shows by how much without assuming a distribution. Sentences of one document are not
independent, so the unit that is drawn must be the document: every array passed in holds one
entry per unit, and a resample keeps a unit's entries of all arrays together (a *paired*
bootstrap, ``scipy.stats.bootstrap(paired=True)``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["bootstrap_ci"]


def _units(values: Any) -> np.ndarray:
    """The units along axis 0: numbers stay a numeric array (a 2-D array's rows are its units);
    anything else (lists of spans, dicts, ragged rows) becomes a 1-D object array of the units."""
    try:
        array = np.asarray(values)
    except ValueError:  # ragged: numpy refuses to make a rectangle of it
        array = None
    if array is not None and array.ndim >= 1 and array.dtype != object:
        return array
    items = list(values)
    units = np.empty(len(items), dtype=object)
    units[:] = items
    return units


def bootstrap_ci(metric: Callable[..., Any], *arrays: Sequence[Any], n_resamples: int = 1000,
                 confidence: float = 0.95, random_state: int | np.random.Generator | None = 0,
                 method: str = "percentile") -> tuple[float, float]:
    """Paired bootstrap interval ``(low, high)`` for ``metric(*arrays)``, resampling units.

    ``arrays`` are aligned, one entry per unit along axis 0: e.g. per-document hit and item counts,
    a ``(documents, counts)`` matrix, or each document's list of spans. Each resample draws ``n``
    units with replacement and calls ``metric`` with the drawn entries of every array (NumPy arrays
    with the units along axis 0; object arrays when the entries are not numbers).

    ``method`` is ``"percentile"`` (default: no normality assumption, and a constant metric gives a
    zero-width interval), ``"basic"`` or ``"BCa"``, as in :func:`scipy.stats.bootstrap`; a metric
    on 1-D numeric arrays that takes ``axis`` (``np.mean``) is called once per batch of resamples,
    as scipy does. Seeded (``random_state``), so a figure or a table redrawn from the same data is
    identical. One unit gives the zero-width interval at ``metric`` (there is nothing to
    resample); no units raise ``ValueError``.
    """
    from scipy.stats import bootstrap

    if not arrays:
        raise ValueError("bootstrap_ci needs at least one array of units")
    data = [_units(a) for a in arrays]
    n = len(data[0])
    if any(len(d) != n for d in data):
        raise ValueError(f"arrays must be aligned by unit; got lengths {[len(d) for d in data]}")
    if n == 0:
        raise ValueError("no units to resample")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if n == 1:
        value = float(metric(*data))
        return (value, value)
    options = {"n_resamples": n_resamples, "confidence_level": confidence, "method": method,
               "rng" if "rng" in inspect.signature(bootstrap).parameters else "random_state":  # scipy < 1.15
               np.random.default_rng(random_state)}
    if all(d.ndim == 1 and d.dtype != object for d in data):
        result = bootstrap(data, metric, paired=True, **options)
    else:  # rows or objects as units: resample their indices, as scipy's paired bootstrap does inside
        def on_units(index: np.ndarray) -> Any:
            return metric(*(d[index] for d in data))
        result = bootstrap((np.arange(n),), on_units, vectorized=False, **options)
    interval = result.confidence_interval
    return (float(interval.low), float(interval.high))
