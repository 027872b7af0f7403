"""The hedging heads as scikit-learn estimators (``get_params``, ``clone``, string input tags).

Kept apart from :mod:`rhetoric.hedging.tagger` and :mod:`rhetoric.hedging.head` because importing
``sklearn.base`` costs more than a whole ``score`` call, and scoring never needs it. Training
(:mod:`rhetoric.hedging.training`) fits these; the model file stores and reads back the numpy
classes they extend (same parameters, same learned state).
"""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator, ClassifierMixin

from rhetoric.hedging.head import HedgingHead
from rhetoric.hedging.tagger import HedgeCueTagger

__all__ = ["HedgeCueTaggerEstimator", "HedgingHeadEstimator"]


def _text_tags(tags: Any) -> Any:
    tags.input_tags.string = True
    tags.input_tags.two_d_array = False
    return tags


class HedgeCueTaggerEstimator(ClassifierMixin, BaseEstimator, HedgeCueTagger):  # type: ignore[misc]
    """:class:`HedgeCueTagger` with the scikit-learn estimator interface."""

    def __sklearn_tags__(self) -> Any:
        return _text_tags(super().__sklearn_tags__())


class HedgingHeadEstimator(ClassifierMixin, BaseEstimator, HedgingHead):  # type: ignore[misc]
    """:class:`HedgingHead` with the scikit-learn estimator interface."""

    def __sklearn_tags__(self) -> Any:
        return _text_tags(super().__sklearn_tags__())
