"""Training the "hedging" head: the cue tagger on Szeged, the sentence head on CoNLL-2010 labels.

Splits (nothing on the development side is tuned on):

* Szeged Wikipedia documents: one in five (crc32 of the document id) is development; the rest is
  training, cut into ``folds`` document-grouped folds. The tagger's threshold is the cue-F1-best
  one on the out-of-fold token probabilities.
* CoNLL-2010 sentences: nine in ten are also Szeged sentences (same Wikipedia articles). A CoNLL
  sentence found in a Szeged development document is development; one found in no Szeged document
  is development when crc32 of its text is 0 mod 5. Training sentences get their cue-tagger
  features from the fold tagger that did not see their document (cross-fitting), so the sentence
  head learns from tagger output as noisy as on unseen text. Its threshold is the F1-best one on
  out-of-fold probabilities grouped by Szeged document.

Figures are precision/recall/F1 with a 95% bootstrap interval over documents. ``final=True``
refits tagger and sentence head on training and development sides together after measuring
(same hyper-parameters and tagger threshold; the sentence threshold from a grouped CV over all
sentences); the figures then describe the train-only fit.
"""

from __future__ import annotations

import pickle
import re
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from rhetoric.analysis import Analyzer
from rhetoric.data.bootstrap import bootstrap_ci
from rhetoric.data.datasets import load_conll2010, load_szeged
from rhetoric.hedging.estimator import HedgeCueTaggerEstimator as HedgeCueTagger
from rhetoric.hedging.estimator import HedgingHeadEstimator as HedgingHead
from rhetoric.hedging.weasels import find_weasels

__all__ = ["train_hedging", "szeged_counts", "cue_f1"]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.replace("-LRB-", "(").replace("-RRB-", ")").lower())


def _is_dev(name: str) -> bool:
    return zlib.crc32(name.encode("utf-8")) % 5 == 0


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> float:
    d = 2 * tp.sum() + fp.sum() + fn.sum()
    return float(2 * tp.sum() / d) if d else 0.0


def cue_f1(pred_hit: np.ndarray, pred: np.ndarray, gold_hit: np.ndarray, gold: np.ndarray) -> float:
    """Overlap cue F1 as in :func:`rhetoric.data.metrics.hedge_scores`, from per-document counts."""
    p = pred_hit.sum() / max(pred.sum(), 1)
    r = gold_hit.sum() / max(gold.sum(), 1)
    return float(2 * p * r / (p + r)) if p + r else 0.0


def _sentence_figures(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> dict[str, Any]:
    lo, hi = bootstrap_ci(_f1, tp, fp, fn)
    return {"precision": float(tp.sum() / max(tp.sum() + fp.sum(), 1)),
            "recall": float(tp.sum() / max(tp.sum() + fn.sum(), 1)), "f1": _f1(tp, fp, fn), "ci": (lo, hi)}


def _cue_figures(c: np.ndarray) -> dict[str, Any]:
    lo, hi = bootstrap_ci(cue_f1, c[:, 3], c[:, 4], c[:, 5], c[:, 6])
    return {"precision": float(c[:, 3].sum() / max(c[:, 4].sum(), 1)),
            "recall": float(c[:, 5].sum() / max(c[:, 6].sum(), 1)), "f1": cue_f1(*c[:, 3:7].T), "ci": (lo, hi)}


def szeged_counts(tagger: HedgeCueTagger, docs: list[tuple[Any, Any]], probas: list[np.ndarray],
                  threshold: float) -> np.ndarray:
    """Per document: sentence tp, fp, fn, then cue pred-hit, pred, gold-hit, gold (overlap matching)."""
    rows = []
    for (art, an), p in zip(docs, probas):
        spans = [(c.start, c.end) for c in tagger.cue_spans(an, p, threshold)]
        gold = [(g.start, g.end) for g in art.spans]
        tp = fp = fn = 0
        for number, start, end in art.lines():
            if not art.text[start:end].strip():
                continue
            y = art.sentence_labels[number - 1]
            yhat = int(any(s < end and start < e for s, e in spans))
            tp += y and yhat; fp += yhat and not y; fn += y and not yhat
        ph = sum(any(s < ge and gs < e for gs, ge in gold) for s, e in spans)
        gh = sum(any(s < ge and gs < e for s, e in spans) for gs, ge in gold)
        rows.append((tp, fp, fn, ph, len(spans), gh, len(gold)))
    return np.array(rows, dtype=float).reshape(-1, 7)


def _gold(ds: list[tuple[Any, Any]]) -> list[list[tuple[int, int, str]]]:
    return [[(g.start, g.end, g.technique) for g in a.spans] for a, _ in ds]


def _fit_taggers(train: list[tuple[Any, Any]], fold_of: dict[str, int], folds: int, C: float,
                 log: Callable[[str], None], t0: float) -> tuple[list[HedgeCueTagger], dict[str, np.ndarray], float]:
    """Fold taggers, their out-of-fold probabilities and the CV cue-F1-best threshold."""
    fold_taggers, oof = [], {}
    for k in range(folds):
        part = [d for d in train if fold_of[d[0].id] != k]
        tagger = HedgeCueTagger(C=C).fit([an for _, an in part], _gold(part))
        fold_taggers.append(tagger)
        for a, an in train:
            if fold_of[a.id] == k:
                oof[a.id] = tagger.token_proba(an)
        log(f"  fold {k}: fitted ({time.time() - t0:.0f}s)")
    oof_list = [oof[a.id] for a, _ in train]
    cv = {float(t): cue_f1(*szeged_counts(fold_taggers[0], train, oof_list, float(t))[:, 3:7].T)
          for t in np.round(np.arange(0.1, 0.71, 0.05), 2)}
    threshold = max(cv, key=lambda t: (cv[t], -abs(t - 0.5)))
    log("  grouped-CV cue F1 by threshold: " + ", ".join(f"{t:.2f}:{v:.3f}" for t, v in cv.items()))
    return fold_taggers, oof, threshold


def _conll_items(analyzer: Analyzer, docs: list[tuple[Any, Any]], dev_ids: set[str], fold_of: dict[str, int],
                 tagger: HedgeCueTagger, fold_taggers: list[HedgeCueTagger], data_home: Any) -> tuple[list, ...]:
    where: dict[str, str] = {}
    for a, _ in docs:
        for _, s, e in a.lines():
            where.setdefault(_key(a.text[s:e]), a.id)
    items, labels, groups, is_dev, analyses = [], [], [], [], []
    for art in load_conll2010(data_home).articles:
        an = analyzer.analyze(art.text)
        doc = where.get(_key(art.text))
        d = (doc in dev_ids) if doc is not None else _is_dev(art.text)
        model = tagger if d or doc not in fold_of else fold_taggers[fold_of[doc]]
        # the weasels HedgingDimension counts by default (weasels="patterns": no vague sources)
        weasels = [w.start for w in find_weasels(an, ())]
        items.append((an, model.token_proba(an), weasels))
        analyses.append((an, weasels))
        labels.append(art.sentence_labels[0] if art.sentence_labels else 0)
        groups.append(doc or art.id)
        is_dev.append(d)
    return items, np.array(labels), np.unique(np.array(groups), return_inverse=True)[1], np.array(is_dev), analyses


def train_hedging(data_home: Any = None, folds: int = 3, C: float = 0.5, sentence_C: float = 3.0,
                  final: bool = False, cache: str | Path | None = None,
                  log: Callable[[str], None] = print) -> tuple[HedgingHead, dict[str, Any]]:
    """Fit the hedging head; returns it with the development figures (see the module docstring)."""
    t0 = time.time()
    analyzer = Analyzer()
    docs = [(a, analyzer.analyze(a.text)) for a in load_szeged(data_home).articles]
    train = [d for d in docs if not _is_dev(d[0].id)]
    dev = [d for d in docs if _is_dev(d[0].id)]
    fold_of = {a.id: zlib.crc32(("fold" + a.id).encode()) % folds for a, _ in train}
    log(f"Szeged: {len(train)} training, {len(dev)} development documents")
    path = Path(cache) / f"hedge-taggers-C{C}-k{folds}.pkl" if cache else None
    if path is not None and path.exists():  # a development aid: the fitted taggers of an earlier run
        fold_taggers, oof, threshold, tagger = pickle.loads(path.read_bytes())
    else:
        fold_taggers, oof, threshold = _fit_taggers(train, fold_of, folds, C, log, t0)
        tagger = HedgeCueTagger(C=C, threshold=threshold).fit([an for _, an in train], _gold(train))
        if path is not None:
            path.write_bytes(pickle.dumps((fold_taggers, oof, threshold, tagger)))
    log(f"  tagger: threshold {threshold:.2f}, {len(tagger.support_)} weight rows ({time.time() - t0:.0f}s)")
    c = szeged_counts(tagger, dev, [tagger.token_proba(an) for _, an in dev], tagger.threshold_)
    figures: dict[str, Any] = {"szeged_dev_sentence": _sentence_figures(c[:, 0], c[:, 1], c[:, 2]),
                               "szeged_dev_cue": _cue_figures(c), "tagger_threshold": threshold,
                               "n_szeged": (len(train), len(dev))}
    items, labels, groups, is_dev, analyses = _conll_items(
        analyzer, docs, {a.id for a, _ in dev}, fold_of, tagger, fold_taggers, data_home)
    tr, dv = np.flatnonzero(~is_dev), np.flatnonzero(is_dev)
    log(f"CoNLL-2010: {len(tr)} training, {len(dv)} development sentences ({time.time() - t0:.0f}s)")
    head = HedgingHead(tagger=tagger, C=sentence_C)
    X = head.matrix(items, whole=True)
    head.fit_sentences(X[tr], labels[tr], groups[tr])
    y_tr, pred = labels[tr].astype(bool), head.oof_proba_ >= head.threshold_
    _, inv = np.unique(groups[tr], return_inverse=True)
    agg = lambda v, g=inv: np.bincount(g, weights=v.astype(float))  # noqa: E731 -- counts per article
    figures["conll_train_cv_sentence"] = _sentence_figures(agg(y_tr & pred), agg(~y_tr & pred), agg(y_tr & ~pred))
    p_dev = np.array([head.sentence_proba(*items[i]).max(initial=0.0) for i in dv])
    y_dv, pred = labels[dv].astype(bool), p_dev >= head.threshold_
    _, inv = np.unique(groups[dv], return_inverse=True)
    figures["conll_dev_sentence"] = _sentence_figures(agg(y_dv & pred, inv), agg(~y_dv & pred, inv),
                                                      agg(y_dv & ~pred, inv))
    cue = np.array([bool(tagger.cue_spans(items[i][0], items[i][1])) for i in dv])
    figures["conll_dev_tagger_only"] = _sentence_figures(agg(y_dv & cue, inv), agg(~y_dv & cue, inv),
                                                         agg(y_dv & ~cue, inv))
    figures["sentence_threshold"] = head.threshold_
    figures["n_conll"] = (len(tr), len(dv))
    if final:
        log("refitting on training and development sides together")
        full = HedgeCueTagger(C=C, threshold=threshold).fit([an for _, an in docs], _gold(docs))
        final_head = HedgingHead(tagger=full, C=sentence_C)
        X = final_head.matrix([(an, items[k][1], w) for k, (an, w) in enumerate(analyses)], whole=True)
        final_head.fit_sentences(X, labels, groups)
        head = final_head
    log(f"done ({time.time() - t0:.0f}s)")
    return head, figures
