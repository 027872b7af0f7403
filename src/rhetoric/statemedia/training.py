"""Training documents for the state-media head, the fit, and the held-out evaluations.

The development corpora (``$RHETORIC_DATA``): RT articles (Russia, state media), headlines of
CGTN, China Daily, Global Times and Xinhua (China, state media) against BBC headlines (UK) and the
articles and titles of the seven US outlets of PolNeAR, and Wikipedia paragraphs (Szeged
uncertainty corpus) as a neutral register on every topic. A :class:`Doc` is one article or headline
with its sentence features (boilerplate sentences left out) in both the masked and the unmasked
form (the ablation). Splits: PolNeAR's official train/dev; RT and the headlines by a hash of the
id / headline (one fifth dev). Evaluations are grouped by outlet and state: the head is retrained
without one outlet or one state and scored on it (:func:`held_out_auc`).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rhetoric.statemedia.features import document_sentence_features
from rhetoric.statemedia.head import StateMediaHead
from rhetoric.text.boilerplate import boilerplate_sentences

__all__ = ["Doc", "auc", "auc_ci", "document_scores", "fit_head", "load_documents", "make_doc"]

STATES = {"RT": "Russia", "CGTN": "China", "China Daily": "China", "Global Times": "China", "Xinhua": "China",
          "BBC": "UK"}


@dataclass(frozen=True)
class Doc:
    id: str
    outlet: str
    state: str
    kind: str            # "article" or "headline"
    label: int           # 1 = state media
    split: str           # "train" or "dev"
    rows: tuple[Counter[str], ...]   # masked sentence features
    raw: tuple[Counter[str], ...]    # unmasked (ablation)
    lexicon: float       # log1p of the state-media lexicon density


def dev_split(key: str, fraction: int = 5) -> str:
    return "dev" if int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % fraction == 0 else "train"


def make_doc(analyzer: Any, sourcing: Any, id: str, text: str, outlet: str, kind: str, label: int, split: str,
             state: str | None = None) -> Doc:
    from rhetoric.statemedia.dimension import StateMediaDimension
    a = analyzer.analyze(text)
    ev = sourcing.apply(a)
    skipped = boilerplate_sentences(a)
    rows = document_sentence_features(a, ev, skip_sentences=skipped)
    raw = document_sentence_features(a, ev, mask_names=False, skip_sentences=skipped)
    keep = [k for k, r in enumerate(rows) if r]
    density = StateMediaDimension().apply(a, None, ev).densities["state_media"]
    return Doc(id, outlet, state or STATES.get(outlet, "US"), kind, label, split,
               tuple(rows[k] for k in keep), tuple(raw[k] for k in keep), math.log1p(density))


def load_documents(data_home: Any = None, progress: Callable[[str], None] | None = None) -> list[Doc]:
    """All development documents (RT, PolNeAR articles and titles, the five headline outlets)."""
    from rhetoric.analysis import Analyzer
    from rhetoric.data.datasets import load_polnear, load_rt_sample, load_state_media_headlines
    from rhetoric.sourcing.dimension import SourcingDimension
    analyzer, sourcing = Analyzer(), SourcingDimension()
    docs = [make_doc(analyzer, sourcing, a.id, a.text, "RT", "article", 1, dev_split(a.id))
            for a in load_rt_sample(data_home)]
    for subset in ("train", "dev"):
        for a in load_polnear(subset, data_home):
            docs.append(make_doc(analyzer, sourcing, a.id, a.text, a.outlet or "US", "article", 0, subset))
            title = a.metadata.get("title")
            if title:
                docs.append(make_doc(analyzer, sourcing, a.id + ":title", title, a.outlet or "US", "headline", 0, subset))
    if progress:
        progress(f"{len(docs)} articles and titles")
    # Wikipedia paragraphs: the neutral register on every topic (economy, ministries, Russia, China), so
    # that topic words and an absence of attributions alone do not read as state media
    from rhetoric.data.datasets import load_szeged
    for a in load_szeged(data_home):
        docs.append(make_doc(analyzer, sourcing, "wiki:" + a.id, a.text, "Wikipedia", "reference", 0,
                             dev_split(a.id), state="none"))
    for a in load_state_media_headlines(data_home):
        docs.append(make_doc(analyzer, sourcing, a.id, a.text, a.outlet, "headline", int(a.outlet != "BBC"),
                             dev_split(a.text)))
    if progress:
        progress(f"{len(docs)} documents")
    return docs


def _table(docs: Iterable[Doc], field: str) -> tuple[list[Counter[str]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sentence rows, labels, weights (every (kind, label) block the same total, every doc the same
    share of it), groups (document) and lexicon values."""
    blocks: dict[tuple[str, int], list[Doc]] = {}
    for d in docs:
        if getattr(d, field):
            blocks.setdefault((d.kind, d.label), []).append(d)
    rows: list[Counter[str]] = []
    y, w, g, lex = [], [], [], []
    for (_, label), ds in sorted(blocks.items()):
        for d in ds:
            r = getattr(d, field)
            rows.extend(r)
            y.extend([label] * len(r))
            w.extend([1.0 / (len(ds) * len(r))] * len(r))
            g.extend([d.id] * len(r))
            lex.extend([d.lexicon] * len(r))
    return rows, np.array(y), np.array(w), np.array(g), np.array(lex)


def fit_head(docs: Sequence[Doc], *, masked: bool = True, C: float = 1.0, bits: int = 18,
             n_splits: int = 3) -> StateMediaHead:
    rows, y, w, g, lex = _table(docs, "rows" if masked else "raw")
    from rhetoric.statemedia.estimator import StateMediaEstimator
    return StateMediaEstimator(bits=bits, C=C, n_splits=n_splits, mask_names=masked).fit(
        rows, y, sample_weight=w, groups=g, lexicon=lex)


def document_scores(head: StateMediaHead, docs: Sequence[Doc]) -> np.ndarray:
    field = "rows" if head.mask_names else "raw"
    out = []
    for d in docs:
        r = getattr(d, field)
        out.append(head.document_probability(head.decision_function(list(r)), d.lexicon))
    return np.array(out)


def auc(head: StateMediaHead, positive: Sequence[Doc], negative: Sequence[Doc]) -> tuple[float, np.ndarray, np.ndarray]:
    from sklearn.metrics import roc_auc_score
    s = document_scores(head, [*positive, *negative])
    y = np.array([1] * len(positive) + [0] * len(negative))
    return float(roc_auc_score(y, s)), y, s


def auc_ci(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """Bootstrap 95% interval of the ROC AUC, resampling documents (:func:`rhetoric.data.bootstrap.bootstrap_ci`)."""
    from sklearn.metrics import roc_auc_score

    from rhetoric.data.bootstrap import bootstrap_ci
    return bootstrap_ci(lambda yy, ss: roc_auc_score(yy, ss), y, s, n_resamples=500)
