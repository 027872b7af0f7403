"""The trained propaganda model: hashed n-grams of the engine's tokens + linear heads, numpy only.

:class:`PropagandaModel` follows the scikit-learn estimator contract (hyper-parameters in
``__init__``, learned state with a trailing underscore, ``fit``/``predict_proba``/``predict``/
``decision_function``, ``get_params``/``set_params``) but predicting needs only numpy: scikit-learn
is imported by ``fit`` alone.

Design (see ``models/MODEL_CARD.md`` for data and numbers):

* **Tokens**: the engine's own (:class:`~rhetoric.text.segment.Segmentation`), hashed by
  :mod:`rhetoric.learn.hashing`; no second tokeniser.
* **Sentence features**: hashed uni- and bigram counts of the sentence (``2**n_bits`` columns),
  each row scaled by ``1/sqrt(number of n-grams)``, then a few dense columns (length, quotes, ``!``,
  ``?``, capitals, digits, commas, position in the document, bias) and optionally the engine's
  lexicon/attribution/surface evidence rows (``log1p`` of the counts).
* **Heads**: logistic regression (liblinear, ``class_weight='balanced'``) for "propaganda" and one
  per technique; each is Platt-calibrated on out-of-fold decision values of an inner
  article-grouped cross-validation, whose calibrated probabilities also give the F1-best threshold.
* **Spans**: a token tagger (logistic regression over ``2**tagger_bits`` hashed window features and
  the sentence's decision value); tokens with probability above ``span_threshold`` form spans,
  bridging gaps of up to ``span_bridge`` tokens within a sentence, at least ``span_min_tokens`` long.

Files are one zip archive: ``model.json`` (format, version, hyper-parameters, calibration,
thresholds, feature spec, card, library versions, sha256 of every array and of the JSON itself)
plus ``.npy`` arrays read with ``allow_pickle=False``. Loading never executes code from the file.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import math
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rhetoric.learn.hashing import PAD, SHAPE_XX, mix64, pair64, text_hash, token_hashes

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SHIPPED_TECHNIQUES",
    "DocumentScore",
    "ModelCard",
    "ModelFormatError",
    "PropagandaModel",
    "default_model_path",
    "load_model",
]

FORMAT = "rhetoric-propaganda-model"
FORMAT_VERSION = 1
SHIPPED_TECHNIQUES = ("Loaded_Language", "Flag-Waving", "Name_Calling,Labeling", "Doubt")
SPAN_RULE = "model:span-tagger"

DENSE_NAMES = ("log_tokens", "log_chars", "first_sentence", "relative_position", "first_five",
               "quotes", "has_quote", "exclamations", "questions", "capitalised_share", "all_caps_words",
               "digit_share", "commas", "log_document_sentences", "bias")
_POSITION = (2, 3, 4, 13)        # columns zeroed when position_features=False
_SALT_UNI, _SALT_BI = 1, 2
_H_QUOTE = np.uint64(text_hash('"'))
_H_EXCL, _H_QUEST, _H_COMMA = (np.uint64(text_hash(c)) for c in "!?,")
_SHAPE_CAP = np.array([text_hash("S:" + s) for s in ("X", "XX", "Xx")], dtype=np.uint64)
_SHAPE_DIGIT = np.array([text_hash("S:" + s) for s in ("D", "a1")], dtype=np.uint64)
_SHAPE_XX = np.uint64(SHAPE_XX)


class ModelFormatError(ValueError):
    """The file is not a valid rhetoric model: foreign, truncated, tampered with or a newer format."""


@dataclass(frozen=True)
class ModelCard:
    """What a model was trained on, how well it did, and what it is for."""

    fields: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.fields)

    def __str__(self) -> str:
        lines = []
        for k, v in self.fields.items():
            if isinstance(v, dict):
                lines.append(f"{k}:")
                lines.extend(f"  {kk}: {_fmt(vv)}" for kk, vv in v.items())
            else:
                lines.append(f"{k}: {_fmt(v)}")
        return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, dict):
        return ", ".join(f"{k} {_fmt(x)}" for k, x in v.items())
    return str(v)


@dataclass(frozen=True)
class DocumentScore:
    """What :meth:`PropagandaModel.score_document` returns to the Scorer."""

    sentence_proba: list[float]
    explanations: list[tuple[tuple[str, float], ...]]
    document: float
    spans: list[Any]
    technique_proba: list[dict[str, float]]


# --------------------------------------------------------------------------------------------------
# Features of one document
# --------------------------------------------------------------------------------------------------


class _DocFeatures:
    """Features of the units (sentences or given character ranges) of one analysed text.

    Tokens of all units are laid out in one compact array (``tok``: token index in ``seg``,
    ``row``: unit index); every later array indexes that layout.
    """

    def __init__(self, model: PropagandaModel, text: str, seg: Any, matches: Any,
                 ranges: Sequence[tuple[int, int]] | None) -> None:
        if ranges is None:
            ranges = seg.sentences
            tok_ranges = np.asarray(seg.sentence_tokens, dtype=np.int64).reshape(-1, 2)
        else:
            starts = _as_int_array(seg.starts)
            b = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
            tok_ranges = np.stack([np.searchsorted(starts, b[:, 0], "left"),
                                   np.searchsorted(starts, b[:, 1], "left")], 1)
        self.text, self.seg = text, seg
        self.ranges = [(int(s), int(e)) for s, e in ranges]
        self.n = n = len(self.ranges)
        lens = (tok_ranges[:, 1] - tok_ranges[:, 0]) if n else np.zeros(0, np.int64)
        self.tok_ranges = tok_ranges
        self.row = np.repeat(np.arange(n), lens)
        first = np.repeat(tok_ranges[:, 0] if n else np.zeros(0, np.int64), lens)
        offs = np.arange(len(self.row)) - np.repeat(np.cumsum(lens) - lens, lens)
        self.tok = first + offs
        self.pos = offs                                   # position of the token in its unit
        self.unit_len = lens
        used = self.tok
        words = seg.words
        st, en = seg.starts, seg.ends
        self.hashes = token_hashes(text, [words[i] for i in used.tolist()],
                                   [st[i] for i in used.tolist()], [en[i] for i in used.tolist()])
        h = self.hashes.h
        mask = np.uint64((1 << model.n_bits) - 1)
        lo, hi = model.ngram_range
        cols, rows, src, kind = [], [], [], []
        if lo <= 1 <= hi:
            cols.append(mix64(h, _SALT_UNI) & mask)
            rows.append(self.row)
            src.append(np.arange(len(h)))
            kind.append(np.zeros(len(h), np.int8))
        if lo <= 2 <= hi and len(h) > 1:
            same = self.row[1:] == self.row[:-1]
            cols.append(pair64(h[:-1][same], h[1:][same], _SALT_BI) & mask)
            rows.append(self.row[:-1][same])
            src.append(np.flatnonzero(same))
            kind.append(np.ones(int(same.sum()), np.int8))
        self.cols = np.concatenate(cols).astype(np.int64) if cols else np.zeros(0, np.int64)
        self.rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        self.src = np.concatenate(src) if src else np.zeros(0, np.int64)
        self.kind = np.concatenate(kind) if kind else np.zeros(0, np.int8)
        cnt = np.bincount(self.rows, minlength=n).astype(np.float64)
        self.inv_norm = 1.0 / np.sqrt(np.maximum(cnt, 1.0))
        self.dense = self._dense(model, matches)

    def _dense(self, model: PropagandaModel, matches: Any) -> np.ndarray:
        n, row, h, shp = self.n, self.row, self.hashes.h, self.hashes.shp

        def count(m: np.ndarray) -> np.ndarray:
            return np.bincount(row[m], minlength=n).astype(np.float64)

        ntok = self.unit_len.astype(np.float64)
        nchar = np.array([e - s for s, e in self.ranges], dtype=np.float64)
        nq = count(h == _H_QUOTE)
        cap = count(np.isin(shp, _SHAPE_CAP))
        dig = count(np.isin(shp, _SHAPE_DIGIT))
        D = np.zeros((n, len(DENSE_NAMES)), dtype=np.float64)
        if n:
            idx = np.arange(n)
            ntok1 = np.maximum(ntok, 1.0)
            D[:, 0] = np.log1p(ntok)
            D[:, 1] = np.log1p(nchar) / 3.0
            D[:, 2] = idx == 0
            D[:, 3] = idx / n
            D[:, 4] = idx < 5
            D[:, 5] = np.minimum(nq, 6) / 2.0
            D[:, 6] = nq > 0
            D[:, 7] = np.minimum(count(h == _H_EXCL), 3)
            D[:, 8] = np.minimum(count(h == _H_QUEST), 3)
            D[:, 9] = cap / ntok1
            D[:, 10] = np.minimum(count(shp == _SHAPE_XX), 5) / 2.0
            D[:, 11] = dig / ntok1 * 2.0
            D[:, 12] = np.minimum(count(h == _H_COMMA), 6) / 2.0
            D[:, 13] = np.log1p(n) / 3.0
            D[:, 14] = 1.0
            if not model.position_features:
                D[:, list(_POSITION)] = 0.0
        if model.lexicon_features:
            from rhetoric.learn.evidence import sentence_feature_rows
            lex = sentence_feature_rows(self.text, self.seg, matches, self.ranges)
            D = np.hstack([D, np.log1p(np.maximum(lex, 0.0)) * model.lexicon_scale])
        return D

    # -- tagger features ---------------------------------------------------------------------
    def token_columns(self, bits: int) -> np.ndarray:
        """(m, 14) hashed window features of every token; the window never leaves its unit."""
        m = len(self.row)
        h, shp, suf, row = self.hashes.h, self.hashes.shp, self.hashes.suf, self.row
        mask = np.uint64((1 << bits) - 1)

        def shift(a: np.ndarray, k: int) -> np.ndarray:
            out = np.full(m, PAD, dtype=np.uint64)
            if k > 0 and m > k:
                ok = row[k:] == row[:-k]
                out[:-k][ok] = a[k:][ok]
            elif k < 0 and m > -k:
                k = -k
                ok = row[k:] == row[:-k]
                out[k:][ok] = a[:-k][ok]
            return out

        hm1, hp1, hm2, hp2, sm1 = shift(h, -1), shift(h, 1), shift(h, -2), shift(h, 2), shift(shp, -1)
        pos = self.pos
        slen = self.unit_len[row] if m else np.zeros(0, np.int64)
        isq = (h == _H_QUOTE).astype(np.int64)
        cq = np.cumsum(isq) - isq
        unit_first = np.cumsum(self.unit_len) - self.unit_len
        inq = (((cq - cq[unit_first[row]]) % 2) == 1).astype(np.uint64) if m else np.zeros(0, np.uint64)
        posb = np.minimum(pos, 5).astype(np.uint64)
        relb = ((pos * 4) // np.maximum(slen, 1)).astype(np.uint64)
        lenb = np.digitize(slen, [5, 10, 15, 20, 30, 40, 60]).astype(np.uint64)
        cols = [mix64(h, 11), mix64(hm1, 12), mix64(hp1, 13), mix64(hm2, 14), mix64(hp2, 15),
                pair64(hm1, h, 16), pair64(h, hp1, 17), mix64(shp, 18), pair64(sm1, shp, 19), mix64(suf, 20),
                mix64(posb, 21), mix64(relb, 22), mix64(inq, 23), mix64(lenb, 24)]
        return (np.stack(cols, 1) & mask).astype(np.int64) if m else np.zeros((0, len(cols)), np.int64)

    # -- sparse matrices for training (scipy only here) ---------------------------------------
    def sentence_matrix(self, bits: int) -> Any:
        import scipy.sparse as sp
        H = sp.csr_matrix((self.inv_norm[self.rows], (self.rows, self.cols)), shape=(self.n, 1 << bits))
        H.sum_duplicates()
        return sp.hstack([H, sp.csr_matrix(self.dense)], format="csr")


N_TOKEN_FEATURES = 14


def _as_int_array(a: Any) -> np.ndarray:
    if hasattr(a, "typecode"):
        return np.frombuffer(a, dtype=np.int32 if a.typecode == "i" else np.int64)
    return np.asarray(a, dtype=np.int64)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def _f16(a: np.ndarray) -> np.ndarray:
    """Round to float16-representable values (kept as float32) so that save/load is exact."""
    return np.asarray(a, dtype=np.float16).astype(np.float32)


# --------------------------------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------------------------------


class PropagandaModel:
    """Sentence-level propaganda probabilities, technique probabilities and technique spans.

    Parameters
    ----------
    n_bits:
        Hash space of the sentence n-grams (``2**n_bits`` columns).
    ngram_range:
        ``(1, 2)`` for unigrams and bigrams of engine tokens, ``(1, 1)`` for unigrams only.
    C, class_weight:
        Regularisation and class weighting of the sentence heads (liblinear logistic regression).
    position_features:
        Use the position of the sentence in its document (first sentence, relative position, ...).
        Leave off when the training texts are isolated sentences.
    lexicon_features, lexicon_scale:
        Add the engine's evidence rows (:func:`rhetoric.learn.evidence.sentence_feature_rows`,
        ``log1p``-scaled and multiplied by ``lexicon_scale``) as dense columns.
    techniques:
        Techniques to model (each gets a one-vs-rest head) when training from spans.
    technique_C:
        Regularisation of the technique heads.
    calibration_folds, technique_folds:
        Folds of the inner article-grouped CV that gives Platt calibration and thresholds.
    tagger, tagger_bits, tagger_C:
        Train the span tagger (needs span annotations) and its hash space / regularisation.
    span_threshold, span_bridge, span_min_tokens:
        Span decoding: token probability cut, largest gap bridged (tokens, within one sentence),
        shortest span (tokens, gaps included).
    explain_top:
        Number of features listed per sentence in explanations.
    random_state:
        Seed for fold assignment and liblinear.
    lexicons:
        Lexicon directory used to analyse training texts (``None``: shipped lexicons).
    """

    def __init__(self, n_bits: int = 18, ngram_range: tuple[int, int] = (1, 2), C: float = 2.0,
                 class_weight: str | None = "balanced", position_features: bool = False,
                 lexicon_features: bool = False, lexicon_scale: float = 1.0,
                 techniques: Sequence[str] = SHIPPED_TECHNIQUES, technique_C: float = 2.0,
                 calibration_folds: int = 5, technique_folds: int = 3, tagger: bool = True,
                 tagger_bits: int = 20, tagger_C: float = 1.0, span_threshold: float = 0.2,
                 span_bridge: int = 5, span_min_tokens: int = 2, explain_top: int = 5,
                 random_state: int | None = 0, lexicons: str | os.PathLike[str] | None = None) -> None:
        self.n_bits = n_bits
        self.ngram_range = ngram_range
        self.C = C
        self.class_weight = class_weight
        self.position_features = position_features
        self.lexicon_features = lexicon_features
        self.lexicon_scale = lexicon_scale
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
        self.explain_top = explain_top
        self.random_state = random_state
        self.lexicons = lexicons

    # -- scikit-learn protocol (without importing scikit-learn) --------------------------------
    @classmethod
    def _get_param_names(cls) -> list[str]:
        return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {p: getattr(self, p) for p in self._get_param_names()}

    def set_params(self, **params: Any) -> PropagandaModel:
        valid = set(self._get_param_names())
        for k, v in params.items():
            if k not in valid:
                raise ValueError(f"invalid parameter {k!r} for PropagandaModel; valid: {sorted(valid)}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        default = PropagandaModel()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != getattr(default, k)]
        return f"PropagandaModel({', '.join(changed)})"

    def __getstate__(self) -> dict[str, Any]:  # caches (engine, dense weight tables) are rebuilt
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "heads_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "heads_"):
            raise RuntimeError("this PropagandaModel is not fitted yet; call fit or load_model")

    @property
    def name(self) -> str:
        self._check_fitted()
        return f"{FORMAT}/{FORMAT_VERSION} {getattr(self, 'content_sha256_', '')[:12] or 'unsaved'}"

    @property
    def card(self) -> ModelCard:
        return ModelCard(dict(getattr(self, "card_", {}) or {}))

    @property
    def classes_(self) -> np.ndarray:
        return np.array([0, 1])

    # -- engine ------------------------------------------------------------------------------
    def _engine(self) -> Any:
        eng = self.__dict__.get("_engine_cache")
        if eng is None:
            from rhetoric.analysis import Analyzer
            eng = self._engine_cache = Analyzer(self.lexicons)
        return eng

    def _features(self, text: str, seg: Any = None, matches: Any = None,
                  ranges: Sequence[tuple[int, int]] | None = None) -> _DocFeatures:
        if seg is None:
            a = self._engine().analyze(text)
            seg, matches = a.seg, a.matches
        return _DocFeatures(self, text, seg, matches or [], ranges)

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, X: Sequence[str], y: Sequence[int], groups: Sequence[Any] | None = None) -> PropagandaModel:
        """Fit the sentence head on isolated sentences ``X`` with 0/1 labels ``y``.

        ``groups`` (e.g. article ids) keep related sentences in one fold of the inner CV that
        calibrates the probabilities; without it every sentence is its own group. No technique heads
        and no tagger are trained here: use :func:`rhetoric.learn.training.train_corpus` for that.
        """
        if isinstance(X, str):
            raise TypeError("fit expects a sequence of sentences, not one string")
        X = list(X)
        y = np.asarray(y, dtype=int).ravel()
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} texts but y has {len(y)} labels")
        docs = [{"text": t, "ranges": [(0, len(t))], "labels": [int(v)], "spans": None,
                     "group": (g if groups is not None else i)}
                for i, (t, v, g) in enumerate(zip(X, y, groups if groups is not None else range(len(X))))]
        return self.fit_documents(docs)

    def fit_documents(self, docs: Sequence[dict[str, Any]], *, verbose: bool = False) -> PropagandaModel:
        """Fit on documents: each a dict with ``text``, ``ranges`` (character ranges of its labelled
        sentences), ``labels`` (0/1 per range), ``group`` (for the inner grouped CV) and ``spans``
        (``[(start, end, technique), ...]``, or ``None`` when the document has no span annotation).

        Technique heads and the tagger are trained on the documents that have spans.
        """
        import scipy.sparse as sp
        from sklearn.linear_model import LogisticRegression

        from rhetoric.data.metrics import grouped_splits

        if not docs:
            raise ValueError("no training documents")
        seed = self.random_state if self.random_state is not None else 0
        feats, Xs, ys, gs, has_spans = [], [], [], [], []
        for d in docs:
            f = self._features(d["text"], ranges=d["ranges"])
            feats.append(f)
            Xs.append(f.sentence_matrix(self.n_bits))
            ys.append(np.asarray(d["labels"], dtype=int))
            gs.extend([str(d["group"])] * f.n)
            has_spans.append(d.get("spans") is not None)
        X = sp.vstack(Xs).tocsr()
        y = np.concatenate(ys)
        groups = np.asarray(gs)
        if len(np.unique(y)) < 2:
            raise ValueError("training labels must contain both classes (0 and 1)")

        def fit_lr(Xa: Any, ya: np.ndarray, C: float) -> Any:
            return LogisticRegression(C=C, solver="liblinear", class_weight=self.class_weight, max_iter=3000,
                                      random_state=seed).fit(Xa, ya)

        def calibrate(Xa: Any, ya: np.ndarray, ga: np.ndarray, C: float, folds: int) -> tuple[Any, ...]:
            n_groups = len(np.unique(ga))
            k = min(folds, n_groups)
            oof = np.zeros(len(ya))
            if k >= 2:
                for a, b in grouped_splits(ga, k, seed):
                    if len(np.unique(ya[a])) < 2:
                        oof[b] = 0.0
                        continue
                    oof[b] = fit_lr(Xa[a], ya[a], C).decision_function(Xa[b])
            m = fit_lr(Xa, ya, C)
            if k < 2:
                oof = m.decision_function(Xa)
            a_, c_ = _platt(oof, ya)
            thr = _best_threshold(ya, _sigmoid(a_ * oof + c_))
            return m, (a_, c_), thr, oof

        heads, coefs, dense_coefs, intercepts, platt, thresholds, cv_f1 = [], [], [], [], [], [], {}
        H = 1 << self.n_bits
        m, ab, thr, oof = calibrate(X, y, groups, self.C, self.calibration_folds)
        heads.append("propaganda")
        coefs.append(m.coef_[0][:H]); dense_coefs.append(m.coef_[0][H:])
        intercepts.append(float(m.intercept_[0])); platt.append(ab); thresholds.append(thr)
        sentence_oof = oof
        if verbose:
            print(f"  sentence head: {X.shape[0]} sentences, threshold {thr:.3f}", flush=True)

        span_rows = np.concatenate([np.full(f.n, hs) for f, hs in zip(feats, has_spans)]) if feats else np.zeros(0, bool)
        if any(has_spans) and self.techniques:
            idx = np.flatnonzero(span_rows)
            for t in self.techniques:
                yt = np.concatenate([_range_labels(f.ranges, [(s, e) for s, e, tt in d["spans"] if tt == t])
                                     for f, d, hs in zip(feats, docs, has_spans) if hs])
                if yt.sum() < 2 or yt.sum() == len(yt):
                    continue
                mt, abt, thrt, _ = calibrate(X[idx], yt, groups[idx], self.technique_C, self.technique_folds)
                heads.append(t)
                coefs.append(mt.coef_[0][:H]); dense_coefs.append(mt.coef_[0][H:])
                intercepts.append(float(mt.intercept_[0])); platt.append(abt); thresholds.append(thrt)
                if verbose:
                    print(f"  technique head {t}: {int(yt.sum())} positive sentences", flush=True)

        self.heads_ = heads
        self.coef_hash_ = _f16(np.stack(coefs, 1))                 # (2**n_bits, k)
        self.coef_dense_ = np.stack(dense_coefs, 1).astype(np.float32)  # (n_dense, k)
        self.intercept_ = np.asarray(intercepts, dtype=np.float64)
        self.platt_ = np.asarray(platt, dtype=np.float64)          # (k, 2): p = sigmoid(a*z + c)
        self.threshold_ = np.asarray(thresholds, dtype=np.float64)
        self.n_dense_ = int(self.coef_dense_.shape[0])
        self.dense_names_ = list(DENSE_NAMES) + (_lexicon_names() if self.lexicon_features else [])
        self.lexicon_sha256_ = self._engine().lexicons.sha256 if self.lexicon_features else ""

        self.tagger_fitted_ = False
        if self.tagger and any(has_spans):
            offs = np.cumsum([0] + [f.n for f in feats])
            Ts, yts = [], []
            for i, (f, d, hs) in enumerate(zip(feats, docs, has_spans)):
                if not hs or not len(f.row):
                    continue
                dv = sentence_oof[offs[i]:offs[i + 1]]
                Ts.append(_token_matrix(f, self.tagger_bits, dv))
                yts.append(_token_labels(f, [(s, e) for s, e, _ in d["spans"]]))
            Xt = sp.vstack(Ts).tocsr()
            yt = np.concatenate(yts)
            if 0 < yt.sum() < len(yt):
                mt = LogisticRegression(C=self.tagger_C, solver="liblinear", max_iter=2000,
                                        random_state=seed).fit(Xt, yt)
                TB = 1 << self.tagger_bits
                self.tagger_coef_ = _f16(mt.coef_[0][:TB])
                self.tagger_dense_coef_ = mt.coef_[0][TB:].astype(np.float32)
                self.tagger_intercept_ = float(mt.intercept_[0])
                self.tagger_fitted_ = True
                if verbose:
                    print(f"  tagger: {len(yt)} tokens, {yt.mean():.3f} in spans", flush=True)
        self.__dict__.pop("_W", None)
        self.content_sha256_ = ""
        self.card_ = getattr(self, "card_", {}) or {}
        _ = cv_f1
        return self

    # -- prediction --------------------------------------------------------------------------
    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        W = self.__dict__.get("_W")
        if W is None:
            W = self._W = np.ascontiguousarray(self.coef_hash_, dtype=np.float32)
        return W, self.coef_dense_.astype(np.float64)

    def _decision(self, f: _DocFeatures) -> np.ndarray:
        """(n_units, k) raw decision values of all heads."""
        W, Wd = self._tables()
        n, k = f.n, W.shape[1]
        G = W[f.cols]                                                   # (m, k)
        idx = (f.rows[:, None] * k + np.arange(k)).ravel()
        S = np.bincount(idx, weights=G.ravel().astype(np.float64), minlength=n * k).reshape(n, k)
        S *= f.inv_norm[:, None]
        S += f.dense @ Wd + self.intercept_
        return S

    def _proba(self, S: np.ndarray) -> np.ndarray:
        return _sigmoid(self.platt_[:, 0] * S + self.platt_[:, 1])

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """Raw (uncalibrated) decision value of the propaganda head for each sentence."""
        self._check_fitted()
        return np.array([self._decision(self._features(t, ranges=[(0, len(t))]))[0, 0] for t in _texts(X)])

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated ``[P(not propaganda), P(propaganda)]`` for each sentence, shape ``(n, 2)``."""
        p = self._proba_column(self.decision_function(X), 0)
        return np.column_stack([1.0 - p, p])

    def _proba_column(self, z: np.ndarray, head: int) -> np.ndarray:
        return _sigmoid(self.platt_[head, 0] * np.asarray(z, dtype=np.float64) + self.platt_[head, 1])

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """1 where the calibrated probability reaches the F1-best threshold of the inner CV."""
        return (self.predict_proba(X)[:, 1] >= self.threshold_[0]).astype(int)

    @property
    def threshold(self) -> float:
        self._check_fitted()
        return float(self.threshold_[0])

    def score_document(self, text: str, seg: Any, matches: Any, *, ranges: Sequence[tuple[int, int]] | None = None,
                       spans: bool = True, explain: bool = True) -> DocumentScore:
        """Score the sentences of one analysed text (``Scorer.analyze``), or the given ``ranges``.

        The document score is the word-weighted mean of the sentence probabilities::

            document = sum_i w_i * p_i / sum_i w_i,   w_i = max(1, number of words in sentence i)

        so a long sentence counts more than a one-word line, and the score is a probability-like
        share of the text's words that sit in propaganda sentences.
        """
        self._check_fitted()
        f = self._features(text, seg, matches, ranges)
        if f.n == 0:
            return DocumentScore([], [], 0.0, [], [])
        S = self._decision(f)
        P = self._proba(S)
        p = P[:, 0]
        is_word = np.fromiter(seg.is_word, dtype=bool, count=len(seg.is_word)) if len(seg.is_word) else np.zeros(0, bool)
        nw = np.bincount(f.row[is_word[f.tok]], minlength=f.n).astype(np.float64) if len(f.tok) else np.zeros(f.n)
        w = np.maximum(nw, 1.0)
        document = float(np.sum(w * p) / np.sum(w))
        tech = [dict(zip(self.heads_[1:], map(float, row))) for row in P[:, 1:]]
        explanations = self._explain(f, S) if explain else []
        out_spans = self._spans(f, S[:, 0], P) if spans and self.tagger_fitted_ else []
        return DocumentScore(p.tolist(), explanations, document, out_spans, tech)

    def _explain(self, f: _DocFeatures, S: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
        """Top features pushing each sentence towards propaganda: (name, contribution to the logit)."""
        W, Wd = self._tables()
        n, top = f.n, self.explain_top
        # hashed: aggregate duplicate (row, col) entries, keep the first n-gram as the name
        key = f.rows * (1 << self.n_bits) + f.cols
        _uk, first, cnt = np.unique(key, return_index=True, return_counts=True)
        rows = f.rows[first]
        contrib = W[f.cols[first], 0].astype(np.float64) * cnt * f.inv_norm[rows]
        dense_c = f.dense * Wd[:, 0]                                       # (n, n_dense)
        dense_c[:, DENSE_NAMES.index("bias")] = 0.0
        # candidates: hashed entries + dense cells, sorted by (row, -contribution)
        dr, dc = np.nonzero(dense_c > 0)
        all_rows = np.concatenate([rows, dr])
        all_c = np.concatenate([contrib, dense_c[dr, dc]])
        all_ref = np.concatenate([first, -1 - dc])
        keep = all_c > 0
        all_rows, all_c, all_ref = all_rows[keep], all_c[keep], all_ref[keep]
        order = np.lexsort((-all_c, all_rows))
        all_rows, all_c, all_ref = all_rows[order], all_c[order], all_ref[order]
        start = np.searchsorted(all_rows, np.arange(n), "left")
        rank = np.arange(len(all_rows)) - start[all_rows] if len(all_rows) else np.zeros(0, np.int64)
        sel = np.flatnonzero(rank < top)
        out: list[list[tuple[str, float]]] = [[] for _ in range(n)]
        words = f.seg.words
        names = self.dense_names_
        for i in sel.tolist():
            ref = int(all_ref[i])
            if ref >= 0:
                t = int(f.src[ref])
                tok = int(f.tok[t])
                name = words[tok] if f.kind[ref] == 0 else f"{words[tok]} {words[int(f.tok[t + 1])]}"
                name = f"ngram:{name}"
            else:
                c = -1 - ref
                nm = names[c]
                name = nm if nm.startswith(("lex:", "surface:")) else f"dense:{nm}"
            out[int(all_rows[i])].append((name, round(float(all_c[i]), 4)))
        return [tuple(x) for x in out]

    def _token_proba(self, f: _DocFeatures, decision: np.ndarray) -> np.ndarray:
        TW = self.__dict__.get("_TW")
        if TW is None:
            TW = self._TW = np.ascontiguousarray(self.tagger_coef_, dtype=np.float32)
        cols = f.token_columns(self.tagger_bits)
        z = TW[cols].sum(1, dtype=np.float64) / math.sqrt(N_TOKEN_FEATURES)
        d = self.tagger_dense_coef_.astype(np.float64)
        z += decision[f.row] * d[0] + d[1] + self.tagger_intercept_
        return _sigmoid(z)

    def token_proba(self, text: str, seg: Any = None, matches: Any = None,
                    ranges: Sequence[tuple[int, int]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-token in-span probabilities: ``(token indices into seg, probabilities)``."""
        self._check_fitted()
        f = self._features(text, seg, matches, ranges)
        if not self.tagger_fitted_ or f.n == 0:
            return f.tok, np.zeros(len(f.tok))
        return f.tok, self._token_proba(f, self._decision(f)[:, 0])

    def _spans(self, f: _DocFeatures, decision: np.ndarray, P: np.ndarray) -> list[Any]:
        from rhetoric.report.types import Span
        if not len(f.row):
            return []
        p = self._token_proba(f, decision)
        runs = _decode(f.row, p > self.span_threshold, self.span_bridge, self.span_min_tokens)
        if not runs:
            return []
        seg, text = f.seg, f.text
        heads = self.heads_[1:]
        out = []
        for a, b in runs:
            r = int(f.row[a])
            label = heads[int(np.argmax(P[r, 1:]))] if heads else "Loaded_Language"
            s, e = int(seg.starts[int(f.tok[a])]), int(seg.ends[int(f.tok[b])])
            sentence = seg.sentence_of(s)
            out.append(Span(s, e, text[s:e], "technique", label, round(float(p[a:b + 1].mean()), 4), SPAN_RULE,
                            f"token p>{self.span_threshold:g}", sentence))
        return out

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model as one zip file (``model.json`` + ``.npy`` arrays, no pickle)."""
        self._check_fitted()
        arrays: dict[str, np.ndarray] = {}
        k = len(self.heads_)
        support = np.flatnonzero(np.any(self.coef_hash_ != 0, axis=1)).astype(np.int32)
        arrays["sentence_hash_index"] = support
        arrays["sentence_hash_coef"] = self.coef_hash_[support].astype(np.float16)   # (nnz, k)
        arrays["sentence_dense_coef"] = self.coef_dense_.astype(np.float32)
        if self.tagger_fitted_:
            ts = np.flatnonzero(self.tagger_coef_ != 0).astype(np.int32)
            arrays["tagger_hash_index"] = ts
            arrays["tagger_hash_coef"] = self.tagger_coef_[ts].astype(np.float16)
            arrays["tagger_dense_coef"] = self.tagger_dense_coef_.astype(np.float32)
        blobs = {}
        for name, a in arrays.items():
            buf = io.BytesIO()
            np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
            blobs[name] = buf.getvalue()
        meta: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "params": _jsonable(self.get_params()),
            "heads": list(self.heads_),
            "intercept": [float(v) for v in self.intercept_],
            "platt": [[float(a), float(c)] for a, c in self.platt_],
            "threshold": [float(v) for v in self.threshold_],
            "tagger": ({"intercept": float(self.tagger_intercept_), "dense": ["sentence_decision_value", "bias"]}
                       if self.tagger_fitted_ else None),
            "features": {
                "tokens": "rhetoric.text.segment tokens (Segmentation.words), hashed as in rhetoric.learn.hashing",
                "sentence": f"hashed n-grams {list(self.ngram_range)} in 2**{self.n_bits}, counts / sqrt(n-grams);"
                            " unigram salt 1, bigram salt 2",
                "dense": list(self.dense_names_),
                "tagger": f"14 hashed window features in 2**{self.tagger_bits}, value 1/sqrt(14), salts 11-24",
                "probability": "p = sigmoid(a * (w.x + b) + c), (a, c) = platt",
                "lexicon_sha256": getattr(self, "lexicon_sha256_", ""),
            },
            "arrays": {name: {"sha256": hashlib.sha256(b).hexdigest(), "dtype": str(arrays[name].dtype),
                              "shape": list(arrays[name].shape)} for name, b in blobs.items()},
            "n_heads": k,
            "library_versions": _versions(),
            "card": _jsonable(getattr(self, "card_", {}) or {}),
        }
        meta["content_sha256"] = _meta_digest(meta)
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("model.json", json.dumps(meta, indent=1, ensure_ascii=False))
            for name, b in blobs.items():
                z.writestr(f"arrays/{name}.npy", b)
        os.replace(tmp, path)
        self.content_sha256_ = meta["content_sha256"]
        return path


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _texts(X: Sequence[str]) -> list[str]:
    if isinstance(X, str):
        raise TypeError("expected a sequence of sentences, not one string")
    out = list(X)
    for x in out:
        if not isinstance(x, str):
            raise TypeError(f"expected strings, got {type(x).__name__}")
    return out


def _lexicon_names() -> list[str]:
    from rhetoric.learn.evidence import feature_names
    return feature_names()


def _platt(s: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: logistic regression of y on the decision value (Newton, no regularisation)."""
    a, c = 1.0, 0.0
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    for _ in range(100):
        p = _sigmoid(a * s + c)
        g = np.array([np.sum((p - y) * s), np.sum(p - y)])
        wgt = p * (1 - p) + 1e-12
        Hm = np.array([[np.sum(wgt * s * s), np.sum(wgt * s)], [np.sum(wgt * s), np.sum(wgt)]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(Hm, g)
        a, c = a - step[0], c - step[1]
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(a), float(c)


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """F1-maximising probability threshold (midpoint between consecutive sorted scores)."""
    o = np.argsort(-p, kind="stable")
    ys = y[o]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    i = int(np.argmax(f1))
    ps = p[o]
    return float((ps[i] + ps[i + 1]) / 2) if i + 1 < len(ps) else float(ps[i])


def _range_labels(ranges: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """1 for each range that shares a character with any span."""
    if not spans:
        return np.zeros(len(ranges), dtype=int)
    sp_ = np.asarray(sorted(spans), dtype=np.int64)
    out = np.zeros(len(ranges), dtype=int)
    for i, (s, e) in enumerate(ranges):
        out[i] = int(np.any((sp_[:, 0] < e) & (sp_[:, 1] > s)))
    return out


def _token_labels(f: _DocFeatures, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    st = np.asarray([f.seg.starts[i] for i in f.tok.tolist()], dtype=np.int64)
    en = np.asarray([f.seg.ends[i] for i in f.tok.tolist()], dtype=np.int64)
    y = np.zeros(len(st), dtype=np.int8)
    for s, e in spans:  # tokens sorted by offset within the compact layout
        a = np.searchsorted(en, s, side="right")
        b = np.searchsorted(st, e, side="left")
        y[a:b] = 1
    return y


def _token_matrix(f: _DocFeatures, bits: int, decision: np.ndarray) -> Any:
    import scipy.sparse as sp
    cols = f.token_columns(bits)
    m, k = cols.shape
    H = sp.csr_matrix((np.full(m * k, 1.0 / math.sqrt(k)), cols.ravel(), np.arange(0, m * k + 1, k)),
                      shape=(m, 1 << bits))
    H.sum_duplicates()
    dense = np.column_stack([decision[f.row], np.ones(m)])
    return sp.hstack([H, sp.csr_matrix(dense)], format="csr")


def _decode(row: np.ndarray, pos: np.ndarray, bridge: int, min_tokens: int) -> list[tuple[int, int]]:
    """Runs of positive tokens (compact indices, inclusive) within one unit, bridging small gaps."""
    idx = np.flatnonzero(pos)
    if not len(idx):
        return []
    brk = (np.diff(idx) - 1 > bridge) | (row[idx[1:]] != row[idx[:-1]])
    starts = np.r_[idx[0], idx[1:][brk]]
    ends = np.r_[idx[:-1][brk], idx[-1]]
    keep = ends - starts + 1 >= min_tokens
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    return v


def _versions() -> dict[str, str]:
    import platform
    from importlib import metadata
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for dist in ("scikit-learn", "scipy", "rhetoric-lens"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:  # pragma: no cover
            pass
    return out


def _meta_digest(meta: dict[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "content_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()


def default_model_path() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "default.rhetoric-model"


_MAX_MEMBER = 256 << 20


def load_model(path: str | os.PathLike[str] | None = None) -> PropagandaModel:
    """Load a saved model (``None``: the shipped default). Never unpickles; verifies every checksum.

    Raises :class:`ModelFormatError` for a file that is not a valid model of this format and
    version, and ``FileNotFoundError`` for a missing file.
    """
    p = default_model_path() if path is None else Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"model file not found: {p}")
    where = f"{p}"
    try:
        if not zipfile.is_zipfile(p):
            raise ModelFormatError(f"{where}: not a rhetoric model (not a zip archive; pickles are not accepted)")
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            if "model.json" not in names:
                raise ModelFormatError(f"{where}: not a rhetoric model (no model.json in the archive)")
            try:
                meta = json.loads(z.read("model.json").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ModelFormatError(f"{where}: model.json is not valid JSON ({exc})") from None
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ModelFormatError(f"{where}: not a rhetoric model (format {meta.get('format') if isinstance(meta, dict) else None!r})")
            if meta.get("format_version") != FORMAT_VERSION:
                raise ModelFormatError(f"{where}: model format version {meta.get('format_version')!r} is not supported "
                                       f"(this rhetoric reads version {FORMAT_VERSION})")
            if meta.get("content_sha256") != _meta_digest(meta):
                raise ModelFormatError(f"{where}: model.json was modified (checksum mismatch)")
            arrays = {}
            for name, spec in meta["arrays"].items():
                member = f"arrays/{name}.npy"
                if member not in names:
                    raise ModelFormatError(f"{where}: array {name!r} is missing")
                if z.getinfo(member).file_size > _MAX_MEMBER:
                    raise ModelFormatError(f"{where}: array {name!r} is implausibly large")
                b = z.read(member)
                if hashlib.sha256(b).hexdigest() != spec["sha256"]:
                    raise ModelFormatError(f"{where}: array {name!r} was modified (sha256 mismatch)")
                a = np.load(io.BytesIO(b), allow_pickle=False)
                if str(a.dtype) != spec["dtype"] or list(a.shape) != spec["shape"]:
                    raise ModelFormatError(f"{where}: array {name!r} has the wrong dtype or shape")
                arrays[name] = a
            return _from_parts(meta, arrays)
    except ModelFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, TypeError, ValueError, IndexError,
            OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ModelFormatError(f"{where}: not a valid rhetoric model ({type(exc).__name__}: {exc})") from None


def _from_parts(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> PropagandaModel:
    params = dict(meta["params"])
    params["ngram_range"] = tuple(params["ngram_range"])
    params["techniques"] = tuple(params["techniques"])
    names = PropagandaModel._get_param_names()
    model = PropagandaModel(**{k: v for k, v in params.items() if k in names})
    k = int(meta["n_heads"])
    heads = list(meta["heads"])
    if len(heads) != k or len(meta["intercept"]) != k or len(meta["platt"]) != k or len(meta["threshold"]) != k:
        raise ModelFormatError("inconsistent number of heads in model.json")
    H = 1 << int(model.n_bits)
    idx = arrays["sentence_hash_index"].astype(np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= H):
        raise ModelFormatError("sentence feature index out of range")
    W = np.zeros((H, k), dtype=np.float32)
    W[idx] = arrays["sentence_hash_coef"].astype(np.float32)
    model.heads_ = heads
    model.coef_hash_ = W
    model.coef_dense_ = arrays["sentence_dense_coef"].astype(np.float32)
    if model.coef_dense_.shape[1] != k:
        raise ModelFormatError("dense coefficients do not match the heads")
    model.intercept_ = np.asarray(meta["intercept"], dtype=np.float64)
    model.platt_ = np.asarray(meta["platt"], dtype=np.float64).reshape(k, 2)
    model.threshold_ = np.asarray(meta["threshold"], dtype=np.float64)
    model.n_dense_ = int(model.coef_dense_.shape[0])
    model.dense_names_ = list(meta["features"]["dense"])
    if len(model.dense_names_) != model.n_dense_:
        raise ModelFormatError("dense feature names do not match the coefficients")
    model.tagger_fitted_ = meta.get("tagger") is not None
    if model.tagger_fitted_:
        TB = 1 << int(model.tagger_bits)
        ti = arrays["tagger_hash_index"].astype(np.int64)
        if ti.size and (ti.min() < 0 or ti.max() >= TB):
            raise ModelFormatError("tagger feature index out of range")
        tw = np.zeros(TB, dtype=np.float32)
        tw[ti] = arrays["tagger_hash_coef"].astype(np.float32)
        model.tagger_coef_ = tw
        model.tagger_dense_coef_ = arrays["tagger_dense_coef"].astype(np.float32)
        model.tagger_intercept_ = float(meta["tagger"]["intercept"])
    model.lexicon_sha256_ = meta["features"].get("lexicon_sha256", "")
    model.card_ = meta.get("card") or {}
    model.content_sha256_ = meta["content_sha256"]
    model.library_versions_ = meta.get("library_versions", {})
    return model
