"""Long documents in fixed blocks: cut the text, score each block alone, merge the block reports.

Scoring builds per-token objects (tokens, feature columns, CRF lattices) whose size grows with the
text; for a 50 MB document they were 130x the text. :meth:`rhetoric.pipeline.Scorer.score` therefore
scores a text longer than :data:`BLOCK_CHARS` block by block and keeps only each block's compact
results (spans, sentences, attributions, numbers), so a block's per-token objects are freed before
the next block is analysed. Texts up to :data:`BLOCK_CHARS` characters take the one-pass path
unchanged.

**Where a block ends** (:func:`block_bounds`): after the last blank line in the second half of the
window of :data:`BLOCK_CHARS` characters, else after the last line break (sentences never span a
line: :mod:`rhetoric.text.sentences` splits each line), else at the last sentence start the sentence
splitter finds there, else after the last whitespace, else (a text without any, like
``"((((..."``) at the last point between two tokens (not between two word characters; a window
that is all one word extends to the word's end, so a block is longer than :data:`BLOCK_CHARS` only
by the rest of one token). Only in the last two cases is a "sentence" cut: such a text has no
sentence boundary within a block.

**How block reports merge** (:class:`BlockMerger`):

- offsets, sentence indices and attribution indices are shifted back to the document; sentences
  and spans are concatenated in order (blocks are disjoint, so the document order is kept);
- counts add: ``n_words``; each density of :data:`rhetoric.report.scores.TAU` (and its
  ``_author`` twin) is recomputed from the summed evidence weight
  ``W = sum_b density_b * (n_words_b + N0) / 1000`` as ``1000 * W / (n_words + N0)``, and its score as
  ``bounded(density, TAU)`` (what one pass gives, up to rounding);
- ``scores["propaganda"]`` is recomputed from the merged sentences exactly as the propaganda
  dimension computes it (the word-weighted mean of the sentence probabilities);
- a document-level head score (``state_media`` and ``state_media_author`` with the state-media
  head) is the mean of the block scores weighted by ``max(1, n_words)`` of each block; its
  ``meta["state_media"]`` is rebuilt from the merged numbers (top features: the same weighted mean
  of the blocks' top contributions; top sentences: the highest sentence probabilities among the
  blocks' top sentences); the same weighted mean serves any score this module does not know;
- attributions get document-wide ``source_id`` s (:func:`rhetoric.sourcing.counts.source_ids`
  over all of them) and ``Report.sourcing`` is recomputed from them;
- the rest of ``meta`` (thresholds, settings) is the first block's: it describes the scorer.

What a block cannot see: ``Repetition`` spans mark a phrase said again *within the same block*, and
the site-furniture and first-sentence rules read each block as if it began a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, NamedTuple

from rhetoric.report.attribution_columns import AttributionView
from rhetoric.report.columns import SentenceView, SpanView
from rhetoric.report.scores import N0, TAU, bounded, word_weighted_mean
from rhetoric.report.types import Report
from rhetoric.sourcing.counts import source_ids
from rhetoric.sourcing.dimension import summary
from rhetoric.text.normalize import is_word_char

__all__ = ["BLOCK_CHARS", "BlockMerger", "block_bounds", "score_in_blocks"]

BLOCK_CHARS = 150_000
_HEAD_SCORES = {"state_media": "state_media", "state_media_author": "state_media"}  # score -> meta key of its head
_TOP_FEATURES = 8
_TOP_SENTENCES = 3
_LAST_WHITESPACE = re.compile(r"\s\S*\Z")  # linear: \S* stops at the next whitespace


def block_bounds(text: str, split_sentences: Callable[[str], list[tuple[int, int]]],
                 size: int = BLOCK_CHARS) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of consecutive blocks covering ``text``, each at most ``size`` characters
    (longer only by the end of a word that spans the whole window)."""
    pos, n = 0, len(text)
    while n - pos > size:
        end = _cut(text, pos + size // 2, pos + size, split_sentences)
        yield pos, end
        pos = end
    if pos < n or n == 0:
        yield pos, n


def _cut(text: str, lo: int, hi: int, split_sentences: Callable[[str], list[tuple[int, int]]]) -> int:
    """The block end in ``(lo, hi]``, by the preference order of the module docstring."""
    k = text.rfind("\n\n", lo, hi)
    if k >= 0:
        return k + 2
    k = text.rfind("\n", lo, hi)
    if k >= 0:
        return k + 1
    # a sentence start decided well before the window's end (Punkt reads the next token)
    starts = [s for s, _ in split_sentences(text[lo:hi])[1:] if s <= hi - lo - 64]
    if starts:
        return lo + starts[-1]
    m = _LAST_WHITESPACE.search(text, lo, hi)
    if m is not None:
        return m.start() + 1
    # no whitespace: cut between two tokens, i.e. not between two word characters ("((((" cuts
    # anywhere); a window that is one word (one token, cheap however long) extends to the word's end
    k = hi
    while k > lo and is_word_char(text[k - 1]) and is_word_char(text[k]):
        k -= 1
    if k > lo:
        return k
    k = hi
    while k < len(text) and is_word_char(text[k - 1]) and is_word_char(text[k]):
        k += 1
    return k


class _Counted(NamedTuple):
    """What the sourcing counts read of an attribution (a light stand-in for all of a long document's)."""

    kind: str
    source_id: int


class BlockMerger:
    """Collects block reports in document order and merges them into one report (module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # per block, its evidence as columns shifted to the document (array arithmetic, no object
        # per span); concatenated once by :meth:`report`
        self._spans: list[SpanView] = []
        self._sentences: list[SentenceView] = []
        self._attributions: list[AttributionView] = []
        self._n_sentences = self._n_attributions = 0
        self.blocks: list[dict[str, Any]] = []  # per block: n_words, scores, densities, meta
        self.first: Report | None = None

    def add(self, offset: int, report: Report) -> None:
        """Add the report of ``text[offset:offset + len(report.text)]``."""
        if self.first is None:  # its numbers name the keys and the settings; its evidence is not kept twice
            self.first = replace(report, spans=(), sentences=(), attributions=())
        ns, na = self._n_sentences, self._n_attributions
        # (a Report holds its evidence as views) the shifted views point into the document's text:
        # the block's text is not kept
        self._spans.append(report.spans.shifted(offset, ns, na, self.text))  # type: ignore[attr-defined]
        self._attributions.append(report.attributions.shifted(offset, ns, na, self.text))  # type: ignore[attr-defined]
        self._sentences.append(report.sentences.shifted(offset, ns, self.text))  # type: ignore[attr-defined]
        self._n_sentences += len(report.sentences)
        self._n_attributions += len(report.attributions)
        meta = dict(report.meta)
        if "state_media" in meta:
            sm = meta["state_media"]
            meta["state_media"] = {**sm, "top_sentences": [k + ns for k in sm.get("top_sentences", ())]}
        self.blocks.append({"n_words": report.n_words, "scores": report.scores, "densities": report.densities,
                            "meta": meta})

    def report(self) -> Report:
        """The merged document report."""
        first = self.first
        if first is None:
            raise ValueError("no block was added")
        text = self.text
        # each kind concatenated once, the block parts dropped before the next (a report() again
        # concatenates one part)
        sentences = SentenceView.concat(text, self._sentences)
        self._sentences = [sentences]  # type: ignore[list-item]
        spans = SpanView.concat(text, self._spans)
        self._spans = [spans]  # type: ignore[list-item]
        view = AttributionView.concat(text, self._attributions)
        self._attributions = [view]  # type: ignore[list-item]
        n_words = sum(b["n_words"] for b in self.blocks)
        weights = [max(1, b["n_words"]) for b in self.blocks]
        densities: dict[str, float] = {}
        for key in first.densities:
            base = key.removesuffix("_author")
            if base in TAU:
                w = sum(b["densities"].get(key, 0.0) * (b["n_words"] + N0) / 1000.0 for b in self.blocks)
                densities[key] = 1000.0 * w / (n_words + N0)
            else:
                densities[key] = _weighted(self.blocks, weights, "densities", key)
        scores: dict[str, float] = {}
        for key in first.scores:
            base = key.removesuffix("_author")
            head_meta = _HEAD_SCORES.get(key)
            if key == "propaganda":
                scores[key] = word_weighted_mean(zip(sentences.column("propaganda"),
                                                     sentences.column("n_words")))
            elif head_meta is not None and head_meta in first.meta:
                scores[key] = _weighted(self.blocks, weights, "scores", key)
            elif base in TAU and key in densities:
                scores[key] = bounded(densities[key], TAU[base])
            else:
                scores[key] = _weighted(self.blocks, weights, "scores", key)
        # document-wide source ids, in one pass over the attributions (made a chunk at a time,
        # without their content spans, which the rules do not read); the counts read the kind and
        # the id of each
        view = view.with_source_ids(list(source_ids(view.without_content())))
        counted = [_Counted(*x) for x in zip(view.column("kind"), view.column("source_id"))]
        sourcing = summary(counted, n_words, densities)
        meta = dict(first.meta)
        if "state_media" in meta:
            meta["state_media"] = self._state_media_meta(scores, densities, weights, sentences)
        return Report(text=text, n_words=n_words, scores=scores, densities=densities, sourcing=sourcing,
                      spans=spans, sentences=sentences, attributions=view,
                      lexicon_sha256=first.lexicon_sha256, model=first.model, version=first.version,
                      schema_version=first.schema_version, meta=meta)

    def _state_media_meta(self, scores: dict[str, float], densities: dict[str, float],
                          weights: list[int], sentences: SentenceView) -> dict[str, Any]:
        metas = [b["meta"].get("state_media") for b in self.blocks]
        first = next(m for m in metas if m is not None)
        total = sum(w for w, m in zip(weights, metas) if m is not None)
        contributions: dict[str, float] = {}
        candidates: list[int] = []
        for w, m in zip(weights, metas):
            if m is None:
                continue
            for name, c in m.get("top_features", ()):
                contributions[name] = contributions.get(name, 0.0) + c * w / total
            candidates.extend(m.get("top_sentences", ()))
        top = sorted(contributions.items(), key=lambda kv: -kv[1])[:_TOP_FEATURES]
        probability = round(scores.get("state_media", 0.0), 4)

        def sentence_p(k: int) -> float:
            p = sentences[k].state_media
            return -1.0 if p is None else p
        return {**first,
                "probability": probability,
                "author_probability": round(scores.get("state_media_author", 0.0), 4),
                "is_state_media": probability >= first["threshold"],
                "lexicon_score": round(bounded(densities.get("state_media", 0.0), TAU["state_media"]), 4),
                "top_features": [[name, round(c, 4)] for name, c in top],
                "top_sentences": sorted(candidates, key=lambda k: (-sentence_p(k), k))[:_TOP_SENTENCES],
                "n_boilerplate_sentences": sum(m.get("n_boilerplate_sentences", 0) for m in metas if m)}


def _weighted(blocks: list[dict[str, Any]], weights: list[int], field: str, key: str) -> float:
    kept = [(w, b[field][key]) for w, b in zip(weights, blocks) if key in b[field]]
    total = sum(w for w, _ in kept)
    return sum(w * v for w, v in kept) / total if total else 0.0


def score_in_blocks(text: str, score_block: Callable[[str], Report],
                    split_sentences: Callable[[str], list[tuple[int, int]]], size: int = BLOCK_CHARS) -> Report:
    """Score ``text`` block by block with ``score_block`` and merge (module docstring)."""
    merger = BlockMerger(text)
    for start, end in block_bounds(text, split_sentences, size):
        merger.add(start, score_block(text[start:end]))
    return merger.report()
