"""Training and honest evaluation of :class:`~rhetoric.propaganda.model.PropagandaModel` (imports scikit-learn).

* :func:`train` — your own labelled sentences (texts + 0/1 labels).
* :func:`train_corpus` — article corpora (:mod:`rhetoric.data.datasets`): sentence labels where the
  corpus has them (NLP4IF SLC, CSV/JSONL), else projected from spans (PTC); the technique heads and
  the span tagger are trained from the spans.
* :func:`cross_validate` — K-fold CV grouped by article (never by sentence), and by outlet where the
  corpus names outlets: sentence P/R/F1, Brier score, reliability table and, for span corpora, the
  SemEval-2020 SI span P/R/F1.
* :func:`evaluate` — the same metrics for a fitted model on a held-out corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.learn.features import DocumentFeatures
from rhetoric.propaganda.model import PropagandaModel
from rhetoric.propaganda.repetition import repetition_spans
from rhetoric.propaganda.spans import range_labels

__all__ = ["DEFAULT_PARAMS", "corpus_documents", "cross_validate", "evaluate", "predict_documents", "train",
           "train_corpus"]

# The shipped model's settings (see scripts/train_default_model.py and models/MODEL_CARD.md). The span
# decoding (threshold 0.2, runs cut at 15 tokens) was fitted on the training folds' out-of-fold token
# probabilities (scripts/propaganda_ingredients.py): the cap brings predicted span lengths to the gold ones.
# context_features (the sourcing, hedging and state-media evidence as columns) is an option that was tried
# (+0.001, scripts/propaganda_ingredients.py) and is off in the shipped file (models/MODEL_CARD.md).
DEFAULT_PARAMS: dict[str, Any] = {"n_bits": 18, "ngram_range": (1, 2), "C": 2.0, "position_features": True,
                                      "lexicon_features": True, "technique_C": 2.0, "tagger_bits": 20, "tagger_C": 1.0,
                                      "span_threshold": 0.2, "span_bridge": 5, "span_min_tokens": 2,
                                      "span_max_tokens": 15}


def train(texts: Sequence[str], labels: Sequence[int], *, groups: Sequence[Any] | None = None, seed: int = 0,
          **params: Any) -> PropagandaModel:
    """Train the sentence model on your own labelled sentences; ``params`` go to PropagandaModel.

    ``groups`` (e.g. article ids) keep sentences of one article in one fold of the inner CV that
    calibrates probabilities. The same seed gives the same model.
    """
    return PropagandaModel(random_state=seed, **params).fit(texts, labels, groups)


def corpus_documents(corpus: Any, *, spans: bool = True, dedupe: bool = True) -> list[dict[str, Any]]:
    """Training documents of a labelled corpus: the non-empty lines (whitespace stripped) as units.

    A corpus counts as span-annotated when any article has spans; its articles without spans are
    then span-free (negative) documents. ``dedupe`` drops an article whose text repeats an earlier
    article of the same group (NLP4IF holds nine texts twice).
    """
    if not getattr(corpus, "labelled", True):
        raise ValueError(f"corpus {corpus.name!r} has no labels")
    annotated = spans and any(a.spans for a in corpus.articles)
    seen: set[tuple[str, str]] = set()
    docs = []
    for art in corpus.articles:
        group = art.metadata.get("group", art.id)
        if dedupe:
            key = (group, art.text)
            if key in seen:
                continue
            seen.add(key)
        ranges, labels = [], []
        for number, start, end in art.lines():
            line = art.text[start:end]
            if not line.strip():
                continue
            s = start + len(line) - len(line.lstrip())
            e = start + len(line.rstrip())
            if art.sentence_labels is not None:
                label = int(art.sentence_labels[number - 1])
            else:
                label = int(any(sp.overlaps(start, end) for sp in art.spans))
            ranges.append((s, e))
            labels.append(label)
        if not ranges:
            continue
        docs.append({"id": art.id, "group": group, "outlet": art.outlet, "text": art.text, "ranges": ranges, "labels": labels,
                         "spans": [(sp.start, sp.end, sp.technique) for sp in art.spans] if annotated else None})
    if not docs:
        raise ValueError(f"corpus {corpus.name!r} has no non-empty sentences")
    return docs


def _params_for(docs: Sequence[dict[str, Any]], spans: bool, seed: int, params: dict[str, Any]) -> dict[str, Any]:
    p = dict(DEFAULT_PARAMS)
    # isolated sentences (CSV/JSONL without groups) have no position in a document
    p["position_features"] = float(np.mean([len(d["ranges"]) for d in docs])) > 1.5
    p["tagger"] = spans
    p.update(params)
    p["random_state"] = seed
    return p


def train_corpus(corpus: Any, *, spans: bool = True, seed: int = 0, verbose: bool = False,
                 **params: Any) -> PropagandaModel:
    """Train on an article corpus (see :func:`corpus_documents`); ``params`` override DEFAULT_PARAMS."""
    docs = corpus_documents(corpus, spans=spans)
    model = PropagandaModel(**_params_for(docs, spans, seed, params))
    return model.fit_documents(docs, verbose=verbose)


def predict_documents(model: PropagandaModel, docs: Sequence[dict[str, Any]], *, spans: bool = True,
                      analyzer: Any = None, techniques: dict[str, list[np.ndarray]] | None = None,
                      repetition: bool = True) -> tuple[list[np.ndarray], dict[str, list[tuple[int, int]]]]:
    """Sentence probabilities per document (on the documents' own ranges) and predicted spans.

    With a ``techniques`` dict, each technique head's 0/1 decisions per document are appended to it.
    The predicted spans are the tagger's plus the ``Repetition`` rule's (as in reports).
    """
    if analyzer is None:
        from rhetoric.analysis import Analyzer
        analyzer = Analyzer(model.lexicons)
    probs, pred_spans = [], {}
    for d in docs:
        a = analyzer.analyze(d["text"])
        res = model.score_document(a, DocumentFeatures(a), ranges=d["ranges"], explain=False,
                                   spans=spans and d.get("spans") is not None)
        probs.append(np.asarray(res.sentence_proba, dtype=float))
        if techniques is not None:
            for h, t in enumerate(model.heads_[1:], start=1):
                p = np.array([tp[t] for tp in res.technique_proba], dtype=float)
                techniques.setdefault(t, []).append(p >= model.threshold_[h])
        if d.get("spans") is not None:
            rep = repetition_spans(a) if repetition else []
            pred_spans[d["id"]] = [(s.start, s.end) for s in [*res.spans, *rep]]
    return probs, pred_spans


def _metrics(docs: Sequence[dict[str, Any]], probs: Sequence[np.ndarray], preds: Sequence[np.ndarray],
             pred_spans: dict[str, list[tuple[int, int]]],
             techniques: dict[str, list[np.ndarray]] | None = None) -> dict[str, Any]:
    from rhetoric.data.metrics import brier_score, reliability_table, sentence_scores, si_scores
    y = np.concatenate([np.asarray(d["labels"], dtype=int) for d in docs])
    p = np.concatenate(probs)
    yhat = np.concatenate(preds).astype(int)
    out: dict[str, Any] = {"n_articles": len(docs), "n_sentences": len(y), "positive_rate": float(y.mean())}
    out["sentence"] = sentence_scores(y, yhat)
    out["sentence_f1_ci"] = _sentence_f1_ci(docs, preds)
    out["brier"] = brier_score(y, p)
    out["brier_base_rate"] = float(y.mean() * (1 - y.mean()))
    out["reliability"] = [vars(b) for b in reliability_table(y, p)]
    span_docs = [d for d in docs if d.get("spans") is not None]
    if span_docs:
        gold = {d["id"]: [(s, e) for s, e, _ in d["spans"] if e > s] for d in span_docs}
        out["spans"] = si_scores({k: v for k, v in pred_spans.items() if k in gold}, gold)
        out["spans_f1_ci"] = _si_f1_ci(pred_spans, gold)
        if techniques and len(span_docs) == len(docs):
            out["techniques"] = {}
            for t, decisions in techniques.items():
                yt = np.concatenate([range_labels(d["ranges"], [(s, e) for s, e, tt in d["spans"] if tt == t])
                                     for d in docs])
                out["techniques"][t] = {**sentence_scores(yt, np.concatenate(decisions).astype(int)),
                                        "n_positive": int(yt.sum())}
    return out


def _f1(tp: float, fp: float, fn: float) -> float:
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def _sentence_f1_ci(docs: Sequence[dict[str, Any]], preds: Sequence[np.ndarray]) -> tuple[float, float]:
    """Bootstrap 95% interval of the sentence F1, resampling whole documents."""
    from rhetoric.data.metrics import bootstrap_ci
    rows = []
    for d, pr in zip(docs, preds):
        y, yh = np.asarray(d["labels"], dtype=int), np.asarray(pr, dtype=int)
        rows.append([np.sum(y & yh), np.sum(yh & (1 - y)), np.sum(y & (1 - yh))])
    return bootstrap_ci(lambda m: _f1(*np.asarray(m, dtype=float).sum(axis=0)), np.asarray(rows, dtype=float))


def _si_f1_ci(pred_spans: dict[str, list[tuple[int, int]]],
              gold: dict[str, list[tuple[int, int]]]) -> tuple[float, float]:
    """Bootstrap 95% interval of the SemEval SI F1, resampling whole documents."""
    from rhetoric.data.metrics import bootstrap_ci, merge_spans, si_scores
    rows = []
    for k, g in gold.items():
        sc = si_scores({k: pred_spans.get(k, [])}, {k: g})
        n_p, n_g = len(merge_spans(pred_spans.get(k, []))), len(merge_spans(g))
        rows.append([sc["precision"] * n_p, n_p, sc["recall"] * n_g, n_g])

    def f1(m: Any) -> float:
        ps, n_p, rs, n_g = np.asarray(m, dtype=float).sum(axis=0)
        p, r = (ps / n_p if n_p else 0.0), (rs / n_g if n_g else 0.0)
        return float(2 * p * r / (p + r)) if p + r else 0.0

    return bootstrap_ci(f1, np.asarray(rows, dtype=float))


def evaluate(model: PropagandaModel, corpus: Any, *, spans: bool = True) -> dict[str, Any]:
    """Sentence P/R/F1 (at the model's threshold), Brier score, reliability and SI span P/R/F1."""
    docs = corpus_documents(corpus, spans=spans, dedupe=False)
    tech: dict[str, list[np.ndarray]] = {}
    probs, pred_spans = predict_documents(model, docs, spans=spans, techniques=tech)
    preds = [pr >= model.threshold for pr in probs]
    return _metrics(docs, probs, preds, pred_spans, tech)


def _cv(docs: list[dict[str, Any]], groups: Sequence[Any], n_splits: int, seed: int, spans: bool,
        params: dict[str, Any], verbose: bool) -> dict[str, Any]:
    from rhetoric.analysis import Analyzer
    from rhetoric.data.metrics import assert_no_group_overlap, grouped_splits
    splits = grouped_splits(groups, n_splits, seed)
    assert_no_group_overlap(splits, groups)
    probs: list[Any] = [None] * len(docs)
    preds: list[Any] = [None] * len(docs)
    pred_spans: dict[str, list[tuple[int, int]]] = {}
    analyzer = None
    thresholds = []
    for k, (tr, te) in enumerate(splits):
        model = PropagandaModel(**_params_for([docs[i] for i in tr], spans, seed, params))
        model.fit_documents([docs[i] for i in tr])
        analyzer = analyzer or Analyzer(model.lexicons)
        pr, ps = predict_documents(model, [docs[i] for i in te], spans=spans, analyzer=analyzer)
        for i, p in zip(te, pr):
            probs[i] = p
            preds[i] = p >= model.threshold
        pred_spans.update(ps)
        thresholds.append(model.threshold)
        if verbose:
            print(f"  fold {k}: {len(tr)} train / {len(te)} test articles", flush=True)
    out = _metrics(docs, probs, preds, pred_spans)
    out["thresholds"] = thresholds
    out["n_splits"] = n_splits
    return out


def cross_validate(corpus: Any, n_splits: int = 5, seed: int = 0, *, spans: bool = True, by_outlet: bool = True,
                   verbose: bool = False, **params: Any) -> dict[str, Any]:
    """K-fold CV grouped by article (copies of one text share a group); the model is retrained per
    fold, with its own inner CV for calibration and threshold, so no test sentence informs a choice.

    Returns ``{"by_article": metrics, "by_outlet": metrics}`` (the latter only when the corpus names
    at least two outlets); metrics hold ``sentence`` P/R/F1, ``brier``, ``reliability`` and, for
    span corpora, ``spans`` (SemEval-2020 SI P/R/F1).
    """
    docs = corpus_documents(corpus, spans=spans)
    out = {"by_article": _cv(docs, [d["group"] for d in docs], n_splits, seed, spans, params, verbose)}
    outlets = [d["outlet"] for d in docs]
    named = sorted({o for o in outlets if o})
    if by_outlet and len(named) >= 2:
        keep = [i for i, o in enumerate(outlets) if o]
        sub = [docs[i] for i in keep]
        out["by_outlet"] = _cv(sub, [d["outlet"] for d in sub], min(n_splits, len(named)), seed, spans, params,
                               verbose)
    return out
