"""Cross-validation folds that keep every article (group) on one side of each split.

Sentences of one article are strongly correlated (same author, topic and outlet), so random
sentence-level splits overstate accuracy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

__all__ = ["assert_no_group_overlap", "grouped_splits"]


def grouped_splits(
    groups: Sequence[Any],
    n_splits: int = 5,
    seed: int = 0,
    y: Sequence[int] | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """K-fold ``(train_indices, test_indices)`` in which each group (article) is in one test fold.

    With ``y`` the folds are also stratified (``StratifiedGroupKFold(shuffle=True)``).  Without it,
    groups are shuffled with ``seed`` and each goes to the fold with the fewest items so far, which
    keeps folds balanced in size (``GroupKFold`` only gained ``shuffle`` in scikit-learn 1.6).
    """
    groups_array = np.asarray(groups)
    unique, inverse, counts = np.unique(groups_array, return_inverse=True, return_counts=True)
    if n_splits < 2:
        raise ValueError(f"n_splits must be at least 2, got {n_splits}")
    if len(unique) < n_splits:
        raise ValueError(f"cannot make {n_splits} folds from {len(unique)} groups")
    indices = np.arange(len(groups_array))
    if y is not None:
        splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        return [(train, test) for train, test in splitter.split(indices, np.asarray(y), groups_array)]
    rng = np.random.default_rng(seed)
    fold_of_group = np.empty(len(unique), dtype=int)
    fold_sizes = np.zeros(n_splits, dtype=int)
    for group in rng.permutation(len(unique)):
        fold = int(np.argmin(fold_sizes))
        fold_of_group[group] = fold
        fold_sizes[fold] += counts[group]
    fold_of_item = fold_of_group[inverse.ravel()]
    return [(indices[fold_of_item != k], indices[fold_of_item == k]) for k in range(n_splits)]


def assert_no_group_overlap(
    splits: Iterable[tuple[Sequence[int], Sequence[int]]], groups: Sequence[Any]
) -> None:
    """Raise ``AssertionError`` if any group has items in both the train and test part of a split."""
    groups_array = np.asarray(groups)
    for k, (train, test) in enumerate(splits):
        shared = set(groups_array[np.asarray(train, dtype=int)]) & set(
            groups_array[np.asarray(test, dtype=int)]
        )
        if shared:
            examples = ", ".join(sorted(map(str, shared))[:5])
            raise AssertionError(f"fold {k}: {len(shared)} group(s) in both train and test, e.g. {examples}")
