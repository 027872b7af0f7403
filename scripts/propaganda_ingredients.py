"""Issue 12 item 4: which new information lifts the propaganda sentence head past the linear ceiling?

    RHETORIC_DATA=/work/shared/data python scripts/propaganda_ingredients.py [--cache /tmp/prop_study]
        [--wordllama-path DIR]

One study. For the shipped baseline and each ingredient added alone (and the best combination) it
prints article-grouped 5-fold CV sentence F1 on the training articles (the shipped training set of
scripts/train_default_model.py) and PTC dev sentence F1, each with a bootstrap 95% interval over
articles, plus SI F1 where the ingredient touches spans. Every threshold is chosen on training data
only (the inner grouped CV of ``fit_calibrated``); PTC dev is never used for a choice. CV F1 is
always scored against the shipped training labels, whatever labels an ingredient trains on.

Ingredients:

* (a) ``tagger``: the span tagger's per-sentence max and mean token probability as two dense
  columns. Training rows get out-of-fold tagger probabilities (the tagger of the outer fold that
  held the row out), test rows those of the tagger trained on the outer training folds;
* (b) ``context``: the sourcing, hedging and state-media evidence as per-sentence columns
  (:mod:`rhetoric.propaganda.context`), computed by the shipped heads exactly as at scoring time;
* (c) ``span_labels``: a sentence is positive when NLP4IF's line label says so *or* it overlaps a
  PTC span;
* (d) ``wordllama``: the mean WordLlama vector (256 dimensions, l2_supercat) of the sentence, when
  the package is importable from ``--wordllama-path``;
* span lengths: the decode threshold / longest-span cap fitted on the training folds' out-of-fold
  token probabilities (chosen per outer fold on the other folds; for dev on all training folds).

Feature matrices are cached in ``--cache`` (never in the repository).
"""

from __future__ import annotations

import argparse
import itertools
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_default_model import training_corpus

from rhetoric.data.datasets import load_ptc
from rhetoric.data.metrics import grouped_splits, merge_spans, si_scores
from rhetoric.learn.calibration import apply_platt
from rhetoric.learn.features import DocumentFeatures
from rhetoric.learn.linear import fit_logistic, head_from_logistic, ngram_matrix
from rhetoric.learn.training import fit_calibrated
from rhetoric.propaganda.context import context_rows
from rhetoric.propaganda.model import PropagandaModel
from rhetoric.propaganda.repetition import repetition_spans
from rhetoric.propaganda.spans import (
    range_labels,
    run_edges,
    tagged_runs,
    tagger_matrix,
    token_labels,
    token_proba,
)
from rhetoric.propaganda.training import _params_for, _sentence_f1_ci, _si_f1_ci, corpus_documents

SEED = 0


# -- cache ------------------------------------------------------------------------------------------
def _doc_rows(model: PropagandaModel, scorer: Any, d: dict[str, Any]) -> dict[str, Any]:
    a = scorer.analyzer_.analyze(d["text"])
    f = DocumentFeatures(a)
    r = d["ranges"]
    src = scorer.sourcing_.apply(a, f)
    hed = scorer.hedging_.apply(a, f, src)
    sm = scorer.statemedia_.apply(a, f, src)
    spans = [(s, e) for s, e, _ in d["spans"] or []]
    return {"X": ngram_matrix(*model.sentence_inputs(f, r)).tocsr(), "ctx": context_rows(r, a.seg.sentences, src, hed, sm),
            "span_labels": range_labels(r, spans), "tok_y": token_labels(f, r, spans), "features": f,
            "repetition": [(s.start, s.end) for s in repetition_spans(a)]}


def build_cache(path: Path) -> dict[str, Any]:
    from rhetoric.pipeline import Scorer
    if path.exists():
        return pickle.loads(path.read_bytes())
    t = time.time()
    train = corpus_documents(training_corpus())
    dev = corpus_documents(load_ptc("dev"), dedupe=False)
    model = PropagandaModel(**_params_for(train, True, SEED, {}))
    scorer = Scorer(model="default")
    out = {"train": train, "dev": dev, "params": model.get_params()}
    for name in ("train", "dev"):
        out[name + "_rows"] = [_doc_rows(model, scorer, d) for d in out[name]]
    path.write_bytes(pickle.dumps(out, protocol=5))
    print(f"cache built in {time.time() - t:.0f} s", flush=True)
    return out


def add_wordllama(cache: dict[str, Any], path: Path, site: str | None) -> bool:
    if "emb" in cache["train_rows"][0]:
        return True
    if not site:
        return False
    sys.path.insert(0, site)
    try:
        from wordllama import WordLlama
    except ImportError:
        return False
    wl = WordLlama.load(cache_dir=Path(site).parent / "cache", disable_download=True)
    for name in ("train", "dev"):
        for d, rows in zip(cache[name], cache[name + "_rows"]):
            rows["emb"] = np.asarray(wl.embed([d["text"][s:e] for s, e in d["ranges"]]), dtype=np.float64)
    path.write_bytes(pickle.dumps(cache, protocol=5))
    return True


def wordllama_speed(cache: dict[str, Any], site: str) -> None:
    """Load time, weights size and embedding time per article (all its sentences in one batch) on PTC dev."""
    sys.path.insert(0, site)
    t = time.perf_counter()
    from wordllama import WordLlama
    wl = WordLlama.load(cache_dir=Path(site).parent / "cache", disable_download=True)
    load = time.perf_counter() - t
    weights = sum(f.stat().st_size for f in (Path(site) / "wordllama" / "weights").glob("*.safetensors"))
    per_article = []
    for d in cache["dev"]:
        sents = [d["text"][s:e] for s, e in d["ranges"]]
        t = time.perf_counter()
        wl.embed(sents)
        per_article.append((time.perf_counter() - t, len(sents)))
    ms = np.array([a for a, _ in per_article]) * 1e3
    n = np.array([b for _, b in per_article])
    print(f"wordllama: import+load {load:.2f} s, weights {weights / 1e6:.1f} MB; per article batch median "
          f"{np.median(ms):.2f} ms (max {ms.max():.2f} ms, {np.median(n):.0f} sentences), "
          f"{ms.sum() / n.sum():.3f} ms per sentence", flush=True)


# -- sentence study --------------------------------------------------------------------------------
def _matrix(rows: list[dict[str, Any]], extra: list[str], tagger_cols: list[np.ndarray] | None) -> Any:
    blocks = []
    for k, r in enumerate(rows):
        parts = [r["X"]]
        if "context" in extra:
            parts.append(sp.csr_matrix(r["ctx"]))
        if "wordllama" in extra:
            parts.append(sp.csr_matrix(r["emb"]))
        if "tagger" in extra and tagger_cols is not None:
            parts.append(sp.csr_matrix(tagger_cols[k]))
        blocks.append(sp.hstack(parts, format="csr") if len(parts) > 1 else parts[0])
    return sp.vstack(blocks).tocsr()


def _labels(docs: list[dict[str, Any]], rows: list[dict[str, Any]], union: bool) -> np.ndarray:
    return np.concatenate([np.maximum(d["labels"], r["span_labels"]) if union else np.asarray(d["labels"])
                           for d, r in zip(docs, rows)]).astype(int)


def _fit(X: Any, y: np.ndarray, groups: np.ndarray) -> Any:
    return fit_calibrated(X, y, groups, lambda Xa, ya: fit_logistic(Xa, ya, C=2.0, class_weight="balanced",
                                                                  seed=SEED), 5, SEED)


def _groups(docs: list[dict[str, Any]]) -> np.ndarray:
    return np.concatenate([[str(d["group"])] * len(d["ranges"]) for d in docs])


def _split(values: np.ndarray, docs: list[dict[str, Any]]) -> list[np.ndarray]:
    return np.split(values, np.cumsum([len(d["ranges"]) for d in docs])[:-1])


def sentence_run(c: dict[str, Any], extra: list[str], tag: dict[str, Any] | None = None) -> dict[str, Any]:
    """CV (pooled out-of-fold calls, each at its fold's threshold) and dev F1 with intervals."""
    train, rows = c["train"], c["train_rows"]
    union = "span_labels" in extra
    tcols = tag["train_cols"] if tag else None
    X = _matrix(rows, extra, tcols)
    y_eval = _labels(train, rows, False)
    y_fit = _labels(train, rows, union)
    groups = _groups(train)
    offs = np.cumsum([0] + [len(d["ranges"]) for d in train])
    calls, decisions = np.zeros(len(y_eval), dtype=bool), np.zeros(len(y_eval))
    for tr, te in c["splits"]:
        ri = np.concatenate([np.arange(offs[i], offs[i + 1]) for i in tr])
        ti = np.concatenate([np.arange(offs[i], offs[i + 1]) for i in te])
        Xte = X[ti] if not tag else _matrix([rows[i] for i in te], extra, [tag["test_cols"][i] for i in te])
        fit = _fit(X[ri], y_fit[ri], groups[ri])
        z = fit.estimator.decision_function(Xte)
        decisions[ti] = z
        calls[ti] = apply_platt(z, *fit.platt) >= fit.threshold
    full = _fit(X, y_fit, groups)
    Xd = _matrix(c["dev_rows"], extra, tag["dev_cols"] if tag else None)
    zd = full.estimator.decision_function(Xd)
    dev_calls = apply_platt(zd, *full.platt) >= full.threshold
    y_dev = _labels(c["dev"], c["dev_rows"], False)
    return {"cv": _f1_ci(train, y_eval, calls), "dev": _f1_ci(c["dev"], y_dev, dev_calls),
            "oof_decision": decisions, "dev_decision": zd, "threshold": full.threshold,
            "cv_counts": _doc_counts(train, y_eval, calls), "dev_counts": _doc_counts(c["dev"], y_dev, dev_calls)}


def _doc_counts(docs: list[dict[str, Any]], y: np.ndarray, calls: np.ndarray) -> np.ndarray:
    """(documents, 3) true positives, false positives and false negatives of each document."""
    return np.array([[np.sum(t & c), np.sum(~t & c), np.sum(t & ~c)]
                     for t, c in zip(_split(y.astype(bool), docs), _split(calls, docs))], dtype=float)


def gain_ci(new: np.ndarray, old: np.ndarray) -> tuple[float, float, float]:
    """F1 gain and its paired bootstrap 95% interval (the same resampled articles for both)."""
    from rhetoric.data.bootstrap import bootstrap_ci

    def f1(m: np.ndarray) -> float:
        tp, fp, fn = m.sum(axis=0)
        return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0

    lo, hi = bootstrap_ci(lambda a, b: f1(a) - f1(b), new, old)
    return f1(new) - f1(old), lo, hi


def _f1_ci(docs: list[dict[str, Any]], y: np.ndarray, calls: np.ndarray) -> tuple[float, float, float]:
    tp, fp, fn = np.sum(y & calls), np.sum(calls & (1 - y).astype(bool)), np.sum(y.astype(bool) & ~calls)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    lo, hi = _sentence_f1_ci(docs, _split(calls, docs))
    return float(f1), lo, hi


# -- tagger and spans --------------------------------------------------------------------------------
def _tagger(rows: list[dict[str, Any]], decisions: list[np.ndarray], ranges: list[Any]) -> Any:
    T = sp.vstack([tagger_matrix(r["features"], rg, 20, z) for r, z, rg in zip(rows, decisions, ranges)]).tocsr()
    y = np.concatenate([r["tok_y"] for r in rows])
    return head_from_logistic([fit_logistic(T, y, C=1.0, seed=SEED, max_iter=2000)], 20, vector=True)


def tagger_probs(c: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Out-of-fold token probabilities on training (tagger of the outer fold), and on dev (full tagger)."""
    train, rows = c["train"], c["train_rows"]
    zs = _split(base["oof_decision"], train)
    probs: list[Any] = [None] * len(train)
    for tr, te in c["splits"]:
        tg = _tagger([rows[i] for i in tr], [zs[i] for i in tr], [train[i]["ranges"] for i in tr])
        for i in te:
            probs[i] = token_proba(tg, rows[i]["features"], train[i]["ranges"], zs[i])
    tg = _tagger(rows, zs, [d["ranges"] for d in train])
    zd = _split(base["dev_decision"], c["dev"])
    dev = [token_proba(tg, r["features"], d["ranges"], z) for r, d, z in zip(c["dev_rows"], c["dev"], zd)]
    return {"train": probs, "dev": dev}


def _stack_cols(rows: list[dict[str, Any]], docs: list[dict[str, Any]], probs: list[np.ndarray]) -> list[np.ndarray]:
    out = []
    for r, d, p in zip(rows, docs, probs):
        u = r["features"].units(d["ranges"])
        n = len(d["ranges"])
        mx = np.zeros(n)
        np.maximum.at(mx, u.row, p)
        mean = np.bincount(u.row, weights=p, minlength=n) / np.maximum(np.bincount(u.row, minlength=n), 1)
        out.append(np.column_stack([mx, mean]))
    return out


def doc_spans(r: dict[str, Any], d: dict[str, Any], p: np.ndarray, threshold: float, max_tokens: int,
              min_tokens: int = 2, bridge: int = 5) -> list[tuple[int, int]]:
    """Predicted SI spans of one document (tagger runs, fitted edges, plus the Repetition rule)."""
    f = r["features"]
    u = f.units(d["ranges"])
    runs = tagged_runs(u.row, p, threshold, bridge, min_tokens, max_tokens)  # decoded as the shipped head does
    return [(s, e) for _, s, e in run_edges(f, u, runs)] + r["repetition"]


def si_eval(docs: list[dict[str, Any]], rows: list[dict[str, Any]], probs: list[np.ndarray], idx: Any,
            threshold: float, max_tokens: int) -> dict[str, Any]:
    pred = {docs[i]["id"]: doc_spans(rows[i], docs[i], probs[i], threshold, max_tokens) for i in idx}
    gold = {docs[i]["id"]: [(s, e) for s, e, _ in docs[i]["spans"] if e > s] for i in idx}
    sc = si_scores(pred, gold)
    plen = sum(b - a for v in pred.values() for a, b in merge_spans(v))
    glen = sum(b - a for v in gold.values() for a, b in merge_spans(v))
    npred, ngold = sum(len(merge_spans(v)) for v in pred.values()), sum(len(merge_spans(v)) for v in gold.values())
    return {**sc, "pred": pred, "gold": gold,
            "length_ratio": (plen / max(npred, 1)) / max(glen / max(ngold, 1), 1e-9)}


GRID = list(itertools.product((0.2, 0.25, 0.3, 0.35, 0.4), (0, 10, 15, 20)))


def span_study(c: dict[str, Any], probs: dict[str, Any]) -> dict[str, Any]:
    """SI F1 at the shipped decoding, and with (threshold, cap) fitted on training folds."""
    train, rows = c["train"], c["train_rows"]
    alli = range(len(train))
    res = {"base_cv": si_eval(train, rows, probs["train"], alli, 0.2, 0),
           "base_dev": si_eval(c["dev"], c["dev_rows"], probs["dev"], range(len(c["dev"])), 0.2, 0)}
    table = {g: [si_eval(train, rows, probs["train"], te, *g)
                 for _, te in c["splits"]] for g in GRID}  # per fold, per setting

    def pooled(fold_results: list[dict[str, Any]]) -> float:
        pred = {k: v for r in fold_results for k, v in r["pred"].items()}
        gold = {k: v for r in fold_results for k, v in r["gold"].items()}
        return si_scores(pred, gold)["f1"]

    pred: dict[str, Any] = {}
    chosen = []
    for k in range(len(c["splits"])):
        best = max(GRID, key=lambda g: pooled([table[g][j] for j in range(len(c["splits"])) if j != k]))
        chosen.append(best)
        pred.update(table[best][k]["pred"])
    gold = res["base_cv"]["gold"]
    res["cal_cv"] = {**si_scores(pred, gold), "pred": pred, "chosen": chosen}
    best = max(GRID, key=lambda g: pooled(table[g]))
    res["cal_dev"] = si_eval(c["dev"], c["dev_rows"], probs["dev"], range(len(c["dev"])), *best)
    res["cal_dev"]["chosen"] = best
    res["grid_cv"] = {g: pooled(table[g]) for g in GRID}
    for key in ("base_cv", "cal_cv"):
        res[key]["ci"] = _si_f1_ci(res[key]["pred"], gold)
    for key in ("base_dev", "cal_dev"):
        res[key]["ci"] = _si_f1_ci(res[key]["pred"], res[key]["gold"])
    return res


def fmt(r: tuple[float, float, float]) -> str:
    return f"{r[0]:.3f} [{r[1]:.3f}, {r[2]:.3f}]"


def report(name: str, r: dict[str, Any], base: dict[str, Any], t: float) -> None:
    g_cv, g_dev = gain_ci(r["cv_counts"], base["cv_counts"]), gain_ci(r["dev_counts"], base["dev_counts"])
    r["cv_gain"], r["dev_gain"] = g_cv, g_dev
    print(f"+{name}: CV {fmt(r['cv'])} gain {g_cv[0]:+.4f} [{g_cv[1]:+.3f}, {g_cv[2]:+.3f}]  dev {fmt(r['dev'])} "
          f"gain {g_dev[0]:+.4f} [{g_dev[1]:+.3f}, {g_dev[2]:+.3f}]  ({time.time() - t:.0f} s)", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/prop_study")
    ap.add_argument("--wordllama-path", default=os.environ.get("WORDLLAMA_PATH"))
    ap.add_argument("--only", default="", help="comma-separated runs: tagger, context, span_labels, wordllama, "
                    "spans (default: all; the tagger and span stages run only for tagger or spans)")
    args = ap.parse_args()
    cdir = Path(args.cache)
    cdir.mkdir(parents=True, exist_ok=True)
    cache = build_cache(cdir / "features.pkl")
    have_wl = add_wordllama(cache, cdir / "features.pkl", args.wordllama_path)
    if have_wl and args.wordllama_path:
        wordllama_speed(cache, args.wordllama_path)
    cache["splits"] = grouped_splits([d["group"] for d in cache["train"]], 5, SEED)
    t = time.time()
    results: dict[str, Any] = {}
    base = results["baseline"] = sentence_run(cache, [])
    print(f"baseline: CV {fmt(base['cv'])}  dev {fmt(base['dev'])}  ({time.time() - t:.0f} s)", flush=True)
    only = [x for x in args.only.split(",") if x]
    spans = not only or "tagger" in only or "spans" in only
    tag: dict[str, Any] | None = None
    s: dict[str, Any] = {}
    if spans:
        probs = tagger_probs(cache, base)
        tag = {"train_cols": _stack_cols(cache["train_rows"], cache["train"], probs["train"]),
               "dev_cols": _stack_cols(cache["dev_rows"], cache["dev"], probs["dev"])}
        tag["test_cols"] = tag["train_cols"]  # each test fold's columns come from the tagger that held it out
        s = span_study(cache, probs)
        for key in ("base_cv", "cal_cv", "base_dev", "cal_dev"):
            v = s[key]
            extra = f" chosen {v['chosen']}" if "chosen" in v else ""
            ratio = f" length x{v['length_ratio']:.2f}" if "length_ratio" in v else ""
            print(f"SI {key}: P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} "
                  f"[{v['ci'][0]:.3f}, {v['ci'][1]:.3f}]{ratio}{extra}", flush=True)
        print("SI grid (pooled CV F1):", {f"{g[0]}/{g[1]}": round(v, 3) for g, v in s["grid_cv"].items()})
    runs = {"tagger": (["tagger"], tag), "context": (["context"], None), "span_labels": (["span_labels"], None)}
    if have_wl:
        runs["wordllama"] = (["wordllama"], None)
    for name, (extra, tg) in runs.items():
        if only and name not in only:
            continue
        r = results[name] = sentence_run(cache, extra, tg)
        report(name, r, base, t)
    helped = [n for n in runs if n in results and results[n]["cv"][0] > base["cv"][0]]
    if len(helped) > 1:
        extra = [x for n in helped for x in runs[n][0]]
        r = results["+".join(helped)] = sentence_run(cache, extra, tag if "tagger" in helped else None)
        report("+".join(helped), r, base, t)
    keep = {k: {kk: vv for kk, vv in v.items() if kk in ("cv", "dev", "threshold", "cv_gain", "dev_gain",
                                                        "cv_counts", "dev_counts")} for k, v in results.items()}
    keep["spans"] = {k: {kk: vv for kk, vv in v.items() if kk not in ("pred", "gold")} for k, v in s.items()
                     if k != "grid_cv"}  # empty when the span stages were skipped
    (cdir / "results.pkl").write_bytes(pickle.dumps(keep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
