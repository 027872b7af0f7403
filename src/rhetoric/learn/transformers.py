"""The engine's evidence as a scikit-learn transformer.

:class:`LexiconFeatures` turns each input string into one row of counts: lexicon weight per
category and label, attribution kinds, and a few surface cues (length, quotes, exclamation marks,
capitals, first-person plural). It follows the scikit-learn contract (``fit``/``transform``/
``get_feature_names_out``, hyper-parameters in ``__init__``, learned state with a trailing
underscore, clone-able), so a researcher can put it in a ``FeatureUnion`` beside their own
vectorisers:

>>> from sklearn.pipeline import make_pipeline, make_union
>>> from sklearn.feature_extraction.text import HashingVectorizer
>>> from sklearn.linear_model import LogisticRegression
>>> clf = make_pipeline(make_union(HashingVectorizer(), LexiconFeatures()), LogisticRegression())

Each text is analysed once and its rows come from the same feature pass the trained heads use
(:meth:`rhetoric.learn.features.DocumentFeatures.evidence_rows`); inside :class:`~rhetoric.Scorer`
the rows are computed per sentence from the one analysis of the whole document.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from rhetoric.learn.evidence import N_FEATURES, feature_names, sentence_feature_rows
from rhetoric.learn.features import DocumentFeatures

__all__ = ["LexiconFeatures", "feature_names", "sentence_feature_rows"]

class LexiconFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Lexicon, attribution and surface features of each text, as a dense array.

    Parameters
    ----------
    lexicons:
        A lexicon directory or ``None`` for the shipped lexicons.
    """

    def __init__(self, lexicons: str | os.PathLike[str] | None = None) -> None:
        self.lexicons = lexicons

    def fit(self, X: Iterable[str], y: Any = None) -> LexiconFeatures:
        from rhetoric.analysis import Analyzer
        self.analyzer_ = Analyzer(self.lexicons)
        self.n_features_in_ = 1
        self.feature_names_out_ = np.asarray(feature_names(), dtype=object)
        return self

    def transform(self, X: Iterable[str]) -> np.ndarray:
        if not hasattr(self, "analyzer_"):
            from sklearn.exceptions import NotFittedError
            raise NotFittedError("LexiconFeatures is not fitted yet; call fit first")
        if isinstance(X, str):
            raise TypeError("LexiconFeatures.transform expects a sequence of strings, not one string")
        rows = []
        for x in X:
            if not isinstance(x, str):
                raise TypeError(f"LexiconFeatures expects strings, got {type(x).__name__}")
            rows.append(DocumentFeatures(self.analyzer_.analyze(x)).evidence_rows([(0, len(x))])[0])
        return np.vstack(rows) if rows else np.zeros((0, N_FEATURES))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(feature_names(), dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags
