"""Training and evaluating the attribution tagger on PolNeAR-style (brat) corpora.

Gold tags come from each relation's fragments: content first, then source, then cue, so that
where a nested relation's cue or source lies inside another relation's content the inner roles
win (a token carries one tag). Figures are span-level, per role, both by overlap (a predicted
span touching a gold span of the same role) and by exact offsets, with a bootstrap 95% interval
over documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis, Analyzer
from rhetoric.learn.features import laid_out_tokens
from rhetoric.sourcing.tagger import LABELS, ROLES, AttributionTagger, document_runs, token_features
from rhetoric.sourcing.words import WordFacts

__all__ = ["Prepared", "prepare", "gold_tags", "train_tagger", "predicted_spans", "gold_spans",
           "span_scores"]

_STRIP = " \t\n\r,.;:\"'“”‘’"


@dataclass(frozen=True)
class Prepared:
    """One document ready for the tagger: features and tags of its sentence tokens, in order."""

    analysis: Analysis
    order: np.ndarray            # token indices, sentence by sentence
    lengths: tuple[int, ...]     # tokens per sentence
    X: np.ndarray
    y: np.ndarray | None


def sentence_order(analysis: Analysis) -> tuple[np.ndarray, tuple[int, ...]]:
    ranges = analysis.seg.sentence_tokens
    if not ranges:
        return np.zeros(0, dtype=np.int64), ()
    return laid_out_tokens(ranges), tuple(j - i for i, j in ranges)


def gold_tags(analysis: Analysis, relations: Iterable[Any]) -> np.ndarray:
    """BIO label index per token from brat relations (``fragments`` as ``(role, start, end)``)."""
    seg = analysis.seg
    starts = np.frombuffer(seg.starts, dtype=np.int32 if seg.starts.typecode == "i" else np.int64)
    tags = np.zeros(len(seg.words), dtype=np.int64)
    index = {label: k for k, label in enumerate(LABELS)}
    relations = list(relations)
    for role, brat in (("content", "Content"), ("source", "Source"), ("cue", "Cue")):
        for rel in relations:
            for r, s, e in rel.fragments:
                if r != brat or e <= s:
                    continue
                i, j = np.searchsorted(starts, s), np.searchsorted(starts, e)
                if j > i:
                    tags[i] = index["B-" + role]
                    tags[i + 1:j] = index["I-" + role]
    return tags


def prepare(analyzer: Analyzer, text: str, relations: Iterable[Any] | None = None,
            words: WordFacts | None = None) -> Prepared:
    """One document ready for the tagger; ``words``: a :class:`WordFacts` shared by the documents of
    one run (per-word facts are then found once per distinct word, not once per document)."""
    from rhetoric.sourcing.rules import find_attributions
    analysis = analyzer.analyze(text)
    rules, _ = find_attributions(analysis.text, analysis.seg, analysis.matches)
    order, lengths = sentence_order(analysis)
    X = token_features(analysis, rules, words=words)[order]
    y = None if relations is None else gold_tags(analysis, relations)[order]
    return Prepared(analysis, order, lengths, X, y)


def train_tagger(docs: Sequence[Prepared], **params: Any) -> AttributionTagger:
    return AttributionTagger(**params).fit([d.X for d in docs], [d.y for d in docs], [d.lengths for d in docs])


def predicted_spans(doc: Prepared, tags: np.ndarray) -> dict[str, list[tuple[int, int]]]:
    """Character spans per role from the tags of a prepared document."""
    seg = doc.analysis.seg
    out: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    for role, i, j in document_runs(tags, seg.sentence_tokens):
        out[role].append((seg.starts[i], seg.ends[j - 1]))
    return out


def gold_spans(relations: Iterable[Any], text: str) -> dict[str, list[tuple[int, int]]]:
    """Distinct gold fragments per role, trimmed of surrounding spaces and punctuation."""
    out: dict[str, set[tuple[int, int]]] = {r: set() for r in ROLES}
    names = {"Cue": "cue", "Source": "source", "Content": "content"}
    for rel in relations:
        for r, s, e in rel.fragments:
            if r in names and e > s:
                out[names[r]].add(_trim(text, s, e))
    return {r: sorted(v) for r, v in out.items()}


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return s, e


def _counts(pred: list[tuple[int, int]], gold: list[tuple[int, int]], text: str) -> tuple[int, ...]:
    """(n_pred, pred overlapping gold, n_gold, gold overlapped, exact matches)."""
    pred = [_trim(text, s, e) for s, e in pred]
    gs = np.array([g[0] for g in gold], dtype=np.int64)
    ge = np.array([g[1] for g in gold], dtype=np.int64)
    hit_pred = 0
    gold_hit = np.zeros(len(gold), dtype=bool)
    for s, e in pred:
        ov = (gs < e) & (ge > s)
        if ov.any():
            hit_pred += 1
            gold_hit |= ov
    exact = len(set(pred) & set(gold))
    return len(pred), hit_pred, len(gold), int(gold_hit.sum()), exact


def _prf(c: np.ndarray) -> dict[str, float]:
    n_pred, hit_pred, n_gold, gold_hit, exact = (float(v) for v in c)
    p_o = hit_pred / n_pred if n_pred else 0.0
    r_o = gold_hit / n_gold if n_gold else 0.0
    p_e = exact / n_pred if n_pred else 0.0
    r_e = exact / n_gold if n_gold else 0.0
    f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return {"overlap_p": p_o, "overlap_r": r_o, "overlap_f1": f(p_o, r_o),
            "exact_p": p_e, "exact_r": r_e, "exact_f1": f(p_e, r_e)}


def span_scores(per_doc: Sequence[tuple[dict[str, list], dict[str, list], str]], *, n_boot: int = 1000,
                seed: int = 0) -> dict[str, dict[str, Any]]:
    """Per-role P/R/F1 (overlap and exact) with bootstrap 95% intervals over documents.

    ``per_doc`` holds ``(predicted spans, gold spans, text)`` per document.
    """
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, Any]] = {}
    for role in ROLES:
        counts = np.array([_counts(p[role], g[role], t) for p, g, t in per_doc], dtype=np.float64).reshape(-1, 5)
        point = _prf(counts.sum(axis=0))
        boots = {k: [] for k in ("overlap_f1", "exact_f1")}
        for _ in range(n_boot):
            sample = counts[rng.integers(0, len(counts), len(counts))].sum(axis=0)
            m = _prf(sample)
            for k in boots:
                boots[k].append(m[k])
        point.update({f"{k}_ci": (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) if v
                      else (point[k], point[k]) for k, v in boots.items()})
        out[role] = point
    return out


def load_brat(folder: Any) -> list[tuple[str, Any]]:
    """``(text, relations)`` per article of a brat folder laid out like a PolNeAR subset: ``text/NAME.txt``
    and ``attributions/NAME_ANNOTATOR.ann`` (or ``NAME.txt`` beside ``NAME.ann``); the first annotator
    in sorted order is used. Broken offsets raise ``DatasetFormatError`` naming file and line."""
    from pathlib import Path

    from rhetoric.data.datasets import DatasetNotFoundError
    from rhetoric.data.polnear import _read_brat
    from rhetoric.data.readers import _read_article_text
    root = Path(folder)
    texts = root / "text" if (root / "text").is_dir() else root
    anns = root / "attributions" if (root / "attributions").is_dir() else root
    out = []
    for txt in sorted(texts.glob("*.txt")):
        candidates = sorted(anns.glob(f"{txt.stem}_*.ann")) or sorted(anns.glob(f"{txt.stem}.ann"))
        if not candidates:
            continue
        text = _read_article_text(txt)
        out.append((text, _read_brat(candidates[0], text)))
    if not out:
        raise DatasetNotFoundError(root, "brat corpus (text/*.txt with attributions/*.ann)")
    return out


def train_attribution(articles: Iterable[tuple[str, Any]], analyzer: Analyzer | None = None,
                      **params: Any) -> AttributionTagger:
    """Train the tagger on ``(text, relations)`` pairs (``relations`` as from ``load_polnear``)."""
    analyzer = analyzer or Analyzer()
    words = WordFacts()
    return train_tagger([prepare(analyzer, text, rel, words) for text, rel in articles], **params)


def evaluate_attribution(tagger: AttributionTagger, articles: Iterable[tuple[str, Any]],
                         analyzer: Analyzer | None = None, n_boot: int = 1000) -> dict[str, dict[str, Any]]:
    """Per-role span scores of ``tagger`` on ``(text, relations)`` pairs, with bootstrap intervals."""
    analyzer = analyzer or Analyzer()
    per_doc, words = [], WordFacts()
    for text, rel in articles:
        d = prepare(analyzer, text, rel, words)
        per_doc.append((predicted_spans(d, tagger.tag(d.X, d.lengths)), gold_spans(rel, text), text))
    return span_scores(per_doc, n_boot=n_boot)
