"""The propaganda head as scoring sees it: numpy only, read from and written to the model file.

:class:`PropagandaHead` holds the hyper-parameters (same ``__init__`` as the estimator
:class:`rhetoric.propaganda.model.PropagandaModel`, which subclasses it and adds ``fit``) and the
learned state: a :class:`~rhetoric.learn.linear.LinearHead` with one output for "propaganda" and
one per technique (each Platt-calibrated, with its F1-best threshold), and an optional
one-output token tagger for technique spans. It is split from the estimator because importing
``sklearn.base`` costs 1.1-2.6 s (it pulls in scipy.stats and pandas), more than the whole
``import rhetoric; rhetoric.score('x')`` budget of 1 s; scoring never imports scikit-learn.

Design (see ``models/MODEL_CARD.md`` for data and numbers):

* sentence features: hashed uni-/bigrams of the engine tokens (``2**n_bits``), each row scaled by
  ``1/sqrt(number of n-grams)``, the 15 dense surface columns (position columns zeroed unless
  ``position_features``) and optionally the 49 evidence columns (``log1p`` x ``lexicon_scale``),
  all from :class:`~rhetoric.learn.features.DocumentFeatures`, and optionally the 11 columns of the
  sourcing, hedging and state-media evidence (:mod:`rhetoric.propaganda.context`,
  ``context_features``; a head trained without them never computes them);
* probabilities ``sigmoid(a * (w.x + b) + c)``; the document score is the word-weighted mean of
  the sentence probabilities;
* spans: :mod:`rhetoric.propaganda.spans`; explanations: :mod:`rhetoric.propaganda.explain`.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rhetoric.learn.calibration import apply_platt
from rhetoric.learn.features import POSITION_COLUMNS, DocumentFeatures, HashedRows
from rhetoric.learn.linear import LinearHead
from rhetoric.learn.modelfile import FORMAT, FORMAT_VERSION, ModelCard, jsonable
from rhetoric.propaganda.explain import explain_names, explain_sentences
from rhetoric.propaganda.spans import SPAN_RULE, technique_spans, token_proba

__all__ = ["SHIPPED_TECHNIQUES", "SPAN_RULE", "DocumentScore", "NotFittedError", "PropagandaHead"]

SHIPPED_TECHNIQUES = ("Loaded_Language", "Flag-Waving", "Name_Calling,Labeling", "Doubt")


class NotFittedError(ValueError, AttributeError):
    """The head has no learned state yet (same bases as scikit-learn's NotFittedError)."""


@dataclass(frozen=True)
class DocumentScore:
    """What :meth:`PropagandaHead.score_document` returns for one document."""

    sentence_proba: list[float]
    explanations: list[tuple[tuple[str, float], ...]]
    document: float
    spans: list[Any]
    technique_proba: list[dict[str, float]]


class PropagandaHead:
    """Sentence-level propaganda probabilities, technique probabilities and technique spans.

    Parameters
    ----------
    n_bits, ngram_range:
        Hash space (``2**n_bits`` columns) and n-gram orders of the sentence features.
    C, class_weight:
        Regularisation and class weighting of the sentence heads (liblinear logistic regression).
    position_features:
        Use the sentence's position in its document; leave off for isolated sentences.
    lexicon_features, lexicon_scale:
        Add the engine's evidence rows (``log1p``, times ``lexicon_scale``) as dense columns.
    context_features:
        Add the sourcing, hedging and state-media evidence of each sentence as dense columns
        (:data:`rhetoric.propaganda.context.CONTEXT_NAMES`).
    techniques, technique_C:
        Techniques to model (one-vs-rest heads) when training from spans, and their regularisation.
    calibration_folds, technique_folds:
        Folds of the inner article-grouped CV that gives Platt calibration and thresholds.
    tagger, tagger_bits, tagger_C:
        Train the span tagger (needs spans), its hash space and regularisation.
    span_threshold, span_bridge, span_min_tokens, span_max_tokens:
        Span decoding: token probability cut, largest gap bridged (tokens, within one sentence),
        shortest span (tokens, gaps included), longest span (tokens; 0: no limit; longer runs are
        cut at their least probable token).
    explain_top:
        Features listed per sentence in explanations.
    random_state:
        Seed for fold assignment and liblinear.
    lexicons:
        Lexicon directory used to analyse raw training/prediction strings (``None``: shipped).
    """

    kind = "propaganda"

    def __init__(self, n_bits: int = 18, ngram_range: tuple[int, int] = (1, 2), C: float = 2.0,
                 class_weight: str | None = "balanced", position_features: bool = False,
                 lexicon_features: bool = False, lexicon_scale: float = 1.0, context_features: bool = False,
                 techniques: Sequence[str] = SHIPPED_TECHNIQUES, technique_C: float = 2.0,
                 calibration_folds: int = 5, technique_folds: int = 3, tagger: bool = True,
                 tagger_bits: int = 20, tagger_C: float = 1.0, span_threshold: float = 0.2,
                 span_bridge: int = 5, span_min_tokens: int = 2, span_max_tokens: int = 0, explain_top: int = 5,
                 random_state: int | None = 0, lexicons: str | os.PathLike[str] | None = None) -> None:
        self.n_bits = n_bits
        self.ngram_range = ngram_range
        self.C = C
        self.class_weight = class_weight
        self.position_features = position_features
        self.lexicon_features = lexicon_features
        self.lexicon_scale = lexicon_scale
        self.context_features = context_features
        self.techniques = techniques
        self.technique_C = technique_C
        self.calibration_folds = calibration_folds
        self.technique_folds = technique_folds
        self.tagger = tagger
        self.tagger_bits = tagger_bits
        self.tagger_C = tagger_C
        self.span_threshold = span_threshold
        self.span_bridge = span_bridge
        self.span_min_tokens = span_min_tokens
        self.span_max_tokens = span_max_tokens
        self.explain_top = explain_top
        self.random_state = random_state
        self.lexicons = lexicons

    @classmethod
    def _param_names(cls) -> list[str]:
        return [p for p in inspect.signature(PropagandaHead.__init__).parameters if p != "self"]

    def hyper_parameters(self) -> dict[str, Any]:
        return {p: getattr(self, p) for p in self._param_names()}

    def __repr__(self) -> str:
        default = PropagandaHead()
        changed = [f"{k}={v!r}" for k, v in self.hyper_parameters().items() if v != getattr(default, k)]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __getstate__(self) -> dict[str, Any]:  # the analyser cache is rebuilt on use
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- learned state -------------------------------------------------------------------------
    def __sklearn_is_fitted__(self) -> bool:
        return "heads_" in self.__dict__

    def _check_fitted(self) -> None:
        if "heads_" not in self.__dict__:
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit or load_model")

    @property
    def name(self) -> str:
        self._check_fitted()
        return f"{FORMAT}/{FORMAT_VERSION} {getattr(self, 'content_sha256_', '')[:12] or 'unsaved'}"

    @property
    def card(self) -> ModelCard:
        return ModelCard(dict(getattr(self, "card_", {}) or {}))

    @property
    def threshold(self) -> float:
        self._check_fitted()
        return float(self.threshold_[0])

    @property
    def coef_hash_(self) -> np.ndarray:
        """(2**n_bits, k) hashed n-gram weights (column 0: propaganda, then the techniques)."""
        return self.sentence_.coef_hash      # type: ignore[no-any-return]

    @property
    def coef_dense_(self) -> np.ndarray:
        """(n_dense, k) weights of the dense columns named in ``dense_names_``."""
        return self.sentence_.coef_dense     # type: ignore[no-any-return]

    @property
    def intercept_(self) -> np.ndarray:
        return self.sentence_.intercept      # type: ignore[no-any-return]

    @property
    def tagger_fitted_(self) -> bool:
        self._check_fitted()
        return self.tagger_ is not None

    # -- features ------------------------------------------------------------------------------
    def sentence_inputs(self, features: DocumentFeatures, ranges: Any = None,
                        evidence: Sequence[Any] | None = None) -> tuple[HashedRows, np.ndarray]:
        """The hashed n-gram rows and dense columns of the units, as this head was trained on them.

        ``evidence`` is ``(sourcing, hedging, state_media)`` :class:`~rhetoric.evidence.Evidence` of the
        document, read only by a head with ``context_features`` (``None``: computed here with the
        shipped heads of those dimensions, as in training)."""
        g = features.ngram_rows(self.n_bits, tuple(self.ngram_range), ranges)
        D = features.surface_rows(ranges)
        if not self.position_features:
            D = D.copy()
            D[:, list(POSITION_COLUMNS)] = 0.0
        if self.lexicon_features:
            lex = features.evidence_rows(ranges)
            D = np.concatenate([D, np.log1p(np.maximum(lex, 0.0)) * self.lexicon_scale], axis=1)
        if getattr(self, "context_features", False):
            from rhetoric.propaganda.context import context_rows
            if evidence is None:
                evidence = self._context_source().evidence(features)
            D = np.concatenate([D, context_rows(features.units(ranges).ranges, features.seg.sentences, *evidence)],
                               axis=1)
        return g, D

    def _context_source(self) -> Any:
        c = self.__dict__.get("_context_cache")
        if c is None:  # as for the analyser: either of two racing builds is fine
            from rhetoric.propaganda.context import EvidenceSource
            c = self._context_cache = EvidenceSource()
        return c

    def _analyzer(self) -> Any:
        a = self.__dict__.get("_analyzer_cache")
        if a is None:  # two threads may both build one; either is fine (read-only once built)
            from rhetoric.analysis import Analyzer
            a = self._analyzer_cache = Analyzer(self.lexicons)
        return a

    def _texts(self, X: Any) -> list[str]:
        if isinstance(X, str):
            raise TypeError("expected a sequence of texts, not one string")
        if getattr(X, "ndim", 1) != 1:
            raise ValueError(f"expected a 1-D sequence of texts, got an array of shape {X.shape}")
        out = list(X)
        for x in out:
            if not isinstance(x, str):
                raise TypeError(f"expected strings, got {type(x).__name__}")
        return out

    # -- prediction ------------------------------------------------------------------------------
    def decisions(self, features: DocumentFeatures, ranges: Any = None,
                  evidence: Sequence[Any] | None = None) -> np.ndarray:
        """(n_units, k) raw decision values of all sentence heads (propaganda first)."""
        self._check_fitted()
        return self.sentence_.decision(*self.sentence_inputs(features, ranges, evidence))  # type: ignore[no-any-return]

    def _proba(self, S: np.ndarray) -> np.ndarray:
        return apply_platt(S, self.platt_[:, 0], self.platt_[:, 1])

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """Raw (uncalibrated) decision value of the propaganda head for each text, as one unit."""
        self._check_fitted()
        out = []
        for t in self._texts(X):
            f = DocumentFeatures(self._analyzer().analyze(t))
            out.append(self.decisions(f, [(0, len(t))])[0, 0])
        return np.array(out, dtype=np.float64)

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated ``[P(class 0), P(class 1 = propaganda)]`` for each text, shape ``(n, 2)``."""
        p = apply_platt(self.decision_function(X), self.platt_[0, 0], self.platt_[0, 1])
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """``classes_[1]`` where the calibrated probability reaches the F1-best threshold."""
        positive = self.predict_proba(X)[:, 1] >= self.threshold_[0]     # checks fitted first
        return self.classes_[positive.astype(int)]  # type: ignore[no-any-return]

    def score_document(self, analysis: Any, features: DocumentFeatures | None = None, *, ranges: Any = None,
                       spans: bool = True, explain: bool = True, skip: Any = (),
                       evidence: Sequence[Any] | None = None) -> DocumentScore:
        """Score the sentences of one :class:`~rhetoric.analysis.Analysis` (or the given ``ranges``).

        ``features`` is the document's shared :class:`DocumentFeatures` (built here when ``None``);
        units whose index is in ``skip`` (boilerplate sentences) get no span; ``evidence``: see
        :meth:`sentence_inputs`.
        The document score is the word-weighted mean of the sentence probabilities::

            document = sum_i w_i * p_i / sum_i w_i,   w_i = max(1, number of words in sentence i)
        """
        self._check_fitted()
        f = DocumentFeatures(analysis) if features is None else features
        u = f.units(ranges)
        if u.n == 0:
            return DocumentScore([], [], 0.0, [], [])
        g, D = self.sentence_inputs(f, ranges, evidence)
        S = self.sentence_.decision(g, D)
        P = self._proba(S)
        p = P[:, 0]
        is_word = f.is_word
        nw = np.bincount(u.row[is_word[u.tok]], minlength=u.n).astype(np.float64) if len(u.tok) else np.zeros(u.n)
        w = np.maximum(nw, 1.0)
        document = float((w * p).sum() / w.sum())
        names = self.heads_[1:]
        tech = [dict(zip(names, row)) for row in P[:, 1:].tolist()]
        explanations: list[tuple[tuple[str, float], ...]] = []
        if explain:
            explanations = explain_sentences(self, f, g, D, ranges)
        out_spans: list[Any] = []
        if spans and self.tagger_ is not None:
            out_spans = technique_spans(self, f, ranges, S[:, 0], P, skip)
        return DocumentScore(p.tolist(), explanations, document, out_spans, tech)

    def token_proba(self, analysis: Any, features: DocumentFeatures | None = None, ranges: Any = None,
                    evidence: Sequence[Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-token in-span probabilities: ``(token indices into analysis.seg, probabilities)``."""
        self._check_fitted()
        f = DocumentFeatures(analysis) if features is None else features
        u = f.units(ranges)
        if self.tagger_ is None or u.n == 0:
            return u.tok, np.zeros(len(u.tok))
        return u.tok, token_proba(self.tagger_, f, ranges, self.decisions(f, ranges, evidence)[:, 0])

    # -- model file ------------------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Meta and arrays of the model file's ``"propaganda"`` head (layout of format 1, unchanged)."""
        self._check_fitted()
        arrays = self.sentence_.to_arrays("sentence")
        if self.tagger_ is not None:
            arrays.update(self.tagger_.to_arrays("tagger"))
        meta: dict[str, Any] = {
            "params": jsonable(self.hyper_parameters()),
            "heads": list(self.heads_),
            "intercept": [float(v) for v in self.sentence_.intercept],
            "platt": [[float(a), float(c)] for a, c in self.platt_],
            "threshold": [float(v) for v in self.threshold_],
            "tagger": ({"intercept": float(self.tagger_.intercept[0]), "dense": ["sentence_decision_value", "bias"]}
                       if self.tagger_ is not None else None),
            "features": {
                "tokens": "rhetoric.text.segment tokens (Segmentation.words), hashed as in rhetoric.learn.hashing",
                "sentence": f"hashed n-grams {list(self.ngram_range)} in 2**{self.n_bits}, counts / sqrt(n-grams);"
                            " unigram salt 1, bigram salt 2",
                "dense": list(self.dense_names_),
                "tagger": f"14 hashed window features in 2**{self.tagger_bits}, value 1/sqrt(14), salts 11-24",
                "probability": "p = sigmoid(a * (w.x + b) + c), (a, c) = platt",
                "lexicon_sha256": getattr(self, "lexicon_sha256_", ""),
            },
            "n_heads": len(self.heads_),
            "card": jsonable(getattr(self, "card_", {}) or {}),
        }
        return meta, arrays

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> PropagandaHead:
        params = dict(meta["params"])
        params["ngram_range"] = tuple(params["ngram_range"])
        params["techniques"] = tuple(params["techniques"])
        names = cls._param_names()
        head = cls(**{k: v for k, v in params.items() if k in names})
        k = int(meta["n_heads"])
        heads = list(meta["heads"])
        if len(heads) != k or len(meta["intercept"]) != k or len(meta["platt"]) != k or len(meta["threshold"]) != k:
            raise ValueError("inconsistent number of heads in model.json")
        sentence = LinearHead.from_arrays(arrays, "sentence", int(head.n_bits), meta["intercept"])
        if sentence.n_outputs != k:
            raise ValueError("sentence coefficients do not match the heads")
        dense_names = list(meta["features"]["dense"])
        if len(dense_names) != sentence.n_dense:
            raise ValueError("dense feature names do not match the coefficients")
        head._set_learned(heads, sentence, np.asarray(meta["platt"], dtype=np.float64).reshape(k, 2),
                          np.asarray(meta["threshold"], dtype=np.float64), dense_names,
                          LinearHead.from_arrays(arrays, "tagger", int(head.tagger_bits), [meta["tagger"]["intercept"]])
                          if meta.get("tagger") is not None else None,
                          meta["features"].get("lexicon_sha256", ""))
        head.card_ = meta.get("card") or {}
        return head

    def _set_learned(self, heads: list[str], sentence: LinearHead, platt: np.ndarray, threshold: np.ndarray,
                     dense_names: list[str], tagger: LinearHead | None, lexicon_sha256: str,
                     classes: np.ndarray | None = None) -> None:
        self.classes_ = np.array([0, 1]) if classes is None else classes
        self.heads_ = heads
        self.sentence_ = sentence
        self.platt_ = platt                  # (k, 2): p = sigmoid(a * z + c)
        self.threshold_ = threshold
        self.dense_names_ = dense_names
        self.explain_names_ = explain_names(dense_names)     # what explanations call the dense columns
        self.tagger_ = tagger
        self.lexicon_sha256_ = lexicon_sha256
        self.content_sha256_ = ""

    def save(self, path: str | os.PathLike[str]) -> Any:
        """Write a model file holding this head as ``"propaganda"`` (card: this head's card)."""
        from rhetoric.learn.modelfile import save_bundle
        return save_bundle(path, {"propaganda": self}, card=getattr(self, "card_", None))

