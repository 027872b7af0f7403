"""Evaluation: the SemEval-2020 span metric, sentence scores, grouped splits and calibration.

Scores are only comparable with published ones if they are computed the same way, so
:func:`si_scores` follows the official SemEval-2020 Task 11 span-identification scorer, and the
PTC interchange format can be written and read with :func:`write_ptc` / :func:`read_ptc`.

Sentences of one article are strongly correlated (same author, topic and outlet), so random
sentence-level splits overstate accuracy; :func:`grouped_splits` keeps every article on one side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from rhetoric.data.datasets import LabelledSpan, PathLike, _parse_span_lines

__all__ = [
    "ReliabilityBin",
    "assert_no_group_overlap",
    "attribution_scores",
    "brier_score",
    "expected_calibration_error",
    "grouped_splits",
    "hedge_scores",
    "merge_spans",
    "read_ptc",
    "reliability_table",
    "sentence_scores",
    "si_scores",
    "write_ptc",
]

# A span is a ``(start, end)`` pair, a ``(start, end, technique)`` triple or a LabelledSpan.
Span = tuple[int, int] | tuple[int, int, str] | LabelledSpan


def _interval(span: Any) -> tuple[int, int]:
    if isinstance(span, LabelledSpan):
        return span.start, span.end
    start, end = int(span[0]), int(span[1])
    return start, end


# --------------------------------------------------------------------------------------------------
# Span identification (SemEval-2020 Task 11, subtask SI)
# --------------------------------------------------------------------------------------------------


def merge_spans(spans: Iterable[Span]) -> list[tuple[int, int]]:
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
    predicted: Mapping[str, Sequence[Span]], gold: Mapping[str, Sequence[Span]]
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


# --------------------------------------------------------------------------------------------------
# Grouped cross-validation
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# Calibration
# --------------------------------------------------------------------------------------------------


def _check_binary(y_true: Sequence[int], proba: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=float).ravel()
    p = np.asarray(proba, dtype=float).ravel()
    if y.shape != p.shape:
        raise ValueError(f"y_true has {y.size} items but proba has {p.size}")
    if y.size == 0:
        raise ValueError("no items to score")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must contain only 0 and 1")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("proba must be probabilities in [0, 1]")
    return y, p


def brier_score(y_true: Sequence[int], proba: Sequence[float]) -> float:
    """Mean squared difference between the predicted probability of class 1 and the 0/1 outcome."""
    y, p = _check_binary(y_true, proba)
    return float(np.mean((p - y) ** 2))


@dataclass(frozen=True)
class ReliabilityBin:
    """One row of a reliability table: items whose probability falls in ``[lower, upper)``.

    ``mean_predicted`` and ``fraction_positive`` are NaN for an empty bin.  The last bin also
    holds probability 1.0.
    """

    lower: float
    upper: float
    count: int
    mean_predicted: float
    fraction_positive: float


def reliability_table(
    y_true: Sequence[int], proba: Sequence[float], n_bins: int = 10
) -> list[ReliabilityBin]:
    """Bin predictions into ``n_bins`` equal-width probability bins and compare with outcomes.

    A calibrated model has ``fraction_positive ≈ mean_predicted`` in every bin.  Empty bins are
    kept so that tables of different models line up; ``pandas.DataFrame(table)`` gives a frame.
    """
    if n_bins < 1:
        raise ValueError(f"n_bins must be positive, got {n_bins}")
    y, p = _check_binary(y_true, proba)
    bin_of = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = []
    for k in range(n_bins):
        members = bin_of == k
        count = int(members.sum())
        table.append(
            ReliabilityBin(
                lower=k / n_bins,
                upper=(k + 1) / n_bins,
                count=count,
                mean_predicted=float(p[members].mean()) if count else math.nan,
                fraction_positive=float(y[members].mean()) if count else math.nan,
            )
        )
    return table


def expected_calibration_error(y_true: Sequence[int], proba: Sequence[float], n_bins: int = 10) -> float:
    """Count-weighted mean of ``|fraction_positive - mean_predicted|`` over the reliability bins."""
    table = reliability_table(y_true, proba, n_bins)
    total = sum(row.count for row in table)
    return float(
        sum(row.count * abs(row.fraction_positive - row.mean_predicted) for row in table if row.count) / total
    )


# --------------------------------------------------------------------------------------------------
# PTC interchange format
# --------------------------------------------------------------------------------------------------


def write_ptc(path: PathLike, spans_by_article: Mapping[str, Iterable[Span]]) -> None:
    """Write spans in the PTC format, one span per line.

    Spans with a technique (``LabelledSpan`` with one, or ``(start, end, technique)``) are written
    as ``id<TAB>technique<TAB>start<TAB>end`` (task TC); plain ``(start, end)`` spans as
    ``id<TAB>start<TAB>end`` (task SI).  One file must not mix the two.
    """
    lines = []
    columns: set[int] = set()
    for article_id, spans in spans_by_article.items():
        for span in spans:
            start, end = _interval(span)
            if isinstance(span, LabelledSpan):
                technique = span.technique
            else:
                technique = span[2] if len(span) > 2 else None
            if technique is None:
                columns.add(3)
                lines.append(f"{article_id}\t{start}\t{end}\n")
            else:
                if "\t" in technique or "\n" in technique:
                    raise ValueError(f"technique {technique!r} contains a tab or newline")
                columns.add(4)
                lines.append(f"{article_id}\t{technique}\t{start}\t{end}\n")
    if len(columns) > 1:
        raise ValueError("spans mix the SI (no technique) and TC (with technique) formats")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(lines)


def read_ptc(path: PathLike) -> dict[str, list[LabelledSpan]]:
    """Read a PTC span file (4-column TC or 3-column SI) into ``{article_id: [LabelledSpan, ...]}``.

    For the SI format ``technique`` is ``None``.  A directory is read file by file (the per-article
    ``*.labels`` files of the corpus releases).  Malformed lines raise :class:`DatasetFormatError`.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".labels")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"no such file or directory: {path}")
    result: dict[str, list[LabelledSpan]] = {}
    for file in files:
        for article_id, span in _parse_span_lines(file):
            result.setdefault(article_id, []).append(span)
    return result


# --------------------------------------------------------------------------------------------------
# Engine checks on annotated corpora: hedges (CoNLL-2010, Szeged) and attributions (PolNeAR)
# --------------------------------------------------------------------------------------------------


def _prf(true_positive_predicted: int, n_predicted: int, true_positive_gold: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 when matching is by overlap: the two hit counts may differ."""
    precision = true_positive_predicted / n_predicted if n_predicted else 0.0
    recall = true_positive_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_predicted": float(n_predicted),
            "n_gold": float(n_gold)}


def _hits(spans: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]) -> int:
    """How many of ``spans`` share at least one character with some span of ``others``."""
    ordered = sorted(others)
    starts = [s for s, _ in ordered]
    longest = max((e - s for s, e in ordered), default=0)
    count = 0
    for start, end in spans:
        lo = int(np.searchsorted(starts, start - longest, side="left"))
        hi = int(np.searchsorted(starts, end, side="left"))
        count += any(ordered[k][1] > start for k in range(lo, hi))
    return count


def hedge_scores(scorer: Any, corpus: Any) -> dict[str, Any]:
    """How well the scorer's ``hedge`` spans find uncertainty in a labelled corpus.

    ``corpus`` is a :class:`~rhetoric.data.datasets.Corpus` with sentence labels, e.g. from
    :func:`~rhetoric.data.datasets.load_conll2010` or :func:`~rhetoric.data.datasets.load_szeged`.  Each
    article is scored once; its lines are the sentences.

    * ``sentence``: a line is predicted uncertain when at least one hedge span overlaps it,
      compared with the gold line label (precision/recall/F1 of the uncertain class, the CoNLL-2010
      Task 1 measure);
    * ``cue`` (only when the corpus has cue spans, as the Szeged corpus does): precision is the share
      of predicted hedge spans that overlap a gold cue, recall the share of gold cues that a predicted
      hedge span overlaps.

    ``booster`` spans are not hedges and are not counted.
    """
    y_true: list[int] = []
    y_pred: list[int] = []
    cue_pred = cue_pred_hit = cue_gold = cue_gold_hit = 0
    has_cues = False
    for article in corpus:
        report = scorer.score(article.text)
        hedges = [(s.start, s.end) for s in report.spans if s.category == "hedge"]
        gold = [(s.start, s.end) for s in article.spans]
        has_cues = has_cues or bool(gold)
        for number, start, end in article.lines():
            if not article.text[start:end].strip():
                continue
            label = (article.sentence_labels[number - 1] if article.sentence_labels is not None
                     else int(any(s < end and start < e for s, e in gold)))
            y_true.append(int(label))
            y_pred.append(int(any(s < end and start < e for s, e in hedges)))
        cue_pred += len(hedges)
        cue_gold += len(gold)
        if gold or hedges:
            cue_pred_hit += _hits(hedges, gold)
            cue_gold_hit += _hits(gold, hedges)
    result: dict[str, Any] = {"n_sentences": len(y_true), "n_uncertain": int(sum(y_true)),
                              "sentence": sentence_scores(y_true, y_pred) if y_true else
                              {"precision": 0.0, "recall": 0.0, "f1": 0.0}}
    if has_cues:
        result["cue"] = _prf(cue_pred_hit, cue_pred, cue_gold_hit, cue_gold)
    return result


def attribution_scores(scorer: Any, corpus: Any) -> dict[str, Any]:
    """How well the scorer's attributions match PolNeAR-style annotations (overlap matching).

    ``corpus`` is an :class:`~rhetoric.data.datasets.AttributionCorpus` (:func:`~rhetoric.data.datasets.load_polnear`);
    each article's default annotator is used.  Predicted cues are the ``cue`` spans of the report's
    attributions (cue words the engine rejected as non-attributions do not count); gold cues and
    sources are the annotated ``Cue``/``Source`` fragments.

    * ``cue``: precision = share of predicted cues overlapping a gold cue; recall = share of gold
      relations whose cue a predicted cue overlaps;
    * ``source`` (same relation): a predicted source is right when it overlaps the ``Source`` of a gold
      relation whose ``Cue`` the predicted cue also overlaps; recall = share of gold relations with a
      source and a cue that some predicted attribution matches that way;
    * ``source_any``: a predicted source overlapping any gold ``Source`` span, and the share of gold
      ``Source`` spans that any predicted source overlaps.
    """
    cue_pred = cue_pred_hit = cue_gold = cue_gold_hit = 0
    src_pred = src_pred_hit = src_gold = src_gold_hit = 0
    any_pred_hit = any_gold = any_gold_hit = 0
    for article in corpus:
        report = scorer.score(article.text)
        relations = []
        for relation in article.attributions:
            cues = [(s, e) for role, s, e in relation.fragments if role == "Cue" and e > s]
            sources = [(s, e) for role, s, e in relation.fragments if role == "Source" and e > s]
            relations.append((cues, sources))
        gold_cues = [c for cues, _ in relations for c in cues]
        gold_sources = [c for _, sources in relations for c in sources]
        predicted = [((a.cue.start, a.cue.end), None if a.source is None else (a.source.start, a.source.end))
                     for a in report.attributions]
        pred_cues = [c for c, _ in predicted]
        pred_sources = [s for _, s in predicted if s is not None]

        cue_pred += len(pred_cues)
        cue_pred_hit += _hits(pred_cues, gold_cues)
        with_cue = [cues for cues, _ in relations if cues]
        cue_gold += len(with_cue)
        cue_gold_hit += sum(_hits(cues, pred_cues) > 0 for cues in with_cue)

        def same_relation(cue: tuple[int, int], source: tuple[int, int], cues: list, sources: list) -> bool:
            return _hits([cue], cues) > 0 and _hits([source], sources) > 0

        full = [(cues, sources) for cues, sources in relations if cues and sources]
        src_pred += len(pred_sources)
        src_pred_hit += sum(any(same_relation(c, s, cues, sources) for cues, sources in full)
                            for c, s in predicted if s is not None)
        src_gold += len(full)
        src_gold_hit += sum(any(s is not None and same_relation(c, s, cues, sources) for c, s in predicted)
                            for cues, sources in full)

        any_pred_hit += _hits(pred_sources, gold_sources)
        any_gold += len(gold_sources)
        any_gold_hit += _hits(gold_sources, pred_sources)
    return {
        "n_articles": len(corpus),
        "cue": _prf(cue_pred_hit, cue_pred, cue_gold_hit, cue_gold),
        "source": _prf(src_pred_hit, src_pred, src_gold_hit, src_gold),
        "source_any": _prf(any_pred_hit, src_pred, any_gold_hit, any_gold),
    }
