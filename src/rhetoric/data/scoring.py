"""Precision, recall and F1 as the shared tasks compute them: the SemEval-2020 span metric and sentence P/R/F1.

Scores are only comparable with published ones if they are computed the same way, so
:func:`si_scores` follows the official SemEval-2020 Task 11 span-identification scorer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from rhetoric.data.base import LabelledSpan

__all__ = ["SpanLike", "merge_spans", "prf", "sentence_scores", "si_scores"]

# A span is a ``(start, end)`` pair, a ``(start, end, technique)`` triple or a LabelledSpan.
SpanLike = tuple[int, int] | tuple[int, int, str] | LabelledSpan


def _interval(span: Any) -> tuple[int, int]:
    if isinstance(span, LabelledSpan):
        return span.start, span.end
    start, end = int(span[0]), int(span[1])
    return start, end


# --------------------------------------------------------------------------------------------------
# Span identification (SemEval-2020 Task 11, subtask SI)
# --------------------------------------------------------------------------------------------------


def merge_spans(spans: Iterable[SpanLike]) -> list[tuple[int, int]]:
    """Sort spans and merge those that share at least one character.

    Spans that merely touch (``[0, 5)`` and ``[5, 9)``) share no character and stay separate, as
    in the official scorer, which treats a span as the set of its character positions.
    """
    merged: list[list[int]] = []
    for start, end in sorted(_interval(span) for span in spans):
        if end <= start:
            raise ValueError(f"empty span [{start}, {end})")
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def si_scores(
    predicted: Mapping[str, Sequence[SpanLike]], gold: Mapping[str, Sequence[SpanLike]]
) -> dict[str, float]:
    """Span-identification precision, recall and F1 of SemEval-2020 Task 11.

    With S the predicted and T the gold spans (pairs only interact within the same article)::

        P(S, T) = 1/|S| * sum_{s in S} sum_{t in T} |s ∩ t| / |s|
        R(S, T) = 1/|T| * sum_{s in S} sum_{t in T} |s ∩ t| / |t|

    and F1 is their harmonic mean.  Like the official scorer, overlapping spans of the same article
    are first merged, in the gold *and* in the predictions (the technique is ignored), so that
    overlapping predictions are not credited twice for the same characters.  Articles missing
    from ``predicted`` count as having no predictions; articles missing from ``gold`` as having
    no gold spans.  With no predicted span precision is 0 (not undefined), with no gold span
    recall is 0, and F1 is 0 when both are 0.  Empty spans (``end <= start``) raise ValueError.
    """
    precision_sum = recall_sum = 0.0
    n_predicted = n_gold = 0
    for article_id in set(predicted) | set(gold):
        pred = merge_spans(predicted.get(article_id, ()))
        true = merge_spans(gold.get(article_id, ()))
        n_predicted += len(pred)
        n_gold += len(true)
        for s in pred:
            for t in true:
                common = _overlap(s, t)
                if common:
                    precision_sum += common / (s[1] - s[0])
                    recall_sum += common / (t[1] - t[0])
    precision = precision_sum / n_predicted if n_predicted else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


# --------------------------------------------------------------------------------------------------
# Sentence classification
# --------------------------------------------------------------------------------------------------


def sentence_scores(y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (1 = propaganda / uncertain).

    This is the NLP4IF-2019 SLC and CoNLL-2010 Task 1 measure.  Undefined values (no positive
    prediction, no positive gold) are reported as 0.
    """
    precision, recall, f1, _ = precision_recall_fscore_support(
        np.asarray(y_true), np.asarray(y_pred), average="binary", pos_label=1, zero_division=0
    )
    return {"precision": float(precision), "recall": float(recall), "f1": float(f1)}


def prf(true_positive_predicted: int, n_predicted: int, true_positive_gold: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 when matching is by overlap: the two hit counts may differ.

    ``true_positive_predicted`` of the ``n_predicted`` predictions match some gold item, and
    ``true_positive_gold`` of the ``n_gold`` gold items are matched by some prediction.  Undefined
    values are 0, as in :func:`si_scores`.
    """
    precision = true_positive_predicted / n_predicted if n_predicted else 0.0
    recall = true_positive_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_predicted": float(n_predicted),
            "n_gold": float(n_gold)}
