"""Evaluation: the SemEval-2020 span metric, sentence scores, grouped splits, calibration and intervals.

Scores are only comparable with published ones if they are computed the same way, so
:func:`si_scores` follows the official SemEval-2020 Task 11 span-identification scorer, and the
PTC interchange format can be written and read with :func:`write_ptc` / :func:`read_ptc`.

Sentences of one article are strongly correlated (same author, topic and outlet), so random
sentence-level splits overstate accuracy; :func:`grouped_splits` keeps every article on one side,
and :func:`bootstrap_ci` resamples whole documents.

The functions live in one module per job (:mod:`~rhetoric.data.scoring`, :mod:`~rhetoric.data.splits`,
:mod:`~rhetoric.data.calibration`, :mod:`~rhetoric.data.ptcio`, :mod:`~rhetoric.data.evaluate`,
:mod:`~rhetoric.data.bootstrap`); this module gathers them under one name.
"""

from __future__ import annotations

from rhetoric.data.bootstrap import bootstrap_ci
from rhetoric.data.calibration import ReliabilityBin, brier_score, expected_calibration_error, reliability_table
from rhetoric.data.evaluate import attribution_scores, hedge_scores
from rhetoric.data.ptcio import read_ptc, write_ptc
from rhetoric.data.scoring import SpanLike, merge_spans, prf, sentence_scores, si_scores
from rhetoric.data.splits import assert_no_group_overlap, grouped_splits

__all__ = [
    "ReliabilityBin",
    "SpanLike",
    "assert_no_group_overlap",
    "attribution_scores",
    "bootstrap_ci",
    "brier_score",
    "expected_calibration_error",
    "grouped_splits",
    "hedge_scores",
    "merge_spans",
    "prf",
    "read_ptc",
    "reliability_table",
    "sentence_scores",
    "si_scores",
    "write_ptc",
]
