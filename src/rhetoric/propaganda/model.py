"""``PropagandaModel``: the propaganda head as a scikit-learn estimator (imports scikit-learn).

:class:`PropagandaModel` is a :class:`~rhetoric.propaganda.head.PropagandaHead` (all of its
scoring, ``score_document`` included) that is also a real ``ClassifierMixin, BaseEstimator``:
``fit(X, y, groups=None)`` on raw strings, ``predict``/``predict_proba``/``decision_function``,
``classes_``, ``get_params``/``set_params``; it works with ``clone``, ``make_pipeline``,
``cross_val_score`` and ``GridSearchCV``. Scoring through the pipeline reads the model file's
numpy-only head and never imports this module (``sklearn.base`` alone takes over 1 s to import).

* :meth:`PropagandaModel.fit` -- isolated labelled texts (no technique heads, no tagger);
* :meth:`PropagandaModel.fit_documents` -- documents with sentence ranges, labels, groups and
  optional technique spans: sentence head, technique heads and span tagger;
* :func:`load_model` -- the ``"propaganda"`` head of a model file, as a PropagandaModel.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from rhetoric.learn.features import SURFACE_NAMES, DocumentFeatures
from rhetoric.learn.linear import fit_logistic, head_from_logistic, ngram_matrix
from rhetoric.learn.training import fit_calibrated
from rhetoric.propaganda.context import CONTEXT_NAMES
from rhetoric.propaganda.head import SHIPPED_TECHNIQUES, PropagandaHead
from rhetoric.propaganda.spans import range_labels, tagger_matrix, token_labels

__all__ = ["SHIPPED_TECHNIQUES", "PropagandaModel", "load_model"]


class PropagandaModel(ClassifierMixin, BaseEstimator, PropagandaHead):  # type: ignore[misc]
    __doc__ = PropagandaHead.__doc__

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.input_tags.sparse = False
        tags.target_tags.required = True
        tags.classifier_tags.multi_class = False
        tags.requires_fit = True
        return tags

    def _check_fitted(self) -> None:
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self)

    @classmethod
    def from_head(cls, head: PropagandaHead) -> PropagandaModel:
        """The estimator holding ``head``'s hyper-parameters and learned state (no copy of arrays)."""
        model = cls(**head.hyper_parameters())
        model.__dict__.update({k: v for k, v in vars(head).items() if k.endswith("_") and not k.startswith("_")})
        return model

    # -- fitting ---------------------------------------------------------------------------------
    def fit(self, X: Sequence[str], y: Sequence[Any], groups: Sequence[Any] | None = None) -> PropagandaModel:
        """Fit the sentence head on texts ``X`` (each one unit) with binary labels ``y``.

        The second of the two sorted labels (``classes_[1]``, 1 for 0/1 labels) is "propaganda".
        ``groups`` (e.g. article ids) keep related texts in one fold of the inner CV that
        calibrates the probabilities; without it every text is its own group. No technique heads
        and no tagger are trained here: use :func:`rhetoric.propaganda.training.train_corpus`.
        """
        from sklearn.utils.multiclass import check_classification_targets, type_of_target
        from sklearn.utils.validation import column_or_1d

        X = self._texts(X)
        y = column_or_1d(y, warn=True)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} texts but y has {len(y)} labels")
        if not X:
            raise ValueError("no training texts (0 samples)")
        if groups is not None and len(groups) != len(X):
            raise ValueError(f"groups has {len(groups)} entries for {len(X)} texts")
        check_classification_targets(y)                   # "Unknown label type" for continuous y
        if type_of_target(y, input_name="y") != "binary":
            raise ValueError("Only binary classification is supported. The type of the target is "
                             f"{type_of_target(y, input_name='y')}.")
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(f"PropagandaModel is a binary classifier: y needs 2 classes, got {len(classes)}")
        y01 = (y == classes[1]).astype(int)
        docs = [{"text": t, "ranges": [(0, len(t))], "labels": [int(v)], "spans": None, "group": g}
                for t, v, g in zip(X, y01, groups if groups is not None else range(len(X)))]
        self.fit_documents(docs)
        self.classes_ = classes
        return self

    def fit_documents(self, docs: Sequence[dict[str, Any]], *, verbose: bool = False) -> PropagandaModel:
        """Fit on documents: each a dict with ``text``, ``ranges`` (character ranges of its labelled
        sentences), ``labels`` (0/1 per range), ``group`` (for the inner grouped CV) and ``spans``
        (``[(start, end, technique), ...]``, or ``None`` when the document has no span annotation).

        Technique heads and the tagger are trained on the documents that have spans.
        """
        import scipy.sparse as sp

        if not docs:
            raise ValueError("no training documents")
        seed = self.random_state if self.random_state is not None else 0
        analyzer = self._analyzer()
        feats, Xs, ys, gs, has_spans = [], [], [], [], []
        for d in docs:
            f = DocumentFeatures(analyzer.analyze(d["text"]))
            feats.append(f)
            Xs.append(ngram_matrix(*self.sentence_inputs(f, d["ranges"])))
            ys.append(np.asarray(d["labels"], dtype=int))
            gs.extend([str(d["group"])] * len(d["ranges"]))
            has_spans.append(d.get("spans") is not None)
        X = sp.vstack(Xs).tocsr()
        y = np.concatenate(ys)
        groups = np.asarray(gs)
        if len(np.unique(y)) < 2:
            raise ValueError("training labels must contain both classes (0 and 1)")

        def fitter(C: float) -> Any:
            return lambda Xa, ya: fit_logistic(Xa, ya, C=C, class_weight=self.class_weight, seed=seed)

        main = fit_calibrated(X, y, groups, fitter(self.C), self.calibration_folds, seed)
        heads, fits = ["propaganda"], [main]
        if verbose:
            print(f"  sentence head: {X.shape[0]} sentences, threshold {main.threshold:.3f}", flush=True)
        span_rows = np.concatenate([np.full(len(d["ranges"]), hs) for d, hs in zip(docs, has_spans)])
        if any(has_spans) and self.techniques:
            idx = np.flatnonzero(span_rows)
            for t in self.techniques:
                yt = np.concatenate([range_labels(d["ranges"], [(s, e) for s, e, tt in d["spans"] if tt == t])
                                     for d, hs in zip(docs, has_spans) if hs])
                if yt.sum() < 2 or yt.sum() == len(yt):
                    continue
                fits.append(fit_calibrated(X[idx], yt, groups[idx], fitter(self.technique_C), self.technique_folds,
                                           seed))
                heads.append(t)
                if verbose:
                    print(f"  technique head {t}: {int(yt.sum())} positive sentences", flush=True)
        dense_names = (list(SURFACE_NAMES) + (_lexicon_names() if self.lexicon_features else [])
                       + (list(CONTEXT_NAMES) if self.context_features else []))
        self._set_learned(heads, head_from_logistic([c.estimator for c in fits], self.n_bits),
                          np.asarray([c.platt for c in fits], dtype=np.float64),
                          np.asarray([c.threshold for c in fits], dtype=np.float64), dense_names,
                          self._fit_tagger(feats, docs, has_spans, main.oof, seed, verbose),
                          analyzer.lexicons.sha256 if self.lexicon_features else "")
        self.card_ = getattr(self, "card_", {}) or {}
        return self

    def _fit_tagger(self, feats: list[DocumentFeatures], docs: Sequence[dict[str, Any]], has_spans: list[bool],
                    oof: np.ndarray, seed: int, verbose: bool) -> Any:
        """The span tagger, trained on the sentences' out-of-fold decision values (``None``: no spans)."""
        if not (self.tagger and any(has_spans)):
            return None
        import scipy.sparse as sp
        offs = np.cumsum([0] + [len(d["ranges"]) for d in docs])
        Ts, yts = [], []
        for i, (f, d, hs) in enumerate(zip(feats, docs, has_spans)):
            if not hs or not len(f.units(d["ranges"]).row):
                continue
            Ts.append(tagger_matrix(f, d["ranges"], self.tagger_bits, oof[offs[i]:offs[i + 1]]))
            yts.append(token_labels(f, d["ranges"], [(s, e) for s, e, _ in d["spans"]]))
        if not Ts:
            return None
        yt = np.concatenate(yts)
        if not 0 < yt.sum() < len(yt):
            return None
        m = fit_logistic(sp.vstack(Ts).tocsr(), yt, C=self.tagger_C, seed=seed, max_iter=2000)
        if verbose:
            print(f"  tagger: {len(yt)} tokens, {yt.mean():.3f} in spans", flush=True)
        return head_from_logistic([m], self.tagger_bits, vector=True)


def _lexicon_names() -> list[str]:
    from rhetoric.learn.evidence import feature_names
    return feature_names()


def load_model(path: str | os.PathLike[str] | None = None) -> PropagandaModel:
    """The ``"propaganda"`` head of a model file (``None``: the shipped default) as an estimator.

    Scoring does not need this: :class:`~rhetoric.Scorer` reads the file with
    :func:`rhetoric.learn.modelfile.load_bundle`, without scikit-learn.
    """
    from rhetoric.learn.modelfile import ModelFormatError, load_bundle
    bundle = load_bundle(path)
    head = bundle.get("propaganda")
    if head is None:
        raise ModelFormatError(f"{bundle.path}: the model file has no 'propaganda' head (heads: {list(bundle)})")
    model = PropagandaModel.from_head(head)
    model.content_sha256_ = bundle.content_sha256
    model.library_versions_ = bundle.library_versions
    return model
