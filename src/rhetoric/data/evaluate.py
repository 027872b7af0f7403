"""Engine checks on annotated corpora: hedges (CoNLL-2010, Szeged) and attributions (PolNeAR).

These score the rule engine's own spans against gold annotations by overlap, so that a change to
a lexicon or a rule shows up as a number, not only in examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.data.scoring import prf, sentence_scores

__all__ = ["attribution_scores", "hedge_scores"]


def _hits(spans: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]) -> int:
    """How many of ``spans`` share at least one character with some span of ``others``."""
    ordered = sorted(others)
    starts = [s for s, _ in ordered]
    longest = max((e - s for s, e in ordered), default=0)
    count = 0
    for start, end in spans:
        lo = int(np.searchsorted(starts, start - longest, side="left"))
        hi = int(np.searchsorted(starts, end, side="left"))
        count += any(ordered[k][1] > start for k in range(lo, hi))
    return count


def hedge_scores(scorer: Any, corpus: Any) -> dict[str, Any]:
    """How well the scorer's ``hedge`` spans find uncertainty in a labelled corpus.

    ``corpus`` is a :class:`~rhetoric.data.datasets.Corpus` with sentence labels, e.g. from
    :func:`~rhetoric.data.datasets.load_conll2010` or :func:`~rhetoric.data.datasets.load_szeged`.  Each
    article is scored once; its lines are the sentences.

    * ``sentence``: a line is predicted uncertain when at least one hedge span overlaps it,
      compared with the gold line label (precision/recall/F1 of the uncertain class, the CoNLL-2010
      Task 1 measure);
    * ``cue`` (only when the corpus has cue spans, as the Szeged corpus does): precision is the share
      of predicted hedge spans that overlap a gold cue, recall the share of gold cues that a predicted
      hedge span overlaps.

    ``booster`` spans are not hedges and are not counted.
    """
    y_true: list[int] = []
    y_pred: list[int] = []
    cue_pred = cue_pred_hit = cue_gold = cue_gold_hit = 0
    has_cues = False
    for article in corpus:
        report = scorer.score(article.text)
        hedges = [(s.start, s.end) for s in report.spans if s.category == "hedge"]
        gold = [(s.start, s.end) for s in article.spans]
        has_cues = has_cues or bool(gold)
        for number, start, end in article.lines():
            if not article.text[start:end].strip():
                continue
            label = (article.sentence_labels[number - 1] if article.sentence_labels is not None
                     else int(any(s < end and start < e for s, e in gold)))
            y_true.append(int(label))
            y_pred.append(int(any(s < end and start < e for s, e in hedges)))
        cue_pred += len(hedges)
        cue_gold += len(gold)
        if gold or hedges:
            cue_pred_hit += _hits(hedges, gold)
            cue_gold_hit += _hits(gold, hedges)
    result: dict[str, Any] = {"n_sentences": len(y_true), "n_uncertain": int(sum(y_true)),
                              "sentence": sentence_scores(y_true, y_pred) if y_true else
                              {"precision": 0.0, "recall": 0.0, "f1": 0.0}}
    if has_cues:
        result["cue"] = prf(cue_pred_hit, cue_pred, cue_gold_hit, cue_gold)
    return result


def attribution_scores(scorer: Any, corpus: Any) -> dict[str, Any]:
    """How well the scorer's attributions match PolNeAR-style annotations (overlap matching).

    ``corpus`` is an :class:`~rhetoric.data.datasets.AttributionCorpus` (:func:`~rhetoric.data.datasets.load_polnear`);
    each article's default annotator is used.  Predicted cues are the ``cue`` spans of the report's
    attributions (cue words the engine rejected as non-attributions do not count); gold cues and
    sources are the annotated ``Cue``/``Source`` fragments.

    * ``cue``: precision = share of predicted cues overlapping a gold cue; recall = share of gold
      relations whose cue a predicted cue overlaps;
    * ``source`` (same relation): a predicted source is right when it overlaps the ``Source`` of a gold
      relation whose ``Cue`` the predicted cue also overlaps; recall = share of gold relations with a
      source and a cue that some predicted attribution matches that way;
    * ``source_any``: a predicted source overlapping any gold ``Source`` span, and the share of gold
      ``Source`` spans that any predicted source overlaps.
    """
    cue_pred = cue_pred_hit = cue_gold = cue_gold_hit = 0
    src_pred = src_pred_hit = src_gold = src_gold_hit = 0
    any_pred_hit = any_gold = any_gold_hit = 0
    for article in corpus:
        report = scorer.score(article.text)
        relations = []
        for relation in article.attributions:
            cues = [(s, e) for role, s, e in relation.fragments if role == "Cue" and e > s]
            sources = [(s, e) for role, s, e in relation.fragments if role == "Source" and e > s]
            relations.append((cues, sources))
        gold_cues = [c for cues, _ in relations for c in cues]
        gold_sources = [c for _, sources in relations for c in sources]
        predicted = [((a.cue.start, a.cue.end), None if a.source is None else (a.source.start, a.source.end))
                     for a in report.attributions]
        pred_cues = [c for c, _ in predicted]
        pred_sources = [s for _, s in predicted if s is not None]

        cue_pred += len(pred_cues)
        cue_pred_hit += _hits(pred_cues, gold_cues)
        with_cue = [cues for cues, _ in relations if cues]
        cue_gold += len(with_cue)
        cue_gold_hit += sum(_hits(cues, pred_cues) > 0 for cues in with_cue)

        def same_relation(cue: tuple[int, int], source: tuple[int, int], cues: list, sources: list) -> bool:
            return _hits([cue], cues) > 0 and _hits([source], sources) > 0

        full = [(cues, sources) for cues, sources in relations if cues and sources]
        src_pred += len(pred_sources)
        src_pred_hit += sum(any(same_relation(c, s, cues, sources) for cues, sources in full)
                            for c, s in predicted if s is not None)
        src_gold += len(full)
        src_gold_hit += sum(any(s is not None and same_relation(c, s, cues, sources) for c, s in predicted)
                            for cues, sources in full)

        any_pred_hit += _hits(pred_sources, gold_sources)
        any_gold += len(gold_sources)
        any_gold_hit += _hits(gold_sources, pred_sources)
    return {
        "n_articles": len(corpus),
        "cue": prf(cue_pred_hit, cue_pred, cue_gold_hit, cue_gold),
        "source": prf(src_pred_hit, src_pred, src_gold_hit, src_gold),
        "source_any": prf(any_pred_hit, src_pred, any_gold_hit, any_gold),
    }
